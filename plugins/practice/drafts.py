"""Drafts and scheduled posts while writing.

In a development build (``make serve``) the home page lists every draft with
a "Draft" label, and an article dated in the future is marked "Scheduled",
so the author can read both as they will look. A publish build writes
neither: ``publishconf.py`` sets ``DRAFT_SAVE_AS = ""`` and
``WITH_FUTURE_DATES = False`` (Pelican then treats a future-dated article as
a draft), and this module lists nothing there.
"""

import datetime
import logging
import os
import re

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


# ---- drafts never stop a publish ---------------------------------------------
#
# A draft or a scheduled post is not on the live site yet, so a mistake in
# one (a Slug another file already has, a Date that is not a date) must not
# stop `make publish` or `make html`: the post is left out of the build (a
# duplicate) or given its file's date as a draft (a bad date), a warning
# names the file, and `make lint` reports it as a warning. The same
# mistake in a published post stays an error.

logger = logging.getLogger(__name__)

SET_ASIDE = "drafts_set_aside"  # context key: [(source, message)], for `make lint`
DATE_PROBLEM = "date_problem"    # metadata key of a draft whose Date did not parse


def is_unpublished(item):
    """A draft, or (in a development build) an article dated in the future."""
    if getattr(item, "status", "published") != "published":
        return True
    date = getattr(item, "date", None)
    return date is not None and date > _now(date)


def set_aside(generator, kind):
    """Take drafts and scheduled posts whose slug another file already has
    out of the generator's lists (before tags and categories are made of
    them); published duplicates are left for ``content.check_unique_slugs``."""
    from . import content
    from .core.files import source

    found = generator.context.setdefault(SET_ASIDE, [])
    aside = set()
    for item, first in content.duplicate_slugs(content.all_content(generator, kind),
                                               unpublished=is_unpublished):
        if not is_unpublished(item):
            continue
        aside.add(id(item))
        message = (f"Slug: {item.slug!r} is also the slug of {source(first)}; this "
                   f"{'draft' if item.status == 'draft' else 'scheduled post'} is left out "
                   f"of the site until it has a Slug of its own")
        found.append((source(item), message))
        logger.warning("%s: %s", source(item), message)
    if aside:
        for name in content.CONTENT_LISTS[kind]:
            items = getattr(generator, name, None)
            if items:
                setattr(generator, name, [c for c in items if id(c) not in aside])


def set_aside_articles(generator):
    set_aside(generator, "article")


def set_aside_pages(generator):
    set_aside(generator, "page")


def report_dates(generator):
    """A warning for each draft whose Date did not parse (``DraftDates``)."""
    from .core.files import source

    found = generator.context.setdefault(SET_ASIDE, [])
    for item in list(getattr(generator, "drafts", [])) + list(getattr(generator, "draft_pages", [])):
        problem = item.metadata.get(DATE_PROBLEM)
        if problem:
            message = f"{problem}; the draft is dated by its file until it is fixed"
            found.append((source(item), message))
            logger.warning("%s: %s", source(item), message)


def _looks_scheduled(value):
    """A date that does not parse but names a year to come (``2027-02-30``)."""
    match = re.match(r"\s*(\d{4})\b", str(value))
    return bool(match) and int(match.group(1)) > datetime.date.today().year


class DraftDates:
    """Reader mixin: a Date (or Modified) that does not parse, in a draft
    (``Status: draft``) or in a post dated in a year to come, makes it a
    draft dated by its file, with the problem kept in ``date_problem``;
    anywhere else it stays an error naming the field. Uses the readers'
    public ``process_metadata`` and ``read``."""

    date_fields = {"date": "Date", "modified": "Modified"}

    def process_metadata(self, name, value):
        if name not in self.date_fields:
            return super().process_metadata(name, value)
        try:
            return super().process_metadata(name, value)
        except (ValueError, OverflowError, TypeError):
            message = (f"{self.date_fields[name]}: {value!r} is not a date like "
                       "2026-05-01 or 2026-05-01 09:00")
            self._date_problems.append((name, value, message))
            return None

    def read(self, source_path):
        self._date_problems = []
        content, metadata = super().read(source_path)
        if self._date_problems:
            name, value, message = self._date_problems[0]
            draft = str(metadata.get("status", "")).lower() == "draft"
            if not (draft or any(_looks_scheduled(v) for _n, v, _m in self._date_problems)):
                raise ValueError(message)
            for field, _value, _message in self._date_problems:
                metadata.pop(field, None)
            metadata["status"] = "draft"
            metadata["date"] = datetime.datetime.fromtimestamp(os.path.getmtime(source_path))
            metadata[DATE_PROBLEM] = message
        return content, metadata
