"""Addresses: the one https rule of publish builds, and links in the profile.

A publish build talks to the world only over https: the request form's
endpoint, the comment server, the quick-exit site, offers' outside links.
:func:`require_https` is that rule, for every module that needs it.
"""

import re

from .errors import ContentError
from .settings import SettingsError

HTTPS_URL = re.compile(r"^https://[^\s/]+(/\S*)?$")
HTTP_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")


def require_https(field, url, file=None):
    """``url`` must be an https:// address (the rule of publish builds).

    ``field`` is in ``file``; without a file, it is a setting.
    """
    if not HTTPS_URL.match(str(url)):
        message = f"must be an https:// address in a publish build, not {url!r}"
        raise SettingsError(field, message) if file is None else ContentError(file, field, message)
    return url


def web_address(file, field, url, publish):
    """An absolute http(s) address; https only in a publish build."""
    if publish:
        require_https(field, url, file)
    if not HTTP_URL.match(str(url)):
        raise ContentError(file, field, f"must be an http:// or https:// address, not {url!r}")
    return url


def checked_link(c, link, field):
    """``{text, url}`` -> ``{text, path}`` for this site or ``{text, url}`` for
    another (``c`` is the file's :class:`~practice.core.checker.Checker`)."""
    text = c.text(link, "text", field)
    url = c.text(link, "url", field)
    if url.startswith("/") and not url.startswith("//"):
        return {"text": text, "path": url, "url": None, "field": f"{field}.url"}
    if HTTPS_URL.match(url):
        return {"text": text, "path": None, "url": url, "field": f"{field}.url"}
    c.fail(f"{field}.url", f"{url!r} must be a page of this site (like /crisis/) "
                            "or an https:// address")
