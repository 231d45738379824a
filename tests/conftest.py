"""Shared fixtures: the real site built once per test run, a static server on
a free loopback port, and Chromium driven by Playwright.

`make test` runs the tests in parallel (pytest-xdist, see pytest.ini): every
worker is a process of its own, so nothing here may share a fixed port or a
fixed path between tests. A build several tests only read is made once per
run by ``built_once`` and shared by all the workers."""

import atexit
import datetime
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from practice.tools.loopback import LoopbackServer
from warmstart import run_module

ROOT = Path(__file__).resolve().parent.parent


# Publish builds stop on the demo's reserved example addresses (the demo is
# not a real practice); the tests' publish builds use loopback addresses,
# which stay allowed for checking a publish build locally. Nothing is ever
# sent to them. A test that checks the refusal sets its own.
os.environ.setdefault("SITEURL", "https://127.0.0.1:8443")
os.environ.setdefault("COMMENTS_URL", "https://127.0.0.1:8444")


def run_build(settings, output, cwd=ROOT, env=None):
    """Run the real build command (``python -m practice.tools.build``, from
    a warm start: tests/warmstart.py); returns the CompletedProcess."""
    return run_module("practice.tools.build",
                      ["--settings", settings, "--output", str(output), "--quiet"],
                      cwd=cwd, env=env)


# The offer the shared builds carry: the tests' own, running at the fixed
# moment they are built at (OFFERS_NOW) and for years after, so the banner
# is on every page the HTML, accessibility, print and page-weight checks
# see, whatever today's date and whatever the demo's offer says.
SITE_OFFER = {"name": "test-evening-hours", "title": "Evening hours for new clients",
              "text": "New clients can book an evening video session on Tuesdays.",
              "Terms": "{filename}/pages/fees.md", "Dismissible": "yes"}
SITE_OFFER_ENDS = "2099-12-31 23:59 +00:00"


def built_once(tmp_path_factory, name, make, lock=None):
    """``make(folder)`` run once per test run, its result (a path, or a list
    of paths) shared by every test and every xdist worker.

    Without xdist, ``folder`` is a fresh temporary folder. Under xdist it is
    NAME in the run's shared temporary folder (the parent of each worker's
    own), and a file lock there makes the first worker that needs it build
    it while the others wait, then read what it made (builds that share a
    folder share a ``lock`` name too). What ``make`` builds is read-only to
    the tests."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(tmp_path_factory.mktemp(name))
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp().parent / "built-once"
    root.mkdir(exist_ok=True)
    done = root / f"{name}.json"
    with FileLock(str(root / f"{lock or name}.lock")):
        if done.exists():
            paths = json.loads(done.read_text())
            return [Path(p) for p in paths] if isinstance(paths, list) else Path(paths)
        folder = root / name
        shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed left
        folder.mkdir()
        result = make(folder)
        paths = [str(p) for p in result] if isinstance(result, (list, tuple)) else str(result)
        done.write_text(json.dumps(paths))
        return result


def _fixture_site(tmp_path_factory, name, settings):
    from offerfiles import FIXED_NOW, fixed_clock_settings, write_offer

    def make(folder):
        project = copy_project(folder / "project")
        fields = dict(SITE_OFFER)
        write_offer(project, fields.pop("name"), FIXED_NOW - datetime.timedelta(days=1),
                    SITE_OFFER_ENDS, text=fields.pop("text"), title=fields.pop("title"), **fields)
        out = project / "output"
        result = run_build(fixed_clock_settings(project, settings), out, cwd=project)
        assert result.returncode == 0, result.stderr
        return out

    return built_once(tmp_path_factory, name, make)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The demo site built with the development settings, at the fixed
    moment, carrying the tests' own offer (SITE_OFFER)."""
    return _fixture_site(tmp_path_factory, "site", "pelicanconf.py")


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory):
    """The same with the publish settings."""
    return _fixture_site(tmp_path_factory, "publish", "publishconf.py")


OWN_ARTICLES = Path(__file__).resolve().parent / "fixtures" / "site" / "articles"


