"""Markdown and typography: the table of contents, heading anchors, and plain
text for places typogrify's markup must not reach (<title>, meta tags,
JSON-LD)."""

import html
import re
import xml.etree.ElementTree as etree

import logging

from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.treeprocessors import Treeprocessor
from pelican.readers import MarkdownReader

from . import cachekey, parallel_read, placeholders, typography
from .drafts import DraftDates
from .core.text import words
from .guard.content import title_text
from .privacy import mark_external_links

logger = logging.getLogger(__name__)


HEADINGS = frozenset(f"h{level}" for level in range(1, 7))


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
        # Found first, moved after: the tree is not changed while it is walked.
        found = []
        for parent in root.iter():
            for heading in parent:
                if heading.tag in HEADINGS:
                    anchor = next((a for a in heading if a.tag == "a"
                                   and css_class in (a.get("class") or "").split()), None)
                    if anchor is not None:
                        found.append((parent, heading, anchor))
        for parent, heading, anchor in found:
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


class _KeepOutline(Treeprocessor):
    """Keep the outline of the body: the toc extension's ``toc`` and
    ``toc_tokens`` of the first conversion (the document itself; Pelican then
    converts the formatted metadata fields with the same instance)."""

    def __init__(self, md, keeper):
        super().__init__(md)
        self.keeper = keeper

    def run(self, root):
        if self.keeper.outline is None:
            self.keeper.outline = (getattr(self.md, "toc", ""),
                                   list(getattr(self.md, "toc_tokens", []) or []))


