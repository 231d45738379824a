"""A scratch copy of the site with the request form connected to the real
intake inbox on loopback (and, for the browser tests, a neutral page on
loopback too)."""

import re

from conftest import copy_project, run_build
from practice.core.profile import load_profile


def connect(project, endpoint, exit_url=None, public_key=None):
    """Set the form's endpoint (and public key, and the exit control's
    target) in a scratch project."""
    path = project / "content" / "practice.yaml"
    line = f"  endpoint: {endpoint}" + (f"\n  public_key: {public_key}" if public_key else "")
    text = path.read_text()
    if public_key:  # the practice's own key, if it has one, gives way
        text = re.sub(r"(?m)^  public_key:.*\n", "", text)
    text, count = re.subn(r"(?m)^  endpoint:.*$", line, text)
    assert count == 1
    path.write_text(text)
    if exit_url:
        conf = project / "pelicanconf.py"
        conf.write_text(conf.read_text() + f"\nEXIT_THIS_PAGE_URL = {exit_url!r}\n")


def build_connected(dest, endpoint, exit_url=None, settings="pelicanconf.py", public_key=None):
    project = copy_project(dest)
    connect(project, endpoint, exit_url, public_key)
    out = project / "output"
    result = run_build(settings, out, cwd=project)
    assert result.returncode == 0, result.stderr
    return project, out


def fields(project):
    return load_profile(project / "content" / "practice.yaml")["intake"]["fields"]


class ConnectedSite:
    """The scratch site served on loopback, its form posting to the intake
    inbox on another loopback port, and a neutral page for "Exit this page"."""

    def __init__(self, url, inbox, key, fields, neutral_url, eligibility):
        self.url = url
        self.inbox = inbox
        self.key = key
        self.fields = fields
        self.neutral_url = neutral_url
        self.eligibility = eligibility

    def received(self):
        """Every request in the inbox, opened with `make requests`: lists of (name, value)."""
        from inboxserver import read_requests

        code, requests, stderr = read_requests(self.key[0], self.inbox.data)
        assert code == 0, stderr
        return [[tuple(pair) for pair in r["fields"]] for r in requests]


def connected_site_fixture(tmp_path_factory):
    import contextlib

    from conftest import StaticServer
    from inboxserver import InboxServer, make_key

    root = tmp_path_factory.mktemp("connected-site")
    neutral = root / "neutral"
    neutral.mkdir()
    (neutral / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weather</title>'
        "</head><body><h1>Weather</h1></body></html>")
    key = make_key(root)
    with contextlib.ExitStack() as stack:
        neutral_server = stack.enter_context(StaticServer(neutral))
        # The inbox's port is chosen now; it starts once the site's address is known.
        # Playwright fills the form in well under the minimum fill time.
        inbox = InboxServer(root / "inbox-data", None, key[1], root / "inbox.log", INBOX_MIN_FILL_SECONDS=0)
        project, out = build_connected(root / "project", inbox.url + "/requests",
                                       exit_url=neutral_server.url + "/", public_key=key[1])
        site_server = stack.enter_context(StaticServer(out))
        inbox.site_url = site_server.url
        inbox.env["INBOX_SITE_URL"] = site_server.url
        inbox.env["INBOX_PROFILE"] = str(project / "content" / "practice.yaml")
        stack.enter_context(inbox)
        profile = load_profile(project / "content" / "practice.yaml")
        yield ConnectedSite(site_server.url, inbox, key, fields(project), neutral_server.url + "/",
                            profile["eligibility"])


def no_storage_used(page):
    """Nothing in cookies, web storage or IndexedDB for the page's origin."""
    return page.evaluate("""async () => {
        const dbs = indexedDB.databases ? await indexedDB.databases() : [];
        return document.cookie === "" && localStorage.length === 0
            && sessionStorage.length === 0 && dbs.length === 0;
    }""") and page.context.cookies() == []
