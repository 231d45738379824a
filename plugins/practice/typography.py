"""One apostrophe and quote style on every page.

Typogrify gives the Markdown of articles and pages curly quotes and
apostrophes (don’t, “word”); text that comes from the profile (questions,
answers, outcomes, formats) reaches the page through the templates, where
the ``curly`` filter gives it the same, as Unicode characters (the
template's autoescaping still applies).
"""

import smartypants


def curly(text):
    if text is None:
        return text
    return smartypants.smartypants(str(text), smartypants.Attr.q | smartypants.Attr.u)