class HeadingAnchors(Extension):
    """The heading anchors above, and the outline kept for the reader."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.outline = None

    def extendMarkdown(self, md):
        # After the toc extension (priority 5), which adds the permalinks.
        md.treeprocessors.register(_HeadingAnchors(md), "heading_anchors", 4)
        md.treeprocessors.register(_KeepOutline(md, self), "keep_outline", 3)


def _toc_list(toc_html):
    """The toc extension wraps its list in ``<div class="toc">``; the article
    template puts the list in its own ``<nav class="toc">``."""
    match = re.fullmatch(r'\s*<div class="[^"]*">\s*(.*?)\s*</div>\s*', toc_html or "", re.S)
    return match.group(1) if match else toc_html




class TocMarkdownReader(DraftDates, MarkdownReader):
    """Pelican's Markdown reader, also keeping the heading outline.

    A documented reader subclass (registered for ``.md`` files on
    ``readers_init``): Pelican's own ``read`` does the Markdown and the
    metadata; the typography is set here with ``TYPOGRIFY_IN_READER`` (so
    Pelican's reader cache keeps it, see ``practice.typography``), or by
    Pelican's own ``TYPOGRIFY`` pass afterwards. On top of that it

    - keeps the outline Python-Markdown's ``toc`` extension computes (Pelican
      drops it) as ``toc_html`` and ``toc_headings``, so the article template
      can show a table of contents on long articles (``TOC_MIN_WORDS``);
    - moves each heading's permalink out of the heading (``HeadingAnchors``);
    - marks links to other sites ``rel="noopener noreferrer"`` and makes wide
      tables reachable with the keyboard;
    - keeps titles text (``guard.content.title_text``);
    - names the field in a date error (``Date: '2026-13-01' is not a date ...``),
      which in a draft is a warning (``drafts.DraftDates``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.anchors = HeadingAnchors()
        options = dict(self.settings["MARKDOWN"])
        options["extensions"] = list(options.get("extensions", [])) + [self.anchors]
        # A reader of its own settings: the site's MARKDOWN setting is left as it is.
        self.settings = dict(self.settings, MARKDOWN=options)
        self.typogrify = typography.typographer(self.settings)

    def read(self, source_path):
        # READ_WORKERS: a worker process may have read the file already.
        done = parallel_read.take(source_path, self)
        return done if done is not None else self.read_here(source_path)

    def read_here(self, source_path):
        """The reading itself (in the build's process or a worker's)."""
        self.anchors.outline = None
        content, metadata = super().read(source_path)
        # Titles are text: no tag an author types reaches a page (practice.guard.content).
        # Before Pelican's typogrify pass, which adds markup of its own.
        if isinstance(metadata.get("title"), str):
            metadata["title"] = title_text(metadata["title"])
        # Wide tables scroll sideways on narrow screens (site.css); a region
        # that scrolls must be reachable with the keyboard. Links to other
        # sites tell them nothing about this page.
        if content:
            content = mark_external_links(content.replace("<table>", '<table tabindex="0">'))
        if metadata.get("summary"):
            metadata["summary"] = mark_external_links(metadata["summary"])
        content, metadata = typography.finish(self.typogrify, content, metadata)
        toc_html, tokens = self.anchors.outline or ("", [])
        if tokens:
            metadata["toc_html"] = _toc_list(toc_html)
            metadata["toc_headings"] = sum(1 + len(t.get("children", [])) for t in tokens)
            # Counted here, on the HTML the reader returns: a long article
            # shows its outline (content.check_article, TOC_MIN_WORDS).
            metadata["toc_words"] = words(content or "")
        # The profile's facts in place of their placeholders (after the count,
        # as the outline's count always was).
        return placeholders.fill_read(self.settings, source_path, content, metadata)


# Settings that shape what the reader returns (and so what its cache holds).
READER_SETTINGS = ("MARKDOWN", "FORMATTED_FIELDS", "TIMEZONE", "DEFAULT_DATE",
                   "DEFAULT_LANG", "SLUGIFY_SOURCE", "SLUG_REGEX_SUBSTITUTIONS",
                   "PATH_METADATA", "FILENAME_METADATA", "USE_FOLDER_AS_CATEGORY",
                   "TYPOGRIFY_IN_READER", "TYPOGRIFY_IGNORE_TAGS", "TYPOGRIFY_OMIT_FILTERS",
                   "TYPOGRIFY_DASHES", "DOCUTILS_SETTINGS")


def _markdown_options(settings):
    """The MARKDOWN setting as Pelican's Markdown reader completes it (it adds
    every configured extension to ``extensions``, in place: a second build in
    the same process, with a settings module imported once, sees the
    completed form, which must give the same key)."""
    options = dict(settings.get("MARKDOWN") or {})
    extensions = list(options.get("extensions") or [])
    for name in options.get("extension_configs") or {}:
        if name not in extensions:
            extensions.append(name)
    options["extensions"] = extensions
    return sorted(options.items())


def cache_root(settings):
    """The folder all of the plugin's caches live in (``CACHE_PATH`` as set)."""
    return settings.setdefault("PRACTICE_CACHE_ROOT", settings["CACHE_PATH"])


def key_reader_cache(settings):
    """Keep Pelican's reader cache in a folder keyed on what shapes its output.

    Pelican's reader cache is keyed by each file's modification time only; a
    change to this reader, to the link rewriting it calls (``privacy``), to
    Markdown or Pelican, or to the Markdown settings would otherwise serve
    stale pages. ``CACHE_PATH`` becomes ``<CACHE_PATH>/reader-<key>``; older
    keys' folders are deleted.
    """
    if not (settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")):
        return None
    key = cachekey.fingerprint([__name__, "practice.readers"],
                               ["pelican", "markdown", "docutils", "typogrify", "smartypants"],
                               extra=[_markdown_options(settings) if name == "MARKDOWN"
                                      else settings.get(name) for name in READER_SETTINGS]
                               + [placeholders.cache_facts(settings)])
    settings["CACHE_PATH"] = cachekey.keyed_path(cache_root(settings), "reader", key)
    return key


def typogrify_outline(item):
    """The table of contents repeats the headings: the same curly quotes.

    The body, title and summary are typogrified by the reader
    (``TYPOGRIFY_IN_READER``) or by Pelican's ``TYPOGRIFY`` pass; the outline
    is a field of ours, typogrified here the same way, for the articles that
    show it.
    """
    settings = getattr(item, "settings", None) or {}
    toc = getattr(item, "toc_html", None)
    if not toc:
        return
    if settings.get("TYPOGRIFY"):
        from typogrify.filters import typogrify

        omit = dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS", []), False)
        item.toc_html = typogrify(toc, settings.get("TYPOGRIFY_IGNORE_TAGS", []), **omit)
    else:
        typogrify = typography.typographer(settings)
        if typogrify is None:
            return
        item.toc_html = typogrify(toc)
    item.metadata["toc_html"] = item.toc_html


def data_uri(path, mime):
    """A small file as a ``data:`` URI (the favicon: one request fewer per page)."""
    from urllib.parse import quote

    with open(path, encoding="utf-8") as f:
        return f"data:{mime}," + quote(" ".join(f.read().split()), safe="=:/")
