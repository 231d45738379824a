"""The eligibility check: its rules in content/practice.yaml, checked at load
time, and the eligibility page built from them.

The unit tests change and load the tests' own profile (OWN, with its own
questions, states and outcomes); the tests of the built site expect what the
practice's own profile (SITE, read here without the plugin) says."""

import copy
import json
import re

import pytest
import yaml

from conftest import ROOT, run_build
from fixturesite import own_profile, site_profile, write_profile
from practice.core.eligibility import paths
from practice.core.errors import ContentError
from practice.core.profile import load_profile
from sitepages import soup
from test_build_errors import assert_one_clean_error, build_twice

OWN = own_profile()
SITE = site_profile()


def load(tmp_path, data, mode="development"):
    path = tmp_path / "practice.yaml"
    path.write_text(yaml.safe_dump(data))
    return load_profile(path, mode)


def question(data, qid):
    return next(q for q in data["eligibility"]["questions"] if q["id"] == qid)


def outcome(data, name):
    return next(o for o in data["eligibility"]["outcomes"] if o["name"] == name)


def test_the_rules_load(tmp_path):
    assert OWN["service_area"]["states"][:3] == ["IL", "WI", "MN"]
    eligibility = load(tmp_path, OWN)["eligibility"]
    assert eligibility["start"] == "safety"
    location = next(q for q in eligibility["questions"] if q["id"] == "location")
    assert [o["label"] for o in location["options"]][:3] == ["Illinois", "Wisconsin", "Minnesota"]
    age = next(q for q in eligibility["questions"] if q["id"] == "age")
    assert age["text"] == "Are you 18 or older?"
    rules = eligibility["rules"]
    assert rules["questions"]["safety"] == {"yes": "crisis", "not-sure": "crisis-not-sure",
                                            "no": "psychosis"}
    assert rules["outcomes"]["crisis"] == {"crisis": True}
    assert rules["outcomes"]["crisis-not-sure"] == {"crisis": True, "then": "psychosis"}
    assert [o["name"] for o in eligibility["outcomes_first"]] == ["crisis", "crisis-not-sure"]


def test_every_path_ends_in_an_outcome_with_a_next_step(tmp_path):
    eligibility = load(tmp_path, OWN)["eligibility"]
    outcomes = {o["name"]: o for o in eligibility["outcomes"]}
    found = paths(eligibility)
    assert {name for _, name in found} == set(outcomes)  # every outcome is reachable
    for answers, name in found:
        assert outcomes[name]["links"] or outcomes[name]["crisis"], name
    eligible = [answers for answers, name in found if name == "eligible"]
    assert eligible and all(dict(a)["safety"] != "yes" for a in eligible)
    assert {"text": "Request a first session", "path": "/intake/"}.items() <= \
        outcomes["eligible"]["links"][0].items()


def test_safety_answers_lead_to_the_crisis_outcome(tmp_path):
    eligibility = load(tmp_path, OWN)["eligibility"]
    crisis = {o["name"] for o in eligibility["outcomes"] if o["crisis"]}
    safety = [o for q in eligibility["questions"] for o in q["options"] if o["safety"]]
    assert safety and all(o["next"] in crisis for o in safety)


def test_every_safety_answer_shows_the_crisis_lines_before_going_on(tmp_path):
    """A safety answer reaches a crisis outcome first; an outcome that goes on
    leads, for someone not in immediate danger, to the rest of the check."""
    eligibility = load(tmp_path, OWN)["eligibility"]
    outcomes = {o["name"]: o for o in eligibility["outcomes"]}
    safety = {(q["id"], o["value"]) for q in eligibility["questions"] for o in q["options"]
              if o["safety"]}
    went_on = False
    for answers, name in paths(eligibility):
        for i, step in enumerate(answers):
            if step in safety:
                after = answers[i + 1] if i + 1 < len(answers) else (name, None)
                assert outcomes[after[0]]["crisis"], answers
                went_on = went_on or i + 1 < len(answers)
    assert went_on  # "I'm not sure" is no dead end
    assert any(name == "eligible" and ("safety", "not-sure") in answers
               for answers, name in paths(eligibility))


