"""In Chromium, with the visitor's clock under control: an offer built into a
site before it starts appears when it starts and goes when it ends, without
a rebuild; dismissing it lasts across pages and reloads; nothing shifts."""

import datetime

import pytest

from conftest import StaticServer, run_build
from fixturesite import fixture_site, own_article
from offerfiles import FIXED_NOW, OFFER_PAGE, fixed_clock_settings, write_offer

pytestmark = pytest.mark.browser

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
ARTICLE = "/blog/an-article-of-the-tests/"  # fixturesite.own_article
BANNER = "#offer-spring-hours"

# Collects layout shifts from the very start of each document.
CLS_OBSERVER = """
window.__layoutShift = 0;
window.__addShifts = function (entries) {
  entries.forEach(function (entry) {
    if (!entry.hadRecentInput) { window.__layoutShift += entry.value; }
  });
};
window.__shiftObserver = new PerformanceObserver(function (list) {
  window.__addShifts(list.getEntries());
});
window.__shiftObserver.observe({type: "layout-shift", buffered: true});
"""
# Every shift so far: those delivered, plus those recorded but not yet
# delivered to the observer (takeRecords hands them over at once).
READ_SHIFTS = "() => { window.__addShifts(window.__shiftObserver.takeRecords()); return window.__layoutShift; }"


def write_spring_hours(project, starts, ends,
                       text="We are adding evening video sessions on Tuesdays and Thursdays."):
    write_offer(project, "spring-hours", starts, ends, title="Evening hours this spring", text=text)


@pytest.fixture(scope="module")
def schedule(tmp_path_factory):
    """A site built at the fixed moment, before its only offer starts (two days later)."""
    project = fixture_site(tmp_path_factory.mktemp("offers-browser") / "project")
    own_article(project)
    now = FIXED_NOW
    starts, ends = now + 2 * DAY, now + 5 * DAY
    write_spring_hours(project, starts, ends)
    out = project / "output"
    result = run_build(fixed_clock_settings(project), out, cwd=project)
    assert result.returncode == 0, result.stderr
    with StaticServer(out) as server:
        yield {"url": server.url, "built": now, "starts": starts, "ends": ends}


@pytest.fixture
def visitor(browser):
    """A fresh browser profile; its clock is installed by each test."""
    ctx = browser.new_context(viewport={"width": 1000, "height": 700})
    ctx.add_init_script(CLS_OBSERVER)
    yield ctx
    ctx.close()


def open_at(visitor, schedule, when, path="/"):
    page = visitor.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.errors = errors
    page.clock.install(time=when)
    page.goto(schedule["url"] + path)
    return page


def layout_shift(page):
    # A screenshot waits for a rendered frame: every shift of the page as
    # shown has been recorded by then, delivered to the observer or not.
    page.screenshot()
    return page.evaluate(READ_SHIFTS)


def test_hidden_before_the_start(visitor, schedule):
    page = open_at(visitor, schedule, schedule["starts"] - HOUR)
    assert page.locator(BANNER).count() == 1  # carried, waiting
    assert not page.locator(BANNER).is_visible()
    assert page.errors == []


def test_shown_during_the_offer_without_moving_the_page(visitor, schedule):
    page = open_at(visitor, schedule, schedule["starts"] + HOUR)
    banner = page.get_by_role("region", name="Special offer: Evening hours this spring")
    assert banner.is_visible()
    assert banner.get_by_role("link", name="Details of the offer").get_attribute("href") == f"/{OFFER_PAGE}/"
    assert banner.get_by_role("button", name="Dismiss this offer").is_visible()
    assert layout_shift(page) < 0.01
    page.goto(schedule["url"] + ARTICLE)
    assert page.locator(BANNER).is_visible()
    assert layout_shift(page) < 0.01
    assert page.errors == []


def test_hidden_after_the_end(visitor, schedule):
    page = open_at(visitor, schedule, schedule["ends"] + HOUR, ARTICLE)
    assert page.locator(BANNER).count() == 1
    assert not page.locator(BANNER).is_visible()
    assert page.errors == []


def test_appears_when_the_clock_reaches_the_start(visitor, schedule):
    page = open_at(visitor, schedule, schedule["starts"] - HOUR)
    assert not page.locator(BANNER).is_visible()
    page.clock.fast_forward("02:00:00")
    page.reload()
    assert page.locator(BANNER).is_visible()
    page.clock.fast_forward(int(3 * DAY.total_seconds() * 1000))
    page.reload()
    assert not page.locator(BANNER).is_visible()


