"""Unit tests: loading and checking a practice profile (practice.yaml).

The checks start from a profile the tests write (``BASE``: a US practice
in three states, two formats), not from the demo's content/practice.yaml,
so a practice can change its own profile in any valid way and these still
pass; the practice's own profile only has to load."""

import copy

import pytest
import yaml

from practice.core.contact import tel_href
from practice.core.errors import ContentError
from practice.core.profile import days_label, load_profile, money
from practicesite import profile
from sitepages import CONTENT

BASE = profile("US", ("IL", "WI", "MN"), name="Lakeside Counseling",
               office_hours=[{"days": ["Monday", "Tuesday", "Wednesday", "Thursday"],
                              "opens": "09:00", "closes": "18:00"}],
               formats=[{"id": "video", "name": "Video", "description": "By video.",
                         "fee": 60, "reply": "Live"},
                        {"id": "phone", "name": "Phone", "description": "By phone.",
                         "fee": 75, "reply": "Live"}])


def load(tmp_path, data):
    path = tmp_path / "practice.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return load_profile(path)


def broken(tmp_path, change):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(ContentError) as info:
        load(tmp_path, data)
    return info.value


def test_a_profile_loads_with_its_facts_ready_to_show(tmp_path):
    practice = load(tmp_path, BASE)
    assert practice["name"] == "Lakeside Counseling"
    assert [s["code"] for s in practice["service_area"]["states"]] == ["IL", "WI", "MN"]
    assert practice["formats"][0]["fee_display"] == "$60"
    assert practice["office_hours"][0]["label"] == "Monday to Thursday"
    assert practice["timezone_label"] == "US Central Time"


def test_the_practices_own_profile_loads():
    """Whatever the practice wrote in content/practice.yaml is valid."""
    practice = load_profile(CONTENT / "practice.yaml")
    assert practice["name"] and practice["crisis"]["lines"] and practice["crisis"]["emergency"]


def test_us_crisis_defaults(tmp_path):
    crisis = load(tmp_path, BASE)["crisis"]
    hrefs = [(line["call_href"], line["text_href"]) for line in crisis["lines"]]
    assert ("tel:988", "sms:988") in hrefs
    assert (None, "sms:741741?body=HOME") in hrefs
    assert crisis["emergency"]["call_href"] == "tel:911"


def test_the_profile_can_list_its_own_crisis_lines(tmp_path):
    data = copy.deepcopy(BASE)
    data["crisis"] = {"lines": [
        {"name": "Local line", "call": "0800 000 000", "description": "Free."},
        {"name": "Emergency", "call": "112", "emergency": True, "description": "Now."},
    ]}
    assert load(tmp_path, data)["crisis"]["lines"][0]["call_href"] == "tel:0800000000"


@pytest.mark.parametrize("change, field, words", [
    (lambda d: d.pop("name"), "name", "is required"),
    (lambda d: d["contact"].pop("email"), "contact.email", "is required"),
    (lambda d: d["contact"].update(email="not-an-address"), "contact.email", "not an email"),
    (lambda d: d.update(timezone="Mars/Olympus"), "timezone", "not a time zone"),
    (lambda d: d["service_area"]["states"].append("ZZ"), "service_area.states[3]", "not a US state"),
    (lambda d: d["service_area"]["states"].append("TX"), "service_area.states[3]", "licence"),
    (lambda d: d["clinicians"][0]["licences"][0].update(state="QQ"), "clinicians[0].licences[0].state", "not a US state"),
    (lambda d: d["clinicians"][0].pop("credentials"), "clinicians[0].credentials", "is required"),
    (lambda d: d["formats"][1].update(id=d["formats"][0]["id"]), "formats[1].id", "used twice"),
    (lambda d: d["formats"][0].update(fee="sixty"), "formats[0].fee", "must be a number"),
    (lambda d: d["office_hours"][0].update(opens="9am"), "office_hours[0].opens", "not a time"),
    (lambda d: d["office_hours"][0].update(days=["Funday"]), "office_hours[0].days", "not a day"),
    (lambda d: d["office_hours"][0].update(closes="08:00"), "office_hours[0].closes", "not after"),
    (lambda d: d.update(crisis={"country": "XX"}), "crisis.country", "not the practice's country"),
    (lambda d: d["service_area"].update(country="XX"), "crisis", "no crisis lines are built in"),
    (lambda d: d.update(crisis={"lines": [{"name": "A", "description": "B", "call": "12345"}]}), "crisis.lines", "emergency"),
    (lambda d: d.update(crisis={"lines": [{"name": "A", "description": "B", "emergency": True}]}), "crisis.lines[0].call", "number to call or to text"),
    (lambda d: d.update(colour="blue"), "colour", "unknown key"),
])
def test_each_mistake_names_the_field(tmp_path, change, field, words):
    error = broken(tmp_path, change)
    assert error.field == field
    assert words in error.message
    assert error.line().startswith(f"{tmp_path / 'practice.yaml'}: {field}: ")


def test_yaml_syntax_error_names_the_line(tmp_path):
    with pytest.raises(ContentError) as info:
        load(tmp_path, "name: Example\ncontact: [unclosed\n")
    assert info.value.field.startswith("line ")
    assert "YAML syntax error" in info.value.message


def test_small_helpers():
    assert money(120, "USD") == "$120"
    assert money(87.5, "USD") == "$87.50"
    assert money(50, "CHF") == "50 CHF"
    assert tel_href("+1 (555) 010-0100") == "+15550100100"
    assert days_label(["Monday", "Wednesday"]) == "Monday and Wednesday"
    assert days_label(["Friday"]) == "Friday"
