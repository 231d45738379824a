"""Crisis lines follow the practice's country: the built-in lines of
service_area.country when the profile has no `crisis:` section, one clear
line when none are built in, and CA never taken for Canada when it is
California (or the other way around)."""

import pytest
import yaml

from practicesite import build_site, profile
from practice.core.errors import ContentError
from practice.core.profile import load_profile
from sitepages import soup


def load(tmp_path, data):
    path = tmp_path / "practice.yaml"
    path.write_text(yaml.safe_dump(data))
    return load_profile(path)


def names(crisis):
    return [line["name"] for line in crisis["lines"]]


def test_a_us_practice_without_a_crisis_section_gets_the_us_lines(tmp_path):
    crisis = load(tmp_path, profile("US", ["IL"]))["crisis"]
    lifeline = crisis["lines"][0]
    assert (lifeline["call_href"], lifeline["text_href"]) == ("tel:988", "sms:988")
    assert lifeline["chat"] == "https://988lifeline.org/chat/"
    # Deaf and hard-of-hearing callers: videophone and relay (711).
    assert "videophone" in lifeline["note"] and "711" in lifeline["note"]
    assert crisis["emergency"]["call"] == "911"


def test_a_uk_practice_without_a_crisis_section_gets_the_uk_lines(tmp_path):
    crisis = load(tmp_path, profile("GB", []))["crisis"]
    calls = [line["call"] for line in crisis["lines"]]
    assert "116 123" in calls and "111" in calls  # Samaritans, NHS 111
    assert crisis["emergency"]["call"] == "999"
    assert "988" not in calls and "911" not in calls


def test_a_country_without_built_in_lines_must_list_them(tmp_path):
    with pytest.raises(ContentError) as info:
        load(tmp_path, profile("FR", []))
    assert info.value.field == "crisis"
    assert "FR" in info.value.message and "crisis.lines" in info.value.message
    own = profile("FR", [], crisis={"lines": [
        {"name": "Ligne nationale", "call": "3114", "description": "Any time."},
        {"name": "Urgences", "call": "112", "emergency": True, "description": "Now."}]})
    crisis = load(tmp_path, own)["crisis"]
    assert crisis["emergency"]["call"] == "112" and names(crisis)[0] == "Ligne nationale"


def test_ca_is_california_for_a_us_practice(tmp_path):
    practice = load(tmp_path, profile("US", ["CA"]))
    assert practice["service_area"]["states"] == [{"code": "CA", "name": "California"}]
    assert practice["crisis"]["lines"][0]["name"] == "988 Suicide & Crisis Lifeline"
    assert practice["crisis"]["emergency"]["call"] == "911"


def test_ca_is_canada_as_a_country(tmp_path):
    practice = load(tmp_path, profile("CA", ["ON"]))
    assert practice["service_area"]["states"] == [{"code": "ON", "name": "Ontario"}]
    assert practice["crisis"]["lines"][0]["name"] == "9-8-8 Suicide Crisis Helpline"
    with pytest.raises(ContentError) as info:  # California is no province of Canada
        load(tmp_path, profile("CA", ["CA"]))
    assert info.value.field == "service_area.states[0]"
    assert "province" in info.value.message


def test_crisis_country_cannot_differ_from_the_practice_country(tmp_path):
    with pytest.raises(ContentError) as info:
        load(tmp_path, profile("US", ["CA"], crisis={"country": "CA"}))
    assert info.value.field == "crisis.country"
    assert "Canada" in info.value.message and "service_area.country" in info.value.message


def test_a_build_without_lines_for_the_country_stops_with_one_line(tmp_path):
    _project, out, result = build_site(tmp_path / "fr", profile("FR", []))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("error: content/practice.yaml: crisis: ")
    assert not out.exists()


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("crisis-sites")
    built = {}
    for country, states in (("US", ["IL"]), ("GB", [])):
        _project, out, result = build_site(root / country, profile(country, states))
        assert result.returncode == 0, result.stderr
        built[country] = out
    return built


def page_text(out, path="crisis/index.html"):
    doc = soup(out / path)
    return doc, " ".join(doc.find("main").get_text(" ").split())


def test_the_uk_crisis_page_speaks_of_the_uk_only(sites):
    doc, text = page_text(sites["GB"])
    for words in ("116 123", "Samaritans", "NHS 111", "999", "the United Kingdom"):
        assert words in text, words
    for words in ("988", "911", "United States", "In the US"):
        assert words not in text, words
    assert doc.find("a", href="tel:999") and doc.find("a", href="tel:111")
    # The strip on every page offers the first UK line, not a US number.
    strip = soup(sites["GB"] / "index.html").select_one(".crisis-strip")
    assert strip.find("a", href="tel:116123") and "988" not in strip.get_text()


def test_the_us_crisis_page_has_chat_relay_and_videophone(sites):
    doc, text = page_text(sites["US"])
    chat = doc.find("a", href="https://988lifeline.org/chat/")
    assert chat is not None and "Chat" in chat.get_text()
    assert "noreferrer" in chat.get("rel", [])
    assert "711" in text and "videophone" in text
    for href in ("tel:988", "sms:988", "sms:741741?body=HOME", "tel:911"):
        assert doc.find("main").find("a", href=href), href
    assert "the United States" in text and "999" not in text
