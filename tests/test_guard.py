"""The privacy guard reads pages as a browser does: crafted HTML, CSS and SVG
that a browser would load from another origin, run, or follow elsewhere."""

import os

import pytest

from practice import guard

ALLOWED = ("https://comments.example.org",)
OWN = ("https://www.example-counseling.example",)
RULES = guard.Rules(ALLOWED, OWN)
CONTENT = guard.Rules(ALLOWED, OWN, content=True, links=False)


def problems(kind, text, rules=RULES):
    return [(f.where, f.value, f.problem) for f in guard.findings(kind, text, rules)]


def foreign(kind, text):
    return [value for _where, value, problem in problems(kind, text) if problem == guard.FOREIGN]


def refused(kind, text, rules=RULES):
    return [(where, value) for where, value, problem in problems(kind, text, rules)
            if problem not in (guard.FOREIGN, guard.UNMARKED)]


# Each of these loads https://img.example.net/… in Chromium.
BROWSER_LOADS = {
    "img/src in block HTML": '<div class="figure">\n<img/src="https://img.example.net/a.png" alt="">\n</div>',
    "attributes without a space": '<img alt=""src="https://img.example.net/a.png">',
    "img breaking out of svg style": '<svg><style><img src="https://img.example.net/a.png"></style></svg>',
    "img breaking out of math": '<math><mi><img src="https://img.example.net/a.png"></mi></math>',
    "preconnect without a space": '<link rel="preconnect"href="https://img.example.net">',
    "dns-prefetch": "<link rel=dns-prefetch href=//img.example.net>",
    "css escape in a style attribute": r'<p style="background: \75 rl(https://img.example.net/a.png)">x</p>',
    "css escape inside url": r'<style>p { background: u\72l("https://img.example.net/a.png") }</style>',
    "image-set": """<p style='background: image-set("https://img.example.net/a.png" 1x)'>x</p>""",
    "-webkit-image-set": '<style>p{background:-webkit-image-set("//img.example.net/a.png" 2x)}</style>',
    "import with a bare string": "<style>@import 'https://img.example.net/a.css';</style>",
    "import with url and media": "<style>@import url(https://img.example.net/a.css) print;</style>",
    "comment inside a declaration": "<style>p{background:/**/url(https://img.example.net/a.png)}</style>",
    "svg image with xlink": '<svg><image xlink:href="https://img.example.net/a.png"/></svg>',
    "svg feImage": '<svg><filter><feImage href="https://img.example.net/a.png"/></filter></svg>',
    "svg use": '<svg><use href="https://img.example.net/a.svg#icon"/></svg>',
    "entity-encoded scheme": '<img src="https&#58;//img.example.net/a.png" alt="">',
    "newline inside the scheme": '<img src="ht\ntps://img.example.net/a.png" alt="">',
    "upper-case tag and attribute": '<IMG SRC="https://img.example.net/a.png" ALT="">',
    "unquoted srcset": "<img srcset=https://img.example.net/a.png alt=''>",
    "srcset after a data image": '<img srcset="data:image/png;base64,AA,AA 1x, https://img.example.net/b.png 2x" alt="">',
    "template content": '<template><img src="https://img.example.net/a.png" alt=""></template>',
    "preload imagesrcset": '<link rel="preload" as="image" imagesrcset="https://img.example.net/a.png 1x">',
    "table background": '<table background="https://img.example.net/a.png"><tr><td>x</td></tr></table>',
    "animated href": '<svg><image><set attributeName="href" to="https://img.example.net/a.png"/></image></svg>',
}


@pytest.mark.parametrize("html", BROWSER_LOADS.values(), ids=BROWSER_LOADS.keys())
def test_what_a_browser_loads_from_another_origin_is_found(html):
    found = foreign("html", html)
    assert found and all("img.example.net" in url for url in found), (html, problems("html", html))


