"""Literal URLs in the site's own JavaScript files.

Scripts are the theme's own files (inline scripts are refused, see
:mod:`.elements`), so a pattern search for the calls that fetch, connect or
load is enough to catch a slip such as a hard-coded address of another
site. A URL computed at run time (``fetch(variable)``) is left to the
Content-Security-Policy, whose ``connect-src 'self'`` stops it in the browser.
"""

import re

_JS_STRING = r"""(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)"""
_JS_TARGETS = [
    # fetch("…"), navigator.sendBeacon("…"), import("…"), importScripts("…")
    re.compile(r"\b(?:fetch|sendBeacon|import|importScripts)\s*\(\s*" + _JS_STRING),
    # new WebSocket("…"), new EventSource("…"), new Worker("…"), new Request("…")
    re.compile(r"\bnew\s+(?:WebSocket|EventSource|Worker|SharedWorker|Request)\s*\(\s*" + _JS_STRING),
    # xhr.open("GET", "…")
    re.compile(r"\.open\s*\(\s*" + _JS_STRING + r"\s*,\s*" + _JS_STRING),
    # import … from "…"  /  import "…"
    re.compile(r"^\s*import\b[^;'\"`]*?(?:\bfrom\s*)?" + _JS_STRING, re.M),
    # element.src = "…" / .srcset / .action on script, image or form elements
    re.compile(r"\.(?:src|srcset|action)\s*=\s*" + _JS_STRING),
]


def js_urls(text):
    """Literal URLs a script fetches, loads or connects to."""
    urls = []
    for pattern in _JS_TARGETS:
        for m in pattern.finditer(text):
            groups = [g for g in m.groups() if g is not None]
            # For xhr.open(method, url) the URL is the second string.
            value = groups[-1] if pattern is _JS_TARGETS[2] else groups[0] if groups else None
            if value is not None:
                urls.append(value)
    return urls
