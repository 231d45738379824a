"""Generated bad input: every field of practice.yaml, of an offer's and of an
article's metadata, fed wrong types, bad bytes and absurd sizes.

Most cases go through the core loaders directly (fast, hundreds of cases);
a sample goes through the real build, which must exit 2 with one line
``error: FILE: FIELD: ...``, no traceback, and leave output/ untouched.
"""

import json
import re

import pytest

from conftest import ROOT, run_build
from practice.core.articles import ArticleMetadata, check_metadata
from practice.core.errors import ContentError
from practice.core.offers import FIELDS as OFFER_FIELDS, check_offer_metadata
from practice.core.profile import load_profile, profile_from_data
from practice.core.yamlfile import read_yaml

PROFILE = ROOT / "content" / "practice.yaml"
HUGE = "x" * 200_000
BAD_BYTES = b"\xff\xfe\xc3("  # not UTF-8
MARK = "@@bad-bytes@@"


# ---- practice.yaml ---------------------------------------------------------


def paths(node, path=()):
    """Every key and list item of the profile, as a path of keys and indexes."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,)
            yield from paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield path + (i,)
            yield from paths(value, path + (i,))


def dotted(path):
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def replaced(data, path, value):
    data = json.loads(json.dumps(data))
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


DEMO = read_yaml(PROFILE)
PROFILE_PATHS = list(paths(DEMO))
# Wrong types and absurd values; `must_fail` marks the ones no field accepts.
WRONG = [
    ("a mapping", {"unexpected": "mapping"}, False),
    ("a list", ["unexpected", "list"], False),
    ("yes/no", True, False),
    ("nothing", None, False),
    ("a negative number", -1, False),
    ("a huge number", 10 ** 30, False),
    ("empty text", "", False),
    ("control characters", "\x00\x07\x1b[2J", False),
    ("200,000 characters", HUGE, True),
]


def node_at(data, path):
    for part in path:
        data = data[part]
    return data


def profile_inputs(path):
    """The bad values tried at ``path``: (label, value, must_fail)."""
    inputs = list(WRONG)
    node = node_at(DEMO, path)
    if isinstance(node, list) and node:
        # A list made absurdly long: 10,000 copies of its first item.
        inputs.append(("10,000 items", node[:1] * 10_000, True))
    return inputs


FILE = "content/practice.yaml"


def write_profile(tmp_path, data, raw=None):
    path = tmp_path / "practice.yaml"
    # JSON is YAML 1.2: what is written is exactly what is read.
    path.write_bytes(raw if raw is not None else json.dumps(data, ensure_ascii=False).encode())
    return path


def assert_one_line(error, file):
    assert isinstance(error, ContentError)
    assert error.file == str(file)
    assert "\n" not in error.line()
    assert len(error.line()) < 600, "the line quotes too much of the value"


@pytest.mark.parametrize("path", PROFILE_PATHS, ids=dotted)
def test_each_profile_field_refuses_wrong_types_and_sizes_in_one_line(path):
    """The real loader (less reading the file: the data as YAML gives it) on
    the demo profile with one value replaced: a ContentError line or a valid
    profile, never another exception. A value no field takes (200,000
    characters, 10,000 items) is refused at that very field."""
    field = dotted(path)
    for label, value, must_fail in profile_inputs(path):
        try:
            profile_from_data(replaced(DEMO, path, value), FILE)
        except ContentError as error:
            assert_one_line(error, FILE)
            if must_fail:
                # That field, or a part of it (a text of days is split at commas).
                assert error.field == field or error.field.startswith((field + "[", field + ".")), \
                    (label, error.line()[:300])
        else:
            assert not must_fail, f"{field} accepted {label}"


def text_paths():
    for path in PROFILE_PATHS:
        if isinstance(node_at(DEMO, path), str):
            yield path


@pytest.mark.parametrize("path", list(text_paths()), ids=dotted)
def test_bad_bytes_in_any_profile_text_are_one_line_naming_the_line(tmp_path, path):
    raw = json.dumps(replaced(DEMO, path, MARK), ensure_ascii=False, indent=1).encode()
    line = raw[:raw.index(MARK.encode())].count(b"\n") + 1
    file = write_profile(tmp_path, None, raw.replace(MARK.encode(), BAD_BYTES))
    with pytest.raises(ContentError) as info:
        load_profile(str(file))
    assert info.value.field == f"line {line}"
    assert "UTF-8" in info.value.message


def test_yaml_keeps_no_on_and_times_as_text_and_refuses_a_key_written_twice(tmp_path):
    data = read_yaml(PROFILE)
    text = PROFILE.read_text(encoding="utf-8")
    # YAML 1.1 would read these as false, true and 600.
    file = tmp_path / "p.yaml"
    file.write_text("a: NO\nb: on\nc: 10:00\nd: yes\n", encoding="utf-8")
    assert read_yaml(file) == {"a": "NO", "b": "on", "c": "10:00", "d": "yes"}
    file.write_text(text.rstrip("\n") + "\nname: Another name\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_profile(str(file))
    assert info.value.field.startswith("line ") and "twice" in info.value.message
    assert re.fullmatch(r"\d\d:\d\d", data["office_hours"][0]["opens"])  # as written, not minutes


def test_a_200000_character_name_is_one_line(tmp_path):
    file = write_profile(tmp_path, replaced(DEMO, ("name",), HUGE))
    with pytest.raises(ContentError) as info:
        load_profile(str(file))
    assert info.value.line() == f"{file}: name: is 200,000 characters long; at most 200"


# ---- offer metadata --------------------------------------------------------

GOOD_OFFER = {"title": "A reduced first session", "starts": "2026-11-01", "ends": "2027-01-31",
              "link": "first-session-offer", "terms": "fees", "placement": "all",
              "priority": "1", "dismissible": "yes"}
OFFER_BAD = [
    ("200,000 characters", HUGE),
    ("control characters", "\x00\x07"),
    ("a date far away", "9999-12-31"),
    ("words", "whenever it suits"),
    ("an emoji", "\U0001F600"),
    ("empty", ""),
]


def offer_cases():
    for field in OFFER_FIELDS:
        for label, value in OFFER_BAD:
            yield pytest.param(field, value, id=f"{field}={label}")


def test_the_good_offer_passes():
    assert check_offer_metadata(GOOD_OFFER, "x.md", "America/Chicago")["priority"] == 1


@pytest.mark.parametrize("field, value", list(offer_cases()))
def test_each_offer_field_refuses_bad_values_in_one_line(field, value):
    meta = dict(GOOD_OFFER, **{field: value})
    try:
        check_offer_metadata(meta, "content/offers/x.md", "America/Chicago")
    except ContentError as error:
        assert error.file == "content/offers/x.md"
        assert error.field == field.capitalize(), error.line()
        assert "\n" not in error.line() and len(error.line()) < 600
    else:
        # Only values that are valid for the field, as far as the offer alone
        # tells (what a Link or Terms points to is checked against the site).
        assert (field, value) in OFFER_VALID, (field, value)


OFFER_VALID = {
    ("title", "whenever it suits"), ("title", "\U0001F600"), ("title", "9999-12-31"),
    ("link", "whenever it suits"), ("link", "\U0001F600"), ("link", "9999-12-31"),
    ("terms", "whenever it suits"), ("terms", "\U0001F600"), ("terms", "9999-12-31"),
    ("terms", ""), ("placement", ""), ("priority", ""), ("dismissible", ""),
    ("placement", "9999-12-31"),  # could be a page's slug
    ("fee", ""), ("format", ""),  # no amount: lint warns if the offer changes a fee
    ("format", "9999-12-31"),  # could be a format id (checked against the profile later)
}


# ---- article metadata ------------------------------------------------------

ARTICLE_FIELDS = list(ArticleMetadata.model_fields)


@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_each_article_field_refuses_200000_characters_in_one_line(field):
    meta = {"title": "A title", field: HUGE}
    with pytest.raises(ContentError) as info:
        check_metadata(meta, "content/articles/x.md")
    assert info.value.field == field.replace("_", " ").title().replace(" ", "_")
    assert "at most" in info.value.message and len(info.value.line()) < 300


def test_an_article_without_a_title_is_one_line():
    with pytest.raises(ContentError) as info:
        check_metadata({"summary": "No title"}, "content/articles/x.md")
    assert info.value.field == "Title"


# ---- a sample through the real build ----------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project built once; each case breaks one file, builds, and puts it back."""
    from fixturesite import fixture_site, own_article
    from offerfiles import write_offer

    project = fixture_site(tmp_path_factory.mktemp("bad-fields") / "project")
    own_article(project)
    write_offer(project, "an-offer-of-the-tests", "2026-11-01", "2099-01-31", Priority="1")
    out = project / "output"
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def snapshot(out):
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def first_article(project):
    return sorted((project / "content" / "articles").glob("*.md"))[0]