# Each of these runs code or sends the visitor elsewhere.
REFUSED = {
    "javascript: link": ('<a href="javascript:alert(1)">x</a>', "<a href>"),
    "javascript: with a tab and entities": ('<a href="java&#x09;script&#x3A;alert(1)">x</a>', "<a href>"),
    "upper-case JAVASCRIPT with spaces": ('<a href="  JAVASCRIPT:alert(1)">x</a>', "<a href>"),
    "vbscript: link": ('<a href="vbscript:msgbox(1)">x</a>', "<a href>"),
    "javascript: in svg xlink": ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "<a xlink:href>"),
    "javascript: form action": ('<form action="javascript:alert(1)"><button>x</button></form>', "<form action>"),
    "javascript: iframe": ('<iframe src="javascript:alert(1)" title="x"></iframe>', "<iframe src>"),
    "data: html link": ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "<a href>"),
    "data: html frame": ('<iframe src="data:text/html;base64,PHNjcmlwdD4=" title="x"></iframe>', "<iframe src>"),
    "data: svg object": ('<object data="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"></object>', "<object data>"),
    "data: script": ('<script src="data:text/javascript,alert(1)"></script>', "<script src>"),
    "srcdoc": ('<iframe srcdoc="&lt;img src=https://img.example.net/a.png&gt;" title="x"></iframe>', "<iframe srcdoc>"),
    "base": ('<base href="https://www.other.example/">', "<base>"),
    "meta refresh to another site": ('<meta http-equiv="refresh" content="0; url=https://www.other.example/">',
                                     '<meta http-equiv="refresh">'),
    "meta refresh quoted, upper case": ("<meta http-equiv=REFRESH content=\"3;URL='//www.other.example/'\">",
                                        '<meta http-equiv="refresh">'),
    "inline fetch of a variable": ('<script>const u = location.hash.slice(1); fetch(u)</script>', "<script>"),
    "inline module": ('<script type="module">import("./x.js")</script>', "<script>"),
    "import map": ('<script type="importmap">{"imports": {"x": "https://cdn.example.net/x.js"}}</script>', "<script>"),
    "event handler": ('<img src="/a.png" alt="" onerror="alert(1)">', "<img onerror>"),
    "event handler without a space": ('<img src="/a.png" alt=""onerror="alert(1)">', "<img onerror>"),
    "event handler in svg": ('<svg onload="alert(1)"></svg>', "<svg onload>"),
    "event handler in a template": ('<template><p onclick="alert(1)">x</p></template>', "<p onclick>"),
}


@pytest.mark.parametrize("html,where", REFUSED.values(), ids=REFUSED.keys())
def test_what_runs_code_or_sends_the_visitor_away_is_refused(html, where):
    assert where in [w for w, _v in refused("html", html)], problems("html", html)


@pytest.mark.parametrize("html", [
    '<meta http-equiv="refresh" content="5">',
    '<meta http-equiv="refresh" content="0; url=/new-page/">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    '<img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E" alt="">',
    '<link rel="icon" href="data:image/svg+xml,%3Csvg%3E%3C/svg%3E">',
    '<a href="data:image/png;base64,iVBORw0KGgo=">an image</a>',
    '<script src="/theme/js/offers.js"></script>',
    '<script type="application/ld+json">{"a": "fetch(\'https://api.example.net\')"}</script>',
    '<script type="application/json" id="rules">{"x": "<\\/script>"}</script>',
    '<a href="/about/" title="javascript: a language">About</a>',
    '<a href="mailto:office@example.org">e-mail</a> <a href="tel:+15555550100">call</a>',
    '<style>@font-face { src: url(data:font/woff2;base64,AAAA) }</style>',
    '<p>Write <code>&lt;script&gt;</code> or <code>onerror=</code> as text.</p>',
])
def test_what_the_site_itself_does_is_not_refused(html):
    assert problems("html", html) == [], html


