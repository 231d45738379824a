"""Drafts and scheduled posts while writing.

In a development build (``make serve``) the home page lists every draft with
a "Draft" label, and an article dated in the future is marked "Scheduled",
so the author can read both as they will look. A publish build writes
neither: ``publishconf.py`` sets ``DRAFT_SAVE_AS = ""`` and
``WITH_FUTURE_DATES = False`` (Pelican then treats a future-dated article as
a draft), and this module lists nothing there.
"""

import datetime

from .core.settings import is_publish


def _now(date):
    if date.tzinfo is None:
        return datetime.datetime.now()
    return datetime.datetime.now(datetime.timezone.utc)


def mark(generator):
    """Set ``article.scheduled`` and the ``listed_drafts`` the home page shows."""
    development = not is_publish(generator.settings)
    for article in generator.articles:
        article.scheduled = development and article.date > _now(article.date)
    for draft in generator.drafts:
        draft.scheduled = False
    generator.context["listed_drafts"] = list(generator.drafts) if development else []
