"""Plain text out of HTML, for places markup must not reach (<title>, meta
tags, JSON-LD, offer keys) and for word counts."""

from markupsafe import Markup


def plain(value):
    """Text without tags and with entities decoded: ``Don&#8217;t`` -> ``Don’t``."""
    if value is None:
        return ""
    # Typogrify's widow control leaves a no-break space; plain text wants a space.
    return Markup(str(value)).striptags().replace("\u00a0", " ")


def words(html):
    """Rough word count of an HTML fragment (tags removed)."""
    return len(plain(html).split())
