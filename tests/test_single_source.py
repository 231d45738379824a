"""The practice's facts are written once, in content/practice.yaml: its
name, time zone, first clinician and minimum age reach every place that
shows them, including Pelican's own SITENAME, TIMEZONE and AUTHOR."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

import yaml

from conftest import copy_project, run_build
from sitepages import CONTENT, html_files, metadata, soup

ATOM = "{http://www.w3.org/2005/Atom}"
# Whatever the practice's profile says now is changed to these.
_PROFILE = yaml.safe_load((CONTENT / "practice.yaml").read_text(encoding="utf-8"))
OLD_NAME = _PROFILE["name"]
NEW_NAME = "Lakeside Counseling Collective"
OLD_CLINICIAN = _PROFILE["clinicians"][0]["name"]
NEW_CLINICIAN = "Dr. Robin Sample"
OLD_TIMEZONE = _PROFILE["timezone"]
OLD_AGE = _PROFILE["eligibility"]["minimum_age"]
# The articles that show the default author (no Author: of their own).
DEFAULT_AUTHORED = [metadata(p)["slug"] for p in sorted((CONTENT / "articles").glob("*.md"))
                    if "author" not in metadata(p)]
AGE_PAGES = [metadata(p)["slug"] for p in sorted((CONTENT / "pages").glob("*.md"))
             if "{minimum_age}" in p.read_text(encoding="utf-8")]


def edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    """A scratch project whose profile has another name, time zone, first
    clinician and minimum age, built with the publish settings (feeds)."""
    project = copy_project(tmp_path_factory.mktemp("renamed") / "project")
    profile = project / "content" / "practice.yaml"
    edit(profile, f"name: {OLD_NAME}", f"name: {NEW_NAME}")
    edit(profile, f"name: {OLD_CLINICIAN}", f"name: {NEW_CLINICIAN}")
    edit(profile, f"timezone: {OLD_TIMEZONE}", "timezone: Pacific/Honolulu")
    edit(profile, f"minimum_age: {OLD_AGE}", "minimum_age: 97")
    out = project / "output"
    result = run_build("publishconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    return out


def test_a_new_name_shows_in_titles_social_tags_and_feeds(renamed):
    pages = html_files(renamed)
    assert pages
    for path in pages:
        doc = soup(path)
        assert NEW_NAME in doc.title.string, path
        assert OLD_NAME not in doc.title.string, path
        assert doc.find("meta", property="og:site_name")["content"] == NEW_NAME, path
        assert doc.find(class_="site-name").get_text(strip=True) == NEW_NAME, path
        assert doc.find("footer").find("h2").get_text(strip=True) == NEW_NAME, path
        feed_link = doc.find("link", rel="alternate", type="application/atom+xml")
        assert feed_link["title"].startswith(NEW_NAME), path
    feeds = sorted((renamed / "feeds").glob("*.xml"))
    assert feeds
    for feed in feeds:
        title = ET.parse(feed).getroot().find(f"{ATOM}title").text
        assert title.startswith(NEW_NAME) and OLD_NAME not in title, (feed.name, title)


def test_a_new_first_clinician_is_the_default_author(renamed):
    for slug in DEFAULT_AUTHORED:
        byline = soup(renamed / "blog" / slug / "index.html").find(class_="byline")
        assert NEW_CLINICIAN in byline.get_text() and OLD_CLINICIAN not in byline.get_text()


def test_dates_use_the_practices_time_zone(renamed):
    doc = soup(next((renamed / "blog").glob("*/index.html")))
    published = doc.find("meta", property="article:published_time")["content"]
    assert published.endswith("-10:00"), published  # Honolulu, not Chicago
    entry = ET.parse(renamed / "feeds" / "all.atom.xml").getroot().find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}published").text.endswith("-10:00")


def test_the_minimum_age_in_page_text_comes_from_the_profile(renamed):
    assert AGE_PAGES
    for slug in AGE_PAGES:
        html = (renamed / slug / "index.html").read_text()
        text = soup(renamed / slug / "index.html").find("main").get_text(" ").replace("\u00a0", " ")
        assert "{minimum_age}" not in html, slug
        assert re.search(r"\b97\b", text), slug
        assert not re.search(rf"\b{OLD_AGE}\b", text), slug


def test_the_site_says_the_profiles_minimum_age(site):
    for slug in AGE_PAGES:
        text = soup(site / slug / "index.html").find("main").get_text(" ").replace("\u00a0", " ")
        assert re.search(rf"\b{OLD_AGE}\b", text), slug


@pytest.mark.parametrize("setting, value, field", [
    ("SITENAME", "Another Name", "name"),
    ("TIMEZONE", "Europe/Paris", "timezone"),
    ("AUTHOR", "Someone Else", "clinicians[0].name"),
])
def test_a_settings_file_that_disagrees_stops_the_build(project, setting, value, field):
    settings = project / "pelicanconf.py"
    settings.write_text(settings.read_text() + f"\n{setting} = {value!r}\n")
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: content/practice.yaml: {field}: "), errors[0]
    assert setting in errors[0] and value in errors[0]


def test_a_settings_file_that_agrees_is_fine(project):
    settings = project / "pelicanconf.py"
    settings.write_text(settings.read_text() + f"\nSITENAME = {OLD_NAME!r}\n")
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode == 0, result.stderr


def test_newpost_dates_a_post_in_the_practices_time_zone(project, monkeypatch):
    from practice.tools import newpost

    profile = project / "content" / "practice.yaml"
    text, count = re.subn(r"^timezone: .*$", "timezone: Pacific/Honolulu", profile.read_text(),
                          count=1, flags=re.M)  # whatever zone the practice is in
    assert count == 1
    profile.write_text(text)
    monkeypatch.chdir(project)
    now = datetime.datetime(2026, 1, 2, 5, 30, tzinfo=datetime.timezone.utc)
    path = newpost.new_post("A post written late", now=now)
    text = (project / path).read_text()
    assert "Date: 2026-01-01 19:30" in text  # 05:30 UTC is 19:30 the day before in Honolulu
