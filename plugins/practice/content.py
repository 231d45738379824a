"""Checks and additions for articles and pages.

- every article's author is one of the profile's clinicians (so the article
  can show their credentials);
- ``Reviewed: YYYY-MM-DD`` parses and becomes ``reviewed_date``;
- long articles get a table of contents;
- ``Practice: about|services|fees|crisis|contact`` on a page names which
  facts from the profile the page shows below its text.
"""

import datetime
import os

from .errors import ContentError
from .markup import words

PRACTICE_SECTIONS = ("about", "services", "fees", "crisis", "contact")


def source(content):
    """The content file's path as the author sees it (relative to the project)."""
    path = getattr(content, "source_path", None) or "?"
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


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


def check_article(article, profile, settings):
    by_name = {c["name"]: c for c in profile["clinicians"]}
    author = str(getattr(article, "author", "") or "")
    if author not in by_name:
        raise ContentError(source(article), "Author",
                           f"{author!r} is not a clinician in the practice profile "
                           f"(one of: {', '.join(by_name)})")
    article.clinician = by_name[author]
    reviewed = parse_reviewed(article)
    if reviewed and reviewed < article.date.date():
        raise ContentError(source(article), "Reviewed",
                           f"{reviewed} is before the article's Date ({article.date.date()})")
    article.reviewed_date = reviewed
    toc_words = settings.get("TOC_MIN_WORDS", 1000)
    article.show_toc = bool(
        article.metadata.get("toc_html")
        and article.metadata.get("toc_headings", 0) >= 3
        # The raw text: reading .content this early would make Pelican
        # cache it before {filename} links to pages can be resolved.
        and words(article._content) >= toc_words
    )


def check_page(page):
    section = page.metadata.get("practice")
    if section is not None and section not in PRACTICE_SECTIONS:
        raise ContentError(source(page), "Practice",
                           f"{section!r} is not one of: {', '.join(PRACTICE_SECTIONS)}")
    page.practice_section = section


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