def first_offer(project):
    return sorted((project / "content" / "offers").glob("*.md"))[0]


def set_meta(path, key, value):
    text = path.read_text(encoding="utf-8")
    if re.search(rf"^{key}:", text, flags=re.M):
        return re.sub(rf"^{key}: .*$", lambda m: f"{key}: {value}", text, count=1, flags=re.M)
    return f"{key}: {value}\n" + text


BUILD_CASES = [
    # (which file, how it is broken, the file and field the line names)
    ("profile", lambda p: json.dumps(replaced(DEMO, ("name",), HUGE)).encode(), "name"),
    ("profile", lambda p: json.dumps(replaced(DEMO, ("clinicians", 0, "licences"), "IL")).encode(),
     "clinicians[0].licences"),
    ("profile", lambda p: p.read_bytes() + b"# a comment with " + BAD_BYTES + b"\n", "line"),
    ("offer", lambda p: set_meta(p, "Title", HUGE).encode(), "Title"),
    ("offer", lambda p: set_meta(p, "Ends", "9999-12-31").encode(), "Ends"),
    ("offer", lambda p: set_meta(p, "Priority", "9" * 5000).encode(), "Priority"),
    ("article", lambda p: set_meta(p, "Title", HUGE).encode(), "Title"),
    ("article", lambda p: set_meta(p, "Summary", HUGE).encode(), "Summary"),
    ("article", lambda p: set_meta(p, "Tags", ", ".join(f"t{i}" for i in range(50_000))).encode(),
     "Tags"),
]


