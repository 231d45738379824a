"""The privacy guard in real builds: the CSP on every page, the header files,
marked links, and a build that stops when something loads from elsewhere."""

import re

from conftest import ROOT, run_build
from fixturesite import OWN_ARTICLE, OWN_SLUG, own_article
from sitepages import html_files, soup



def csp_of(path):
    meta = soup(path).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, f"{path}: no CSP meta tag"
    return meta["content"]


def directives(policy):
    return dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())


def real_settings():
    from pelican.settings import read_settings

    from practice.core import profile

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    practice = profile.load_profile(str(ROOT / "content" / settings.get("PRACTICE_PROFILE", "practice.yaml")))
    return settings, practice


# The demo's development settings allow one other origin: the comment server
# (COMMENTS_URL), for Isso's script and its requests; the request form posts
# to the site itself. Written out by hand: the policy a reviewer agreed to.
COMMENT_SERVER = "http://127.0.0.1:8080"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' http://127.0.0.1:8080; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self' http://127.0.0.1:8080; "
    "frame-src 'none'; media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
SEARCH_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
HEADER_POLICY = SEARCH_POLICY + "; frame-ancestors 'none'"


def test_every_page_has_the_policy_built_from_the_allowlist(site):
    settings, _ = real_settings()
    assert settings["COMMENTS_URL"] == COMMENT_SERVER  # the input the policies above assume
    assert SEARCH_POLICY != PAGE_POLICY
    pages = html_files(site)
    assert len(pages) > 15
    for path in pages:
        policy = csp_of(path)
        if path == site / "search" / "index.html":
            assert policy == SEARCH_POLICY
        elif path == site / "intake" / "index.html":
            # libsodium seals the request form: WebAssembly here too.
            assert policy == SEARCH_POLICY
        else:
            assert policy == PAGE_POLICY, path
        d = directives(policy)
        assert d["default-src"] == "'self'"
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        # The referrer rule is its own meta tag (CSP's old `referrer` directive is gone).
        # The request page tells the inbox its origin, and only that, so that
        # the inbox can check where a form came from.
        referrer = "strict-origin" if path == site / "intake" / "index.html" else "no-referrer"
        assert soup(path).find("meta", attrs={"name": "referrer"})["content"] == referrer
        # The policy comes before anything it governs.
        head = str(soup(path).head)
        assert head.index("Content-Security-Policy") < head.index("<link"), path


def test_only_the_search_page_may_compile_webassembly(site):
    assert "'wasm-unsafe-eval'" in csp_of(site / "search" / "index.html")
    assert "'wasm-unsafe-eval'" not in csp_of(site / "index.html")
    assert "'wasm-unsafe-eval'" not in csp_of(next((site / "blog").glob("*/index.html")))


def test_server_header_files(site):
    headers = (site / "_headers").read_text()
    assert headers.splitlines()[2] == "/*"
    for name in ("Content-Security-Policy", "Referrer-Policy: no-referrer", "Permissions-Policy",
                 "X-Content-Type-Options: nosniff", "Strict-Transport-Security"):
        assert f"  {name}" in headers, name
    assert "frame-ancestors 'none'" in headers
    assert f"  Content-Security-Policy: {HEADER_POLICY}" in headers.splitlines()
    nginx = (site / "nginx-security-headers.conf").read_text()
    assert f'add_header Content-Security-Policy "{HEADER_POLICY}" always;' in nginx.splitlines()
    assert re.search(r'^add_header Content-Security-Policy ".*frame-ancestors \'none\'" always;$', nginx, re.M)
    assert 'add_header Referrer-Policy "no-referrer" always;' in nginx


