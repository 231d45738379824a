"""Special offers: one Markdown file per offer in ``content/offers/``.

An offer is never published as an article (it is outside ``ARTICLE_PATHS``
and ``PAGE_PATHS``, so it is in no list, feed, archive or sitemap). This
module holds the offers' rules: each metadata field, the banner text, and
which offers every page carries (``practice.site_offers`` reads the files
with Pelican's Markdown reader and checks links against the site):

- each page carries every offer for its placement that is running when the
  site is built or starts within ``OFFER_LOOKAHEAD_DAYS``, in the order the
  rule picks them: highest ``Priority`` first, ties broken by the earliest
  end. The first one running at build time is visible in the HTML; the
  others are hidden;
- ``theme/static/js/offers.js`` repeats the pick by the visitor's clock and
  skips offers the visitor dismissed, so the schedule stays right between
  builds. Without JavaScript, what was running at build time shows;
- the "Current offers" page (``OFFERS_SAVE_AS``) lists them.

Offers never show on the crisis page: someone looking for crisis help should
not meet an advertisement there.
"""

import datetime
import hashlib
import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .errors import ContentError
from .fields import NAME, URL, Shape, check, text
from .settings import SettingsError
from .text import plain

FIELDS = ("title", "starts", "ends", "link", "terms", "placement", "priority", "dismissible",
          "fee", "format")
PLACEMENT_KEYWORDS = ("all", "articles", "pages")
DEFAULT_LOOKAHEAD_DAYS = 30
MAX_TEXT = 300  # characters of banner text: one or two sentences
MAX_TITLE = 60  # characters of the banner's headline: at most two short lines on a phone
WHEN = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{1,2}:\d{2}))?"
    r"(?:\s*(?P<offset>Z|UTC|[+-]\d{2}:?\d{2}))?$"
)
# Words that say an offer changes what a session costs; such an offer must
# link the Fees / Good Faith Estimate page as its Terms.
MENTIONS_FEE = re.compile(
    r"\b(fees?|prices?|priced|costs?|discount\w*|reduced|half[- ]price|free of charge|"
    r"no charge|sliding scale)\b|[$€£]\s?\d|\d\s?%",
    re.IGNORECASE,
)
CRISIS_SECTION = "crisis"


class OfferMetadata(Shape):
    """The metadata lines of an offer file (``Title: ...``), by size.

    What each value means is checked by the parse_* functions below, and
    what a link points to by ``practice.site_offers``."""

    title: text(MAX_TITLE)
    starts: text(40)
    ends: text(40)
    link: text(URL)
    terms: text(URL, required=False) = None
    placement: text(1000, required=False) = None
    priority: text(20, required=False) = None
    dismissible: text(10, required=False) = None
    fee: text(20, required=False) = None
    format: text(NAME, required=False) = None


def check_offer_metadata(meta, source, timezone):
    """Check an offer's metadata (``{field: text}``, lower-case keys) field
    by field; returns the values the schedule needs (dates, placement,
    priority, dismissible). Links are checked against the site elsewhere."""
    values = {key: meta.get(key) for key in FIELDS if meta.get(key) is not None}
    try:
        check(OfferMetadata, values, source)
    except ContentError as exc:
        exc.field = exc.field.split(".")[0].capitalize()
        exc.args = (exc.line(),)
        raise
    starts = parse_when(meta.get("starts"), timezone, source, "Starts")
    ends = parse_when(meta.get("ends"), timezone, source, "Ends", end=True)
    if ends <= starts:
        raise ContentError(source, "Ends", f"{meta.get('ends')} is not after Starts ({meta.get('starts')})")
    fee, fmt = str(meta.get("fee") or "").strip(), str(meta.get("format") or "").strip()
    if fee and not re.fullmatch(r"[$£€]?\d{1,7}(\.\d{1,2})?", fee):
        raise ContentError(source, "Fee", f"{fee!r} is not an amount like 60")
    if fmt and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", fmt):
        raise ContentError(source, "Format", f"{fmt!r} is not a format id of the profile (like video)")
    return {
        "starts": starts, "ends": ends,
        "placement": parse_placement(meta.get("placement"), source),
        "priority": parse_priority(meta.get("priority"), source),
        "dismissible": parse_dismissible(meta.get("dismissible"), source),
    }


