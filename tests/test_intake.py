"""The request form: its fields in content/practice.yaml, the checks shared by
the page and the receiving end (the intake inbox), and the built page.

The unit tests change and load the tests' own profile (OWN, with its own
fields, states and office hours); the tests of the built site expect what the
practice's own profile (SITE, read here without the plugin) says."""

import copy
import json

import pytest
import yaml

from conftest import built_once, copy_project, run_build
from fixturesite import own_profile, site_profile, write_profile
from intakesite import build_connected, connect
from practice.core.errors import ContentError
from practice.core.intake import check_submission
from practice.core.profile import load_profile
from sitepages import soup
from test_build_errors import assert_one_clean_error

OWN = own_profile()
SITE = site_profile()
PUBLIC_KEY = "ivUHzwtoleba1fDQ/eSRJuotffdaTZKAwABlPJln2mg="  # any 32 bytes, base64
GOOD = [
    ("name", "Sam"), ("contact_by", "email"), ("email", "sam@example.org"), ("phone", ""),
    ("location", "IL"), ("format", "video"), ("availability", "monday-to-thursday-mornings"),
    ("availability", "friday-mornings"), ("reason", "Stress at work"), ("heard", ""),
    ("not_emergency", "yes"), ("privacy", "yes"),
]


def load(tmp_path, data, mode="development"):
    path = tmp_path / "practice.yaml"
    path.write_text(yaml.safe_dump(data))
    return load_profile(path, mode)


def field(data, name):
    return next(f for f in data["intake"]["fields"] if f["name"] == name)


@pytest.fixture(scope="module")
def own_fields(tmp_path_factory):
    return load(tmp_path_factory.mktemp("intake"), OWN)["intake"]["fields"]


def test_the_fields_load(tmp_path):
    intake = load(tmp_path, OWN)["intake"]
    assert intake["endpoint"] is None
    assert intake["reply_time"].startswith("within one business day")
    by_name = {f["name"]: f for f in intake["fields"]}
    # One answer per state of the service area, then "elsewhere".
    assert OWN["service_area"]["states"] == ["IL", "WI", "MN"]
    assert [o["value"] for o in by_name["location"]["options"]] == ["IL", "WI", "MN", "elsewhere"]
    assert [o["value"] for o in by_name["format"]["options"]] == [
        f["id"] for f in OWN["formats"]]
    assert by_name["name"]["messages"]["missing"] == "Enter your name"
    assert by_name["email"]["messages"]["missing"] == "Enter your email address"
    assert by_name["privacy"]["required"] and by_name["privacy"]["link"]["path"] == "/privacy/"
    assert not by_name["reason"]["required"]


def test_endpoint_https_in_publish_builds(tmp_path):
    data = copy.deepcopy(OWN)
    data["intake"]["endpoint"] = "https://forms.example.org/requests"
    data["intake"]["public_key"] = "A" * 43 + "="  # 32 bytes
    assert load(tmp_path, data, "publish")["intake"]["endpoint"] == "https://forms.example.org/requests"
    data["intake"]["endpoint"] = "http://127.0.0.1:8001/"
    assert load(tmp_path, data)["intake"]["endpoint"] == "http://127.0.0.1:8001/"
    with pytest.raises(ContentError) as info:
        load(tmp_path, data, "publish")
    assert info.value.field == "intake.endpoint"
    assert "https://" in info.value.message


