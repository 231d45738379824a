"""Site search: what Pagefind indexes, and searching in Chromium.

The searches in the browser run on a site of the tests' own articles
(``search_site``), so they hold whatever articles a practice writes."""

import re

import pytest

from conftest import StaticServer, built_once, run_build
from sitepages import CONTENT, html_files, metadata, soup

ARTICLES = sorted((CONTENT / "articles").glob("*.md"))

# The tests' articles, each with words of its own (WORDS), and their titles.
SEARCH_ARTICLES = {
    "lighthouse.md": "Title: Lighthouse keepers and their evenings\nDate: 2026-02-02 09:00\n"
                     "Reviewed: 2026-02-02\nCategory: Tests\nTags: testing\nSlug: lighthouse-keepers\n"
                     "Summary: An article the search tests look for.\n\n"
                     "Lighthouse keepers trimmed the lantern wicks every evening.\n",
    "orchard.md": "Title: An orchard in springtime\nDate: 2026-02-03 09:00\n"
                  "Reviewed: 2026-02-03\nCategory: Tests\nTags: testing\nSlug: an-orchard\n"
                  "Summary: Another article the search tests look for.\n\n"
                  "The orchard blossoms while beekeepers watch their hives.\n",
}
WORDS = {"lighthouse-keepers": ("lighthouse", "keepers"), "an-orchard": ("orchard", "beekeepers")}
TITLES = {"lighthouse-keepers": "Lighthouse keepers and their evenings",
          "an-orchard": "An orchard in springtime"}


@pytest.fixture(scope="session")
def search_site(tmp_path_factory):
    from fixturesite import fixture_site

    def make(folder):
        project = fixture_site(folder / "project", articles=SEARCH_ARTICLES)
        out = project / "output"
        result = run_build("pelicanconf.py", out, cwd=project)
        assert result.returncode == 0, result.stderr
        return out

    out = built_once(tmp_path_factory, "search", make)
    with StaticServer(out) as server:
        server.site = out
        yield server


def words_elsewhere(project, slug, word):
    """The content files, other than the article ``slug``, that have ``word``."""
    return [path for path in sorted((project / "content").rglob("*.md"))
            if metadata(path).get("slug") != slug
            and re.search(rf"\b{word}\b", path.read_text(encoding="utf-8"), re.I)]


def test_articles_and_practice_pages_are_indexed_listings_are_not(site):
    indexed = {p.relative_to(site).as_posix() for p in html_files(site)
               if soup(p).find(attrs={"data-pagefind-body": True})}
    expected = {f"blog/{metadata(a)['slug']}/index.html" for a in ARTICLES}
    # The pages of the project the site was built from (the demo's, and the
    # offer page the shared build's offer links).
    expected |= {f"{metadata(p)['slug']}/index.html" for p in (site.parent / "content" / "pages").glob("*.md")}
    expected.discard("search/index.html")
    assert indexed == expected
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()


def test_pagefinds_bundle_loads_nothing_from_another_origin(site):
    """The build's guard leaves Pagefind's bundle alone (Pagefind writes it
    while the guard reads): the same guard, with no origin allowed, reads
    the bundle this Pagefind wrote, scripts, styles and all."""
    from practice import guard

    bundle = site / "pagefind"
    files = list(guard.output.site_files(bundle))
    assert {path.rsplit(".", 1)[1] for path, _kind in files} >= {"js", "css"}
    assert len(guard.check_output(bundle, allowed=(), own=(), code="test")) == len(files)


def test_pagefind_loads_only_on_the_search_page(site):
    for path in html_files(site):
        uses = "/pagefind/" in path.read_text(encoding="utf-8")
        assert uses == (path == site / "search" / "index.html"), path



def search_page_results(page, word):
    """On the search page: search for ``word``; the result links' addresses."""
    page.get_by_label("Words to look for").fill(word)
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator(".search-results li h2 a")
    results.first.wait_for()
    return [a.get_attribute("href") for a in results.all()]


