"""The crisis page puts its numbers first; the eligibility page offers its
check from the top; printing leaves out the controls."""

import pytest

from test_browser_basics import first_article_url

from sitepages import soup


def position(html, needle):
    index = html.find(needle)
    assert index >= 0, needle
    return index


def test_crisis_page_puts_the_numbers_before_its_text(site):
    html = (site / "crisis" / "index.html").read_text()
    main = html[position(html, '<main'):]
    first_call = position(main, 'href="tel:')
    assert first_call < position(main, 'class="prose"')
    doc = soup(site / "crisis" / "index.html")
    prose = doc.find(class_="prose").get_text(" ")
    assert "listed below" not in prose and "list below" not in prose
    for number in ("tel:988", "sms:741741?body=HOME", "tel:911"):
        assert doc.find("main").find("a", href=number), number


def test_other_practice_facts_still_follow_the_text(site):
    html = (site / "about" / "index.html").read_text()
    assert position(html, 'class="prose"') < position(html, 'class="facts')


def test_crisis_page_points_visitors_outside_the_us_somewhere(site):
    doc = soup(site / "crisis" / "index.html")
    link = doc.find(class_="prose").find("a", href="https://findahelpline.com/")
    assert link is not None and "noreferrer" in link.get("rel", [])


def test_eligibility_page_links_to_its_check_from_the_top(site):
    html = (site / "eligibility" / "index.html").read_text()
    doc = soup(site / "eligibility" / "index.html")
    jump = doc.find("main").find("a", href="#eligibility-check")
    assert jump is not None and "check" in jump.get_text()
    assert position(html, 'href="#eligibility-check"') < position(html, 'class="prose"')
    target = doc.find(id="eligibility-check")
    assert target.find(attrs={"data-screener": True}) is not None


@pytest.mark.browser
def test_first_call_button_is_on_the_first_phone_screen(browser, site_server):
    ctx = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(site_server.url + "/crisis/")
        call = page.locator("main a[href^='tel:']").first
        box = call.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 640, box
        assert call.is_visible()
    finally:
        ctx.close()


@pytest.mark.browser
def test_start_the_check_link_takes_a_phone_to_the_first_question(browser, site_server):
    ctx = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(site_server.url + "/eligibility/")
        page.get_by_role("link", name="Start the short check").click()
        question = page.locator("[data-question] legend").first
        question.wait_for(state="visible")
        box = question.bounding_box()
        # In view, and not under the sticky "Exit this page" bar.
        bar = page.locator(".exit-this-page").bounding_box()
        assert box["y"] >= bar["y"] + bar["height"] - 1 and box["y"] + box["height"] <= 640, (box, bar)
    finally:
        ctx.close()


@pytest.mark.browser
def test_without_javascript_there_is_no_link_to_a_check_that_cannot_run(browser, site_server):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(site_server.url + "/eligibility/")
        assert not page.get_by_role("link", name="Start the short check").is_visible()
        assert page.locator("[data-screener-nojs]").is_visible()
    finally:
        ctx.close()


@pytest.mark.browser
def test_printing_leaves_out_controls_and_comments(page, site_server):
    page.emulate_media(media="print")
    page.goto(site_server.url + first_article_url())
    assert page.locator("main .prose").is_visible()
    for selector in (".comments", ".site-search", ".offer-banners", ".offer-dismiss"):
        for element in page.locator(selector).all():
            assert not element.is_visible(), selector
    assert page.locator(".comments").count() == 1  # it is there on screen
    page.goto(site_server.url + "/crisis/")
    assert page.locator(".exit-this-page").count() == 1
    assert not page.locator(".exit-this-page").is_visible()
    assert page.locator(".crisis-lines").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".exit-this-page").is_visible()
