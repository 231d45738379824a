"""The privacy guard's scanner, link marking and policy, on crafted input."""

import pytest

from practice import guard, privacy
from practice.core.errors import ContentError

ALLOWED = ("https://comments.example.org", "https://forms.example.org")
OWN = ("https://www.example-counseling.example",)


def foreign_html(html):
    return [url for _where, url in guard.scan_text("html", html, ALLOWED, OWN)]


@pytest.mark.parametrize("html", [
    '<script src="https://cdn.tracker.example/t.js"></script>',
    '<link rel="stylesheet" href="https://fonts.example.net/css?family=X">',
    '<link rel="preconnect" href="https://fonts.example.net">',
    '<link rel="icon" href="http://cdn.example.net/favicon.ico">',
    '<img src="https://pixel.example.net/p.gif" alt="">',
    '<img srcset="/a.png 1x, https://img.example.net/b.png 2x" alt="">',
    '<iframe src="https://www.video.example/embed/1" title="v"></iframe>',
    '<video><source src="https://media.example.net/v.mp4"></video>',
    '<picture><source srcset="https://img.example.net/a.webp"><img src="/a.png" alt=""></picture>',
    '<video src="/v.mp4" poster="https://img.example.net/poster.jpg"></video>',
    '<audio src="https://media.example.net/a.mp3"></audio>',
    '<embed src="https://media.example.net/a.swf">',
    '<object data="https://media.example.net/a.pdf"></object>',
    '<form action="https://collect.example.net/submit"></form>',
    '<button formaction="https://collect.example.net/x">Send</button>',
    '<a href="/x/" ping="https://log.example.net/ping">x</a>',
    '<div style="background: url(https://img.example.net/bg.png)"></div>',
    '<style>@import "https://fonts.example.net/f.css";</style>',
    '<style>body { background: url("//img.example.net/bg.png") }</style>',
    '<script type="module" src="//cdn.example.net/m.js"></script>',
    '<svg><image href="https://img.example.net/i.png"/></svg>',
])
def test_every_kind_of_resource_from_another_origin_is_found(html):
    assert len(foreign_html(html)) == 1, html


@pytest.mark.parametrize("html", [
    '<script src="/theme/js/a.js"></script>',
    '<script src="theme/js/a.js"></script>',
    '<script src="../theme/js/a.js"></script>',
    '<link rel="stylesheet" href="/theme/css/site.css">',
    '<img src="data:image/png;base64,AAAA" alt="">',
    '<img src="https://www.example-counseling.example/images/a.png" alt="">',
    '<script src="https://comments.example.org/js/embed.min.js"></script>',
    '<form action="https://forms.example.org/intake"></form>',
    '<form action="/search/" method="get"></form>',
    '<link rel="canonical" href="https://elsewhere.example.net/post/">',
    '<link rel="alternate" type="application/atom+xml" href="https://feeds.example.net/a.xml">',
    '<a href="https://www.other.example/">a plain link</a>',
    '<script type="application/ld+json">{"url": "https://schema.org", "x": "fetch(\'https://a.example\')"}</script>',
    '<img src="//www.example-counseling.example/a.png" alt="">',
])
def test_own_allowed_and_non_loading_urls_pass(html):
    assert foreign_html(html) == [], html


def test_protocol_relative_urls_are_foreign_unless_their_host_is_allowed():
    assert foreign_html('<img src="//img.example.net/a.png" alt="">') == ["//img.example.net/a.png"]
    assert foreign_html('<script src="//comments.example.org/embed.js"></script>') == []


def test_tricks_browsers_accept_are_still_caught():
    assert foreign_html('<img src=" https://img.example.net/a.png " alt="">')
    assert foreign_html('<img src="HTTPS://IMG.EXAMPLE.NET/a.png" alt="">')
    assert foreign_html('<img src="ht\ttps://img.example.net/a.png" alt="">')
    assert foreign_html('<img src="/\\img.example.net/a.png" alt="">')
    # Same host, other port or scheme: another origin.
    assert foreign_html('<script src="https://comments.example.org:8443/e.js"></script>')
    assert foreign_html('<script src="http://comments.example.org/e.js"></script>')


