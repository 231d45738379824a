"""Fixture sites: the product (theme, plugin, tools, settings, the page
structure and a practice profile) with content the test writes itself.

Tests that need particular articles or offers build one of these instead of
relying on the demo's posts, so a practice can add, change or remove any of
them and `make test` still passes."""

import os
import shutil
from pathlib import Path

import yaml

from conftest import copy_project
from practice.tools import new_practice


def fixture_site(dest, articles=None, pages=None, offers=None, extra=None):
    """A project copy at ``dest`` with the demo's articles and offers removed
    and ``articles`` / ``pages`` / ``offers`` ({file name: text}) written.
    ``extra`` ({path under content/: text}) writes any other content file."""
    project = copy_project(Path(dest))
    content = project / "content"
    removed = set()
    for folder in ("articles", "offers"):
        removed |= {os.path.normpath(p) for p in map(str, (content / folder).rglob("*"))}
        shutil.rmtree(content / folder, ignore_errors=True)
        (content / folder).mkdir()
    # The pages' links to the demo's articles become plain text, as
    # `make new-practice` leaves them.
    for page in (content / "pages").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(new_practice.unlink(text, str(page.parent), str(content), removed),
                        encoding="utf-8")
    for folder, files in (("articles", articles), ("pages", pages), ("offers", offers)):
        for name, text in (files or {}).items():
            (content / folder / name).write_text(text, encoding="utf-8")
    for name, text in (extra or {}).items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project


def profile(project):
    """The fixture's practice profile, as written (read without the plugin)."""
    return yaml.safe_load((project / "content" / "practice.yaml").read_text(encoding="utf-8"))


def clinician(project, index=0):
    return profile(project)["clinicians"][index]


OWN_ARTICLE = "content/articles/an-article-of-the-tests.md"
OWN_SLUG = "an-article-of-the-tests"


def own_article(project):
    """Add an article the tests own to a project copy (so a test that edits
    an article never depends on one of the demo's); returns its path."""
    path = Path(project) / OWN_ARTICLE
    path.write_text("Title: An article of the tests\nDate: 2026-03-02 09:00\n"
                    "Reviewed: 2026-03-02\nCategory: Tests\nTags: testing\n"
                    f"Slug: {OWN_SLUG}\nSummary: An article the tests edit.\n\n"
                    "A paragraph the tests own. It has two sentences.\n", encoding="utf-8")
    return path


OWN_PROFILE = Path(__file__).resolve().parent / "fixtures" / "profile" / "practice.yaml"


def own_profile():
    """The tests' own practice profile (tests/fixtures/profile/practice.yaml),
    as a dict to change and load: unit tests that need particular fields,
    rules or states use it instead of the practice's profile."""
    return yaml.safe_load(OWN_PROFILE.read_text(encoding="utf-8"))


def site_profile():
    """The profile the real site is built from (content/practice.yaml), read
    without the plugin: tests of the real site derive what they expect from it."""
    from conftest import ROOT

    return yaml.safe_load((ROOT / "content" / "practice.yaml").read_text(encoding="utf-8"))


def write_profile(project, data):
    """Write ``data`` as a project copy's content/practice.yaml."""
    path = Path(project) / "content" / "practice.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
