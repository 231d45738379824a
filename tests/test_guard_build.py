"""The guard in real builds: what an author writes that would run code, load
from another origin or send visitors elsewhere stops the build with one line
per mistake naming the file and the field, and leaves output/ as it was."""

import re

import pytest

from conftest import run_build
from offerfiles import FIXED_NOW, write_offer

import datetime

ARTICLE = """Title: {title}
Date: 2026-01-{day:02d} 09:00
Reviewed: 2026-01-{day:02d}
Category: Therapy basics
Tags: trust
Slug: {slug}
{extra}
A first paragraph that is perfectly ordinary.

{body}
"""

# file name -> (body, where the line says it is)
CONTENT_CASES = {
    "md-javascript-link": ("Please [call us](javascript:alert(document.cookie)) today.", "body: <a href>: javascript:"),
    "md-vbscript-link": ("Please [call us](vbscript:msgbox) today.", "body: <a href>: vbscript:"),
    "md-data-link": ("[Open the form](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
                     "body: <a href>: data:text/html"),
    "attr-list-href": ("Read [our fees](/fees/){: href=\"javascript:alert(1)\"} first.", "body: <a href>: javascript:"),
    "attr-list-handler": ("A paragraph with a handler.\n{: onclick=\"alert(1)\"}", "body: <p onclick>: alert(1)"),
    "inline-script": ("<script>fetch(location.hash.slice(1))</script>", "body: <script>: fetch(location.hash"),
    "event-handler": ('<img src="/images/none.png" alt="" onerror="alert(1)">', "body: <img onerror>: alert(1)"),
    "img-slash-src": ('<div class="figure">\n<img/src="https://img.example.net/a.png" alt="">\n</div>',
                      "body: <img src>: https://img.example.net/a.png loads from another origin"),
    "no-space-attrs": ('<p><img alt=""src="https://img.example.net/b.png"></p>',
                       "body: <img src>: https://img.example.net/b.png loads from another origin"),
    "svg-style-img": ('<svg><style><img src="https://img.example.net/c.png"></style></svg>',
                      "body: <img src>: https://img.example.net/c.png loads from another origin"),
    "preconnect": ('<div>\n<link rel="preconnect"href="https://fonts.example.net">\n</div>',
                   "body: <link rel=preconnect>: https://fonts.example.net loads from another origin"),
    "css-escape": (r'<p style="background: \75 rl(https://img.example.net/d.png)">Calm.</p>',
                   "body: <p style>: https://img.example.net/d.png loads from another origin"),
    "image-set": ("<p style='background: image-set(\"https://img.example.net/e.png\" 1x)'>Calm.</p>",
                  "body: <p style>: https://img.example.net/e.png loads from another origin"),
    "srcdoc": ('<iframe srcdoc="&lt;p&gt;hello&lt;/p&gt;" title="A frame"></iframe>', "body: <iframe srcdoc>: <p>hello</p>"),
    "base": ('<base href="https://www.other.example/">', "body: <base>: https://www.other.example/"),
    "meta-refresh": ('<meta http-equiv="refresh" content="0; url=https://www.other.example/">',
                     'body: <meta http-equiv="refresh">: https://www.other.example/'),
}


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def snapshot(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def write_article(project, slug, body, day=1, title=None, extra=""):
    path = project / "content" / "articles" / f"{slug}.md"
    path.write_text(ARTICLE.format(title=title or slug.replace("-", " ").capitalize(), day=day,
                                   slug=slug, extra=extra, body=body), encoding="utf-8")
    return path


def test_what_authors_write_cannot_run_or_load_from_elsewhere(project):
    out = project / "output"
    assert run_build("pelicanconf.py", out, cwd=project).returncode == 0
    before = snapshot(out)
    for day, (slug, (body, _where)) in enumerate(CONTENT_CASES.items(), start=1):
        write_article(project, slug, body, day=day)
    write_article(project, "summary-link", "An ordinary body.", day=27,
                  extra="Summary: A summary that [runs](javascript:alert(1)) code.")
    page = project / "content" / "pages" / "hostile-page.md"
    page.write_text("Title: A page\nSlug: hostile-page\n\nSee [the fees](/fees/){: href=\"vbscript:x\"}.\n",
                    encoding="utf-8")
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = error_lines(result)
    for slug, (_body, where) in CONTENT_CASES.items():
        mine = [l for l in lines if l.startswith(f"error: content/articles/{slug}.md: ")]
        assert len(mine) == 1, (slug, lines)
        assert mine[0].startswith(f"error: content/articles/{slug}.md: {where}"), mine[0]
    assert [l for l in lines if l.startswith("error: content/articles/summary-link.md: ")] == [
        l for l in lines if l.startswith("error: content/articles/summary-link.md: Summary: <a href>: javascript:")]
    assert any(l.startswith("error: content/articles/summary-link.md: Summary: ") for l in lines)
    assert any(l.startswith("error: content/pages/hostile-page.md: body: <a href>: vbscript:x; ") for l in lines)
    assert len(lines) == len(CONTENT_CASES) + 2, lines
    assert snapshot(out) == before


def test_an_offer_whose_text_would_run_code_stops_the_build(project):
    start = FIXED_NOW - datetime.timedelta(days=1)
    write_offer(project, "hostile-offer", start, start + datetime.timedelta(days=30),
                text='Ask us <img src="/images/none.png" alt="" onerror="alert(1)"> or '
                     '[write](javascript:alert(2)).')
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert error_lines(result) == [
        "error: content/offers/hostile-offer.md: body: <img onerror>: alert(1); event-handler attributes "
        "run code; the site runs only its own scripts (theme/static/js), and its Content-Security-Policy "
        "blocks any other",
        "error: content/offers/hostile-offer.md: body: <a href>: javascript:alert(2); javascript: URLs "
        "run code in the page; the site runs only its own scripts"]


def test_svg_files_in_content_are_read_as_xml(project):
    images = project / "content" / "images"
    images.mkdir(exist_ok=True)
    (images / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<image xlink:href="https://img.example.net/chart.png" width="10" height="10"/></svg>')
    (images / "badge.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/x?" + document.cookie)</script></svg>')
    (images / "plain.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>')
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = error_lines(result)
    assert len(lines) == 2, lines
    assert any(l.startswith("error: content/images/chart.svg: <image xlink:href>: "
                            "https://img.example.net/chart.png loads from another origin "
                            "(written to output/images/chart.svg)") for l in lines), lines
    assert any(l.startswith("error: content/images/badge.svg: <script>: ") for l in lines), lines


def test_templates_are_read_as_a_browser_reads_them(project):
    base = project / "theme" / "templates" / "base.html"
    text = base.read_text()
    assert "</head>" in text
    base.write_text(text.replace(
        "</head>", '<link rel="preconnect"href="https://fonts.example.net">\n'
                   '<script>var u = document.referrer; fetch(u)</script>\n</head>', 1))
    css = project / "theme" / "static" / "css" / "site.css"
    css.write_text(css.read_text() + "\n.x { background: \\75 rl(https://img.example.net/bg.png) }\n")
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = error_lines(result)
    assert len(lines) == 3, lines
    assert any(re.match(r"error: output/\S+\.html: <link rel=preconnect>: https://fonts.example.net "
                        r"loads from another origin \(and on \d+ more pages", l) for l in lines), lines
    assert any(re.match(r"error: output/\S+\.html: <script>: var u = document.referrer; fetch\(u\) "
                        r"\(and on \d+ more pages: in a template or a setting\?\); inline scripts", l)
               for l in lines), lines
    assert any(l.startswith("error: output/theme/css/site.css: url(): https://img.example.net/bg.png ")
               for l in lines), lines


def test_a_theme_script_that_loads_from_elsewhere_stops_the_build(project):
    # The scanner reads the theme's static files before Pelican copies them;
    # the copy's finding must still stop the build and name the copy.
    script = project / "theme" / "static" / "js" / "offers.js"
    script.write_text(script.read_text() + '\nfetch("https://api.example.net/track");\n')
    before = snapshot(project / "output") if (project / "output").exists() else {}
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = error_lines(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: output/theme/js/offers.js: "), lines
    assert "https://api.example.net/track" in lines[0], lines
    after = snapshot(project / "output") if (project / "output").exists() else {}
    assert after == before


def test_make_lint_reports_what_the_build_would_refuse(project):
    import subprocess
    import sys

    write_article(project, "lint-case", "Call [us](javascript:alert(1)) or "
                  '<img src="/images/none.png" alt="" onerror="alert(2)">.', day=5)
    result = subprocess.run([sys.executable, "-m", "practice.tools.lint"], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "error: content/articles/lint-case.md: body: <a href>: javascript:alert(1); " in result.stderr