@dataclass(frozen=True)
class Placement:
    """Where an offer may show: everywhere, on every article, on every page,
    or on listed slugs and categories."""

    everywhere: bool = False
    articles: bool = False
    pages: bool = False
    slugs: frozenset = frozenset()
    categories: frozenset = frozenset()  # lower-cased names or slugs

    def matches(self, kind, slug=None, category=None):
        """``kind`` is ``article``, ``page`` or ``other`` (index, tags, 404 ...)."""
        if self.everywhere:
            return True
        if kind == "article" and self.articles:
            return True
        if kind == "page" and self.pages:
            return True
        if kind in ("article", "page") and slug in self.slugs:
            return True
        if kind == "article" and category is not None:
            names = {str(category).lower(), getattr(category, "slug", str(category)).lower()}
            if names & self.categories:
                return True
        return False


@dataclass
class Offer:
    id: str
    source: str
    title: str  # HTML (typogrified)
    body: str  # HTML: one paragraph
    starts: datetime.datetime  # aware
    ends: datetime.datetime  # aware, exclusive
    link: str
    placement: Placement
    priority: int = 0
    dismissible: bool = True
    terms: str | None = None
    terms_label: str | None = None
    link_target: object = None  # the page or article the Link points to
    timezone: str = "UTC"
    text_hash: str = ""
    price: dict | None = None  # {fee, usual, format, unit}: display strings

    @property
    def has_amount(self):
        return self.price is not None

    def running(self, now):
        return self.starts <= now < self.ends

    @property
    def key(self):
        """The offer and its text: a dismissal is for this wording only."""
        return f"{self.id}:{self.text_hash}"

    @property
    def title_text(self):
        return str(plain(self.title))

    def days(self):
        """The first and the last day, in the practice's time zone, as text."""
        tz = ZoneInfo(self.timezone)
        first = self.starts.astimezone(tz)
        last = (self.ends - datetime.timedelta(microseconds=1)).astimezone(tz)
        return _day(first), _day(last)


def _day(moment):
    return f"{moment:%B} {moment.day}, {moment.year}"


# ---- parsing one field at a time (each raises ContentError(file, field, ...))


FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_when(value, timezone, source, field_name, end=False):
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM``, with an optional UTC offset
    (``+01:00``, ``-0500``, ``Z``); without one, in ``timezone``.

    A date alone starts at the beginning of that day; as an end, it runs
    to the end of that day.
    """
    text = str(value or "").strip()
    if not text:
        raise ContentError(source, field_name, "is required (a date like 2026-11-01 or 2026-11-01 09:00)")
    m = WHEN.match(text)
    example = "2026-11-01, 2026-11-01 09:00 or 2026-11-01 09:00 -05:00"
    if not m:
        raise ContentError(source, field_name, f"{text!r} is not a date like {example}")
    try:
        day = datetime.date.fromisoformat(m["date"])
        clock = datetime.time(0, 0)
        if m["time"]:
            hours, minutes = (int(p) for p in m["time"].split(":"))
            clock = datetime.time(hours, minutes)
    except ValueError:
        raise ContentError(source, field_name, f"{text!r} is not a date like {example}") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        # 9999-12-31 as "never ends" would overflow the date arithmetic; an
        # offer is for a time, so its dates must be ones a reader can act on.
        raise ContentError(source, field_name, f"{text!r} is not a date between {FIRST_YEAR} and "
                                               f"{LAST_YEAR}; an offer runs for a set time")
    if m["offset"]:
        tz = _offset(m["offset"])
        if tz is None:
            raise ContentError(source, field_name, f"{m['offset']!r} is not a UTC offset like +01:00")
    else:
        tz = ZoneInfo(timezone)
    moment = datetime.datetime.combine(day, clock, tzinfo=tz)
    if end and not m["time"]:
        moment += datetime.timedelta(days=1)
    return moment


def _offset(text):
    if text in ("Z", "UTC"):
        return datetime.timezone.utc
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    delta = datetime.timedelta(hours=hours, minutes=minutes)
    return datetime.timezone(-delta if text[0] == "-" else delta)


def parse_placement(value, source):
    """``all`` (default), ``articles``, ``pages``, or a comma-separated list
    of slugs and ``category:NAME`` items (the keywords may be listed too)."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return Placement(everywhere=True)
    items = [item.strip() for item in text.split(",")]
    if any(not item for item in items):
        raise ContentError(source, "Placement", f"{text!r} has an empty item")
    flags, slugs, categories = set(), set(), set()
    for item in items:
        lower = item.lower()
        if lower in PLACEMENT_KEYWORDS:
            flags.add(lower)
        elif lower.startswith("category:"):
            name = item.split(":", 1)[1].strip()
            if not name:
                raise ContentError(source, "Placement", f"{item!r} names no category")
            categories.add(name.lower())
        elif re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", item):
            slugs.add(item)
        else:
            raise ContentError(
                source, "Placement",
                f"{item!r} is not all, articles, pages, a slug or category:NAME")
    return Placement(everywhere="all" in flags, articles="articles" in flags,
                     pages="pages" in flags, slugs=frozenset(slugs),
                     categories=frozenset(categories))


