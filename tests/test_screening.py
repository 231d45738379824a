"""The eligibility check: its rules in content/practice.yaml, checked at load
time, and the eligibility page built from them."""

import copy
import json
import re

import pytest
import yaml

from conftest import run_build
from practice.core.eligibility import paths
from practice.core.errors import ContentError
from practice.core.profile import load_profile
from sitepages import CONTENT, soup
from test_build_errors import assert_one_clean_error, build_twice

DEMO = yaml.safe_load((CONTENT / "practice.yaml").read_text())


def load(tmp_path, data, mode="development"):
    path = tmp_path / "practice.yaml"
    path.write_text(yaml.safe_dump(data))
    return load_profile(path, mode)


def question(data, qid):
    return next(q for q in data["eligibility"]["questions"] if q["id"] == qid)


def outcome(data, name):
    return next(o for o in data["eligibility"]["outcomes"] if o["name"] == name)


def test_demo_rules_load(tmp_path):
    eligibility = load(tmp_path, DEMO)["eligibility"]
    assert eligibility["start"] == "safety"
    location = next(q for q in eligibility["questions"] if q["id"] == "location")
    assert [o["label"] for o in location["options"]][:3] == ["Illinois", "Wisconsin", "Minnesota"]
    age = next(q for q in eligibility["questions"] if q["id"] == "age")
    assert age["text"] == "Are you 18 or older?"
    rules = eligibility["rules"]
    assert rules["questions"]["safety"] == {"yes": "crisis", "not-sure": "crisis", "no": "psychosis"}
    assert rules["outcomes"]["crisis"] == {"crisis": True}
    assert [o["name"] for o in eligibility["outcomes_first"]] == ["crisis"]


def test_every_path_ends_in_an_outcome_with_a_next_step(tmp_path):
    eligibility = load(tmp_path, DEMO)["eligibility"]
    outcomes = {o["name"]: o for o in eligibility["outcomes"]}
    found = paths(eligibility)
    assert {name for _, name in found} == set(outcomes)  # every outcome is reachable
    for answers, name in found:
        assert outcomes[name]["links"] or outcomes[name]["crisis"], name
    eligible = [answers for answers, name in found if name == "eligible"]
    assert eligible and all(dict(a)["safety"] == "no" for a in eligible)
    assert {"text": "Request a first session", "path": "/intake/"}.items() <= \
        outcomes["eligible"]["links"][0].items()


def test_safety_answers_lead_to_the_crisis_outcome(tmp_path):
    eligibility = load(tmp_path, DEMO)["eligibility"]
    crisis = {o["name"] for o in eligibility["outcomes"] if o["crisis"]}
    safety = [o for q in eligibility["questions"] for o in q["options"] if o["safety"]]
    assert safety and all(o["next"] in crisis for o in safety)


def test_minimum_age_shows_in_the_texts(tmp_path):
    data = copy.deepcopy(DEMO)
    data["eligibility"]["minimum_age"] = 21
    eligibility = load(tmp_path, data)["eligibility"]
    assert any(q["text"] == "Are you 21 or older?" for q in eligibility["questions"])
    assert "21 or older" in next(o for o in eligibility["outcomes"] if o["name"] == "under-age")["text"]


Q = "eligibility.questions"
MISTAKES = [
    (lambda d: question(d, "age")["options"][0].update(next="nowhere"),
     f"{Q}[3].options[0].next", "neither a question id nor an outcome"),
    (lambda d: question(d, "age")["options"][1].pop("next"),
     f"{Q}[3].options[1].next", "is required"),
    (lambda d: question(d, "safety")["options"][0].update(next="eligible"),
     f"{Q}[0].options[0].next", "safety answer must lead to an outcome with crisis: yes"),
    (lambda d: question(d, "court").update(id="age"), f"{Q}[5].id", "used twice"),
    (lambda d: question(d, "location")["options"][0].update(states=["IL", "ZZ"]),
     f"{Q}[4].options[0].states[1]", "not a US state code"),
    (lambda d: question(d, "location")["options"][0].update(states=["IL", "TX"]),
     f"{Q}[4].options[0].states[1]", "not in service_area.states"),
    (lambda d: d["eligibility"].update(minimum_age="eighteen"),
     "eligibility.minimum_age", "must be a whole number"),
    (lambda d: outcome(d, "crisis").update(crisis=False),
     "eligibility.outcomes", "must show the crisis lines"),
    (lambda d: outcome(d, "eligible").pop("links"),
     "eligibility.outcomes[7].links", "needs a next step"),
    (lambda d: outcome(d, "eligible")["links"][0].update(url="intake"),
     "eligibility.outcomes[7].links[0].url", "page of this site"),
    (lambda d: outcome(d, "eligible")["links"][0].update(url="http://example.org/"),
     "eligibility.outcomes[7].links[0].url", "https://"),
    (lambda d: question(d, "setting")["options"][0].update(next="safety"),
     f"{Q}[6].options[0].next", "would never end"),
    (lambda d: question(d, "withdrawal")["options"][1].update(next="location"),
     f"{Q}[3].id", "no answer leads to the question 'age'"),
    (lambda d: d["eligibility"].update(start="welcome"), "eligibility.start", "not a question id"),
    (lambda d: question(d, "court")["options"].pop(), f"{Q}[5].options", "at least two answers"),
    (lambda d: [o.pop("safety", None) for o in question(d, "safety")["options"]],
     "eligibility.questions", "safety: yes"),
    (lambda d: question(d, "age").update(text=""), f"{Q}[3].text", "is required"),
    (lambda d: question(d, "age").update(colour="blue"), f"{Q}[3].colour", "unknown key"),
    (lambda d: question(d, "age")["options"][1].update(label="Yes"),
     f"{Q}[3].options[1]", "offered twice"),
    (lambda d: d.pop("eligibility"), "eligibility", "is required"),
]