@pytest.fixture(scope="session")
def own_project(tmp_path_factory):
    """The product with articles the tests own (tests/fixtures/site/articles/)
    instead of the demo's: for tests that need particular articles (a long
    one with a table of contents, a footnote, five for pagination ...)."""
    from fixturesite import fixture_site

    articles = {p.name: p.read_text(encoding="utf-8") for p in sorted(OWN_ARTICLES.glob("*.md"))}
    return built_once(tmp_path_factory, "own",
                      lambda folder: fixture_site(folder / "project", articles=articles))


def _own_build(tmp_path_factory, project, settings, name):
    def make(_folder):
        out = project / name
        result = run_build(settings, out, cwd=project)
        assert result.returncode == 0, result.stderr
        return out

    # One lock for both builds: they share the project's cache/.
    return built_once(tmp_path_factory, f"own-{name}", make, lock="own-builds")


@pytest.fixture(scope="session")
def own_site(tmp_path_factory, own_project):
    return _own_build(tmp_path_factory, own_project, "pelicanconf.py", "output")


@pytest.fixture(scope="session")
def own_publish_site(tmp_path_factory, own_project):
    return _own_build(tmp_path_factory, own_project, "publishconf.py", "publish")


@pytest.fixture(scope="session")
def own_site_server(own_site):
    with StaticServer(own_site) as server:
        yield server


@functools.lru_cache(maxsize=None)
def cache_seed():
    """A cache folder made once per test process with what a build of any
    copy of the project would make first and can only reuse as it is:

    - the profile's photos as ``practice.photos`` encodes them (about 0.5 s
      of CPU a photo), in a folder named by the photo's bytes and name, the
      widths, the formats and Pillow's version, so a copy whose photo
      differs still encodes its own (tests/test_front_door.py does);
    - what each of the plugin's modules imports (``practice.cachekey``'s
      memo, by the hash of each file's bytes: a module a test changes is
      parsed afresh, tests/test_cache_keys.py)."""
    from practice import cachekey, photos
    from practice.core import profile

    folder = Path(tempfile.mkdtemp(prefix="cache-seed-"))
    atexit.register(shutil.rmtree, folder, True)
    practice = profile.load_profile(str(ROOT / "content" / "practice.yaml"), "development")
    photos.prepare(practice, {"CACHE_PATH": str(folder), "PATH": str(ROOT / "content")},
                   "content/practice.yaml")
    photos.wait()
    cachekey.remember_imports_in(str(folder))
    cachekey.module_files(["practice.plugin"])
    cachekey.remember_imports_in(None)
    return folder


def copy_project(dest):
    """A scratch copy of the project (content, theme, settings) to break,
    its cache folder started with what no build of it could make otherwise
    (``cache_seed``).

    The plugin is the installed package (``pip install -e .``), as it is for
    the project itself."""
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, dest / name)
    seed = cache_seed()
    if (seed / "photos").is_dir():  # where development and publish builds keep them
        for cache in (dest / "cache", dest / "cache" / "publish"):
            shutil.copytree(seed / "photos", cache / "photos")
    (dest / "cache").mkdir(exist_ok=True)
    shutil.copy(seed / "imports.json", dest / "cache" / "imports.json")
    return dest


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        # Serve the site's own 404 page, as a static host would.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class StaticServer(LoopbackServer):
    """Serves a built site's folder, as a static host would."""

    def __init__(self, directory):
        super().__init__(functools.partial(_QuietHandler, directory=str(directory)))


@pytest.fixture(scope="session")
def site_server(site):
    with StaticServer(site) as server:
        yield server


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium not found: run `make test`, which installs it, or set CHROMIUM")
    return path


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-features=MediaRouter,OptimizationHints,Translate",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageWatch:
    """Records every request, console error and page error of a page."""

    def __init__(self, page):
        self.page = page
        self.requests = []
        self.console_errors = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def foreign_requests(self, origin):
        return [u for u in self.requests
                if not (u.startswith(origin + "/") or u == origin or u.startswith("data:")
                        or u.startswith("about:"))]


@pytest.fixture
def context(browser):
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    p.watch = PageWatch(p)
    return p
