"""Special offers: one Markdown file per offer in ``content/offers/``.

An offer is never published as an article (it is outside ``ARTICLE_PATHS``
and ``PAGE_PATHS``, so it is in no list, feed, archive or sitemap). The
plugin reads each file with Pelican's own Markdown reader (typogrify and
``{filename}`` links behave as in articles), checks it, and decides which
offers every page carries:

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
import fnmatch
import hashlib
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pelican.contents import Article, Content, Page
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from pelican.readers import default_metadata, parse_path_metadata, path_metadata

from .errors import ContentError
from .guard import check_fragment
from .markup import plain
from .privacy import allowed_origins, own_origins

FIELDS = ("title", "starts", "ends", "link", "terms", "placement", "priority", "dismissible")
PLACEMENT_KEYWORDS = ("all", "articles", "pages")
DEFAULT_LOOKAHEAD_DAYS = 30
MAX_TEXT = 300  # characters of banner text: one or two sentences
WHEN = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{1,2}:\d{2}))?"
    r"(?:\s*(?P<offset>Z|UTC|[+-]\d{2}:?\d{2}))?$"
)
INTERNAL_LINK = re.compile(r"^[{|]filename[|}](?P<path>[^#?]+)(?P<rest>[#?].*)?$")
SLUG_LINK = re.compile(r"^(?P<slug>[A-Za-z0-9][A-Za-z0-9_-]*)(?P<rest>#[^\s]*)?$")
# Words that say an offer changes what a session costs; such an offer must
# link the Fees / Good Faith Estimate page as its Terms.
MENTIONS_FEE = re.compile(
    r"\b(fees?|prices?|priced|costs?|discount\w*|reduced|half[- ]price|free of charge|"
    r"no charge|sliding scale)\b|[$€£]\s?\d|\d\s?%",
    re.IGNORECASE,
)
CRISIS_SECTION = "crisis"


class OfferSource(Content):
    """An offer file as Pelican reads it (never written as a page)."""

    default_template = None


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


# ---- reading the folder ----------------------------------------------------


def offer_files(settings):
    """The offer files' paths relative to PATH, sorted."""
    folder = os.path.join(settings["PATH"], settings.get("OFFERS_PATH", "offers"))
    if not os.path.isdir(folder):
        return []
    ignore = settings.get("IGNORE_FILES", [])
    found = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith(".") or any(fnmatch.fnmatch(name, p) for p in ignore):
            continue
        if os.path.isfile(path) and name.rsplit(".", 1)[-1] in ("md", "markdown", "mkd", "mdown"):
            found.append(os.path.relpath(path, settings["PATH"]))
    return found


def source_name(settings, relpath):
    """The file as the author sees it (``content/offers/x.md``)."""
    try:
        return os.path.relpath(os.path.join(settings["PATH"], relpath))
    except ValueError:
        return relpath


