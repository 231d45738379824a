"""Site search: what Pagefind indexes, and searching in Chromium."""

import re
from collections import Counter

import pytest

from sitepages import CONTENT, html_files, metadata, soup

ARTICLES = sorted((CONTENT / "articles").glob("*.md"))


def body_words(path):
    text = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    text = re.sub(r"\(\{filename\}[^)]*\)|\[\^\d+\]|https?://\S+", " ", text)
    return set(re.findall(r"\b[a-z]{8,}\b", text.lower()))


def word_only_in(article):
    """A word in this article and in no other content file."""
    others = Counter()
    for path in sorted(CONTENT.rglob("*.md")):
        if path != article:
            others.update(body_words(path))
    for word in sorted(body_words(article)):
        if word not in others:
            return word
    pytest.skip(f"{article.name} has no word of its own")


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
@pytest.mark.parametrize("article", ARTICLES[:2], ids=lambda p: p.stem)
def test_a_word_from_one_article_finds_that_article(page, site_server, article):
    word = word_only_in(article)
    slug = metadata(article)["slug"]
    page.goto(site_server.url + "/search/")
    history = page.evaluate("history.length")
    hrefs = search_page_results(page, word)
    assert f"/blog/{slug}/" in hrefs, (word, hrefs)
    assert page.get_by_role("status").inner_text().endswith(f"found for \u201c{word}\u201d.")
    # The words are sent nowhere and kept out of the address ...
    assert page.url.endswith("/search/")
    assert not [u for u in page.watch.requests if word in u]
    # ... and searching again adds no history.
    page.get_by_label("Words to look for").fill("alliance")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("status").filter(has_text="alliance").wait_for()
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
def test_the_header_search_box_leads_to_results(page, site_server):
    page.goto(site_server.url + "/about/")
    header_search(page).fill("alliance online")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="alliance online").wait_for()
    assert page.get_by_role("link", name="The therapeutic alliance online and in person").count() == 1
    assert page.get_by_label("Words to look for").input_value() == "alliance online"
    # No request the browser made, to the site or the search index, carries the words.
    assert page.watch.requests
    assert not [u for u in page.watch.requests if "alliance" in u]
    assert page.watch.console_errors == []
    # The header box on the search page itself searches at once, in place.
    header_search(page).fill("trust")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="trust").wait_for()
    page.get_by_role("link", name="Trust is the basis of therapy").first.wait_for()
    assert page.get_by_label("Words to look for").input_value() == "trust"
    page.go_back()
    page.wait_for_url("**/about/")


@pytest.mark.browser
def test_the_words_are_not_kept_in_the_history(page, site_server):
    """After a search and a result, Back returns to the search page's bare
    address: the history keeps no trace of the words."""
    page.goto(site_server.url + "/about/")
    header_search(page).fill("alliance")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="alliance").wait_for()
    assert page.url == site_server.url + "/search/"
    page.locator(".search-results li h2 a").first.click()
    page.wait_for_url(lambda url: "/blog/" in url)
    page.go_back()
    page.wait_for_url(site_server.url + "/search/")
    page.go_back()
    page.wait_for_url(site_server.url + "/about/")
    page.go_forward()
    assert "alliance" not in page.url


@pytest.mark.browser
def test_an_old_address_with_the_words_in_the_query_still_searches(page, site_server):
    page.goto(site_server.url + "/search/?q=alliance")
    page.locator(".search-results li").first.wait_for()
    assert page.url.endswith("/search/")


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
