"""A scratch copy of the site with the request form connected to a receiver
on loopback (and, for the browser tests, a neutral page on loopback too)."""

import re

from conftest import copy_project, run_build
from practice.core.profile import load_profile


def connect(project, endpoint, exit_url=None):
    """Set the form's endpoint (and the exit control's target) in a scratch project."""
    path = project / "content" / "practice.yaml"
    text, count = re.subn(r"(?m)^  endpoint:.*$", f"  endpoint: {endpoint}", path.read_text())
    assert count == 1
    path.write_text(text)
    if exit_url:
        conf = project / "pelicanconf.py"
        conf.write_text(conf.read_text() + f"\nEXIT_THIS_PAGE_URL = {exit_url!r}\n")


def build_connected(dest, endpoint, exit_url=None, settings="pelicanconf.py"):
    project = copy_project(dest)
    connect(project, endpoint, exit_url)
    out = project / "output"
    result = run_build(settings, out, cwd=project)
    assert result.returncode == 0, result.stderr
    return project, out


def fields(project):
    return load_profile(project / "content" / "practice.yaml")["intake"]["fields"]


class ConnectedSite:
    """The scratch site served on loopback, its form posting to a receiver
    on another loopback port, and a neutral page for "Exit this page"."""

    def __init__(self, url, receiver, neutral_url, eligibility):
        self.url = url
        self.receiver = receiver
        self.neutral_url = neutral_url
        self.eligibility = eligibility


def connected_site_fixture(tmp_path_factory):
    import contextlib

    from conftest import StaticServer
    from practice.tools.intake_receiver import Receiver

    root = tmp_path_factory.mktemp("connected-site")
    neutral = root / "neutral"
    neutral.mkdir()
    (neutral / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weather</title>'
        "</head><body><h1>Weather</h1></body></html>")
    with contextlib.ExitStack() as stack:
        neutral_server = stack.enter_context(StaticServer(neutral))
        receiver = Receiver([])  # bound now; its fields are set once the site is built
        project, out = build_connected(root / "project", receiver.url + "requests",
                                       exit_url=neutral_server.url + "/")
        receiver.fields = fields(project)
        stack.enter_context(receiver)
        site_server = stack.enter_context(StaticServer(out))
        profile = load_profile(project / "content" / "practice.yaml")
        yield ConnectedSite(site_server.url, receiver, neutral_server.url + "/",
                            profile["eligibility"])


def no_storage_used(page):
    """Nothing in cookies, web storage or IndexedDB for the page's origin."""
    return page.evaluate("""async () => {
        const dbs = indexedDB.databases ? await indexedDB.databases() : [];
        return document.cookie === "" && localStorage.length === 0
            && sessionStorage.length === 0 && dbs.length === 0;
    }""") and page.context.cookies() == []
