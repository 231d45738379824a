"""Markdown and typography: the table of contents, and plain text for places
typogrify's markup must not reach (<title>, meta tags, JSON-LD)."""

from markupsafe import Markup
from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open


def plain(value):
    """Text without tags and with entities decoded: ``Don&#8217;t`` -> ``Don’t``."""
    if value is None:
        return ""
    # Typogrify's widow control leaves a no-break space; plain text wants a space.
    return Markup(str(value)).striptags().replace("\u00a0", " ")


class TocMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, also keeping the heading outline.

    Python-Markdown's ``toc`` extension computes the outline on every
    conversion; Pelican drops it. We keep it as ``toc_html`` and the number of
    headings, so the article template can show a table of contents on long
    articles (the plugin decides which, by ``TOC_MIN_WORDS``).
    """

    def read(self, source_path):
        # Same as MarkdownReader.read, but the outline is taken before
        # metadata parsing resets the Markdown instance (and with it the toc).
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        tokens = list(getattr(self._md, "toc_tokens", []) or [])
        toc_html = getattr(self._md, "toc", "")
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        # Wide tables scroll sideways on narrow screens (site.css); a region
        # that scrolls must be reachable with the keyboard.
        content = content.replace("<table>", '<table tabindex="0">')
        if tokens:
            metadata["toc_html"] = toc_html
            metadata["toc_headings"] = sum(1 + len(t.get("children", [])) for t in tokens)
        return content, metadata


def words(html):
    """Rough word count of an HTML fragment (tags removed)."""
    return len(plain(html).split())


def name_date_fields():
    """Make Pelican's date errors say which field is wrong.

    Pelican parses ``Date`` and ``Modified`` itself and, on failure, reports
    the file with a bare parser message. Wrapping its metadata processors
    adds the field name and an example of what is expected.
    """
    from pelican import readers

    for key, label in (("date", "Date"), ("modified", "Modified")):
        original = readers.METADATA_PROCESSORS.get(key)
        if original is None or getattr(original, "names_field", False):
            continue

        def process(value, settings, _original=original, _label=label):
            try:
                return _original(value, settings)
            except (ValueError, OverflowError, TypeError):
                raise ValueError(
                    f"{_label}: {value!r} is not a date like 2026-05-01 or 2026-05-01 09:00"
                ) from None

        process.names_field = True
        readers.METADATA_PROCESSORS[key] = process
