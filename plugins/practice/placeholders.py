"""Facts from the practice profile inside the text of pages and articles.

A page's text should not repeat a fact that ``content/practice.yaml``
decides, or the two drift apart. Where the text needs one, write its
placeholder; every build fills it in from the profile:

- ``{minimum_age}``: ``eligibility.minimum_age`` (the age the eligibility
  check asks about), e.g. "You need to be {minimum_age} or older."

Placeholders work in paragraphs, lists and tables and in ``Summary``; not in
headings (Markdown would read ``{...}`` there as the heading's attributes,
and the heading's anchor would carry the placeholder's name) and not in
``Title``.
"""

PLACEHOLDERS = {
    "minimum_age": lambda practice: practice["eligibility"]["minimum_age"],
}


def fill(item, practice):
    """Replace the placeholders in ``item`` (a Pelican article or page)."""
    values = {"{%s}" % name: str(get(practice)) for name, get in PLACEHOLDERS.items()}

    def replace(text):
        if not isinstance(text, str) or "{" not in text:
            return text
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    item._content = replace(item._content)
    if getattr(item, "_summary", None):
        item._summary = type(item._summary)(replace(item._summary)) \
            if isinstance(item._summary, str) else item._summary
    if getattr(item, "toc_html", None):
        item.toc_html = replace(item.toc_html)