def parse_priority(value, source):
    if value is None or str(value).strip() == "":
        return 0
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ContentError(source, "Priority", f"{text!r} is not a whole number (like 0, 1 or 10)")
    return int(text)


def parse_dismissible(value, source):
    if value is None or str(value).strip() == "":
        return True
    text = str(value).strip().lower()
    if text in ("yes", "true", "on", "1"):
        return True
    if text in ("no", "false", "off", "0"):
        return False
    raise ContentError(source, "Dismissible", f"{value!r} is not yes or no")


def check_body(html, source):
    """The banner text: one short paragraph (one or two sentences)."""
    text = str(plain(html)).strip()
    if not text:
        raise ContentError(source, "body", "the banner text is missing (write one or two "
                                           "sentences after the metadata and a blank line)")
    blocks = re.findall(r"<(p|h[1-6]|ul|ol|dl|table|blockquote|pre|div|hr|figure)\b", html)
    if blocks != ["p"]:
        raise ContentError(source, "body", "the banner text must be one paragraph of one or two "
                                           "sentences; put the details on the offer's page")
    if len(text) > MAX_TEXT:
        raise ContentError(source, "body", f"the banner text is {len(text)} characters long; keep "
                                           f"it to one or two sentences (at most {MAX_TEXT})")
    return html.strip()


def text_hash(title, body):
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()[:12]