def read_offer(readers, settings, context, relpath, timezone, site):
    """Read and check one offer file; ``site`` is a :class:`Site`."""
    source = source_name(settings, relpath)
    doc = readers.read_file(base_path=settings["PATH"], path=relpath,
                            content_class=OfferSource, context=context)
    meta = doc.metadata
    # Fields Pelican adds by itself (defaults, metadata from the file's name).
    pelican_own = {"reader"} | set(default_metadata(settings=settings))
    pelican_own |= set(path_metadata(full_path=os.path.join(settings["PATH"], relpath),
                                     source_path=relpath, settings=settings))
    pelican_own |= set(parse_path_metadata(source_path=relpath, settings=settings))
    for key in meta:
        if key not in FIELDS and key not in pelican_own:
            raise ContentError(source, key.capitalize(),
                               "unknown field (expected: " + ", ".join(f.capitalize() for f in FIELDS) + ")")
    title = str(meta.get("title") or "").strip()
    if not plain(title).strip():
        raise ContentError(source, "Title", "is required")
    body = doc.get_content(settings.get("SITEURL", ""))
    leftover = re.search(settings["INTRASITE_LINK_REGEX"] + r"(?P<value>[^\"'\s>]*)", body or "")
    if leftover:
        raise ContentError(source, "body", f"links to {leftover.group(0)!r}, which is not a page, "
                                           "article or file of the site")
    # Nothing an author writes may run or load from elsewhere (practice.guard).
    check_fragment(body or "", source, "body", allowed_origins(settings, (context or {}).get("practice")),
                   own_origins(settings))
    body = check_body(body or "", source)
    starts = parse_when(meta.get("starts"), timezone, source, "Starts")
    ends = parse_when(meta.get("ends"), timezone, source, "Ends", end=True)
    if ends <= starts:
        raise ContentError(source, "Ends", f"{meta.get('ends')} is not after Starts ({meta.get('starts')})")
    if not str(meta.get("link") or "").strip():
        raise ContentError(source, "Link", "is required: the offer's own page "
                                           "({filename}/pages/NAME.md, a slug or an https:// address)")
    link, target = site.resolve(doc, meta.get("link"), source, "Link")
    terms, terms_label = None, None
    if str(meta.get("terms") or "").strip():
        terms, terms_target = site.resolve(doc, meta.get("terms"), source, "Terms")
        terms_label = plain(terms_target.title) if terms_target is not None else "Terms of the offer"
    else:
        terms_target = None
    placement = parse_placement(meta.get("placement"), source)
    site.check_placement(placement, source)
    offer = Offer(
        id=offer_id(relpath), source=source, title=title, body=body, starts=starts,
        ends=ends, link=link, link_target=target, placement=placement,
        priority=parse_priority(meta.get("priority"), source),
        dismissible=parse_dismissible(meta.get("dismissible"), source),
        terms=terms, terms_label=terms_label, timezone=timezone,
        text_hash=text_hash(title, body),
    )
    if MENTIONS_FEE.search(plain(title) + " " + plain(body)):
        fees = site.fees_page()
        if terms_target is None or (fees is not None and terms_target is not fees):
            where = f" ({{filename}}/{fees.get_relative_source_path()})" if fees is not None else ""
            raise ContentError(source, "Terms", "the offer changes a fee, so Terms must link the "
                                                f"Fees / Good Faith Estimate page{where}")
    return offer


class Site:
    """What the offers may refer to: the generated pages, articles and categories."""

    def __init__(self, context, settings, articles=(), pages=(), categories=()):
        self.context = context
        self.settings = settings
        self.siteurl = settings.get("SITEURL", "")
        self.articles = list(articles)
        self.pages = list(pages)
        self.categories = list(categories)
        self.https_only = settings.get("BUILD_MODE") == "publish"

    def by_slug(self, slug):
        for item in self.pages + self.articles:
            if item.slug == slug:
                return item
        return None

    def fees_page(self):
        return next((p for p in self.pages if p.metadata.get("practice") == "fees"), None)

    def crisis_slugs(self):
        return {p.slug for p in self.pages if p.metadata.get("practice") == CRISIS_SECTION}

    def resolve(self, doc, value, source, field_name):
        """A ``{filename}`` link, a slug or an https URL -> (url, content or None)."""
        value = str(value).strip()
        if value.lower().startswith(("https://", "http://")):
            if value.lower().startswith("http://") and self.https_only:
                raise ContentError(source, field_name,
                                   f"must be an https:// address in a publish build, not {value!r}")
            parts = urlsplit(value)
            if not parts.netloc or any(c.isspace() for c in value):
                raise ContentError(source, field_name, f"{value!r} is not a web address")
            return value, None
        m = INTERNAL_LINK.match(value)
        if m:
            path = m["path"]
            if path.startswith("/"):
                key = path.lstrip("/")
            else:
                key = doc.get_relative_source_path(os.path.join(doc.relative_dir, path))
            target = self.context.get("generated_content", {}).get(key)
            if target is None:
                raise ContentError(source, field_name,
                                   f"{value!r}: there is no page or article content/{key}")
            rest = m["rest"] or ""
        else:
            m = SLUG_LINK.match(value)
            if not m:
                raise ContentError(source, field_name,
                                   f"{value!r} is not a {{filename}} link, a page's or article's "
                                   "slug or an https:// address")
            target = self.by_slug(m["slug"])
            if target is None:
                raise ContentError(source, field_name,
                                   f"{value!r}: there is no page or article with this slug")
            rest = m["rest"] or ""
        if getattr(target, "status", "published") == "draft":
            raise ContentError(source, field_name, f"{value!r} is a draft, not published")
        return f"{self.siteurl}/{target.url}{rest}", target

    def check_placement(self, placement, source):
        known = {item.slug for item in self.pages + self.articles}
        for slug in sorted(placement.slugs):
            if slug in self.crisis_slugs():
                raise ContentError(source, "Placement",
                                   f"{slug!r} is the crisis page, where offers never show")
            if slug not in known:
                raise ContentError(source, "Placement", f"{slug!r} is not all, articles, pages, "
                                                        "category:NAME or the slug of a page or article")
        names = {str(c).lower() for c in self.categories}
        names |= {c.slug.lower() for c in self.categories}
        for name in sorted(placement.categories):
            if name not in names:
                raise ContentError(source, "Placement",
                                   f"category:{name}: there is no such category (categories: "
                                   + ", ".join(sorted(str(c) for c in self.categories)) + ")")


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