def test_links_to_other_sites_need_noopener_noreferrer_wherever_the_parser_finds_them():
    unmarked = [v for _w, v, p in problems("html", '<p><a/href="https://www.other.example/">x</a></p>')
                if p == guard.UNMARKED]
    assert unmarked == ["https://www.other.example/"]
    assert problems("html", '<a rel="noopener"href="https://www.other.example/">x</a>')[0][2] == guard.UNMARKED
    assert problems("html", '<a href="https://www.other.example/" rel="noreferrer noopener">x</a>') == []
    assert problems("html", '<a href="https://www.example-counseling.example/about/">x</a>') == []


def test_an_element_seen_before_is_judged_again_under_other_rules_and_on_every_page():
    """The guard remembers what it found for an element it has seen (the same
    header on every page); that must not carry a verdict to other rules, nor
    hide the element's second appearance or the next page's copy."""
    image = '<img src="https://www.example-counseling.example/a.png" alt="">'
    assert problems("html", image) == []
    assert foreign("html", image) == []
    elsewhere = guard.Rules(ALLOWED, ("https://other-practice.example",))
    assert [p for _w, _v, p in problems("html", image, elsewhere)] == [guard.FOREIGN]
    twice = '<p><img src="https://img.example.net/a.png" alt=""><img src="https://img.example.net/a.png" alt=""></p>'
    assert foreign("html", twice) == ["https://img.example.net/a.png"] * 2
    assert foreign("html", twice) == ["https://img.example.net/a.png"] * 2
    style = '<style>p { background: url("https://img.example.net/%s.png") }</style>'
    assert foreign("html", style % "a") == ["https://img.example.net/a.png"]
    assert foreign("html", style % "b") == ["https://img.example.net/b.png"]
    assert refused("html", '<script src="/theme/js/offers.js"></script>', CONTENT)
    assert refused("html", '<script src="/theme/js/offers.js"></script>') == []


def test_content_may_hold_no_script_at_all():
    assert refused("html", '<script src="/theme/js/offers.js"></script>', CONTENT) == \
        [("<script>", "/theme/js/offers.js")]
    assert refused("html", '<svg><script href="/x.js"></script></svg>', CONTENT)
    # A data script from an author would be read by the site's own scripts.
    assert refused("html", '<script type="application/json" id="screener-rules">{}</script>', CONTENT)


# ---- CSS files -----------------------------------------------------------------


@pytest.mark.parametrize("css", [
    r"a { background: \75 rl(https://img.example.net/a.png) }",
    r"a { background: \55 RL( https://img.example.net/a.png ) }",
    'a { background: image-set("https://img.example.net/a.png" 1x, "/b.png" 2x) }',
    "@import 'https://img.example.net/a.css';",
    '@import url("https://img.example.net/a.css") screen;',
    "@media print { @supports (display: grid) { a { background: url(//img.example.net/a.png) } } }",
    "@font-face { font-family: X; src: local(X), url(https://img.example.net/x.woff2) format('woff2') }",
    'a { cursor: url("https://img.example.net/c.cur"), auto }',
    'a { background: src("https://img.example.net/a.png") }',
])
def test_css_files_are_read_with_a_css_tokenizer(css):
    assert foreign("css", css) and all("img.example.net" in u for u in foreign("css", css)), css


def test_css_comments_strings_and_own_urls_load_nothing_from_elsewhere():
    css = """
    /* background: url(https://img.example.net/commented-out.png) */
    a::after { content: "url(https://img.example.net/just-text.png)" }
    @namespace svg url(http://www.w3.org/2000/svg);
    a { background: url(/theme/img/a.png), url(data:image/png;base64,AAAA) }
    """
    assert problems("css", css) == []
    assert refused("css", "a { background: url('javascript:alert(1)') }")


# ---- SVG files -------------------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@pytest.mark.parametrize("body", [
    '<image xlink:href="https://img.example.net/a.png" width="1" height="1"/>',
    '<image href="//img.example.net/a.png"/>',
    "<style>@import url(https://img.example.net/a.css);</style>",
    '<style><![CDATA[ rect { fill: url(https://img.example.net/p.svg#g) } ]]></style>',
    '<rect style="fill: url(https://img.example.net/p.svg#g)" width="1" height="1"/>',
    '<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="https://img.example.net/a.png"/></foreignObject>',
    '<filter id="f"><feImage xlink:href="https://img.example.net/a.png"/></filter>',
])
def test_svg_files_that_fetch_from_other_origins_are_found(body):
    found = foreign("svg", SVG.format(body).encode())
    assert found and all("img.example.net" in u for u in found), body


