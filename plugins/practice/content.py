"""Checks and additions for articles and pages.

- an article by one of the profile's clinicians shows their credentials;
  any other author (a guest, the office manager) is shown by name alone;
- ``Reviewed-by:`` names the clinician who reviewed an article: it must be
  one of the profile's clinicians, and shows in the byline and the JSON-LD;
- ``Reviewed: YYYY-MM-DD`` parses and becomes ``reviewed_date``;
- long articles get a table of contents;
- ``Practice: about|services|fees|crisis|contact|payment|complaints`` on a page names which
  facts from the profile the page shows below its text (the crisis lines
  come first, above the text: on a phone they must not be screens down);
- no two articles (drafts included) and no two pages share a slug: one
  would silently replace the other.
"""

import datetime

from .core.articles import ArticleMetadata, check_metadata
from .core.errors import ContentError
from .core.files import source
from .core.text import plain

PRACTICE_SECTIONS = ("about", "services", "fees", "crisis", "contact", "payment", "complaints",
                     "thank-you")
# Related articles under each article. The one default: the related_posts
# plugin (which has its own) is given it too, see default_settings().
RELATED_POSTS_MAX = 3
# Facts a visitor needs before anything else on the page.
PRACTICE_FIRST = ("crisis", "thank-you")


def parse_reviewed(content):
    value = content.metadata.get("reviewed")
    if value is None:
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value if isinstance(value, datetime.date) else value.date()
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ContentError(source(content), "Reviewed",
                           f"{value!r} is not a date like 2026-05-01") from None


def metadata_text(item):
    """The metadata the author wrote, as text again (Pelican has read dates,
    tags and the summary's Markdown), for the size and form checks."""
    values = {}
    for key in ArticleMetadata.model_fields:
        value = item.metadata.get(key)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        elif key in ("title", "summary"):
            value = plain(value)
        values[key] = str(value)
    return values


def check_article(article, profile, settings):
    check_metadata(metadata_text(article), source(article))
    by_name = {c["name"]: c for c in profile["clinicians"]}
    author = str(getattr(article, "author", "") or "")
    article.clinician = by_name.get(author)  # None: not a clinician, no credentials
    reviewer = article.metadata.get("reviewed-by")
    article.reviewer = None
    if reviewer is not None:
        name = str(reviewer).strip()
        if name not in by_name:
            raise ContentError(source(article), "Reviewed-by",
                               f"{name!r} is not a clinician in the practice profile "
                               f"(one of: {', '.join(by_name)})")
        article.reviewer = by_name[name]
    reviewed = parse_reviewed(article)
    # (A draft whose Date did not parse is dated by its file: no Date to compare.)
    if reviewed and reviewed < article.date.date() and not article.metadata.get("date_problem"):
        raise ContentError(source(article), "Reviewed",
                           f"{reviewed} is before the article's Date ({article.date.date()})")
    article.reviewed_date = reviewed
    toc_words = settings.get("TOC_MIN_WORDS", 1000)
    article.show_toc = bool(
        article.metadata.get("toc_html")
        and article.metadata.get("toc_headings", 0) >= 3
        # Counted by the reader (markup.TocMarkdownReader) on the HTML it
        # returned: reading `content` here, before the pages are read, would
        # fix every {filename} link to a page as unresolved for the build.
        and article.metadata.get("toc_words", 0) >= toc_words
    )


def check_page(page):
    check_metadata(metadata_text(page), source(page))
    section = page.metadata.get("practice")
    if section is not None and section not in PRACTICE_SECTIONS:
        raise ContentError(source(page), "Practice",
                           f"{section!r} is not one of: {', '.join(PRACTICE_SECTIONS)}")
    page.practice_section = section
    page.practice_first = section in PRACTICE_FIRST


def default_settings(settings):
    """Defaults the project's plugins share, set once at the start of a build."""
    settings.setdefault("RELATED_POSTS_MAX", RELATED_POSTS_MAX)


def related_max(settings):
    return settings.get("RELATED_POSTS_MAX", RELATED_POSTS_MAX)


def fill_related(articles, limit):
    """Articles with no tag in common with others still get related reading:
    the newest articles in the same category, then the newest overall."""
    for article in articles:
        related = list(getattr(article, "related_posts", None) or [])
        if len(related) >= limit:
            continue
        same = [a for a in articles if a is not article and a.category == article.category]
        others = [a for a in articles if a is not article and a.category != article.category]
        for candidate in same + others:
            if len(related) >= limit:
                break
            if candidate not in related:
                related.append(candidate)
        article.related_posts = related


# The lists of a generator that hold content, by kind.
CONTENT_LISTS = {
    "article": ("articles", "translations", "drafts", "drafts_translations",
                "hidden_articles", "hidden_translations"),
    "page": ("pages", "translations", "hidden_pages", "hidden_translations",
             "draft_pages", "draft_translations"),
}


def all_content(generator, kind):
    items = []
    for name in CONTENT_LISTS[kind]:
        items.extend(getattr(generator, name, None) or [])
    return items


def duplicate_slugs(items, unpublished=None):
    """Content that shares a slug (in the same language) with another file:
    a list of (item, the file that keeps the slug). Published content keeps
    its slug before drafts (and before what ``unpublished`` names, such as
    scheduled posts); otherwise the first file by name does."""
    def later(c):
        return getattr(c, "status", "") != "published" or bool(unpublished and unpublished(c))

    first = {}
    duplicates = []
    for item in sorted(items, key=lambda c: (later(c), source(c))):
        key = (item.slug, getattr(item, "lang", None))
        if key in first:
            duplicates.append((item, first[key]))
        else:
            first[key] = item
    return duplicates


def check_unique_slugs(generator, kind):
    for item, first in duplicate_slugs(all_content(generator, kind)):
        raise ContentError(source(item), "Slug",
                           f"{item.slug!r} is also the slug of {source(first)}; "
                           f"each {kind} needs its own Slug")
