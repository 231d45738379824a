"""Real Pelican content builds: reStructuredText and HTML articles and
pages, Pelican's own sample site, guest authors and Reviewed-by."""

import os
import shutil
from pathlib import Path

from conftest import ROOT, run_build
from fixturesite import clinician, fixture_site
from sitepages import jsonld, soup

SAMPLES = Path(__file__).parent / "fixtures" / "pelican-samples"

RST_ARTICLE = """Sleep and worry: a short guide
##############################

:date: 2026-02-03 10:00
:category: Everyday coping
:tags: sleep, worry
:author: Jamie Guest
:slug: sleep-and-worry
:summary: What helps when "worry" keeps you awake -- and what does not.

Worry at night is common. The `sleep foundation`_ has more on it.

A heading
=========

Write the worry down, then put it away... until the morning.

.. _sleep foundation: https://www.sleepfoundation.org/
"""

RST_PAGE = """Office accessibility
####################

:slug: office-accessibility

The office has step-free access. Read the `ADA guide <https://www.ada.gov/>`_.
"""

HTML_ARTICLE = """<html><head>
<title>Notes from a workshop</title>
<meta name="date" content="2026-02-04 09:00">
<meta name="category" content="Everyday coping">
<meta name="author" content="Robin Office">
<meta name="summary" content="What we learned.">
</head><body>
<p>See <a href="https://www.apa.org/">the APA</a> for more.</p>
</body></html>
"""


def md_article(*lines):
    meta = ["Title: Talking to a teenager about therapy", "Date: 2026-02-05 09:00",
            "Reviewed: 2026-02-06", "Category: Family", *lines,
            "Slug: talking-to-a-teenager", "Summary: How to start the conversation."]
    return "\n".join(meta) + "\n\nStart with what you noticed, not with a diagnosis.\n"


def build(project, settings="pelicanconf.py", env=None):
    env = dict(os.environ, **(env or {}))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))
    return run_build(settings, project / "output", cwd=project, env=env)


def outside_links(doc):
    return [a for a in doc.select("main a[href^='http']")]


def test_restructuredtext_and_html_articles_and_pages_build(tmp_path):
    project = fixture_site(tmp_path / "site",
                           articles={"sleep.rst": RST_ARTICLE, "workshop.html": HTML_ARTICLE},
                           pages={"office-accessibility.rst": RST_PAGE})
    result = build(project)
    assert result.returncode == 0, result.stderr

    article = soup(project / "output" / "blog" / "sleep-and-worry" / "index.html")
    assert article.find("h1").get_text(" ", strip=True).startswith("Sleep and worry")
    assert article.find("h2") is not None  # the section heading
    prose = article.select_one(".prose").decode_contents()
    assert "\u2026" in prose or "&#8230;" in prose  # typogrify ran on reStructuredText too
    page = soup(project / "output" / "office-accessibility" / "index.html")
    workshop = next((project / "output" / "blog").glob("notes-from-a-workshop*/index.html"))
    for doc in (article, page, soup(workshop)):
        links = outside_links(doc)
        assert links, "each test file has a link to another site"
        for a in links:
            assert {"noopener", "noreferrer"} <= set(a.get("rel", [])), a


def test_a_guest_author_is_shown_by_name_without_credentials(tmp_path):
    project = fixture_site(tmp_path / "site", articles={
        "sleep.rst": RST_ARTICLE,
        "teen.md": md_article("Author: Robin Office")})
    result = build(project)
    assert result.returncode == 0, result.stderr
    for slug, name in (("sleep-and-worry", "Jamie Guest"), ("talking-to-a-teenager", "Robin Office")):
        doc = soup(project / "output" / "blog" / slug / "index.html")
        assert doc.select_one(".byline .author").get_text(strip=True) == name
        posting = jsonld(doc)[-1]
        assert posting["author"] == {"@type": "Person", "name": name}


def test_reviewed_by_names_the_clinician_in_the_byline_and_the_json_ld(tmp_path):
    project = fixture_site(tmp_path / "site", articles={})
    reviewer = clinician(project)
    (project / "content" / "articles" / "teen.md").write_text(
        md_article("Author: Robin Office", f"Reviewed-by: {reviewer['name']}"), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    doc = soup(project / "output" / "blog" / "talking-to-a-teenager" / "index.html")
    byline = doc.select_one(".byline").get_text(" ", strip=True)
    assert f"Reviewed by {reviewer['name']}, {reviewer['credentials']}" in " ".join(byline.split())
    posting = jsonld(doc)[-1]
    page = posting["mainEntityOfPage"]
    assert page["@type"] == "WebPage"
    assert page["reviewedBy"]["name"] == reviewer["name"]
    assert page["reviewedBy"]["honorificSuffix"] == reviewer["credentials"]
    assert page["lastReviewed"] == "2026-02-06"


def test_reviewed_by_someone_not_in_the_profile_stops_the_build(tmp_path):
    project = fixture_site(tmp_path / "site", articles={
        "teen.md": md_article("Author: Robin Office", "Reviewed-by: Nobody Known")})
    result = build(project)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert lines == [lines[0]] and lines[0].startswith(
        "error: content/articles/teen.md: Reviewed-by: 'Nobody Known' is not a clinician")
    assert "Traceback" not in result.stderr


def test_pelicans_own_sample_site_builds_unchanged(tmp_path):
    """Pelican's samples/content (reStructuredText, Markdown, translations,
    drafts, pictures, a template page), as it is, with this project's theme,
    plugin, pages and profile."""
    project = fixture_site(tmp_path / "site")
    content = project / "content"
    for item in (SAMPLES / "content").iterdir():
        target = content / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy(item, target)
    shutil.copy(SAMPLES / "pelicanconf.py", project / "samplesconf.py")
    # The samples' test page links to images/Fat_Cat.jpg, which Pelican's
    # samples keep in pictures/ only; this build stops on a link that leads
    # nowhere, so the site gets the picture there too (the page is unchanged).
    (content / "images").mkdir(exist_ok=True)
    shutil.copy(SAMPLES / "content" / "pictures" / "Fat_Cat.jpg", content / "images")
    result = build(project, "samplesconf.py")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = project / "output"
    super_article = soup(out / "blog" / "this-is-a-super-article" / "index.html")
    assert super_article.select_one(".byline .author").get_text(strip=True) == "Alexis Métaireau"
    for a in outside_links(super_article):
        assert {"noopener", "noreferrer"} <= set(a.get("rel", [])), a
    assert (out / "pictures" / "Sushi.jpg").exists()
    assert (out / "blog" / "a-markdown-powered-article" / "index.html").exists()
    assert (out / "override" / "index.html").exists()  # a page with its own url/save_as
    assert (out / "jinja2_template.html").exists()  # TEMPLATE_PAGES
    # every sample file is the one Pelican ships: nothing was edited to make it build
    for path in (SAMPLES / "content").rglob("*"):
        if path.is_file():
            assert (content / path.relative_to(SAMPLES / "content")).read_bytes() == path.read_bytes()
