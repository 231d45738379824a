"""The comments section as the build writes it: on every article, off where
an article says so, nothing from the comment server in the page itself, the
publish build's comment server from the environment, and the shipped Isso
configs with moderation and rate limits on."""

import configparser
import json
import os
import re

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, run_build
from test_build_errors import assert_one_clean_error

ARTICLE = "content/articles/a-short-note-1.md"  # an article the tests own (fixture site)
SLUG = "a-short-note-number-1"


def soup(path):
    return BeautifulSoup(path.read_text(), "html.parser")


def article_pages(out):
    return sorted((out / "blog").glob("*/index.html"))


def client_config(page):
    return json.loads(page.find("script", id="comments-config").string)


@pytest.fixture
def project(tmp_path):
    """The product with the tests' own articles (tests/fixtures/site/articles/)."""
    from conftest import OWN_ARTICLES
    from fixturesite import fixture_site

    return fixture_site(tmp_path / "project", articles={
        p.name: p.read_text(encoding="utf-8") for p in OWN_ARTICLES.glob("*.md")})


def test_every_article_ends_with_the_note_and_a_button(site):
    pages = article_pages(site)
    for path in pages:
        page = soup(path)
        section = page.find("section", class_="comments")
        assert section is not None, path
        note = section.find(class_="comments-note").get_text(" ", strip=True)
        assert "public" in note and "pseudonym" in note and "not in real time" in note
        assert section.find("a", string=re.compile("crisis lines"))["href"] == "/crisis/"
        assert section.find("button").get_text(strip=True) == "Show comments"
        # The thread is the article's own path, with its title.
        thread = section.find(id="isso-thread")
        slug = path.parent.name
        assert thread["data-isso-id"] == f"/blog/{slug}/"
        assert thread["data-title"] == page.find("h1").get_text(strip=True).replace("\xa0", " ")
        # Comments come last in the article, after the related reading.
        parts = [t for t in page.find("article").find_all(recursive=False) if t.name != "script"]
        assert parts[-1] is section


def test_nothing_in_the_page_loads_from_the_comment_server(site):
    for path in article_pages(site):
        html = path.read_text()
        page = BeautifulSoup(html, "html.parser")
        for tag in page.find_all(["script", "link", "img", "iframe"]):
            address = tag.get("src") or tag.get("href") or ""
            assert "127.0.0.1:8080" not in address, (path, tag)
        scripts = [s["src"] for s in page.find_all("script", src=True)]
        assert "/theme/js/comments.js" in scripts
        assert all(src.startswith("/theme/js/") for src in scripts), scripts
        config = client_config(page)
        # The script that runs on request: Isso's client, with its own CSS,
        # Gravatar, avatars, votes and reply e-mails off.
        assert config["script"] == "http://127.0.0.1:8080/js/embed.min.js"
        attributes = config["attributes"]
        assert attributes["data-isso"] == "http://127.0.0.1:8080"
        for name in ("css", "gravatar", "avatar", "vote", "reply-notifications", "feed"):
            assert attributes[f"data-isso-{name}"] == "false", name


def test_listing_pages_have_no_comments_or_counts(site):
    for name in ("index.html", "archives/index.html", "tag/index.html", "category/index.html"):
        html = (site / name).read_text()
        assert "isso" not in html, name
        assert "comments.js" not in html, name
    for path in list((site / "tag").glob("*/index.html")) + list((site / "category").glob("*/index.html")):
        assert "isso" not in path.read_text(), path


def test_comments_off_turns_one_article_off(project):
    path = project / ARTICLE
    path.write_text("Comments: off\n" + path.read_text())
    out = project / "output"
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    off = (out / "blog" / SLUG / "index.html").read_text()
    assert "isso-thread" not in off and "comments.js" not in off and "Show comments" not in off
    others = [p for p in article_pages(out) if SLUG not in str(p)]
    assert others and all("Show comments" in p.read_text() for p in others)


def test_a_misspelt_comments_value_stops_the_build(project):
    path = project / ARTICLE
    path.write_text("Comments: of\n" + path.read_text())
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, ARTICLE, "Comments")


def test_empty_comments_url_turns_comments_off_everywhere(project):
    (project / "nocomments.py").write_text(
        "from pelicanconf import *\nCOMMENTS_URL = ''\n")
    out = project / "output"
    result = run_build("nocomments.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    assert not any("isso-thread" in p.read_text() for p in article_pages(out))


def test_publish_build_takes_the_comment_server_from_the_environment(project):
    env = dict(os.environ, COMMENTS_URL="https://127.0.0.1:9443")
    out = project / "output"
    result = run_build("publishconf.py", out, cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    page = soup(article_pages(out)[0])
    config = client_config(page)
    assert config["script"] == "https://127.0.0.1:9443/js/embed.min.js"
    assert config["attributes"]["data-isso"] == "https://127.0.0.1:9443"
    note = page.find(class_="comments-privacy")
    assert "127.0.0.1:9443" in note.get_text()
    assert "no cookie" in note.get_text()
    assert note.find("a", href=lambda h: h and h.endswith("/privacy/#comments"))


def test_publish_build_refuses_a_plain_http_comment_server(project):
    env = dict(os.environ, COMMENTS_URL="http://talk.example.org")
    result = run_build("publishconf.py", project / "output", cwd=project, env=env)
    assert_one_clean_error(result, "publishconf.py", "COMMENTS_URL")


def test_a_wrong_author_hash_stops_the_build(project):
    (project / "hashes.py").write_text(
        "from pelicanconf import *\n"
        "COMMENTS_AUTHOR_HASHES = ['therapist@example.org']\n")
    result = run_build("hashes.py", project / "output", cwd=project)
    # The line names the settings file the build read.
    assert_one_clean_error(result, "hashes.py", "COMMENTS_AUTHOR_HASHES")


def isso_config(name):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "comments" / name)
    return parser


def test_shipped_isso_configs_moderate_and_rate_limit():
    for name in ("isso-dev.cfg", "isso-production.example.cfg"):
        conf = isso_config(name)
        assert conf.getboolean("moderation", "enabled"), name
        assert conf.getboolean("guard", "enabled"), name
        assert conf.getint("guard", "ratelimit") <= 5, name
        assert not conf.getboolean("general", "gravatar"), name
        assert not conf.getboolean("moderation", "approve-if-email-previously-approved"), name
        # No edit window, so no edit cookie in the reader's browser.
        assert conf.get("general", "max-age") == "0", name
        # The admin password never sits in the file.
        assert conf.get("admin", "password") == "${ISSO_ADMIN_PASSWORD}", name
    dev = isso_config("isso-dev.cfg")
    assert dev.get("server", "listen").startswith("http://127.0.0.1:")
    assert dev.get("general", "dbpath") == "${ISSO_DB}"
    production = isso_config("isso-production.example.cfg")
    assert production.get("server", "public-endpoint").startswith("https://")
    assert all(h.startswith("https://") for h in production.get("general", "host").split())
    assert "smtp" in production.get("general", "notify")
    assert production.get("hash", "salt") != dev.get("hash", "salt")


def test_development_database_lives_in_a_git_ignored_folder():
    from practice.tools import comments as runner

    assert runner.DEV_DB.split(os.sep)[0] == "var"
    assert "var/" in (ROOT / ".gitignore").read_text().split()
    env = runner.environment(8080, "http://127.0.0.1:8000", runner.DEV_DB)
    assert env["ISSO_DB"] == os.path.abspath(runner.DEV_DB)
