"""Author HTML that cannot run: titles are text wherever a template prints
them, and text that looks like HTML stays text in summaries, descriptions,
structured data, feeds and search results."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import run_build
from fixturesite import fixture_site
from offerfiles import FIXED_NOW, fixed_clock_settings, write_offer

TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)> Calm & steady"
PAGE_TITLE = "<svg onload=alert(3)> Our rooms"
OFFER_TITLE = "<b onclick=alert(4)>Group</b><script>5</script>"
# Text that looks like HTML, written as text: stays text everywhere.
SUMMARY = "Grounding &lt;script&gt;alert(6)&lt;/script&gt; &quot; onfocus=&quot;alert(7)"
BODY_TEXT = "Breathe out slowly. Quokkawords &lt;img src=x onerror=alert(8)&gt; here."

ARTICLE = """Title: {title}
Date: 2026-11-{day:02d} 09:00
Reviewed: 2026-11-{day:02d}
Category: Hostile category
Tags: hostiletag, trust
Slug: {slug}
Summary: {summary}

{body}

## A section &lt;img src=x onerror=alert(9)&gt;

More words for the table of contents to list. {filler}

## Another section

{filler}

## A third section

Short.
"""


def visible(node):
    return " ".join(node.get_text(" ").replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A fixture site (none of the demo's articles or offers) whose two
    articles, one page and one offer carry hostile titles."""
    filler = " ".join(["Steady words follow here."] * 200)
    articles = {f"{slug}.md": ARTICLE.format(title=TITLE, day=day, slug=slug, summary=SUMMARY,
                                              body=BODY_TEXT, filler=filler)
                for day, slug in ((20, "hostile-one"), (21, "hostile-two"))}
    pages = {"hostile-page.md": f"Title: {PAGE_TITLE}\nSlug: hostile-page\nSummary: {SUMMARY}\n\n{BODY_TEXT}\n"}
    project = fixture_site(tmp_path_factory.mktemp("hostile") / "project", articles=articles, pages=pages)
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nFEED_ALL_ATOM = "feeds/all.atom.xml"\n'
                                       'CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"\n')
    write_offer(project, "hostile-offer", FIXED_NOW - datetime.timedelta(days=1),
                FIXED_NOW + datetime.timedelta(days=30), title=OFFER_TITLE,
                text="A plain sentence about the offer.")
    out = project / "output"
    result = run_build(fixed_clock_settings(project), out, cwd=project)
    assert result.returncode == 0, result.stderr
    return out


