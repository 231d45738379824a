"""A content or settings mistake stops the build with one line naming the
file and the field; the previous output is left exactly as it was."""

import atexit
import hashlib
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from conftest import run_build


def assert_one_clean_error(result, file, field):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [l for l in result.stderr.splitlines() if l.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: {file}: {field}"), errors[0]


_CLEAN = {}


def _project_key(project):
    """A digest of the project's files (what a clean build of it depends on)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        rel = path.relative_to(project)
        if rel.parts[0] in ("output", "cache") or rel.parts[0].startswith(".build-"):
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def clean_output(project):
    """The output of a clean build of a project like ``project``, built once
    per test run for each distinct project (most tests share one)."""
    key = _project_key(project)
    if key not in _CLEAN:
        base = Path(tempfile.mkdtemp(prefix="clean-build-"))
        atexit.register(shutil.rmtree, base, True)
        copy = base / "project"
        shutil.copytree(project, copy, symlinks=True)
        first = run_build("pelicanconf.py", copy / "output", cwd=copy)
        assert first.returncode == 0, first.stderr
        _CLEAN[key] = copy / "output"
    return _CLEAN[key]


def build_twice(project, breakage):
    """A clean build's output in place, then break the project and build
    again into the same output."""
    out = project / "output"
    shutil.copytree(clean_output(project), out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    breakage(project)
    second = run_build("pelicanconf.py", out, cwd=project)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before, "the failed build changed output/"
    assert not list(project.glob(".build-*")), "temporary build folder left behind"
    return second


def test_profile_mistake(project):
    def breakage(p):
        path = p / "content" / "practice.yaml"
        text = path.read_text()
        email = yaml.safe_load(text)["contact"]["email"]  # the practice's, whatever it is
        path.write_text(text.replace(f"email: {email}", "email: " + email.replace("@", "-at-"), 1))
        assert path.read_text() != text
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/practice.yaml", "contact.email")


OWN_ARTICLE = "content/articles/an-article-of-the-tests.md"


def own_article(project):
    """An article this file writes itself, so no test depends on the demo's posts."""
    path = project / OWN_ARTICLE
    path.write_text("Title: An article of the tests\nDate: 2026-03-02 09:00\n"
                    "Reviewed: 2026-03-02\nCategory: Tests\nSummary: Broken on purpose.\n\n"
                    "A paragraph.\n", encoding="utf-8")
    return path


@pytest.fixture
def project(project):
    own_article(project)
    return project


def test_unknown_reviewer(project):
    def breakage(p):
        path = p / OWN_ARTICLE
        path.write_text("Reviewed-by: Someone Else\n" + path.read_text())
    result = build_twice(project, breakage)
    assert_one_clean_error(result, OWN_ARTICLE, "Reviewed-by")


def test_bad_reviewed_date(project):
    def breakage(p):
        path = p / OWN_ARTICLE
        path.write_text(re.sub(r"^Reviewed: .*$", "Reviewed: last spring", path.read_text(), flags=re.M))
    result = build_twice(project, breakage)
    assert_one_clean_error(result, OWN_ARTICLE, "Reviewed")


def test_bad_article_date(project):
    def breakage(p):
        path = p / OWN_ARTICLE
        path.write_text(re.sub(r"^Date: .*$", "Date: the ides of March", path.read_text(), flags=re.M))
    result = build_twice(project, breakage)
    assert_one_clean_error(result, OWN_ARTICLE, "Date")


def test_unknown_practice_section(project):
    def breakage(p):
        (p / "content" / "pages" / "a-page-of-the-tests.md").write_text(
            "Title: A page of the tests\nPractice: biography\n\nText.\n")
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/pages/a-page-of-the-tests.md", "Practice")


def test_settings_syntax_error(project):
    def breakage(p):
        path = p / "pelicanconf.py"
        path.write_text(path.read_text() + "\nSITENAME = 'unclosed\n")
    result = build_twice(project, breakage)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert re.search(r"^error: pelicanconf.py:\d+: ", result.stderr, re.M), result.stderr


def test_settings_name_error(project):
    def breakage(p):
        path = p / "pelicanconf.py"
        path.write_text(path.read_text() + "\nDEFAULT_PAGINATION = PAGES_PER_SCREEN\n")
    result = build_twice(project, breakage)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert re.search(r"^error: pelicanconf.py:\d+: NameError: .*PAGES_PER_SCREEN", result.stderr, re.M), result.stderr


@pytest.mark.parametrize("module, expected", [
    ("def register(:\n    pass\n", r"^error: plugins-of-the-tests/half_saved\.py:1: invalid syntax"),
    ("import a_package_that_is_not_installed\n",
     r"^error: Cannot load plugin `half_saved`: No module named 'a_package_that_is_not_installed'"),
    ("raise RuntimeError('stopped half way')\n",
     r"^error: plugins-of-the-tests/half_saved\.py:1: a plugin could not be loaded: "
     r"RuntimeError: stopped half way"),
])
def test_a_plugin_that_cannot_be_loaded(project, module, expected):
    """A plugin module saved half way or missing a package it needs is one
    line naming it, not a build without it that ends in a traceback."""
    def breakage(p):
        (p / "plugins-of-the-tests").mkdir()
        (p / "plugins-of-the-tests" / "half_saved.py").write_text(module)
        path = p / "pelicanconf.py"
        path.write_text(path.read_text() + "\nPLUGIN_PATHS = ['plugins-of-the-tests']\n"
                        "PLUGINS = PLUGINS + ['half_saved']\n")
    result = build_twice(project, breakage)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and re.search(expected, errors[0]), result.stderr


def test_settings_without_the_practice_plugin(project):
    def breakage(p):
        path = p / "pelicanconf.py"
        path.write_text(path.read_text() + "\nPLUGINS = [name for name in PLUGINS if name != 'practice']\n")
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "pelicanconf.py", "PLUGINS")
