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

from ..core.errors import ContentError
from .elements import FOREIGN, Rules, html_findings


def title_text(value):
    """A title as text: ``<`` escaped, entities kept (see the module's rule)."""
    if value is None:
        return value
    return str(value).replace("<", "&lt;")


def finding_line(finding, allowed=()):
    """A finding as the end of an error line (after ``FILE: FIELD: ``)."""
    if finding.problem == FOREIGN:
        return (f"{finding.where}: {finding.value} loads from another origin; the site loads "
                f"nothing from other websites (allowed origins: {', '.join(allowed) or 'none'})")
    return f"{finding.where}: {finding.value}; {finding.problem}"


class ContentFindings(ContentError):
    """Findings in what authors wrote: ``lines`` holds one line per finding,
    each naming its file and field; the error itself is the first."""

    def __init__(self, located):
        # located: [(source, field, message)], at least one
        self.lines = list(dict.fromkeys(f"{src}: {field}: {msg}" for src, field, msg in located))
        super().__init__(*located[0])


def fragment_findings(html, allowed=(), own=()):
    """Findings in an HTML fragment an author wrote (a body, a summary)."""
    if not html:
        return []
    return html_findings(html, Rules(allowed, own, content=True, links=False))


def check_fragment(html, source, field, allowed=(), own=()):
    """Stop the build (:class:`ContentFindings`) on anything refused in ``html``."""
    found = fragment_findings(html, allowed, own)
    if found:
        raise ContentFindings([(source, field, finding_line(f, allowed)) for f in found])


def item_findings(item, source, allowed=(), own=()):
    """(source, field, message) for each finding in an article's or page's
    body, summary and table of contents."""
    metadata = getattr(item, "metadata", {}) or {}
    fields = [("body", item.content), ("Summary", metadata.get("summary")),
              ("body", metadata.get("toc_html"))]
    return [(source, field, finding_line(f, allowed))
            for field, html in fields if html
            for f in fragment_findings(str(html), allowed, own)]


def check_items(items, allowed=(), own=()):
    """Stop the build on anything refused in any (source, item): one line
    per finding in all of them, so one build shows every mistake."""
    located = [entry for source, item in items for entry in item_findings(item, source, allowed, own)]
    if located:
        raise ContentFindings(located)