def test_minimum_age_shows_in_the_texts(tmp_path):
    data = copy.deepcopy(OWN)
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
    (lambda d: [o.update(crisis=False) or o.pop("then", None) for o in d["eligibility"]["outcomes"]],
     "eligibility.outcomes", "must show the crisis lines"),
    (lambda d: outcome(d, "eligible").pop("links"),
     "eligibility.outcomes[9].links", "needs a next step"),
    (lambda d: outcome(d, "eligible")["links"][0].update(url="intake"),
     "eligibility.outcomes[9].links[0].url", "page of this site"),
    (lambda d: outcome(d, "eligible")["links"][0].update(url="http://example.org/"),
     "eligibility.outcomes[9].links[0].url", "https://"),
    (lambda d: outcome(d, "eligible").update(then="psychosis"),
     "eligibility.outcomes[9].then", "only a crisis outcome goes on"),
    (lambda d: outcome(d, "crisis-not-sure").update(then="nowhere"),
     "eligibility.outcomes[1].then", "not a question id"),
    (lambda d: outcome(d, "crisis-not-sure").update(then="safety"),
     "eligibility.outcomes[1].then", "would never end"),
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
    data = copy.deepcopy(OWN)
    change(data)
    with pytest.raises(ContentError) as info:
        load(tmp_path, data)
    assert info.value.field == field, info.value.line()
    assert words in info.value.message


# ---- the built page ---------------------------------------------------------

def expected_rules(eligibility):
    """What the page's script needs, worked out here from the profile as
    written: each question's answers (one per state for a states option,
    else the value, or the label in lower case with hyphens) and where each
    leads; each outcome, whether it is a crisis one and where it goes on."""
    def values(opt):
        if "states" in opt:
            return [str(s).strip().upper() for s in opt["states"]]
        return [opt.get("value") or re.sub(r"[^a-z0-9]+", "-", str(opt["label"]).lower()).strip("-")]

    def outcome_rule(o):
        rule = {"crisis": o.get("crisis") in (True, "yes")}
        if o.get("then"):
            rule["then"] = o["then"]
        return rule

    questions = eligibility["questions"]
    return {
        "start": eligibility.get("start") or questions[0]["id"],
        "questions": {q["id"]: {v: o["next"] for o in q["options"] for v in values(o)}
                      for q in questions},
        "outcomes": {o["name"]: outcome_rule(o) for o in eligibility["outcomes"]},
    }


def crisis_line_links(node):
    """The tap-to-call and tap-to-text links of the crisis lines in ``node``."""
    return sorted(a["href"] for ul in node.find_all("ul", class_="crisis-lines")
                  for a in ul.find_all("a", href=re.compile(r"^(tel|sms):")))


def dial(number):
    number = str(number).strip()
    return ("+" if number.startswith("+") else "") + re.sub(r"[^0-9]", "", number)


def test_eligibility_page_carries_the_rules_and_the_panels(site):
    doc = soup(site / "eligibility" / "index.html")
    data = json.loads(doc.find("script", id="screener-rules", type="application/json").string)
    assert data == expected_rules(SITE["eligibility"])
    for qid, answers in data["questions"].items():
        names = {i["value"] for i in doc.find_all("input", attrs={"name": qid})}
        assert names == set(answers), qid
        assert all(i["type"] == "radio" for i in doc.find_all("input", attrs={"name": qid}))
    for name in data["outcomes"]:
        assert doc.find(attrs={"data-outcome": name}), name
    # Every crisis panel, with the tap-to-call and tap-to-text links of the
    # practice's crisis lines (those of its profile, or the ones built in for
    # its country, as on the crisis page), comes before any question.
    lines = (SITE.get("crisis") or {}).get("lines")
    if lines:
        expected = sorted([f"tel:{dial(line['call'])}" for line in lines if line.get("call")]
                          + [f"sms:{dial(line['text'])}" for line in lines if line.get("text")])
        assert crisis_line_links(soup(site / "crisis" / "index.html")) == expected
    else:
        expected = crisis_line_links(soup(site / "crisis" / "index.html"))
    assert any(href.startswith("tel:") for href in expected)
    html = str(doc)
    crisis = [o["name"] for o in SITE["eligibility"]["outcomes"] if data["outcomes"][o["name"]]["crisis"]]
    assert crisis
    for name in crisis:
        assert crisis_line_links(doc.find(attrs={"data-outcome": name})) == expected, name
        assert html.index(f'data-outcome="{name}"') < html.index("data-question=")
    # Every outcome's next steps are links on its panel.
    for o in SITE["eligibility"]["outcomes"]:
        panel = doc.find(attrs={"data-outcome": o["name"]})
        for link in o.get("links") or []:
            assert panel.find("a", href=link["url"]), (o["name"], link["url"])
    # The answers live in no form: nothing can submit them or put them in a URL.
    assert doc.find("form") is None or not doc.find("form").find("input", type="radio")
    assert doc.find("script", src="/theme/js/screener.js")


