"""Offers on the Pelican side: reading ``content/offers/`` with Pelican's reader.

The offers' rules (fields, dates, placement, the schedule) are in
:mod:`practice.core.offers`. Here each offer file is read with Pelican's own
Markdown reader (typogrify and ``{filename}`` links behave as in articles),
its Link, Terms and Placement are checked against the generated pages,
articles and categories, and the "Current offers" page is written.
"""

import datetime
import fnmatch
import os
import re
from urllib.parse import urlsplit

from pelican.contents import Article, Content, Page
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from pelican.readers import default_metadata, parse_path_metadata, path_metadata

from .core.errors import ContentError
from .core.offers import (CRISIS_SECTION, FIELDS, MENTIONS_FEE, Offer, Schedule as CoreSchedule,
                          check_body, check_offer_metadata, clock, lookahead_days, offer_id, text_hash)
from .core.settings import is_publish
from .core.urls import require_https
from .guard import check_fragment
from .privacy import allowed_origins, own_origins
from .core.text import plain
from .core.yamlfile import decode

INTERNAL_LINK = re.compile(r"^[{|]filename[|}](?P<path>[^#?]+)(?P<rest>[#?].*)?$")
SLUG_LINK = re.compile(r"^(?P<slug>[A-Za-z0-9][A-Za-z0-9_-]*)(?P<rest>#[^\s]*)?$")


class OfferSource(Content):
    """An offer file as Pelican reads it (never written as a page)."""

    default_template = None


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
    # Pelican's reader would raise on bytes that are not UTF-8: one line instead.
    with open(os.path.join(settings["PATH"], relpath), "rb") as f:
        decode(source, f.read())
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
    checked = check_offer_metadata(meta, source, timezone)  # each field's size and form
    starts, ends = checked["starts"], checked["ends"]
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
    placement = checked["placement"]
    site.check_placement(placement, source)
    offer = Offer(
        id=offer_id(relpath), source=source, title=title, body=body, starts=starts,
        ends=ends, link=link, link_target=target, placement=placement,
        priority=checked["priority"], dismissible=checked["dismissible"],
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
        self.https_only = is_publish(settings)

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
            if self.https_only:
                require_https(field_name, value, source)
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


class Schedule(CoreSchedule):
    """The schedule, knowing Pelican's articles and pages."""

    @staticmethod
    def kind_of(content):
        if isinstance(content, Article):
            return "article", content.slug, getattr(content, "category", None)
        if isinstance(content, Page):
            return "page", content.slug, None
        return "other", None, None

    @staticmethod
    def content_or_none(value):
        return value if isinstance(value, Content) else None


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
