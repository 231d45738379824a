"""The "Exit this page" control (after GOV.UK's component) on sensitive pages.

The eligibility and intake pages always carry it; any other page asks for it
with ``Exit: yes`` in its metadata (the crisis page does). The control is a
plain link to a neutral site (``EXIT_THIS_PAGE_URL``), so it works without
JavaScript; ``exit-this-page.js`` makes it replace the current history entry,
so that Back does not return here, and adds the Shift-three-times shortcut.
"""

from .core.errors import ContentError
from .core.files import source
from .core.settings import SettingsError, is_publish
from .core.urls import HTTP_URL, HTTPS_URL

DEFAULT_URL = "https://www.google.com/"
ALWAYS = {"eligibility", "intake"}  # page templates that always carry it
# Pages that also say how to browse privately and clear the history: every
# page with the exit control, and the search page (its words are private too).
PRIVATE_BROWSING = {"search"}


def check_settings(settings):
    """The neutral site must be an absolute address (https in publish builds)."""
    url = settings.get("EXIT_THIS_PAGE_URL", DEFAULT_URL)
    https = is_publish(settings)
    pattern = HTTPS_URL if https else HTTP_URL
    if not isinstance(url, str) or not pattern.match(url):
        scheme = "https://" if https else "http:// or https://"
        raise SettingsError("EXIT_THIS_PAGE_URL",
                            f"must be an {scheme} address of a neutral site, not {url!r}")
    return url


def check_page(page):
    """Sets ``page.exit_this_page`` from ``Exit: yes|no`` or the page's
    template, and ``page.private_browsing`` (the sentence on browsing
    privately) on those pages and the search page."""
    _check_exit(page)
    page.private_browsing = page.exit_this_page or page.metadata.get("template") in PRIVATE_BROWSING


def _check_exit(page):
    value = page.metadata.get("exit")
    if value is None:
        page.exit_this_page = page.metadata.get("template") in ALWAYS
        return
    value = str(value).strip().lower()
    if value not in ("yes", "no"):
        raise ContentError(source(page), "Exit", f"{value!r} must be yes or no")
    if value == "no" and page.metadata.get("template") in ALWAYS:
        raise ContentError(source(page), "Exit",
                           "the eligibility and intake pages always carry the exit control")
    page.exit_this_page = value == "yes"