def page_source(slug):
    """The header (lower-case keys) and the body of the page with ``slug``."""
    for path in sorted((ROOT / "content" / "pages").rglob("*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        meta = dict((k.strip().lower(), v.strip()) for k, _, v in
                    (line.partition(":") for line in head.splitlines()))
        if meta.get("slug", path.stem) == slug:
            return meta, body
    raise AssertionError(f"no page with the slug {slug}")


def plain(text):
    return " ".join(text.replace("\xa0", " ").replace("\u2019", "'").replace("\u2018", "'")
                    .replace("\u201c", '"').replace("\u201d", '"').split())


def test_text_without_javascript_says_who_it_is_for_and_what_to_do_instead(site):
    doc = soup(site / "eligibility" / "index.html")
    prose = plain(doc.find(class_="prose").get_text(" "))
    # The page's own text, written by the practice, is there in full: its
    # sections, and the minimum age wherever the text names it.
    _, body = page_source("eligibility")
    age = str(SITE["eligibility"].get("minimum_age", 18))
    expected = [plain(line.lstrip("#")) for line in body.splitlines()
                if line.startswith("#") and not re.search(r"[{\[*_`<&\\]", line)]
    expected += [plain(m.group(0).lstrip("- ").replace("{minimum_age}", age))
                 for m in re.finditer(r"[^.;:,\[\](){}*_`\n]*\{minimum_age\}[^.;:,\[\](){}*_`\n]*", body)]
    assert expected
    for words in expected:
        assert words in prose, words
    assert "{minimum_age}" not in prose
    note = doc.find(attrs={"data-screener-nojs": True})
    assert note is not None and not note.has_attr("hidden")
    assert doc.find(attrs={"data-screener": True}).has_attr("hidden")


def has_exit_metadata(slug):
    return page_source(slug)[0].get("exit", "no").lower() == "yes"


# The eligibility and request pages always carry the control; other pages
# when their header says `Exit: yes`.
@pytest.mark.parametrize("slug, has_exit", [
    ("eligibility", True), ("intake", True),
    *((slug, has_exit_metadata(slug)) for slug in ("crisis", "about", "fees")),
])
def test_exit_this_page_control(site, slug, has_exit):
    doc = soup(site / slug / "index.html")
    link = doc.find("a", attrs={"data-exit-this-page-link": True})
    assert (link is not None) == has_exit
    if has_exit:
        assert link.get_text(strip=True) == "Exit this page"
        assert link["href"] == "https://www.google.com/"
        assert doc.find("script", src="/theme/js/exit-this-page.js")


def an_answer_leading_to_an_outcome(eligibility):
    """(question index, option index) of the first answer, not a safety
    one, that leads to an outcome."""
    outcomes = {o["name"] for o in eligibility["outcomes"]}
    return next((qi, oi) for qi, q in enumerate(eligibility["questions"])
                for oi, o in enumerate(q["options"])
                if o["next"] in outcomes and o.get("safety") not in (True, "yes"))


def test_rules_mistake_stops_the_build(project):
    data = copy.deepcopy(SITE)
    qi, oi = an_answer_leading_to_an_outcome(data["eligibility"])

    def breakage(p):
        data["eligibility"]["questions"][qi]["options"][oi]["next"] = "an-outcome-nobody-wrote"
        write_profile(p, data)
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/practice.yaml", f"eligibility.questions[{qi}].options[{oi}].next")


def test_link_to_a_missing_page_stops_the_build(project):
    data = copy.deepcopy(SITE)
    outcome = data["eligibility"]["outcomes"][-1]
    links = outcome.setdefault("links", [])
    if links:  # its last link now leads to a page the site does not have
        links[-1]["url"] = "/a-page-nobody-wrote/"
    else:
        links.append({"text": "A page that is not there", "url": "/a-page-nobody-wrote/"})
    write_profile(project, data)
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    where = f"eligibility.outcomes[{len(data['eligibility']['outcomes']) - 1}].links[{len(links) - 1}].url"
    assert_one_clean_error(result, "content/practice.yaml", where)


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
