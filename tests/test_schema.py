"""The editor's JSON Schema and the build apply the same shape: the
committed schema files are what the models give, and they accept the demo's
profile, offers and articles and the test fixtures' content."""

import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT
from practice.core import schema
from practice.core.yamlfile import read_yaml

SCHEMA = ROOT / "schema"


def load(name):
    return json.loads((SCHEMA / name).read_text(encoding="utf-8"))


def validator(name):
    body = load(name)
    jsonschema.Draft202012Validator.check_schema(body)
    return jsonschema.Draft202012Validator(body)


def test_the_committed_schema_files_are_current_with_the_models():
    for name, text in schema.rendered().items():
        assert (SCHEMA / name).read_text(encoding="utf-8") == text, (
            f"schema/{name} is out of date: run `.venv/bin/python -m practice.core.schema`")


def profiles():
    found = [ROOT / "content" / "practice.yaml",
             ROOT / "plugins" / "practice" / "tools" / "new-practice" / "practice.yaml"]
    found += sorted((ROOT / "tests" / "fixtures").rglob("practice.yaml"))
    return found


@pytest.mark.parametrize("path", profiles(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_profiles_validate_and_name_the_schema_on_their_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    if path.is_relative_to(ROOT / "content") or "new-practice" in path.parts:
        assert match, first
        # Relative to content/ (where the template is copied to as well).
        assert (ROOT / "content" / match.group(1)).resolve() == SCHEMA / "practice.schema.json"
    errors = list(validator("practice.schema.json").iter_errors(read_yaml(path)))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors][:5]


def metadata(path):
    """A Markdown file's metadata lines as Pelican reads them: ``{key: text}``."""
    meta = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower().replace(" ", "_")] = value.strip()
    return meta


def markdown_files(folder):
    return sorted(Path(folder).rglob("*.md"))


ARTICLES = markdown_files(ROOT / "content" / "articles") + markdown_files(ROOT / "content" / "pages")
ARTICLES += [p for p in markdown_files(ROOT / "tests" / "fixtures") if "offers" not in p.parts]
OFFERS = markdown_files(ROOT / "content" / "offers")
OFFERS += [p for p in markdown_files(ROOT / "tests" / "fixtures") if "offers" in p.parts]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_articles_and_pages_validate(path):
    meta = metadata(path)
    if "title" not in meta:
        pytest.skip("no metadata lines (a fixture of another kind)")
    errors = list(validator("article.schema.json").iter_errors(meta))
    assert not errors, [e.message for e in errors][:5]


@pytest.mark.parametrize("path", OFFERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_offers_validate(path):
    errors = list(validator("offer.schema.json").iter_errors(metadata(path)))
    assert not errors, [e.message for e in errors][:5]


def test_the_schema_refuses_what_the_build_refuses():
    """Spot checks in the other direction: a mistake the build stops on is
    one the editor marks too."""
    profile = read_yaml(ROOT / "content" / "practice.yaml")
    check = validator("practice.schema.json")
    assert list(check.iter_errors(dict(profile, name="x" * 201)))
    assert list(check.iter_errors(dict(profile, unknown_key=1)))
    assert list(check.iter_errors({k: v for k, v in profile.items() if k != "contact"}))
    hours = [dict(profile["office_hours"][0], opens="9am")]
    assert list(check.iter_errors(dict(profile, office_hours=hours)))
    offer = validator("offer.schema.json")
    assert list(offer.iter_errors({"title": "t", "starts": "2026-01-01", "ends": "2026-02-01"}))
    assert list(validator("article.schema.json").iter_errors({"title": "t" * 201}))
