"""reStructuredText and HTML content, finished as the Markdown reader
finishes Markdown (``markup.TocMarkdownReader``): wide tables reachable with
the keyboard, and ``rel="noopener noreferrer"`` on every link to another
site, whatever the reader, and the typography (``TYPOGRIFY_IN_READER``,
``practice.typography``; otherwise Pelican's own ``TYPOGRIFY`` pass sets it
afterwards).

Pelican's own readers do the reading; these subclasses only finish their
HTML (the body and the summary), through the public ``BaseReader.read``.
"""

import re

from pelican.readers import HTMLReader, RstReader

from . import placeholders, typography
from .drafts import DraftDates
from .privacy import mark_external_links

_TABLE = re.compile(r"<table\b(?![^>]*\btabindex=)", re.I)


def finish_html(html):
    if not html:
        return html
    return mark_external_links(_TABLE.sub('<table tabindex="0"', str(html)))


class _Finishing:
    def read(self, source_path):
        content, metadata = super().read(source_path)
        content = finish_html(content)
        if metadata.get("summary"):
            metadata["summary"] = finish_html(metadata["summary"])
        content, metadata = typography.finish(typography.typographer(self.settings), content, metadata)
        return placeholders.fill_read(self.settings, source_path, content, metadata)


class PracticeRstReader(_Finishing, DraftDates, RstReader):
    """Pelican's reStructuredText reader, finished like the Markdown reader."""


class PracticeHTMLReader(_Finishing, DraftDates, HTMLReader):
    """Pelican's HTML reader, finished like the Markdown reader."""


def register_readers(readers):
    """Put these readers in place of Pelican's for the extensions they read
    (a site that switched a reader off, ``READERS = {"html": None}``, keeps
    it off)."""
    for cls, base in ((PracticeRstReader, RstReader), (PracticeHTMLReader, HTMLReader)):
        for extension in base.file_extensions:
            if readers.reader_classes.get(extension) is base:
                readers.reader_classes[extension] = cls