F = "intake.fields"
MISTAKES = [
    (lambda d: field(d, "phone").update(name="email"), f"{F}[3].name", "duplicate field name"),
    (lambda d: field(d, "phone").update(name="Phone Number"), f"{F}[3].name", "lower-case"),
    (lambda d: field(d, "phone").update(type="telephone"), f"{F}[3].type", "not one of"),
    (lambda d: field(d, "phone").update(maxlength="long"), f"{F}[3].maxlength", "whole number"),
    (lambda d: field(d, "format").update(options_from="prices"), f"{F}[5].options_from", "not one of"),
    (lambda d: field(d, "heard")["options"][1].update(value="search"), f"{F}[8].options[1].value", "twice"),
    (lambda d: field(d, "privacy").update(required=False), f"{F}[10].required", "must be required"),
    (lambda d: field(d, "privacy")["link"].update(url="privacy.html"), f"{F}[10].link.url", "page of this site"),
    (lambda d: field(d, "name").pop("label"), f"{F}[0].label", "is required"),
    (lambda d: d["intake"].update(endpoint="forms.example.org"), "intake.endpoint", "http:// or https://"),
    (lambda d: d["intake"].pop("reply_time"), "intake.reply_time", "is required"),
    (lambda d: field(d, "phone").update(required=True), f"{F}[3].required_when", "not both"),
    (lambda d: field(d, "phone")["required_when"].update(field="telephone"),
     f"{F}[3].required_when.field", "not another field"),
    (lambda d: field(d, "phone")["required_when"].update(field="phone"),
     f"{F}[3].required_when.field", "not another field"),
    (lambda d: field(d, "phone")["required_when"].update(field="email"),
     f"{F}[3].required_when.field", "a email field"),
    (lambda d: field(d, "phone")["required_when"].update({"is": ["phone", "fax"]}),
     f"{F}[3].required_when.is", "'fax' is not one of the values of 'contact_by'"),
    (lambda d: field(d, "phone")["required_when"].update({"is": []}),
     f"{F}[3].required_when.is", "one or more values"),
    (lambda d: field(d, "phone")["required_when"].update(when="always"),
     f"{F}[3].required_when.when", "unknown key"),
    (lambda d: [d["intake"]["fields"].remove(field(d, n)) for n in ("email", "phone")],
     "intake.fields", "a way to reply"),
]


@pytest.mark.parametrize("change, where, words", MISTAKES)
def test_each_field_mistake_names_the_field(tmp_path, change, where, words):
    data = copy.deepcopy(OWN)
    change(data)
    with pytest.raises(ContentError) as info:
        load(tmp_path, data)
    assert info.value.field == where, info.value.line()
    assert words in info.value.message


# ---- checking a submission (the receiving end) -------------------------------

def test_a_complete_request_passes(own_fields):
    assert check_submission(own_fields, GOOD) == []


@pytest.mark.parametrize("change, name, message", [
    (lambda p: [x for x in p if x[0] != "name"], "name", "Enter your name"),
    (lambda p: [x for x in p if x[0] != "privacy"], "privacy", "Tick the box"),
    (lambda p: [x for x in p if x[0] != "availability"], "availability", "Select at least one"),
    (lambda p: [("email", "sam-at-example") if x[0] == "email" else x for x in p], "email", "correct format"),
    (lambda p: [("phone", "call me") if x[0] == "phone" else x for x in p], "phone", "Enter a phone number"),
    (lambda p: [("location", "TX") if x[0] == "location" else x for x in p], "location", "answers offered"),
    (lambda p: [("reason", "x" * 301) if x[0] == "reason" else x for x in p], "reason", "300 characters or fewer"),
    (lambda p: [("privacy", "no") if x[0] == "privacy" else x for x in p], "privacy", "Tick the box"),
    (lambda p: p + [("diagnosis", "…")], "diagnosis", "Unexpected field"),
    (lambda p: [("availability", "weekday-evenings") if x[0] == "availability" else x for x in p],
     "availability", "answers offered"),
    # A call or a text needs a phone number.
    (lambda p: [("contact_by", "phone") if x[0] == "contact_by" else x for x in p], "phone", "Enter your phone number"),
    (lambda p: [("contact_by", "text") if x[0] == "contact_by" else x for x in p], "phone", "Enter your phone number"),
])
def test_each_problem_in_a_request_is_reported(own_fields, change, name, message):
    errors = check_submission(own_fields, change(list(GOOD)))
    assert [n for n, _ in errors] == [name]
    assert message in errors[0][1]