def test_svg_stylesheet_processing_instruction_is_found():
    data = ('<?xml version="1.0"?>\n<?xml-stylesheet type="text/css" href="https://img.example.net/s.css"?>\n'
            + SVG.format("<rect/>")).encode()
    assert foreign("svg", data) == ["https://img.example.net/s.css"]


@pytest.mark.parametrize("body,where", [
    ("<script>fetch(location.hash)</script>", "<script>"),
    ('<rect onclick="alert(1)"/>', "<rect onclick>"),
    ('<a xlink:href="javascript:alert(1)"><text>x</text></a>', "<a xlink:href>"),
])
def test_svg_files_that_run_code_are_refused(body, where):
    assert where in [w for w, _v in refused("svg", SVG.format(body).encode())]


def test_svg_files_with_entities_or_broken_xml_are_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><svg>&b;</svg>'
    assert refused("svg", bomb)
    assert refused("svg", b"<svg><rect></svg>")
    assert problems("svg", SVG.format('<rect width="1" height="1" fill="#123456"/><a href="/x/"><text>x</text></a>').encode()) == []


# ---- the error lines -------------------------------------------------------------


def test_each_refusal_is_one_line_naming_the_file_where_and_why():
    found = [("blog/a/index.html", "<a href>", "javascript:alert(1)", "javascript: URLs run code"),
             ("blog/a/index.html", "<img src>", "https://img.example.net/a.png", guard.FOREIGN)]
    error = guard.ForeignResourceError(found, {"blog/a/index.html": "content/articles/a.md"}, ALLOWED)
    assert error.lines == [
        "content/articles/a.md: <a href>: javascript:alert(1) (written to output/blog/a/index.html); "
        "javascript: URLs run code",
        "content/articles/a.md: <img src>: https://img.example.net/a.png loads from another origin "
        "(written to output/blog/a/index.html); the site loads nothing from other websites "
        "(allowed origins: https://comments.example.org)",
    ]


def test_content_findings_name_the_file_and_the_field():
    with pytest.raises(guard.ContentFindings) as info:
        guard.check_fragment('<p><a href="javascript:alert(1)">x</a><img src=x onerror=alert(2)></p>',
                             "content/offers/x.md", "body")
    assert info.value.lines[0].startswith("content/offers/x.md: body: <a href>: javascript:alert(1); ")
    assert info.value.lines[1].startswith("content/offers/x.md: body: <img onerror>: alert(2); ")
    assert info.value.line() == info.value.lines[0]


def test_titles_are_text():
    assert guard.title_text("<script>alert(1)</script> Q&amp;A &mdash; <b>") == \
        "&lt;script>alert(1)&lt;/script> Q&amp;A &mdash; &lt;b>"


# ---- the clean-file cache ----------------------------------------------------------


def test_a_new_guard_reads_again_what_an_old_guard_found_clean(tmp_path, monkeypatch):
    site, cache = tmp_path / "output", tmp_path / "cache" / "privacy-clean.json"
    site.mkdir()
    (site / "index.html").write_text('<p><img alt=""src="https://img.example.net/a.png"></p>')
    (site / "about.html").write_text("<p>Nothing to see.</p>")
    # A guard that missed the image found both files clean and remembered them.
    real = guard.output.findings
    monkeypatch.setattr(guard.output, "findings", lambda kind, data, rules: [])
    assert len(guard.check_output(site, cache_file=str(cache), save_cache=True, code="old guard")) == 2
    monkeypatch.setattr(guard.output, "findings", real)
    # The same guard trusts its cache (that is what the cache is for) ...
    guard.check_output(site, cache_file=str(cache), load_cache=True, code="old guard")
    # ... a guard with other code reads every file again.
    with pytest.raises(guard.ForeignResourceError) as info:
        guard.check_output(site, cache_file=str(cache), load_cache=True, save_cache=True)
    assert [line.split(":")[0] for line in info.value.lines] == ["output/index.html"]


