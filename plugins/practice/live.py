"""A publish build is for a real address.

The demo ships with addresses on names reserved for examples and tests
(RFC 2606 and RFC 6761): ``.example``, ``example.com``/``.net``/``.org``,
``.test``, ``.invalid``, ``localhost``. A publish build that still uses one
for the site (``SITEURL``), the comment server (``COMMENTS_URL``) or the
request form (``intake.endpoint`` in the profile) would go live pointing
nowhere, so it stops with one line naming the setting. A loopback IP address
(127.0.0.1, ::1) stays allowed, for checking a publish build on this
computer.
"""

import ipaddress
from urllib.parse import urlsplit

from .core.errors import ContentError
from .core.settings import SettingsError, is_publish

RESERVED_SUFFIXES = ("example", "test", "invalid", "localhost")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")


def reserved(url):
    """The reserved name ``url``'s host falls under, or None (also for a
    loopback IP address, or anything that is not an absolute address)."""
    try:
        host = (urlsplit(str(url).strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return None  # an IP address: no reserved name (loopback is for local checks)
    except ValueError:
        pass
    labels = host.split(".")
    if labels[-1] in RESERVED_SUFFIXES:
        return f".{labels[-1]}" if len(labels) > 1 else labels[-1]
    for domain in RESERVED_DOMAINS:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


HOW = {
    "SITEURL": "set the site's real address: SITEURL=https://www.your-practice.com make publish "
               "(or in publishconf.py)",
    "COMMENTS_URL": "set your comment server's address: COMMENTS_URL=https://comments.your-practice.com "
                    "make publish (or in publishconf.py), or COMMENTS_URL= to publish without comments",
    "intake.endpoint": "set the address your request form is sent to, or leave it empty "
                       "(the page then says the form is not connected)",
}


def check(settings, profile, profile_file):
    """Stop a publish build that would go live on a reserved address."""
    if not is_publish(settings):
        return
    intake = (profile or {}).get("intake") or {}
    for file, field, value in (
            (None, "SITEURL", settings.get("SITEURL")),
            (None, "COMMENTS_URL", settings.get("COMMENTS_URL")),
            (profile_file, "intake.endpoint", intake.get("endpoint"))):
        name = reserved(value) if value else None
        if name:
            message = (f"{str(value).strip()!r} is on {name}, a name reserved for "
                       f"examples and tests, so nobody could reach it; {HOW[field]}")
            # A setting (file None): the build names the settings file it read.
            raise SettingsError(field, message) if file is None else ContentError(file, field, message)
