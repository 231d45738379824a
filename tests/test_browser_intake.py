"""In Chromium: the request form reaches the intake inbox on loopback with
exactly its fields, shows the error summary when answers are missing, is
checked by the inbox without JavaScript; "Exit this page" leaves for good."""

import urllib.parse

import pytest

from intakesite import connected_site_fixture, no_storage_used

pytestmark = pytest.mark.browser
connected_site = pytest.fixture(scope="module")(connected_site_fixture)

EXPECTED = [
    ("name", "Sam"), ("contact_by", "phone"), ("email", "sam@example.org"),
    ("phone", "+1 555 010 0199"), ("location", "WI"), ("format", "video"),
    ("availability", "monday-to-thursday-mornings"), ("availability", "friday-mornings"),
    ("reason", ""), ("heard", "friend"), ("not_emergency", "yes"), ("privacy", "yes"),
]


def fill(page):
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Phone call").check()
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Phone number").fill("+1 555 010 0199")
    page.get_by_label("Where will you be during sessions?").select_option("WI")
    page.get_by_label("Video").check()
    page.get_by_label("Monday to Thursday mornings").check()
    page.get_by_label("Friday mornings").check()
    page.get_by_label("How did you hear about us? (optional)").select_option("friend")
    page.get_by_label("I understand that this form is not for emergencies").check()
    page.get_by_label("I have read the privacy notice.").check()


def thanked(page, site):
    page.wait_for_url(site.url + "/thank-you/")
    return page.locator("h1").count() == 1 and "404" not in page.title()


def test_the_form_is_sealed_in_the_browser_and_arrives_exactly(page, connected_site):
    before = len(connected_site.received())
    sent = []
    page.on("request", lambda r: r.method == "POST" and sent.append((r.url, r.headers, r.post_data_buffer)))
    page.goto(connected_site.url + "/intake/")
    assert page.locator("form.intake-form").get_attribute("method") == "post"
    fill(page)
    page.get_by_role("button", name="Send request").click()
    assert thanked(page, connected_site)
    assert connected_site.received()[before:] == [EXPECTED]
    # What left the page was ciphertext only: none of the typed values.
    assert [url for url, _, _ in sent] == [connected_site.inbox.url + "/requests"]
    (_, headers, body) = sent[0]
    assert headers["content-type"] == "application/octet-stream"
    for _, value in EXPECTED:
        if len(value) >= 3:
            assert value.encode() not in body and urllib.parse.quote_plus(value).encode() not in body
    assert page.watch.console_errors == []
    origins = {connected_site.url, connected_site.inbox.url}
    assert [u for u in page.watch.requests if not any(u.startswith(o) for o in origins)] == []
    assert no_storage_used(page)


def test_empty_form_shows_the_error_summary_linking_to_each_field(page, connected_site):
    before = len(connected_site.received())
    page.goto(connected_site.url + "/intake/")
    title = page.title()
    page.get_by_role("button", name="Send request").click()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    # GOV.UK's pattern: the summary, focused, holds an alert with its heading and list.
    alert = summary.get_by_role("alert")
    assert alert.locator("h2").inner_text() == "There is a problem"
    assert alert.locator("a").count() > 0
    assert page.title() == "Error: " + title
    links = summary.locator("a")
    required = [f for f in connected_site.fields if f["required"]]
    assert links.count() == len(required)
    for i, field in enumerate(required):
        link = links.nth(i)
        assert link.inner_text() == field["messages"]["missing"]
        link.click()
        assert page.evaluate("document.activeElement.id") == field["target"]
        error = page.locator(f"#{field['error_id']}")
        assert error.is_visible() and field["messages"]["missing"] in error.inner_text()
    # Nothing was sent while the answers were missing.
    assert len(connected_site.received()) == before
    # A bad email address is named as such; fixing the rest clears the summary.
    fill(page)
    page.get_by_label("Email address").fill("sam-at-example")
    page.get_by_role("button", name="Send request").click()
    assert summary.locator("a").all_inner_texts() == [
        "Enter an email address in the correct format, like name@example.com"]
    assert page.get_by_label("Email address").get_attribute("aria-invalid") == "true"
    assert "intake-email-error" in page.get_by_label("Email address").get_attribute("aria-describedby")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("button", name="Send request").click()
    assert thanked(page, connected_site)
    assert len(connected_site.received()) == before + 1


def test_a_call_or_a_text_needs_a_phone_number(page, connected_site):
    before = len(connected_site.received())
    page.goto(connected_site.url + "/intake/")
    fill(page)
    page.get_by_label("Text message").check()
    page.get_by_label("Phone number").fill("")
    page.get_by_role("button", name="Send request").click()
    summary = page.locator("[data-error-summary]")
    assert summary.locator("a").all_inner_texts() == ["Enter your phone number"]
    assert summary.locator("a").get_attribute("href") == "#intake-phone"
    assert len(connected_site.received()) == before
    # By email, the number may stay empty.
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Send request").click()
    assert thanked(page, connected_site)
    last = dict(connected_site.received()[-1])
    assert last["contact_by"] == "email" and last["phone"] == ""


def test_without_javascript_the_inbox_checks_the_form(browser, connected_site):
    received = len(connected_site.received())
    ctx = browser.new_context(java_script_enabled=False)
    try:
        p = ctx.new_page()
        p.goto(connected_site.url + "/intake/")
        with p.expect_navigation():
            p.get_by_role("button", name="Send request").click()
        assert p.locator("h1").inner_text() == "There is a problem"
        assert "Enter your name" in p.locator("main").inner_text()
        assert len(connected_site.received()) == received
        p.go_back()
        fill(p)
        p.get_by_role("button", name="Send request").click()
        assert thanked(p, connected_site)
        assert connected_site.received()[received:] == [EXPECTED]
    finally:
        ctx.close()


@pytest.mark.parametrize("path", ["/intake/", "/eligibility/", "/crisis/"])
def test_exit_this_page_leaves_and_back_does_not_return(page, connected_site, path):
    page.goto(connected_site.url + "/")
    page.goto(connected_site.url + path)
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(connected_site.neutral_url)
    assert page.locator("h1").inner_text() == "Weather"
    page.go_back()
    page.wait_for_load_state("load")
    assert page.url == connected_site.url + "/"


def test_pressing_shift_three_times_exits(page, connected_site):
    page.goto(connected_site.url + "/")
    page.goto(connected_site.url + "/eligibility/")
    assert page.get_by_text("or press Shift 3 times").is_visible()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(connected_site.neutral_url)
    page.go_back()
    page.wait_for_load_state("load")
    assert page.url == connected_site.url + "/"


def test_exit_control_works_without_javascript(browser, connected_site):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        p = ctx.new_page()
        p.goto(connected_site.url + "/crisis/")
        p.get_by_role("link", name="Exit this page").click()
        p.wait_for_url(connected_site.neutral_url)
    finally:
        ctx.close()


def test_narrow_screen_has_no_horizontal_scroll(browser, connected_site):
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        p = ctx.new_page()
        p.goto(connected_site.url + "/intake/")
        p.get_by_role("button", name="Send request").click()  # with the error summary
        p.goto(connected_site.url + "/eligibility/")
        p.check('input[name="safety"][value="yes"]')  # with the crisis panel
        for _ in range(2):
            overflow = p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, p.url
            p.goto(connected_site.url + "/intake/")
            p.get_by_role("button", name="Send request").click()
    finally:
        ctx.close()