def page(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def running(doc):
    """Elements that would run code: scripts that are not data or our own
    files, event-handler attributes, script URLs."""
    found = []
    for tag in doc.find_all(True):
        if tag.name == "script" and not tag.get("src") and tag.get("type") not in (
                "application/ld+json", "application/json"):
            found.append(str(tag)[:80])
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
            if isinstance(value, str) and value.strip().lower().startswith(("javascript:", "vbscript:")):
                found.append(f"<{tag.name} {name}={value}>")
        if tag.name in ("img", "svg", "b") and (tag.get("src") == "x" or tag.get("onload") or tag.get("onmouseover")):
            found.append(str(tag)[:80])
    return found


def test_nothing_an_author_wrote_runs_on_any_page(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        assert running(page(hostile_site, path)) == [], path


# Every template that prints a title, and where it prints it.
TITLE_PLACES = [
    ("blog/hostile-one/index.html", "h1#article-title", TITLE),
    ("blog/hostile-one/index.html", "title", TITLE),
    ("blog/index.html", "article h2 a[href$='/blog/hostile-two/']", TITLE),
    ("archives/index.html", "a[href$='/blog/hostile-one/']", TITLE),
    ("tag/hostiletag/index.html", "h2 a[href$='/blog/hostile-one/']", TITLE),
    ("category/hostile-category/index.html", "h2 a[href$='/blog/hostile-one/']", TITLE),
    ("blog/hostile-two/index.html", "li.prev a", TITLE),  # neighbours
    ("blog/hostile-one/index.html", "li.next a", TITLE),
    ("blog/hostile-two/index.html", "a[href$='/blog/hostile-one/']:not([rel])", TITLE),  # related posts
    ("blog/hostile-one/index.html", "nav.toc a", "A section <img src=x onerror=alert(9)>"),
    ("hostile-page/index.html", "h1#page-title", PAGE_TITLE),
    ("hostile-page/index.html", "title", PAGE_TITLE),
    ("offers/index.html", "li.offer-item h2", OFFER_TITLE),
    ("about/index.html", ".offer-banner-title", "Special offer: " + OFFER_TITLE),
]


@pytest.mark.parametrize("path,selector,text", TITLE_PLACES)
def test_titles_show_exactly_what_was_typed(hostile_site, path, selector, text):
    doc = page(hostile_site, path)
    found = [visible(n) for n in doc.select(selector)]
    assert found, (path, selector)
    assert any(text.replace("&", "&") in f for f in found), (found, text)


def test_descriptions_and_structured_data_keep_text_as_text(hostile_site):
    doc = page(hostile_site, "blog/hostile-one/index.html")
    description = doc.find("meta", attrs={"name": "description"})
    assert "<script>alert(6)</script>" in description["content"]
    assert set(description.attrs) == {"name", "content"}
    og = doc.find("meta", property="og:title")
    assert TITLE in " ".join(og["content"].replace("\u00a0", " ").split())
    [posting] = [d for d in (json.loads(s.string) for s in doc.find_all("script", type="application/ld+json"))
                 if d.get("@type") == "BlogPosting"]
    assert TITLE in " ".join(posting["headline"].replace("\u00a0", " ").split())
    assert "<script>alert(6)</script>" in posting["description"]
    # A </script> in the data cannot end the data's own script element.
    raw = (hostile_site / "blog" / "hostile-one" / "index.html").read_text()
    assert "</script><img" not in raw
    listing = page(hostile_site, "tag/hostiletag/index.html")
    assert any("<script>alert(6)</script>" in visible(p) for p in listing.select("article p"))


def test_feeds_carry_titles_as_text_and_no_running_html(hostile_site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for feed in ("feeds/all.atom.xml", "feeds/hostile-category.atom.xml"):
        root = ET.parse(hostile_site / feed).getroot()
        entries = [e for e in root.findall("a:entry", ns)
                   if "hostile-one" in (e.find("a:link", ns).get("href") or "")]
        assert entries, feed
        for entry in entries:
            title = entry.find("a:title", ns)
            assert title.get("type") in (None, "text")
            assert TITLE in " ".join(title.text.replace("\u00a0", " ").split())
            for part in ("a:summary", "a:content"):
                node = entry.find(part, ns)
                if node is not None and node.text:
                    assert running(BeautifulSoup(node.text, "html.parser")) == [], (feed, part)


@pytest.mark.browser
def test_search_results_show_titles_and_excerpts_as_text(hostile_site, page):
    from conftest import StaticServer

    with StaticServer(hostile_site) as server:
        page.goto(server.url + "/search/#q=Quokkawords")
        results = page.locator(".search-results li")
        results.first.wait_for()
        titles = [t.strip() for t in page.locator(".search-results li h2 a").all_inner_texts()]
        assert any(TITLE in " ".join(t.replace("\u00a0", " ").split()) for t in titles), titles
        excerpts = " ".join(page.locator(".search-results li p").all_inner_texts())
        assert "<img src=x onerror=alert(8)>" in excerpts, excerpts
        # Nothing in the results is markup other than Pagefind's highlights.
        assert page.locator(".search-results li script, .search-results li img, "
                            ".search-results li [onerror]").count() == 0
        assert page.evaluate("document.querySelectorAll('script:not([src]):not([type])').length") == 0
        assert page.watch.foreign_requests(server.url) == []
