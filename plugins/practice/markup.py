"""Markdown and typography: the table of contents, heading anchors, and plain
text for places typogrify's markup must not reach (<title>, meta tags,
JSON-LD)."""

import html
import re
import xml.etree.ElementTree as etree

import logging

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.treeprocessors import Treeprocessor
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import pelican_open

from .privacy import mark_external_links

logger = logging.getLogger(__name__)


def take_over_typogrify(settings):
    """Run typogrify inside our reader instead of after Pelican's cache.

    Pelican applies typogrify *after* its reader cache, so even a warm
    rebuild typogrifies every file again (about a third of a build). The
    reader below applies it before the result is cached; Pelican's own pass
    is switched off so nothing is typogrified twice. ``TYPOGRIFY`` stays the
    switch a site's author sets.
    """
    if settings.get("TYPOGRIFY"):
        settings["PRACTICE_TYPOGRIFY"] = True
        settings["TYPOGRIFY"] = False


def fingerprint_cache(settings):
    """Keep the reader cache apart per reader code and Markdown/typogrify settings.

    Pelican's cache is keyed by each file's modification time only; a change
    to the Markdown extensions, typogrify options or this module would
    otherwise serve stale HTML. Each combination gets its own folder.
    """
    import hashlib
    import os

    if not settings.get("CACHE_CONTENT"):
        return
    with open(__file__, "rb") as fh:
        code = fh.read()
    parts = repr([settings.get(k) for k in (
        "MARKDOWN", "PRACTICE_TYPOGRIFY", "TYPOGRIFY_IGNORE_TAGS",
        "TYPOGRIFY_OMIT_FILTERS", "TYPOGRIFY_DASHES", "TOC_MIN_WORDS")]).encode()
    key = hashlib.sha256(code + parts).hexdigest()[:12]
    settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], key)


def _typogrifier(settings):
    import smartypants
    from typogrify.filters import typogrify

    dashes = settings.get("TYPOGRIFY_DASHES", "default")
    attr = {"oldschool": smartypants.Attr.set2,
            "oldschool_inverted": smartypants.Attr.set3}.get(dashes, smartypants.Attr.set1)
    ignore = settings.get("TYPOGRIFY_IGNORE_TAGS", [])
    omit = dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS", []), False)

    def apply(text):
        # Same options as Pelican's own pass (readers.Readers.read_file).
        smartypants.Attr.default = attr | smartypants.Attr.w
        return typogrify(text, ignore, **omit)

    return apply


class _HeadingAnchors(Treeprocessor):
    """Move the ``toc`` extension's permalink out of its heading.

    Inside the heading, the link's "#" became part of the heading's
    accessible name ("Why it matters#") and the link's own name was "#".
    Each heading with a permalink becomes::

        <div class="heading-wrap heading-wrap-2">
          <h2 id="why-it-matters">Why it matters</h2>
          <a class="heading-anchor" href="#why-it-matters" data-pagefind-ignore>
            <span aria-hidden="true">#</span>
            <span class="visually-hidden">Link to this section: Why it matters</span>
          </a>
        </div>

    The visible symbol and the label come from the toc extension's
    ``permalink`` and ``permalink_title`` options.
    """

    def run(self, root):
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None
        if toc is None or toc.use_permalinks in (False, None):
            return
        css_class = toc.permalink_class
        prefix = toc.permalink_title or "Link to this section"
        for parent in list(root.iter()):
            for heading in list(parent):
                if not (isinstance(heading.tag, str) and re.fullmatch(r"h[1-6]", heading.tag)):
                    continue
                anchor = next((a for a in heading if a.tag == "a"
                               and css_class in (a.get("class") or "").split()), None)
                if anchor is None:
                    continue
                heading.remove(anchor)
                name = html.unescape(strip_tags(render_inner_html(remove_fnrefs(heading), self.md)))
                wrap = etree.Element("div", {"class": f"heading-wrap heading-wrap-{heading.tag[1]}"})
                parent.insert(list(parent).index(heading), wrap)
                parent.remove(heading)
                wrap.tail, heading.tail = heading.tail, None
                wrap.append(heading)
                symbol = anchor.text
                anchor.text, anchor.tail = None, None
                anchor.attrib.pop("title", None)
                anchor.set("data-pagefind-ignore", "")
                etree.SubElement(anchor, "span", {"aria-hidden": "true"}).text = symbol
                etree.SubElement(anchor, "span", {"class": "visually-hidden"}).text = f"{prefix}: {name}"
                wrap.append(anchor)


