"""reStructuredText and HTML content, finished as the Markdown reader finishes
Markdown (``markup.TocMarkdownReader``): typogrify before Pelican's reader
cache, wide tables reachable with the keyboard, and ``rel="noopener
noreferrer"`` on every link to another site, whatever the reader.

Pelican's own readers do the reading; these subclasses only finish their
HTML (the body, the title and the summary), through the public
``BaseReader.read`` interface.
"""

import re

from pelican.readers import HTMLReader, RstReader

from .markup import _typogrifier
from .privacy import mark_external_links

_TABLE = re.compile(r"<table\b(?![^>]*\btabindex=)", re.I)


def finish_html(html, settings, typogrify=None):
    if not html:
        return html
    html = _TABLE.sub('<table tabindex="0"', str(html))
    if typogrify is not None:
        html = typogrify(html)
    return mark_external_links(html)


class _Finishing:
    def read(self, source_path):
        content, metadata = super().read(source_path)
        typo = _typogrifier(self.settings) if self.settings.get("PRACTICE_TYPOGRIFY") else None
        content = finish_html(content, self.settings, typo)
        if typo is not None and metadata.get("title"):
            metadata["title"] = typo(str(metadata["title"]))
        if metadata.get("summary"):
            metadata["summary"] = finish_html(metadata["summary"], self.settings, typo)
        return content, metadata


class PracticeRstReader(_Finishing, RstReader):
    """Pelican's reStructuredText reader, finished like the Markdown reader."""


class PracticeHTMLReader(_Finishing, HTMLReader):
    """Pelican's HTML reader, finished like the Markdown reader."""


def register_readers(readers):
    """Put these readers in place of Pelican's for the extensions they read
    (a site that switched a reader off, ``READERS = {"html": None}``, keeps
    it off)."""
    for cls, base in ((PracticeRstReader, RstReader), (PracticeHTMLReader, HTMLReader)):
        for extension in base.file_extensions:
            if readers.reader_classes.get(extension) is base:
                readers.reader_classes[extension] = cls