def test_css_urls_and_imports():
    css = """
    /* url(https://commented-out.example.net/x.png) */
    @import url("https://fonts.example.net/a.css");
    @import 'https://fonts.example.net/b.css';
    @font-face { src: url(https://fonts.example.net/f.woff2) format("woff2"); }
    .a { background: url('/theme/img/a.png'); }
    .b { background: url(data:image/svg+xml;utf8,<svg/>); }
    """
    found = [u for _w, u in guard.scan_text("css", css, ALLOWED, OWN)]
    assert sorted(found) == ["https://fonts.example.net/a.css", "https://fonts.example.net/b.css",
                             "https://fonts.example.net/f.woff2"]


def test_script_targets():
    js = """
    fetch("https://api.example.net/a");
    fetch('/search/data.json');
    var x = new XMLHttpRequest(); x.open("POST", "https://collect.example.net/b");
    x.open('GET', '/local');
    new WebSocket(`wss://live.example.net/c`);
    navigator.sendBeacon("https://beacon.example.net/d");
    new EventSource("https://comments.example.org/events");
    img.src = "https://pixel.example.net/e.gif";
    const link = "https://www.other.example/ is only text";
    import("/pagefind/pagefind.js");
    """
    found = [u for _w, u in guard.scan_text("js", js, ALLOWED, OWN)]
    assert sorted(found) == sorted([
        "https://api.example.net/a", "https://collect.example.net/b", "wss://live.example.net/c",
        "https://beacon.example.net/d", "https://pixel.example.net/e.gif",
    ])


def test_scan_output_names_each_file(tmp_path):
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "index.html").write_text('<img src="https://img.example.net/a.png" alt="">')
    (tmp_path / "ok.html").write_text('<img src="/a.png" alt="">')
    (tmp_path / "site.css").write_text("a { background: url(https://img.example.net/b.png) }")
    (tmp_path / "app.js").write_text("fetch('https://api.example.net/c')")
    findings = guard.scan_output(tmp_path, ALLOWED, OWN)
    assert {(f, u) for f, _w, u in findings} == {
        ("blog/index.html", "https://img.example.net/a.png"),
        ("site.css", "https://img.example.net/b.png"),
        ("app.js", "https://api.example.net/c"),
    }
    error = guard.ForeignResourceError(findings, {"blog/index.html": "content/articles/a.md"})
    assert len(error.lines) == 3
    assert any(line.startswith("content/articles/a.md: <img src>: https://img.example.net/a.png")
               for line in error.lines)
    assert any(line.startswith("output/site.css: ") for line in error.lines)


def test_the_same_template_mistake_is_reported_once():
    findings = [(f"p{i}/index.html", "<script src>", "https://cdn.example.net/a.js") for i in range(30)]
    error = guard.ForeignResourceError(findings)
    assert len(error.lines) == 1
    assert "29 more pages" in error.lines[0]


def test_links_to_other_sites_get_noopener_noreferrer():
    mark = lambda html: privacy.mark_external_links(html, OWN)  # noqa: E731
    assert mark('<a href="https://www.other.example/">x</a>') == \
        '<a href="https://www.other.example/" rel="noopener noreferrer">x</a>'
    assert mark('<a class="x" href=\'//other.example/a\' rel="external">x</a>') == \
        '<a class="x" href=\'//other.example/a\' rel="external noopener noreferrer">x</a>'
    assert mark('<a href="https://x.example/" rel="noreferrer noopener">x</a>') == \
        '<a href="https://x.example/" rel="noreferrer noopener">x</a>'
    for same in ('<a href="/about/">x</a>', '<a href="#main">x</a>', '<a href="mailto:a@b.example">x</a>',
                 '<a href="tel:988">x</a>', '<a href="https://www.example-counseling.example/a/">x</a>'):
        assert mark(same) == same