def test_a_phone_number_is_needed_only_for_a_call_or_a_text(own_fields):
    def request(contact_by, phone):
        return [(k, contact_by if k == "contact_by" else phone if k == "phone" else v) for k, v in GOOD]

    assert check_submission(own_fields, request("email", "")) == []
    assert check_submission(own_fields, request("phone", "+1 555 010 0199")) == []
    assert check_submission(own_fields, request("text", "  ")) == [("phone", "Enter your phone number")]


def test_the_times_offered_are_the_office_hours(tmp_path):
    data = copy.deepcopy(OWN)
    data["office_hours"] = [
        {"days": ["Monday", "Wednesday"], "opens": "13:00", "closes": "20:00"},
        {"days": ["Tuesday", "Thursday"], "opens": "08:00", "closes": "16:00"},
        {"days": ["Friday"], "opens": "10:00", "closes": "13:00"},
        {"days": ["Saturday"], "opens": "17:30", "closes": "20:00"},
    ]
    options = field(load(tmp_path, data), "availability")["options"]
    assert [o["label"] for o in options] == [
        "Monday and Wednesday afternoons (13:00–20:00)",
        "Tuesday and Thursday mornings (08:00–12:00)",
        "Tuesday and Thursday afternoons (12:00–16:00)",
        "Friday mornings (10:00–13:00)",
        "Saturday evenings (17:30–20:00)",
    ]
    assert len({o["value"] for o in options}) == len(options)
    # The tests' own practice closes at 18:00 (13:00 on Fridays): no evenings offered.
    assert OWN["office_hours"] == [
        {"days": ["Monday", "Tuesday", "Wednesday", "Thursday"], "opens": "09:00", "closes": "18:00"},
        {"days": ["Friday"], "opens": "09:00", "closes": "13:00"}]
    own = [o["label"] for o in field(load(tmp_path, OWN), "availability")["options"]]
    assert own == ["Monday to Thursday mornings (09:00–12:00)", "Monday to Thursday afternoons (12:00–18:00)",
                    "Friday mornings (09:00–13:00)"]


def test_an_empty_request_lists_every_required_field_in_order(own_fields):
    errors = check_submission(own_fields, [])
    assert [n for n, _ in errors] == [f["name"] for f in OWN["intake"]["fields"] if f.get("required")]


# ---- the built page ------------------------------------------------------------