def test_allowlisted_origins_reach_the_policy_and_headers(project):
    from intakesite import connect

    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nCOMMENTS_URL = "http://127.0.0.1:8080"\n')
    connect(project, "https://forms.example.org/requests")
    out = project / "output"
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    for page in ("about", "intake", "search"):
        d = directives(csp_of(out / page / "index.html"))
        assert d["script-src"].split()[-1] == "http://127.0.0.1:8080"
        assert d["connect-src"] == "'self' http://127.0.0.1:8080 https://forms.example.org"
        assert d["form-action"] == "'self' https://forms.example.org"
        # Each origin only where it is needed: the intake inbox only
        # receives the form, the comment server only serves Isso's client.
        for name, value in d.items():
            assert ("forms.example.org" in value) == (name in ("form-action", "connect-src")), (page, name)
            assert ("127.0.0.1:8080" in value) == (name in ("script-src", "connect-src")), (page, name)
    headers = (out / "_headers").read_text()
    nginx = (out / "nginx-security-headers.conf").read_text()
    for text in (headers, nginx):
        policy = re.search(r"Content-Security-Policy:? \"?([^\"\n]*)", text).group(1)
        d = directives(policy)
        assert d["form-action"] == "'self' https://forms.example.org"
        assert d["connect-src"] == "'self' http://127.0.0.1:8080 https://forms.example.org"
        assert d["frame-src"] == "'none'" and d["img-src"] == "'self' data:" and d["style-src"] == "'self'"


def test_links_to_other_sites_carry_noopener_noreferrer(project):
    article = own_article(project)
    article.write_text(article.read_text() + "\n\nSee [another site](https://www.other.example/page).\n")
    out = project / "output"
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    link = soup(out / "blog" / OWN_SLUG / "index.html").find(
        "a", href="https://www.other.example/page")
    assert set(link["rel"]) >= {"noopener", "noreferrer"}


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_an_embedded_image_from_another_site_stops_the_build(project):
    out = project / "output"
    assert run_build("pelicanconf.py", out, cwd=project).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    article = own_article(project)
    article.write_text(article.read_text() + "\n\n![A chart](https://images.example.net/chart.png)\n\n"
                       '<iframe src="https://video.example.net/embed/1" title="A video"></iframe>\n')
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = error_lines(result)
    assert len(lines) == 2, result.stderr
    assert all(l.startswith(f"error: {OWN_ARTICLE}: ") for l in lines)
    assert any("<img src>: https://images.example.net/chart.png" in l for l in lines)
    assert any("<iframe src>: https://video.example.net/embed/1" in l for l in lines)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_script_from_another_site_in_a_template_stops_the_build(project):
    base = project / "theme" / "templates" / "base.html"
    base.write_text(base.read_text().replace(
        "{% block head %}", '<script src="https://cdn.tracker.example/t.js" defer></script>\n  {% block head %}'))
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    # On every page, so named once: a page it is on, and how many more.
    [line] = error_lines(result)
    assert re.match(r"error: output/\S+\.html: <script src>: https://cdn.tracker.example/t.js "
                    r"loads from another origin \(and on \d+ more pages", line), line


def test_a_stylesheet_from_another_site_stops_the_build(project):
    css = project / "theme" / "static" / "css" / "site.css"
    css.write_text('@import url("https://fonts.example.net/css?family=Inter");\n' + css.read_text())
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode != 0
    [line] = error_lines(result)
    assert line.startswith(
        "error: output/theme/css/site.css: url(): https://fonts.example.net/css?family=Inter loads from "
        "another origin; the site loads nothing from other websites (allowed origins: "), line


def test_a_bad_allowlist_setting_names_the_setting(project):
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nPRIVACY_ALLOWED_ORIGINS = ["comments.example.org"]\n')
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert error_lines(result)[0].startswith("error: pelicanconf.py: PRIVACY_ALLOWED_ORIGINS: ")


def test_an_allowlisted_origin_may_be_used(project):
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nCOMMENTS_URL = "https://comments.example.org"\n')
    base = project / "theme" / "templates" / "base.html"
    base.write_text(base.read_text().replace(
        "{% block head %}", '<script src="https://comments.example.org/js/embed.min.js" defer></script>\n'
        '  {% block head %}'))
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode == 0, result.stderr