def test_current_offers_page_follows_the_clock(visitor, schedule):
    page = open_at(visitor, schedule, schedule["starts"] - HOUR, "/offers/")
    assert not page.get_by_role("heading", name="Evening hours this spring").is_visible()
    assert page.get_by_text("There are no special offers at the moment.").is_visible()
    page.clock.fast_forward("02:00:00")
    page.reload()
    assert page.get_by_role("heading", name="Evening hours this spring").is_visible()
    assert not page.get_by_text("There are no special offers at the moment.").is_visible()
    assert page.locator(".offer-banner").count() == 0


def test_dismissal_lasts_across_pages_and_reloads(visitor, schedule):
    page = open_at(visitor, schedule, schedule["starts"] + HOUR)
    page.get_by_role("button", name="Dismiss this offer").click()
    assert not page.locator(BANNER).is_visible()
    page.goto(schedule["url"] + ARTICLE)
    assert page.locator(BANNER).count() == 1
    assert not page.locator(BANNER).is_visible()
    page.reload()
    assert not page.locator(BANNER).is_visible()
    keys = page.evaluate("Object.keys(localStorage)")
    assert len(keys) == 1 and keys[0].startswith("offer-dismissed:spring-hours:")
    assert visitor.cookies() == []
    assert page.evaluate("document.cookie") == ""


def test_an_edited_offer_shows_again(browser, tmp_path):
    """A dismissal is for one wording: after the offer's text changes, it shows again."""
    project = fixture_site(tmp_path / "project")
    own_article(project)
    starts, ends = FIXED_NOW - DAY, FIXED_NOW + 5 * DAY
    write_spring_hours(project, starts, ends)
    settings, out = fixed_clock_settings(project), project / "output"
    assert run_build(settings, out, cwd=project).returncode == 0
    ctx = browser.new_context()
    try:
        with StaticServer(out) as server:
            page = ctx.new_page()
            page.clock.install(time=FIXED_NOW)
            page.goto(server.url + "/")
            page.get_by_role("button", name="Dismiss this offer").click()
            page.reload()
            assert page.locator(BANNER).count() == 1
            assert not page.locator(BANNER).is_visible()  # dismissed, and it stays so
            write_spring_hours(project, starts, ends,
                               text="Evening video sessions now run on Tuesdays, Wednesdays and Thursdays.")
            assert run_build(settings, out, cwd=project).returncode == 0
            page.reload()
            assert page.locator(BANNER).is_visible()
            # The banner is one line (the title); the new text is on the offers page.
            page.goto(server.url + "/offers/")
            assert "Wednesdays" in page.locator("main").inner_text()
    finally:
        ctx.close()


def test_dismiss_with_the_keyboard(visitor, schedule):
    page = open_at(visitor, schedule, schedule["starts"] + HOUR, ARTICLE)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('offer-dismiss')"):
            break
    else:
        pytest.fail("the dismiss button is not reachable with Tab")
    # It is reached right after the banner's links, before the page's content.
    assert page.evaluate("document.activeElement.closest('.offer-banner').id") == "offer-spring-hours"
    page.keyboard.press("Enter")
    assert not page.locator(BANNER).is_visible()
    assert page.evaluate("document.activeElement.id") == "main"
    page.reload()
    assert not page.locator(BANNER).is_visible()


def test_works_under_a_strict_content_security_policy(visitor, schedule):
    """No inline script or style: the banner works with script-src 'self'."""
    def with_csp(route):
        response = route.fetch()
        headers = dict(response.headers)
        if "text/html" in headers.get("content-type", ""):
            headers["content-security-policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:")
        route.fulfill(response=response, headers=headers)

    page = visitor.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", with_csp)
    page.clock.install(time=schedule["starts"] + HOUR)
    page.goto(schedule["url"] + "/")
    assert page.locator(BANNER).is_visible()
    page.get_by_role("button", name="Dismiss this offer").click()
    assert not page.locator(BANNER).is_visible()
    assert errors == []


def test_without_javascript_the_build_time_state_shows(browser, schedule):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(schedule["url"] + "/")
        # Built before the start: nothing shows, and no dead dismiss button.
        assert page.locator(BANNER).count() == 1
        assert not page.locator(BANNER).is_visible()
        assert not page.locator(".offer-dismiss").is_visible()
    finally:
        ctx.close()
