"""In Chromium: the eligibility check, answered with the mouse and with the
keyboard, with no request and nothing stored while answering."""

import pytest

from intakesite import connected_site_fixture, no_storage_used
from practice.core.eligibility import paths

pytestmark = pytest.mark.browser
connected_site = pytest.fixture(scope="module")(connected_site_fixture)


def visible_outcomes(page):
    return page.eval_on_selector_all("[data-outcome]", "els => els.filter(e => !e.hidden)"
                                     ".map(e => e.dataset.outcome)")


def answer(page, question, value):
    page.check(f'input[name="{question}"][value="{value}"]')


def test_every_path_reaches_its_outcome_without_requests_or_storage(page, connected_site):
    url = connected_site.url + "/eligibility/"
    found = paths(connected_site.eligibility)
    assert len(found) >= 10
    for answers, outcome in found:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.locator("[data-screener]").is_visible()
        assert visible_outcomes(page) == []
        before = len(page.watch.requests)
        kept = []
        for question, value in answers:
            if value is None:  # "not in immediate danger": go on past a crisis outcome
                panel = page.locator(f'[data-outcome="{question}"]')
                panel.locator("[data-screener-go-on]").click()
                # The crisis lines stay in view; the button has done its work.
                assert panel.is_visible() and not panel.locator("[data-screener-go-on]").is_visible()
                kept.append(question)
                continue
            assert page.locator(f'[data-question="{question}"]').is_visible(), (answers, question)
            answer(page, question, value)
        assert sorted(visible_outcomes(page)) == sorted(kept + [outcome]), answers
        assert page.locator(f'[data-outcome="{outcome}"]').is_visible()
        assert len(page.watch.requests) == before, page.watch.requests[before:]
        assert page.url == url
        assert no_storage_used(page)
    assert page.watch.console_errors == []


def test_a_safety_answer_shows_the_crisis_panel_first(page, connected_site):
    page.goto(connected_site.url + "/eligibility/")
    first = connected_site.eligibility["questions"][0]
    safety = [o for o in first["options"] if o["safety"]][0]
    answer(page, first["id"], safety["value"])
    crisis = page.locator('[data-outcome="crisis"]')
    assert crisis.is_visible()
    assert visible_outcomes(page) == ["crisis"]
    assert crisis.bounding_box()["y"] < page.locator(f'[data-question="{first["id"]}"]').bounding_box()["y"]
    assert crisis.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    assert crisis.get_by_role("link", name="Text 988").get_attribute("href") == "sms:988"
    # Later questions stay hidden; answering "No" instead takes the panel away.
    assert page.locator("[data-question]:visible").count() == 1
    safe = [o for o in first["options"] if not o["safety"]][0]
    answer(page, first["id"], safe["value"])
    assert visible_outcomes(page) == []
    assert page.locator("[data-question]:visible").count() == 2


def test_not_sure_shows_the_crisis_lines_then_goes_on_to_care(page, connected_site):
    page.goto(connected_site.url + "/eligibility/")
    first = connected_site.eligibility["questions"][0]
    outcomes = {o["name"]: o for o in connected_site.eligibility["outcomes"]}
    option = next(o for o in first["options"] if o["safety"] and outcomes[o["next"]]["then"])
    answer(page, first["id"], option["value"])
    panel = page.locator(f'[data-outcome="{option["next"]}"]')
    # The crisis lines come first, before any way on.
    call = panel.locator('a[href^="tel:"]').first
    go_on = panel.locator("[data-screener-go-on]")
    assert call.is_visible() and go_on.is_visible()
    assert call.bounding_box()["y"] < go_on.bounding_box()["y"]
    assert page.locator("[data-question]:visible").count() == 1
    go_on.click()
    then = outcomes[option["next"]]["then"]
    assert page.locator(f'[data-question="{then}"]').is_visible()
    assert page.evaluate("document.activeElement.name") == then
    assert panel.is_visible()
    # Changing the first answer takes the crisis panel away again.
    safe = [o for o in first["options"] if not o["safety"]][0]
    answer(page, first["id"], safe["value"])
    assert visible_outcomes(page) == []


def test_a_later_change_of_answer_takes_a_new_path(page, connected_site):
    page.goto(connected_site.url + "/eligibility/")
    for q, v in [("safety", "no"), ("psychosis", "no"), ("withdrawal", "no"), ("age", "no")]:
        answer(page, q, v)
    assert visible_outcomes(page) == ["under-age"]
    answer(page, "psychosis", "yes")
    assert visible_outcomes(page) == ["in-person-care"]
    assert not page.locator('[data-question="age"]').is_visible()
    page.get_by_role("button", name="Start again").click()
    assert visible_outcomes(page) == []
    assert page.locator("[data-question]:visible").count() == 1
    assert page.evaluate("document.activeElement.name") == "safety"


def test_keyboard_only_completion_reaches_the_request_form(page, connected_site):
    page.goto(connected_site.url + "/eligibility/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "safety":
            break
    else:
        pytest.fail("the first question cannot be reached with Tab")
    keys = {  # radios: Space picks the focused answer, arrows move to the next one
        "safety": ["ArrowDown", "ArrowDown"],  # "No" is the third answer
        "psychosis": ["ArrowDown"], "withdrawal": ["ArrowDown"], "age": ["Space"],
        "location": ["Space"], "court": ["ArrowDown"], "setting": ["Space"],
    }
    for question, presses in keys.items():
        assert page.evaluate("document.activeElement.name") == question
        for key in presses:
            page.keyboard.press(key)
        page.keyboard.press("Tab")
    assert visible_outcomes(page) == ["eligible"]
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Request a first session"
    page.keyboard.press("Enter")
    page.wait_for_url("**/intake/")
    assert page.locator("h1").inner_text().replace("\xa0", " ") == "Request a first session"


def test_without_javascript_the_page_explains_instead(browser, connected_site):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        p = ctx.new_page()
        p.goto(connected_site.url + "/eligibility/")
        assert p.locator("[data-screener-nojs]").is_visible()
        assert not p.locator("[data-screener]").is_visible()
        assert p.get_by_role("link", name="Exit this page").is_visible()
    finally:
        ctx.close()
