"""Reading URLs as a browser does: their origin, whether loading one contacts
another website, and which schemes the site refuses outright."""

import re
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Characters browsers drop from anywhere in a URL before parsing it; leading
# and trailing C0 controls and spaces are trimmed as well.
_STRIPPED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Schemes whose URLs never leave the browser.
LOCAL_SCHEMES = ("data", "blob", "about", "mailto", "tel", "sms", "javascript", "vbscript")
# Schemes that run code in the page: refused everywhere.
SCRIPT_SCHEMES = ("javascript", "vbscript", "livescript")


def clean(url):
    """The URL as a browser's URL parser sees it."""
    return _STRIPPED.sub("", str(url)).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                             "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                             "\x1a\x1b\x1c\x1d\x1e\x1f ").replace("\\", "/")


def scheme(url):
    """The lower-cased scheme of ``url``, or "" for a relative URL."""
    m = _SCHEME.match(clean(url)) if url else None
    return m.group(1).lower() if m else ""


def origin(url):
    """``scheme://host[:port]`` of an absolute URL, lower-cased, default port
    dropped; None for a relative URL or one without a host."""
    if not url:
        return None
    parts = urlsplit(clean(url))
    if not parts.scheme or not parts.hostname:
        return None
    name = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port and port != _DEFAULT_PORTS.get(name):
        return f"{name}://{host}:{port}"
    return f"{name}://{host}"


def is_foreign(url, allowed=(), own=()):
    """Would loading ``url`` from one of our pages contact another origin?

    Relative and root-relative URLs are ours; ``data:``, ``blob:`` and the
    like never leave the browser; protocol-relative URLs (``//host/x``) are
    foreign unless their host is allowed under any scheme.
    """
    if url is None:
        return False
    value = clean(url)
    if not value:
        return False
    if value.startswith("//"):
        host = origin("https:" + value)
        hosts = {o.split("://", 1)[1] for o in list(allowed) + list(own)}
        return host is None or host.split("://", 1)[1] not in hosts
    name = scheme(value)
    if not name:
        return False
    if name in LOCAL_SCHEMES:
        return False
    o = origin(value)
    if o is None:
        # "http:foo" and other scheme-only oddities: treat as foreign, a
        # browser may resolve them against another host.
        return name not in ("http", "https")
    return o not in allowed and o not in own


def data_type(url):
    """The media type of a ``data:`` URL, lower-cased ("" when none is given)."""
    value = clean(url)
    head = value.split(",", 1)[0][len("data:"):]
    return head.split(";", 1)[0].strip().lower()


def refused(url, image=False, document=False, stylesheet=False):
    """Why the site refuses ``url`` (a short reason), or None.

    ``javascript:`` and ``vbscript:`` URLs run code; a ``data:`` URL may only
    be an image (``data:image/…``) and only where it is shown as one
    (``image``), never as a document of its own (``document``: frames,
    objects, embeds), where an SVG or HTML data URL runs its own scripts.
    A stylesheet (``stylesheet``) may use any data: URL (fonts, images):
    CSS never opens one as a page.
    """
    name = scheme(url)
    if name in SCRIPT_SCHEMES:
        return f"{name}: URLs run code in the page; the site runs only its own scripts"
    if name == "data" and not stylesheet:
        kind = data_type(url)
        if document or not kind.startswith("image/"):
            return (f"a data: URL of type {kind or 'text/plain'} here is a document or program of "
                    "its own; only images may be data: URLs (data:image/…)")
        if not image and kind == "image/svg+xml":
            return "an SVG data: URL opened as a page runs its own scripts; link a file instead"
    return None