@pytest.mark.parametrize("which, breakage, field", BUILD_CASES,
                         ids=[f"{w}-{f}-{i}" for i, (w, _b, f) in enumerate(BUILD_CASES)])
def test_a_sample_stops_the_real_build_with_one_line(built, which, breakage, field):
    path = {"profile": built / "content" / "practice.yaml", "offer": first_offer(built),
            "article": first_article(built)}[which]
    out = built / "output"
    before = snapshot(out)
    original = path.read_bytes()
    path.write_bytes(breakage(path))
    try:
        result = run_build("pelicanconf.py", out, cwd=built)
    finally:
        path.write_bytes(original)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr[-2000:]
    assert errors[0].startswith(f"error: {path.relative_to(built)}: {field}"), errors[0][:300]
    assert len(errors[0]) < 600
    assert snapshot(out) == before, "the failed build changed output/"
    assert not list(built.glob(".build-*")), "temporary build folder left behind"


def test_how_many_bad_inputs_are_tried():
    """The count the docs quote (docs/architecture.md)."""
    profile = sum(len(profile_inputs(p)) for p in PROFILE_PATHS) + len(list(text_paths()))
    offers = len(list(offer_cases()))
    articles = len(ARTICLE_FIELDS) + 1
    total = profile + offers + articles + len(BUILD_CASES)
    assert total > 1000
    print(f"bad inputs: {total} ({profile} profile, {offers} offer, {articles} article, "
          f"{len(BUILD_CASES)} full builds)")
