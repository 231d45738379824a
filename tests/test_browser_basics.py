"""In Chromium: a reader goes from the home page to an article and back."""

import pytest

from sitepages import CONTENT, metadata

pytestmark = pytest.mark.browser


def practice_name():
    import yaml
    return yaml.safe_load((CONTENT / "practice.yaml").read_text(encoding="utf-8"))["name"]


def first_article_url():
    """Any article of the site will do: the first by file name."""
    return f"/blog/{metadata(sorted((CONTENT / 'articles').glob('*.md'))[0])['slug']}/"


def test_home_to_article_and_back(page, site_server):
    origin = site_server.url
    page.goto(origin + "/")
    assert page.title().startswith(practice_name())
    first = page.locator(".article-list :is(h2, h3) a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == title
    assert "/blog/" in page.url
    page.go_back()
    page.wait_for_load_state("load")
    assert page.url == origin + "/"
    assert page.watch.console_errors == []
    assert page.watch.foreign_requests(origin) == []
    assert len(page.watch.requests) >= 4  # two documents and their stylesheet, at least


def test_crisis_help_is_one_step_away_from_any_page(page, site_server):
    page.goto(site_server.url + first_article_url())
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.get_by_role("link", name="Crisis help and emergency numbers").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/crisis/")
    call = page.locator("main .crisis-lines a[href^='tel:']").first
    number = call.inner_text().removeprefix("Call ").strip()  # the practice's first line
    assert call.get_attribute("href") == "tel:" + "".join(c for c in number if c.isdigit() or c == "+")


def test_narrow_screen_has_no_horizontal_scroll(browser, site_server):
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        p = ctx.new_page()
        for path in ("/", first_article_url(), "/fees/", "/about/", "/crisis/"):
            p.goto(site_server.url + path)
            overflow = p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, path
    finally:
        ctx.close()


def test_unknown_address_shows_the_404_page(page, site_server):
    response = page.goto(site_server.url + "/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.get_by_role("link", name="see the crisis lines and emergency numbers").is_visible()