def offer_id(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    return re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-") or "offer"


def parse_price(meta, source, practice):
    """``Fee:`` (what the offer charges) and ``Format:`` (a format id of the
    profile, whose fee is the usual one): both or neither."""
    fee, fmt = meta.get("fee"), str(meta.get("format") or "").strip()
    if fee is None and not fmt:
        return None
    if not fmt:
        raise ContentError(source, "Format", "is required with Fee: the id of the session "
                                             "format the offer is for (its usual fee is shown beside)")
    formats = {f["id"]: f for f in (practice or {}).get("formats", [])}
    if fmt not in formats:
        raise ContentError(source, "Format", f"{fmt!r} is not a format id of the profile "
                                             f"(one of: {', '.join(formats)})")
    if fee is None or not str(fee).strip():
        raise ContentError(source, "Fee", "is required with Format: the offer's amount, "
                                          "for example 60 (0 for free)")
    try:
        amount = float(str(fee).strip().lstrip("$£€"))
    except ValueError:
        raise ContentError(source, "Fee", f"{fee!r} is not an amount like 60") from None
    usual = formats[fmt]
    if amount < 0 or amount >= usual["fee"]:
        raise ContentError(source, "Fee", f"{fee} is not less than the usual fee of "
                                          f"{usual['name']} ({usual['fee_display']})")
    from .profile import money
    currency = practice.get("currency", "USD")
    return {"fee": "free" if amount == 0 else money(amount, currency),
            "usual": usual["fee_display"], "format": usual["name"], "unit": usual["fee_unit"]}


# ---- choosing what each page carries ---------------------------------------


def order(offers):
    """The order the rule picks in: highest priority, then earliest end."""
    return sorted(offers, key=lambda o: (-o.priority, o.ends, o.starts, o.id))


def in_window(offers, now, lookahead_days):
    """Offers running at ``now`` or starting within the lookahead window."""
    horizon = now + datetime.timedelta(days=lookahead_days)
    return [o for o in offers if o.ends > now and o.starts <= horizon]


def pick(offers, now):
    """The offer a page shows at ``now``: None if none is running."""
    return next((o for o in order(offers) if o.running(now)), None)


class Schedule:
    """The offers one build writes into its pages."""

    def __init__(self, offers, now, lookahead_days, crisis_slugs=()):
        self.now = now
        self.all = list(offers)
        self.upcoming = order(in_window(offers, now, lookahead_days))
        self.crisis_slugs = set(crisis_slugs)

    @staticmethod
    def kind_of(content):
        """``(kind, slug, category)`` of a page's content: ``kind`` is
        ``article``, ``page`` or ``other``. The site's adapter
        (``practice.site_offers``) knows its content types; here, the
        content says it with ``offer_kind``."""
        kind = getattr(content, "offer_kind", None) if content is not None else None
        if kind == "article":
            return "article", content.slug, getattr(content, "category", None)
        if kind == "page":
            return "page", content.slug, None
        return "other", None, None

    @staticmethod
    def content_or_none(value):
        """``value`` if it is a page's content (templates pass "" when not)."""
        return value or None

    def for_content(self, content=None):
        """The ordered candidates for a page (``content``: its article or page,
        None for indexes, tags, archives, 404)."""
        kind, slug, category = self.kind_of(content)
        if kind == "page" and slug in self.crisis_slugs:
            return []
        chosen = []
        for offer in self.upcoming:
            if not offer.placement.matches(kind, slug, category):
                continue
            if content is not None and offer.link_target is content:
                continue  # the offer's own page needs no banner for it
            chosen.append(offer)
        return chosen

    def banners(self, article=None, page=None, page_name=None):
        """What ``partials/offer-banner.html`` displays (called from the template
        with whatever of ``article`` and ``page`` the page has)."""
        if page_name == "offers":
            return []
        content = self.content_or_none(article) or self.content_or_none(page)
        candidates = self.for_content(content)
        shown = pick(candidates, self.now)
        return [banner_view(o, o is shown) for o in candidates]

    def listing(self):
        """What the "Current offers" page displays."""
        listed = []
        for offer in sorted(self.upcoming, key=lambda o: (o.starts, -o.priority, o.id)):
            first_day, last_day = offer.days()
            listed.append(dict(banner_view(offer, offer.running(self.now)),
                               first_day=first_day, last_day=last_day))
        return listed

    def running_now(self):
        return any(o.running(self.now) for o in self.upcoming)


def _ms(moment):
    return int(moment.timestamp() * 1000)


def banner_view(offer, shown):
    return {
        "id": offer.id,
        "key": offer.key,
        "title": offer.title,
        "title_text": offer.title_text,
        "body": offer.body,
        "link": offer.link,
        "terms": offer.terms,
        "terms_label": offer.terms_label,
        "dismissible": offer.dismissible,
        "starts_ms": _ms(offer.starts),
        "ends_ms": _ms(offer.ends),
        "starts_iso": offer.starts.isoformat(),
        "ends_iso": offer.ends.isoformat(),
        "shown": shown,
        "price": offer.price,
    }


# ---- settings ---------------------------------------------------------------


def lookahead_days(settings):
    value = settings.get("OFFER_LOOKAHEAD_DAYS", DEFAULT_LOOKAHEAD_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SettingsError("OFFER_LOOKAHEAD_DAYS",
                            f"must be a whole number of days (0 or more), not {value!r}")
    return value


def clock(settings):
    """The moment offers are scheduled against: ``OFFERS_NOW`` if set (a
    date and time with its UTC offset, to see the site as a build at that
    moment makes it), otherwise None (the time of the build)."""
    value = settings.get("OFFERS_NOW")
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime.datetime) else None
    if moment is None and isinstance(value, str):
        for form in ("%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M%z", "%Y-%m-%dT%H:%M%z"):
            try:
                moment = datetime.datetime.strptime(value.strip(), form)
                break
            except ValueError:
                continue
    if moment is None or moment.tzinfo is None:
        raise SettingsError("OFFERS_NOW",
                            f"must be a date and time with its UTC offset, like "
                            f"'2027-03-01 09:00 +00:00', not {value!r}")
    return moment.astimezone(datetime.timezone.utc)
