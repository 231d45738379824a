"""`make newpost` starts a draft that builds, shows as a draft while writing,
and never reaches a publish build."""

import datetime
import re

import pytest

from conftest import copy_project, run_build
from sitepages import metadata, soup
from workflow import add_make_files, files_mentioning, make

TITLE = "How to prepare for a first session"
SLUG = "how-to-prepare-for-a-first-session"


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """A scratch project after `make newpost`, built with both settings."""
    project = add_make_files(copy_project(tmp_path_factory.mktemp("newpost") / "project"))
    result = make(project, "newpost", f"TITLE={TITLE}")
    dev = run_build("pelicanconf.py", project / "dev", cwd=project)
    pub = run_build("publishconf.py", project / "pub", cwd=project)
    return project, result, dev, pub


def test_newpost_creates_a_draft_with_the_metadata_a_post_needs(drafted):
    project, result, _dev, _pub = drafted
    assert result.returncode == 0, result.stderr
    path = f"content/articles/{SLUG}.md"
    assert result.stdout.strip() == path
    meta = metadata(project / path)
    for field in ("title", "date", "category", "tags", "summary", "reviewed", "status"):
        assert field in meta, field
    assert meta["title"] == TITLE
    assert meta["status"] == "draft"
    assert meta["slug"] == SLUG
    datetime.date.fromisoformat(meta["reviewed"])
    datetime.datetime.strptime(meta["date"], "%Y-%m-%d %H:%M")
    # It starts in a category the site already has.
    categories = {metadata(p).get("category") for p in (project / "content" / "articles").glob("*.md")
                  if p.stem != SLUG}
    assert meta["category"] in categories


def test_the_draft_builds_and_shows_marked_as_a_draft(drafted):
    project, _result, dev, _pub = drafted
    assert dev.returncode == 0, dev.stderr
    page = soup(project / "dev" / "drafts" / SLUG / "index.html")
    assert page.find("h1").get_text(" ", strip=True).replace("\xa0", " ") == TITLE
    assert "Draft" in page.select_one(".draft-flag").get_text()
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    # The home page lists it under Drafts, labelled, linking to it.
    home = soup(project / "dev" / "index.html")
    drafts = home.select_one("section.drafts")
    assert drafts is not None
    item = drafts.find("a", href=f"/drafts/{SLUG}/")
    assert item is not None and item.get_text(strip=True).replace("\xa0", " ") == TITLE
    assert item.find_previous_sibling(class_="draft-label").get_text() == "Draft"
    # ... and not among the published articles.
    assert not home.select(f'.article-list a[href*="{SLUG}"]')


def test_the_draft_is_absent_from_a_publish_build(drafted):
    project, _result, _dev, pub = drafted
    assert pub.returncode == 0, pub.stderr
    out = project / "pub"
    assert (out / "index.html").is_file()
    assert not (out / "drafts").exists()
    assert files_mentioning(out, SLUG) == []
    assert files_mentioning(out, "How to prepare for a first") == []
    assert soup(out / "index.html").select_one("section.drafts") is None


def test_newpost_never_overwrites(drafted):
    project, _result, _dev, _pub = drafted
    path = project / "content" / "articles" / f"{SLUG}.md"
    path.write_text(path.read_text() + "\nMy own words.\n")
    before = path.read_text()
    again = make(project, "newpost", f"TITLE={TITLE}")
    assert again.returncode != 0
    assert "already exists" in again.stderr
    assert path.read_text() == before


def test_newpost_refuses_a_slug_another_article_uses(project):
    add_make_files(project)
    # An article's slug, with a different file name.
    (project / "content" / "articles" / "taken.md").write_text(
        "Title: A title already taken\nDate: 2026-03-02 09:00\nCategory: Tests\n"
        "Slug: a-title-already-taken\nSummary: Taken.\n\nText.\n")
    result = make(project, "newpost", "TITLE=A title already taken!")
    assert result.returncode != 0
    assert "a-title-already-taken" in result.stderr


def test_newpost_needs_a_title(project):
    add_make_files(project)
    before = sorted(p.name for p in (project / "content" / "articles").iterdir())
    result = make(project, "newpost")
    assert result.returncode != 0
    assert re.search(r'make newpost TITLE=', result.stderr)
    assert sorted(p.name for p in (project / "content" / "articles").iterdir()) == before


def test_newpost_keeps_quotes_in_the_title(project):
    add_make_files(project)
    title = 'When "fine" isn\'t fine: naming feelings'
    result = make(project, "newpost", f"TITLE={title}", "CATEGORY=Feelings", "TAGS=feelings, words")
    assert result.returncode == 0, result.stderr
    meta = metadata(project / result.stdout.strip())
    assert meta["title"] == title
    assert meta["category"] == "Feelings"
    assert meta["tags"] == "feelings, words"


@pytest.mark.browser
def test_the_writer_finds_and_opens_the_draft_on_a_phone(drafted, browser):
    from conftest import StaticServer

    project, _result, _dev, _pub = drafted
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = ctx.new_page()
        with StaticServer(project / "dev") as server:
            page.goto(server.url + "/")
            drafts = page.get_by_role("region", name="Drafts")
            assert drafts.is_visible()
            assert drafts.locator(".draft-label").first.is_visible()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0
            drafts.get_by_role("link").first.click()
            page.wait_for_load_state("load")
            assert page.url == f"{server.url}/drafts/{SLUG}/"
            assert page.locator(".draft-flag").inner_text().startswith("Draft")
    finally:
        ctx.close()