@pytest.mark.parametrize("change, field, words", MISTAKES)
def test_each_rules_mistake_names_the_field(tmp_path, change, field, words):
    data = copy.deepcopy(DEMO)
    change(data)
    with pytest.raises(ContentError) as info:
        load(tmp_path, data)
    assert info.value.field == field, info.value.line()
    assert words in info.value.message


# ---- the built page ---------------------------------------------------------

def test_eligibility_page_carries_the_rules_and_the_panels(site):
    doc = soup(site / "eligibility" / "index.html")
    data = json.loads(doc.find("script", id="screener-rules", type="application/json").string)
    profile = load_profile(CONTENT / "practice.yaml")
    assert data == profile["eligibility"]["rules"]
    for qid, answers in data["questions"].items():
        names = {i["value"] for i in doc.find_all("input", attrs={"name": qid})}
        assert names == set(answers), qid
        assert all(i["type"] == "radio" for i in doc.find_all("input", attrs={"name": qid}))
    for name in data["outcomes"]:
        assert doc.find(attrs={"data-outcome": name}), name
    # The crisis panel, with tap-to-call and tap-to-text links, comes before any question.
    html = str(doc)
    crisis = doc.find(attrs={"data-outcome": "crisis"})
    assert crisis.find("a", href="tel:988") and crisis.find("a", href="sms:988")
    assert html.index('data-outcome="crisis"') < html.index("data-question=")
    eligible = doc.find(attrs={"data-outcome": "eligible"})
    assert eligible.find("a", href="/intake/")
    # The answers live in no form: nothing can submit them or put them in a URL.
    assert doc.find("form") is None or not doc.find("form").find("input", type="radio")
    assert doc.find("script", src="/theme/js/screener.js")


def test_text_without_javascript_says_who_it_is_for_and_what_to_do_instead(site):
    doc = soup(site / "eligibility" / "index.html")
    prose = doc.find(class_="prose").get_text(" ").replace("\xa0", " ")
    for words in ("18 or older", "crisis", "emergency room", "doctor", "directory", "court-ordered"):
        assert words in prose, words
    note = doc.find(attrs={"data-screener-nojs": True})
    assert note is not None and not note.has_attr("hidden")
    assert doc.find(attrs={"data-screener": True}).has_attr("hidden")


@pytest.mark.parametrize("slug, has_exit", [
    ("eligibility", True), ("intake", True), ("crisis", True), ("about", False), ("fees", False),
])
def test_exit_this_page_control(site, slug, has_exit):
    doc = soup(site / slug / "index.html")
    link = doc.find("a", attrs={"data-exit-this-page-link": True})
    assert (link is not None) == has_exit
    if has_exit:
        assert link.get_text(strip=True) == "Exit this page"
        assert link["href"] == "https://www.google.com/"
        assert doc.find("script", src="/theme/js/exit-this-page.js")


def test_rules_mistake_stops_the_build(project):
    def breakage(p):
        path = p / "content" / "practice.yaml"
        path.write_text(path.read_text().replace("next: under-age", "next: too-young"))
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/practice.yaml", "eligibility.questions[3].options[1].next")


def test_link_to_a_missing_page_stops_the_build(project):
    path = project / "content" / "practice.yaml"
    path.write_text(path.read_text().replace("url: /fees/", "url: /prices/"))
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, "content/practice.yaml", "eligibility.outcomes[7].links[1].url")


def test_bad_exit_metadata_stops_the_build(project):
    def breakage(p):
        path = p / "content" / "pages" / "crisis.md"
        path.write_text(re.sub(r"^Exit: .*$", "Exit: perhaps", path.read_text(), flags=re.M))
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/pages/crisis.md", "Exit")


def test_exit_url_setting_is_checked(project):
    path = project / "pelicanconf.py"
    path.write_text(path.read_text() + '\nEXIT_THIS_PAGE_URL = "www.example.org"\n')
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, "pelicanconf.py", "EXIT_THIS_PAGE_URL")


def test_a_publish_build_names_the_settings_file_it_read_for_the_exit_url(project):
    # A settings file of another name, on top of the publish settings: the
    # error names the file the build was given, whatever it is called.
    (project / "live.py").write_text(
        'from publishconf import *\nEXIT_THIS_PAGE_URL = "http://www.example.org/"\n')
    result = run_build("live.py", project / "output", cwd=project)
    assert_one_clean_error(result, "live.py", "EXIT_THIS_PAGE_URL: must be an https:// address")