def test_default_allowlist_is_comment_server_and_intake_endpoint():
    practice = {"intake": {"endpoint": "https://forms.example.org/f/abc"}}
    settings = {"COMMENTS_URL": "http://127.0.0.1:8080/"}
    assert privacy.allowed_origins(settings, practice) == ["http://127.0.0.1:8080", "https://forms.example.org"]
    # Either may be missing.
    assert privacy.allowed_origins({}, {"intake": {"endpoint": None}}) == []
    assert privacy.allowed_origins({}, {"intake": None}) == []
    assert privacy.allowed_origins({"COMMENTS_URL": ""}, {}) == []
    # The setting replaces the default.
    assert privacy.allowed_origins({"PRIVACY_ALLOWED_ORIGINS": ["https://a.example/x"],
                                    "COMMENTS_URL": "https://c.example"}, practice) == ["https://a.example"]
    with pytest.raises(ContentError) as info:
        privacy.allowed_origins({"PRIVACY_ALLOWED_ORIGINS": ["comments.example.org"]})
    # A setting: the build names the settings file it read (SettingsError).
    assert info.value.field == "PRIVACY_ALLOWED_ORIGINS"
    assert info.value.in_file("pelicanconf.py").line().startswith("pelicanconf.py: PRIVACY_ALLOWED_ORIGINS: ")


def test_policy_follows_the_allowlist():
    practice = {"intake": {"endpoint": "https://forms.example.org/f/abc"}}
    p = privacy.policies({"COMMENTS_URL": "https://comments.example.org"}, practice)
    page = dict(d.split(" ", 1) for d in p["page"].split("; "))
    assert page["default-src"] == "'self'"
    assert page["object-src"] == "'none'"
    assert "unsafe" not in p["page"]
    assert "frame-ancestors" not in p["page"]  # a <meta> policy cannot carry it
    # The comment server serves Isso's client and answers its requests: nothing more.
    assert page["script-src"] == "'self' https://comments.example.org"
    assert page["connect-src"] == "'self' https://comments.example.org https://forms.example.org"
    # The intake inbox only receives the form (posted, or sent by the script).
    assert page["form-action"] == "'self' https://forms.example.org"
    assert "https://forms.example.org" in page["connect-src"].split()
    for name in ("style-src", "font-src", "media-src"):
        assert page[name] == "'self'", name
    assert page["img-src"] == "'self' data:"  # data: never leaves the browser (the favicon)
    assert page["frame-src"] == "'none'"
    for name, value in page.items():
        assert ("forms.example.org" in value) == (name in ("form-action", "connect-src")), name
        assert ("comments.example.org" in value) == (name in ("script-src", "connect-src")), name
    search = dict(d.split(" ", 1) for d in p["search"].split("; "))
    assert search["script-src"].startswith("'self' 'wasm-unsafe-eval' ")
    assert "'unsafe-eval'" not in p["search"] and "'unsafe-inline'" not in p["search"]
    intake = dict(d.split(" ", 1) for d in p["intake"].split("; "))
    assert intake["script-src"].startswith("'self' 'wasm-unsafe-eval' ")
    assert p["header"].endswith("frame-ancestors 'none'")
    bare = privacy.policies({}, {})
    assert "script-src 'self';" in bare["page"] and "form-action 'self'" in bare["page"]


def test_other_allowlisted_origins_may_serve_resources_but_not_receive_forms():
    practice = {"intake": {"endpoint": "https://forms.example.org/f/abc"}}
    settings = {"COMMENTS_URL": "https://comments.example.org",
                "PRIVACY_ALLOWED_ORIGINS": ["https://comments.example.org", "https://forms.example.org/",
                                            "https://media.example.org/x"]}
    page = dict(d.split(" ", 1) for d in privacy.policies(settings, practice)["page"].split("; "))
    assert page["script-src"] == "'self' https://comments.example.org https://media.example.org"
    assert page["img-src"] == "'self' data: https://media.example.org"
    assert page["frame-src"] == "https://media.example.org"
    assert page["form-action"] == "'self' https://forms.example.org"