@pytest.mark.browser
@pytest.mark.parametrize("slug", sorted(WORDS))
def test_a_word_from_one_article_finds_that_article(page, search_site, slug):
    site_server = search_site
    word = WORDS[slug][0]
    assert words_elsewhere(search_site.site.parent, slug, word) == []  # a word of its own
    again = next(words[0] for other, words in WORDS.items() if other != slug)
    page.goto(site_server.url + "/search/")
    history = page.evaluate("history.length")
    hrefs = search_page_results(page, word)
    assert f"/blog/{slug}/" in hrefs, (word, hrefs)
    assert page.get_by_role("status").inner_text().endswith(f"found for \u201c{word}\u201d.")
    # The words are sent nowhere and kept out of the address ...
    assert page.url.endswith("/search/")
    assert not [u for u in page.watch.requests if word in u]
    # ... and searching again adds no history.
    page.get_by_label("Words to look for").fill(again)
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("status").filter(has_text=again).wait_for()
    assert page.url.endswith("/search/")
    assert page.evaluate("history.length") == history
    assert page.watch.console_errors == []
    assert page.watch.foreign_requests(site_server.url) == []



def header_search(page):
    """The search box in the header's menu, on a phone: open the menu first."""
    page.set_viewport_size({"width": 375, "height": 812})
    menu = page.locator("details.menu")
    if not menu.evaluate("m => m.open"):
        menu.locator("summary").click()
    return menu.get_by_role("searchbox", name="Search")


@pytest.mark.browser
def test_the_header_search_box_leads_to_results(page, search_site):
    site_server = search_site
    words = " ".join(WORDS["lighthouse-keepers"])
    page.goto(site_server.url + "/about/")
    header_search(page).fill(words)
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text=words).wait_for()
    assert page.get_by_role("link", name=TITLES["lighthouse-keepers"]).count() == 1
    assert page.get_by_label("Words to look for").input_value() == words
    # No request the browser made, to the site or the search index, carries the words.
    assert page.watch.requests
    assert not [u for u in page.watch.requests if WORDS["lighthouse-keepers"][0] in u.lower()]
    assert page.watch.console_errors == []
    # The header box on the search page itself searches at once, in place.
    other = WORDS["an-orchard"][0]
    header_search(page).fill(other)
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text=other).wait_for()
    page.get_by_role("link", name=TITLES["an-orchard"]).first.wait_for()
    assert page.get_by_label("Words to look for").input_value() == other
    page.go_back()
    page.wait_for_url("**/about/")


@pytest.mark.browser
def test_the_words_are_not_kept_in_the_history(page, search_site):
    """After a search and a result, Back returns to the search page's bare
    address: the history keeps no trace of the words."""
    site_server = search_site
    word = WORDS["lighthouse-keepers"][0]
    page.goto(site_server.url + "/about/")
    header_search(page).fill(word)
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text=word).wait_for()
    assert page.url == site_server.url + "/search/"
    page.locator(".search-results li h2 a").first.click()
    page.wait_for_url(lambda url: "/blog/" in url)
    page.go_back()
    page.wait_for_url(site_server.url + "/search/")
    page.go_back()
    page.wait_for_url(site_server.url + "/about/")
    page.go_forward()
    assert word not in page.url


@pytest.mark.browser
def test_an_old_address_with_the_words_in_the_query_still_searches(page, search_site):
    page.goto(search_site.url + "/search/?q=" + WORDS["an-orchard"][0])
    page.locator(".search-results li").first.wait_for()
    assert page.url.endswith("/search/")
    assert page.locator(".search-results a[href='/blog/an-orchard/']").count() == 1


@pytest.mark.browser
def test_nothing_found_points_to_the_archives(page, site_server):
    page.goto(site_server.url + "/search/#q=zzzqqqxx")
    page.get_by_text("Nothing found for").wait_for()
    assert page.get_by_role("link", name="in the archives, newest first").is_visible()


@pytest.mark.browser
def test_without_javascript_the_search_page_points_to_the_archives(browser, site_server):
    ctx = browser.new_context(java_script_enabled=False)
    sent = []
    try:
        p = ctx.new_page()
        p.goto(site_server.url + "/")
        p.on("request", lambda r: sent.append(r.url))
        header_search(p).fill("trust")
        p.keyboard.press("Enter")
        p.wait_for_url(lambda url: "/search/" in url)
        # The words are not sent: the search page cannot use them without JavaScript.
        assert not [u for u in sent if "trust" in u]
        link = p.get_by_role("link", name="in the archives, newest first")
        assert link.is_visible()
        link.click()
        p.wait_for_url("**/archives/")
    finally:
        ctx.close()
