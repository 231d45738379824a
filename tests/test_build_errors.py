"""A content or settings mistake stops the build with one line naming the
file and the field; the previous output is left exactly as it was."""

import atexit
import functools
import re
import shutil
import tempfile
from pathlib import Path

from conftest import copy_project, run_build


def assert_one_clean_error(result, file, field):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [l for l in result.stderr.splitlines() if l.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: {file}: {field}"), errors[0]


@functools.cache
def clean_output():
    """The untouched project built once per test run (every ``project`` starts
    as the same copy, so its clean build would be these very files)."""
    base = Path(tempfile.mkdtemp(prefix="clean-build-"))
    atexit.register(shutil.rmtree, base, True)
    project = copy_project(base / "project")
    first = run_build("pelicanconf.py", project / "output", cwd=project)
    assert first.returncode == 0, first.stderr
    return project / "output"


def build_twice(project, breakage):
    """A clean build's output in place, then break the (fresh, unchanged)
    project and build again into the same output."""
    out = project / "output"
    shutil.copytree(clean_output(), out)
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
        path.write_text(path.read_text().replace("email: hello@", "email: hello-at-"))
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/practice.yaml", "contact.email")


def test_unknown_author(project):
    def breakage(p):
        path = p / "content" / "articles" / "trust-is-the-basis-of-therapy.md"
        path.write_text("Author: Someone Else\n" + path.read_text())
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/articles/trust-is-the-basis-of-therapy.md", "Author")


def test_bad_reviewed_date(project):
    def breakage(p):
        path = p / "content" / "articles" / "trust-is-the-basis-of-therapy.md"
        path.write_text(re.sub(r"^Reviewed: .*$", "Reviewed: last spring", path.read_text(), flags=re.M))
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/articles/trust-is-the-basis-of-therapy.md", "Reviewed")


def test_bad_article_date(project):
    def breakage(p):
        path = p / "content" / "articles" / "trust-is-the-basis-of-therapy.md"
        path.write_text(re.sub(r"^Date: .*$", "Date: the ides of March", path.read_text(), flags=re.M))
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/articles/trust-is-the-basis-of-therapy.md", "Date")


def test_unknown_practice_section(project):
    def breakage(p):
        path = p / "content" / "pages" / "about.md"
        path.write_text(re.sub(r"^Practice: .*$", "Practice: biography", path.read_text(), flags=re.M))
    result = build_twice(project, breakage)
    assert_one_clean_error(result, "content/pages/about.md", "Practice")


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
