"""A large site is indexed in parts that the search page merges."""

import json
import re
from collections import Counter

import pytest

from conftest import StaticServer, run_build
from sitepages import CONTENT, metadata
from test_search import ARTICLES, search_page_results


def body_words(path):
    text = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    text = re.sub(r"\(\{filename\}[^)]*\)|\[\^\d+\]|https?://\S+", " ", text)
    return set(re.findall(r"\b[a-z]{8,}\b", text.lower()))


def word_only_in(article):
    """A word in this article and in no other content file."""
    others = Counter()
    for path in sorted(CONTENT.rglob("*.md")):
        if path != article:
            others.update(body_words(path))
    for word in sorted(body_words(article)):
        if word not in others:
            return word
    pytest.skip(f"{article.name} has no word of its own")


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory):
    from conftest import built_once, copy_project

    def make(folder):
        project = copy_project(folder / "project")
        (project / "parts.py").write_text(
            "from pelicanconf import *\n"
            "SEARCH_INDEX_PART_PAGES = 4\n")
        out = project / "output"
        result = run_build("parts.py", out, cwd=project)
        assert result.returncode == 0, result.stderr
        return out

    return built_once(tmp_path_factory, "search-parts", make)


def test_parts_are_listed_and_each_is_a_bundle(parted_site):
    parts = json.loads((parted_site / "pagefind" / "parts.json").read_text())
    pages = len(ARTICLES) + len(list((CONTENT / "pages").glob("*.md")))
    assert len(parts) == -(-pages // 4) - 1 >= 2
    for part in parts:
        assert (parted_site / "pagefind" / part / "pagefind-entry.json").is_file()


def test_the_demo_site_is_one_bundle(site):
    assert json.loads((site / "pagefind" / "parts.json").read_text()) == []


@pytest.mark.browser
def test_search_finds_articles_in_every_part(page, parted_site):
    with StaticServer(parted_site) as server:
        for article in ARTICLES:
            word = word_only_in(article)
            page.goto(server.url + "/search/")
            hrefs = search_page_results(page, word)
            assert f"/blog/{metadata(article)['slug']}/" in hrefs, (word, hrefs)
        assert page.watch.console_errors == []
        assert page.watch.foreign_requests(server.url) == []