def words(text):
    return " ".join(str(text).replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def offline_site(request, tmp_path_factory):
    """The site with no endpoint for the form: the real one while the
    practice has none, else a copy with the endpoint taken out."""
    if not SITE["intake"].get("endpoint"):
        return request.getfixturevalue("site")

    def make(folder):
        project = copy_project(folder / "project")
        data = copy.deepcopy(SITE)
        data["intake"]["endpoint"] = None
        write_profile(project, data)
        result = run_build("pelicanconf.py", project / "output", cwd=project)
        assert result.returncode == 0, result.stderr
        return project / "output"

    return built_once(tmp_path_factory, "intake-offline", make)


def test_page_without_an_endpoint_says_the_form_is_not_connected(offline_site):
    doc = soup(offline_site / "intake" / "index.html")
    assert doc.find("form", class_="intake-form") is None
    offline = doc.find(attrs={"data-intake-offline": True})
    text = offline.get_text(" ")
    assert "not connected" in text
    assert offline.find("a", href="mailto:" + SITE["contact"]["email"])
    assert offline.find("a", href="/contact/")
    intake = words(doc.find(class_="intake").get_text(" "))
    assert words(SITE["intake"]["reply_time"]) in intake and "clinical details" in intake


@pytest.fixture(scope="module")
def connected_output(tmp_path_factory):
    project, out = build_connected(tmp_path_factory.mktemp("connected") / "project",
                                   "http://127.0.0.1:8001/requests", public_key=PUBLIC_KEY)
    return out


@pytest.fixture(scope="module")
def connected(connected_output):
    return soup(connected_output / "intake" / "index.html")


def test_the_sealing_library_is_loaded_on_the_request_page_only_from_the_site(connected_output):
    form = soup(connected_output / "intake" / "index.html").find("form", class_="intake-form")
    assert form["data-public-key"] == PUBLIC_KEY and form["data-thank-you"] == "/thank-you/"
    for path in connected_output.rglob("*.html"):
        doc = soup(path)
        sources = [s.get("src", "") for s in doc.find_all("script")]
        sodium = [src for src in sources if "sodium" in src]
        if path == connected_output / "intake" / "index.html":
            assert sodium == ["/theme/js/vendor/libsodium.js", "/theme/js/vendor/libsodium-wrappers.js"]
        else:
            assert sodium == [], path
    for name in ("libsodium.js", "libsodium-wrappers.js"):
        assert (connected_output / "theme" / "js" / "vendor" / name).is_file()


def test_the_vendored_files_match_their_manifest(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    assert subprocess.run([sys.executable, "-m", "practice.tools.vendor", "--check"], cwd=ROOT).returncode == 0
    copy = tmp_path / "copy"
    (copy / "theme" / "static" / "js").mkdir(parents=True)
    import shutil

    shutil.copytree(ROOT / "theme" / "static" / "js" / "vendor", copy / "theme" / "static" / "js" / "vendor")
    with open(copy / "theme" / "static" / "js" / "vendor" / "libsodium-wrappers.js", "a") as f:
        f.write("\n// changed\n")
    result = subprocess.run([sys.executable, "-m", "practice.tools.vendor", "--check"], cwd=copy,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "libsodium-wrappers.js: differs from the SHA-256" in result.stderr


def test_connected_form_posts_every_field_to_the_endpoint(connected):
    form = connected.find("form", class_="intake-form")
    assert form["action"] == "http://127.0.0.1:8001/requests"
    assert form["method"] == "post"
    names = {el["name"] for el in form.find_all(["input", "select", "textarea"])}
    # Every field of the profile, and the honeypot (hidden by the style sheet).
    assert names == {f["name"] for f in SITE["intake"]["fields"]} | {"_homepage"}
    trap = form.find("input", attrs={"name": "_homepage"})
    assert "intake-trap" in trap.parent["class"] and trap["tabindex"] == "-1"
    for el in form.find_all(["input", "select", "textarea"]):
        label = connected.find("label", attrs={"for": el["id"]})
        assert label is not None, el["id"]
    for fs in form.find_all("fieldset"):
        assert fs.find("legend")
    rules = json.loads(connected.find("script", id="intake-rules", type="application/json").string)
    assert [r["name"] for r in rules["fields"]] == [f["name"] for f in SITE["intake"]["fields"]]
    for rule in rules["fields"]:
        assert connected.find(id=rule["target"]), rule["target"]
    summary = connected.find(attrs={"data-error-summary": True})
    assert summary.has_attr("hidden") and summary.find("h2").get_text() == "There is a problem"
    assert connected.find("a", href="/crisis/")
    for f in SITE["intake"]["fields"]:
        if f.get("link"):
            assert connected.find("a", href=f["link"]["url"]), f["name"]
    # A field that is neither required nor required when another answer is
    # given says "(optional)" in its label (a legend for a group of choices).
    for f in SITE["intake"]["fields"]:
        box = connected.find(attrs={"data-field": f["name"]})
        label = box.find("legend") or box.find("label")
        optional = not f.get("required") and not f.get("required_when")
        assert ("(optional)" in label.get_text()) == optional, f["name"]


def test_publish_build_refuses_an_http_endpoint(tmp_path):
    project = copy_project(tmp_path / "project")
    connect(project, "http://forms.example.org/requests")
    result = run_build("publishconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, "content/practice.yaml", "intake.endpoint")
    assert not (project / "output").exists()


def test_duplicate_field_name_stops_the_build(project):
    data = copy.deepcopy(SITE)
    fields = data["intake"]["fields"]
    fields[1]["name"] = fields[0]["name"]  # the second field takes the first one's name
    write_profile(project, data)
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, "content/practice.yaml", "intake.fields[1].name")
