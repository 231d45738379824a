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
    expected |= {f"{metadata(p)['slug']}/index.html" for p in (CONTENT / "pages").glob("*.md")}
    expected.discard("search/index.html")
    assert indexed == expected
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()


def test_pagefind_loads_only_on_the_search_page(site):
    for path in html_files(site):
        uses = "/pagefind/" in path.read_text(encoding="utf-8")
        assert uses == (path == site / "search" / "index.html"), path



@pytest.mark.browser
@pytest.mark.parametrize("article", ARTICLES[:2], ids=lambda p: p.stem)
def test_a_word_from_one_article_finds_that_article(page, site_server, article):
    word = word_only_in(article)
    slug = metadata(article)["slug"]
    page.goto(site_server.url + "/search/")
    page.get_by_label("Words to look for").fill(word)
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator(".search-results li h2 a")
    results.first.wait_for()
    hrefs = [a.get_attribute("href") for a in results.all()]
    assert f"/blog/{slug}/" in hrefs, (word, hrefs)
    assert page.get_by_role("status").inner_text().endswith(f"found for \u201c{word}\u201d.")
    assert page.url.endswith(f"/search/?q={word}")
    assert page.watch.console_errors == []
    assert page.watch.foreign_requests(site_server.url) == []


@pytest.mark.browser
def test_the_header_search_box_leads_to_results(page, site_server):
    page.goto(site_server.url + "/about/")
    page.get_by_role("searchbox", name="Search").fill("alliance")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=alliance")
    page.locator(".search-results li").first.wait_for()
    assert page.get_by_role("link", name="The therapeutic alliance online and in person").count() == 1
    assert page.watch.console_errors == []


@pytest.mark.browser
def test_nothing_found_points_to_the_archives(page, site_server):
    page.goto(site_server.url + "/search/?q=zzzqqqxx")
    page.get_by_text("Nothing found for").wait_for()
    assert page.get_by_role("link", name="in the archives, newest first").is_visible()


@pytest.mark.browser
def test_without_javascript_the_search_page_points_to_the_archives(browser, site_server):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        p = ctx.new_page()
        p.goto(site_server.url + "/")
        p.get_by_role("searchbox", name="Search").fill("trust")
        p.keyboard.press("Enter")
        p.wait_for_url("**/search/?q=trust")
        link = p.get_by_role("link", name="in the archives, newest first")
        assert link.is_visible()
        link.click()
        p.wait_for_url("**/archives/")
    finally:
        ctx.close()
