"""Rebuilds reuse what did not change, and stay exactly right."""

import json
import re

import pytest

from conftest import run_build
from fixturesite import OWN_ARTICLE, OWN_SLUG, own_article


@pytest.fixture
def project(project):
    own_article(project)  # the article these tests edit: their own, not the demo's
    return project


def article(project):
    return project / OWN_ARTICLE


def test_search_parts_are_reused_and_the_edited_part_is_reindexed(project):
    (project / "small.py").write_text(
        "from pelicanconf import *\n"
        "SEARCH_INDEX_PART_PAGES = 3\n")
    out = project / "output"
    assert run_build("small.py", out, cwd=project).returncode == 0
    cache = next((project / "cache").glob("search-*"))
    first = set(p.name for p in cache.iterdir())
    parts = json.loads((out / "pagefind" / "parts.json").read_text())
    assert len(first) == len(parts) + 1
    path = article(project)
    path.write_text(path.read_text() + "\nA sentence about zeppelinology, added later.\n")
    assert run_build("small.py", out, cwd=project).returncode == 0
    second = set(p.name for p in cache.iterdir())
    assert len(second - first) == 1 and len(first - second) == 1  # one part indexed afresh
    for part in [""] + parts:  # every part's bundle is in place after the rebuild
        assert (out / "pagefind" / part / "pagefind-entry.json").is_file()


def test_the_guard_cache_never_hides_a_new_problem(project):
    out = project / "output"
    assert run_build("pelicanconf.py", out, cwd=project).returncode == 0
    assert list((project / "cache").glob("guard-*.json"))
    path = article(project)
    path.write_text(path.read_text() + '\n![A chart](https://tracker.example.net/pixel.png)\n')
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode != 0
    assert re.search(rf"^error: {OWN_ARTICLE}: body: <img src>: "
                     r"https://tracker.example.net/pixel.png", result.stderr, re.M), result.stderr


def test_a_template_link_to_another_site_must_carry_rel(project):
    footer = project / "theme" / "templates" / "partials" / "footer.html"
    footer.write_text(footer.read_text().replace(
        "</footer>", '<a href="https://elsewhere.example.net/">elsewhere</a></footer>'))
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert 'without rel="noopener noreferrer": https://elsewhere.example.net/' in result.stderr
    assert "in a template or a setting?" in result.stderr


def test_links_in_content_get_rel_from_the_reader(project):
    path = article(project)
    path.write_text(path.read_text() + "\nSee [one](https://one.example.org/a) and "
                    '<a href="https://two.example.org/b" rel="nofollow">two</a> and '
                    "[ours](/crisis/).\n")
    out = project / "output"
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    html = (out / "blog" / OWN_SLUG / "index.html").read_text()
    tags = {href: tag for tag, href in re.findall(r'(<a [^>]*href="([^"]*)"[^>]*>)', html)}
    assert re.search(r'\srel="noopener noreferrer"[\s>]', tags["https://one.example.org/a"])
    assert re.search(r'\srel="nofollow noopener noreferrer"[\s>]', tags["https://two.example.org/b"])
    assert "rel=" not in tags["/crisis/"]