def test_the_guard_fingerprint_covers_its_code_and_parsers():
    from practice import cachekey
    from practice.guard import output

    folder = os.path.dirname(output.__file__)
    modules = {os.path.abspath(f) for f in cachekey.module_files(output.CODE)}
    assert {os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".py")} <= modules
    assert {"selectolax", "tinycss2", "defusedxml"} <= set(output.PARSERS)
    assert "practice.privacy" in output.CODE  # it computes the allowlist the guard is run with
    assert guard.fingerprint() == cachekey.fingerprint(output.CODE, output.PARSERS)
    assert guard.fingerprint() != cachekey.fingerprint(output.CODE)


# ---- the scanner that reads pages as they are written --------------------------------


def scanned(paths):
    """What the scanner program finds in ``paths`` (fed one a line, as the build does)."""
    import json
    import subprocess
    import sys

    config = json.dumps({"allowed": list(ALLOWED), "own": list(OWN), "code": "test", "cache_file": None})
    done = subprocess.run([sys.executable, "-m", "practice.guard.worker", config],
                          input="".join(f"{p}\n" for p in paths), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return {(kind, key): [tuple(f) for f in found] for kind, key, found in json.loads(done.stdout)}


def test_the_scanners_findings_are_the_guards_and_a_page_changed_since_is_read_again(tmp_path):
    site = tmp_path / "output"
    site.mkdir()
    (site / "index.html").write_text('<p><img alt="" src="https://img.example.net/a.png"></p>')
    (site / "about.html").write_text("<p>Nothing to see.</p>")
    known = scanned([site / "index.html", site / "about.html"])
    with pytest.raises(guard.ForeignResourceError) as alone:
        guard.check_output(site, ALLOWED, OWN, code="test")
    with pytest.raises(guard.ForeignResourceError) as fed:
        guard.check_output(site, ALLOWED, OWN, code="test", known=known)
    assert fed.value.lines == alone.value.lines
    assert [line.split(":")[0] for line in fed.value.lines] == ["output/index.html"]
    # A page rewritten after the scanner read it clean is checked as it is now.
    (site / "about.html").write_text('<script src="https://cdn.example.net/x.js"></script>')
    with pytest.raises(guard.ForeignResourceError) as later:
        guard.check_output(site, ALLOWED, OWN, code="test", known=known)
    assert sorted(line.split(":")[0] for line in later.value.lines) == \
        ["output/about.html", "output/index.html"]


def test_the_search_bundle_is_left_to_pagefind_but_a_file_the_build_put_there_is_read(tmp_path):
    site = tmp_path / "output"
    (site / "pagefind").mkdir(parents=True)
    (site / "index.html").write_text("<p>Nothing to see.</p>")
    # Pagefind writes its bundle while the guard reads (tests/test_search.py checks it).
    (site / "pagefind" / "pagefind.js").write_text('import("https://cdn.example.net/a.js");')
    (site / "pagefind" / "page.html").write_text('<img alt="" src="https://img.example.net/a.png">')
    with pytest.raises(guard.ForeignResourceError):
        guard.check_output(site, ALLOWED, OWN, code="test")
    guard.check_output(site, ALLOWED, OWN, code="test", exempt=["pagefind"])
    # A page or static file the build itself wrote into that folder is still read.
    with pytest.raises(guard.ForeignResourceError) as info:
        guard.check_output(site, ALLOWED, OWN, code="test", exempt=["pagefind"],
                           sources={"pagefind/page.html": "content/pages/page.md"})
    assert [line.split(":")[0] for line in info.value.lines] == ["content/pages/page.md"]