class HeadingAnchors(Extension):
    def extendMarkdown(self, md):
        # After the toc extension (priority 5), which adds the permalinks.
        md.treeprocessors.register(_HeadingAnchors(md), "heading_anchors", 4)


def _toc_list(toc_html):
    """The toc extension wraps its list in ``<div class="toc">``; the article
    template puts the list in its own ``<nav class="toc">``."""
    match = re.fullmatch(r'\s*<div class="[^"]*">\s*(.*?)\s*</div>\s*', toc_html or "", re.S)
    return match.group(1) if match else toc_html


class TocMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, also keeping the heading outline, and
    typogrifying before Pelican's reader cache (see take_over_typogrify).

    Python-Markdown's ``toc`` extension computes the outline on every
    conversion; Pelican drops it. We keep it as ``toc_html`` and the number of
    headings, so the article template can show a table of contents on long
    articles (the plugin decides which, by ``TOC_MIN_WORDS``).
    """

    def render(self, source_path):
        """The costly part of reading, as plain data: Markdown (body and
        formatted fields such as the summary), the outline and typogrify.

        Kept apart from :meth:`finish` so that ``prefetch`` can run it in
        worker processes; the result pickles cheaply (strings and lists).
        """
        self._source_path = source_path
        options = dict(self.settings["MARKDOWN"])
        options["extensions"] = list(options.get("extensions", [])) + [HeadingAnchors()]
        self._md = Markdown(**options)
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        # Taken before the Markdown instance is reset for the metadata fields.
        tokens = list(getattr(self._md, "toc_tokens", []) or [])
        toc_html = _toc_list(getattr(self._md, "toc", ""))
        meta = {k.lower(): list(v) for k, v in getattr(self._md, "Meta", {}).items()}
        formatted = {}
        self._md.preprocessors.deregister("meta")
        for name, values in meta.items():
            if name in self.settings["FORMATTED_FIELDS"]:
                self._md.reset()
                formatted[name] = self._md.convert("\n".join(values))
        # Wide tables scroll sideways on narrow screens (site.css); a region
        # that scrolls must be reachable with the keyboard.
        content = content.replace("<table>", '<table tabindex="0">')
        if self.settings.get("PRACTICE_TYPOGRIFY"):
            typo = _typogrifier(self.settings)
            content = typo(content) if content else content
            if "title" in meta and "title" not in formatted:
                meta["title"] = [typo(meta["title"][0])] + meta["title"][1:]
            if "summary" in formatted:
                formatted["summary"] = typo(formatted["summary"])
            # The table of contents repeats the headings: the same curly quotes.
            toc_html = typo(toc_html) if toc_html else toc_html
        # Links to other sites tell them nothing about this page.
        content = mark_external_links(content) if content else content
        if "summary" in formatted:
            formatted["summary"] = mark_external_links(formatted["summary"])
        outline = {}
        if tokens:
            outline = {"toc_html": toc_html,
                       "toc_headings": sum(1 + len(t.get("children", [])) for t in tokens)}
        return content, {"meta": meta, "formatted": formatted, "outline": outline}

    def finish(self, rendered):
        """The cheap part: Pelican's metadata processing (dates, tags ...),
        exactly as ``MarkdownReader._parse_metadata`` does it."""
        content, raw = rendered
        metadata = {}
        for name, values in raw["meta"].items():
            if name in raw["formatted"]:
                metadata[name] = self.process_metadata(name, raw["formatted"][name])
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                if len(values) > 1:
                    logger.warning("Duplicate definition of `%s` for %s. Using first one.",
                                   name, self._source_path)
                metadata[name] = self.process_metadata(name, values[0])
            elif len(values) > 1:
                metadata[name] = self.process_metadata(name, values)
            else:
                metadata[name] = self.process_metadata(name, values[0])
        metadata.update(raw["outline"])
        return content, metadata

    def read(self, source_path):
        return self.finish(self.render(source_path))


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


def data_uri(path, mime):
    """A small file as a ``data:`` URI (the favicon: one request fewer per page)."""
    from urllib.parse import quote

    with open(path, encoding="utf-8") as f:
        return f"data:{mime}," + quote(" ".join(f.read().split()), safe="=:/")