def _kind_of(content):
    if isinstance(content, Article):
        return "article", content.slug, getattr(content, "category", None)
    if isinstance(content, Page):
        return "page", content.slug, None
    return "other", None, None


class Schedule:
    """The offers one build writes into its pages."""

    def __init__(self, offers, now, lookahead_days, crisis_slugs=()):
        self.now = now
        self.all = list(offers)
        self.upcoming = order(in_window(offers, now, lookahead_days))
        self.crisis_slugs = set(crisis_slugs)

    def for_content(self, content=None):
        """The ordered candidates for a page (``content``: its article or page,
        None for indexes, tags, archives, 404)."""
        kind, slug, category = _kind_of(content)
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
        content = _content_or_none(article) or _content_or_none(page)
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


def _content_or_none(value):
    return value if isinstance(value, Content) else None


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
    }


# ---- wiring helpers (called from __init__.py) ------------------------------


def lookahead_days(settings):
    value = settings.get("OFFER_LOOKAHEAD_DAYS", DEFAULT_LOOKAHEAD_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ContentError("settings", "OFFER_LOOKAHEAD_DAYS",
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
        raise ContentError("settings", "OFFERS_NOW",
                           f"must be a date and time with its UTC offset, like "
                           f"'2027-03-01 09:00 +00:00', not {value!r}")
    return moment.astimezone(datetime.timezone.utc)


def build_schedule(generators, timezone, now=None):
    """Read and check every offer against the generated site; returns a Schedule."""
    articles_gen = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages_gen = next(g for g in generators if isinstance(g, PagesGenerator))
    settings = articles_gen.settings
    context = articles_gen.context
    days = lookahead_days(settings)
    site = Site(
        context, settings,
        articles=list(articles_gen.articles) + list(articles_gen.drafts),
        pages=list(pages_gen.pages) + list(pages_gen.hidden_pages) + list(pages_gen.draft_pages),
        categories=[c for c, _ in articles_gen.categories],
    )
    offers, seen = [], {}
    for relpath in offer_files(settings):
        offer = read_offer(articles_gen.readers, settings, context, relpath, timezone, site)
        if offer.id in seen:
            raise ContentError(offer.source, "",
                               f"has the same name as {seen[offer.id]}; rename one of them")
        seen[offer.id] = offer.source
        offers.append(offer)
    now = now or clock(settings) or datetime.datetime.now(datetime.timezone.utc)
    return Schedule(offers, now, days, crisis_slugs=site.crisis_slugs())


class OffersPageGenerator(Generator):
    """Writes the "Current offers" page (``OFFERS_SAVE_AS``) from the schedule."""

    def generate_output(self, writer):
        save_as = self.settings.get("OFFERS_SAVE_AS", "offers/index.html")
        if not save_as:
            return
        writer.write_file(
            save_as, self.get_template("offers"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.settings.get("OFFERS_URL", "offers/"), page_name="offers",
        )
