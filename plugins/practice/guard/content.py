"""Author HTML that cannot run.

The rule, for everything an author writes:

* **Titles are text.** An article's, a page's or an offer's title may hold
  entities (``&amp;``, ``&mdash;``) but no tags: ``<`` is written as
  ``&lt;`` before typogrify adds its own markup, so a title shows exactly
  what was typed, in every place it is printed (:func:`title_text`).
* **Bodies and summaries are HTML** (Markdown allows raw HTML), read with
  the same HTML5 parser and rules as the written pages, plus: no
  ``<script>`` at all, no event-handler attribute (``onerror=``), no
  ``javascript:``/``vbscript:`` URL, no ``data:`` URL other than an image,
  no ``<base>``, no ``srcdoc``, no ``<meta http-equiv="refresh">`` to
  another site, and nothing loaded from another origin. Any of these stops
  the build with one line per finding naming the file and the field
  (:func:`check_fragment`); nothing is removed silently, so the page the
  author previews is the page visitors get.
"""

from ..errors import ContentError
from .elements import FOREIGN, Rules, html_findings


def title_text(value):
    """A title as text: ``<`` escaped, entities kept (see the module's rule)."""
    if value is None:
        return value
    return str(value).replace("<", "&lt;")


class ContentFindings(ContentError):
    """Findings in what an author wrote: one line each, naming the file and field."""

    def __init__(self, source, field, found, allowed=()):
        allowed_text = ", ".join(allowed) or "none"
        self.lines = []
        for f in found:
            if f.problem == FOREIGN:
                line = (f"{f.where}: {f.value} loads from another origin; the site loads "
                        f"nothing from other websites (allowed origins: {allowed_text})")
            else:
                line = f"{f.where}: {f.value}; {f.problem}"
            self.lines.append(f"{source}: {field}: {line}")
        super().__init__(source, field, self.lines[0].split(": ", 2)[2] if self.lines else "")


def fragment_findings(html, allowed=(), own=()):
    """Findings in an HTML fragment an author wrote (a body, a summary)."""
    if not html:
        return []
    return html_findings(html, Rules(allowed, own, content=True, links=False))


def check_fragment(html, source, field, allowed=(), own=()):
    """Stop the build (:class:`ContentFindings`) on anything refused in ``html``."""
    found = fragment_findings(html, allowed, own)
    if found:
        raise ContentFindings(source, field, found, allowed)


def check_item(item, source, allowed=(), own=()):
    """An article's or page's body, summary and table of contents."""
    metadata = getattr(item, "metadata", {}) or {}
    fields = [("body", item.content)]
    if metadata.get("summary"):
        fields.append(("Summary", metadata["summary"]))
    if metadata.get("toc_html"):
        fields.append(("body", metadata["toc_html"]))
    found_any = None
    for field, html in fields:
        found = fragment_findings(str(html or ""), allowed, own)
        if found and found_any is None:
            found_any = ContentFindings(source, field, found, allowed)
    if found_any is not None:
        raise found_any
