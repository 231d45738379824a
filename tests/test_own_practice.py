"""The product is for every practice: after `make new-practice`, and after a
practice adds, edits and removes posts and pages and changes its profile,
the site builds and the checks that hold for any valid content pass."""

import os
import re
import shutil

import pytest
import yaml

import test_quality
import test_site_build
from conftest import ROOT, StaticServer, copy_project, run_build
from sitepages import html_files, soup
from workflow import add_make_files, make


def generic_checks(site, project):
    """What must hold for any practice's valid content (the checks of the
    real site that name no post, page or fact of the demo); ``project`` is
    the folder the site was built from."""
    test_site_build.test_internal_links_are_all_resolved(site)
    test_site_build.test_every_page_links_to_the_crisis_page_near_the_top(site)
    test_site_build.test_no_resource_loads_from_another_origin(site)
    test_site_build.test_no_inline_scripts_or_handlers(site)
    test_site_build.test_titles_and_meta_carry_no_markup(site)
    test_quality.test_no_broken_internal_links_or_anchors(site)
    test_quality.check_privacy_guard(site, project)


def quality_gates(browser, site, project):
    """The Nu Html Checker on every page, and axe-core on every page axe
    checks on the real site (test_quality), narrow and light, wide and dark."""
    from axe_playwright_python.sync_playwright import Axe

    errors = test_quality.vnu_errors(html_files(site), site)
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors)
    pages = test_quality.axe_pages(site, project / "content")
    assert len(pages) > 10
    with StaticServer(site) as server:
        for width, scheme in ((320, "light"), (1280, "dark")):
            ctx = browser.new_context(viewport={"width": width, "height": 800},
                                      reduced_motion="reduce")
            try:
                problems = test_quality.axe_site_problems(Axe(), ctx.new_page(), server.url, pages,
                                                          (scheme,))
            finally:
                ctx.close()
            assert not problems, f"axe-core, {scheme} scheme, {width}px:\n" + "\n".join(problems)


def assert_schema_line_names(path, schema):
    """The file's first line points the editor at ``schema`` (relative to the file)."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (path.parent / match.group(1)).resolve() == schema.resolve(), first
    assert (path.parent / match.group(1)).is_file()


def test_new_practice_keeps_the_schema_lines_pointing_at_the_schema(tmp_path):
    from practice.tools.new_practice import new_practice

    project = tmp_path / "project"
    shutil.copytree(ROOT / "schema", project / "schema")
    content = project / "content"
    (content / "pages").mkdir(parents=True)
    (content / "offers").mkdir()
    line = "# yaml-language-server: $schema=../schema/practice.schema.json\n"
    (content / "practice.yaml").write_text(line + "name: A practice\n", encoding="utf-8")
    (content / "offers" / "an-offer.md").write_text(
        "Title: An offer\n\nThe text.\n", encoding="utf-8")
    os.chdir(project)
    try:
        new_practice()
    finally:
        os.chdir(ROOT)
    examples = project / "docs" / "examples"
    assert_schema_line_names(examples / "practice.yaml", project / "schema" / "practice.schema.json")
    assert (examples / "practice.yaml").read_text(encoding="utf-8").endswith("\nname: A practice\n")
    assert (examples / "offers" / "an-offer.md").read_text(encoding="utf-8") == "Title: An offer\n\nThe text.\n"
    assert_schema_line_names(content / "practice.yaml", project / "schema" / "practice.schema.json")


def project_copy(tmp_path):
    project = copy_project(tmp_path / "project")
    # Without docs/examples/: a practice that already ran `make new-practice`
    # has one, and the test runs it again on the practice's content.
    shutil.copytree(ROOT / "schema", project / "schema")
    shutil.copytree(ROOT / "docs", project / "docs", ignore=lambda d, names: (
        ["examples"] if os.path.samefile(d, ROOT / "docs") else []))
    return add_make_files(project)


def test_make_new_practice_starts_a_site_that_builds(tmp_path):
    project = project_copy(tmp_path)
    articles = sorted(p.name for p in (ROOT / "content" / "articles").glob("*.md"))
    offers = sorted(p.name for p in (ROOT / "content" / "offers").glob("*.md"))
    pages_before = sorted(p.name for p in (ROOT / "content" / "pages").glob("*.md"))

    result = make(project, "new-practice")
    assert result.returncode == 0, result.stderr
    content, examples = project / "content", project / "docs" / "examples"
    assert list((content / "articles").glob("*.md")) == []
    assert list((content / "offers").glob("*.md")) == []
    assert sorted(p.name for p in (examples / "articles").glob("*.md")) == articles
    assert sorted(p.name for p in (examples / "offers").glob("*.md")) == offers
    # The demo's profile is kept as an example; the new one is the template.
    # (all but the first line, which names the editor's schema from its new folder)
    moved = (examples / "practice.yaml").read_text(encoding="utf-8").split("\n", 1)
    assert moved[1] == (ROOT / "content" / "practice.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    assert_schema_line_names(examples / "practice.yaml", project / "schema" / "practice.schema.json")
    template = (content / "practice.yaml").read_text(encoding="utf-8")
    assert template == (ROOT / "plugins" / "practice" / "tools" / "new-practice" / "practice.yaml").read_text(encoding="utf-8")
    assert "FILL IN" in template and template.lstrip().startswith("#")
    # Theme and page structure stay (the plugin is the installed package).
    for folder in ("theme",):
        assert sorted(p.relative_to(project / folder) for p in (project / folder).rglob("*.*")
                      if "__pycache__" not in p.parts) == sorted(
            p.relative_to(ROOT / folder) for p in (ROOT / folder).rglob("*.*")
            if "__pycache__" not in p.parts)
    pages_after = sorted(p.name for p in (content / "pages").glob("*.md"))
    moved_pages = sorted(p.name for p in (examples / "pages").glob("*.md"))
    assert sorted(pages_after + moved_pages) == pages_before
    assert "crisis.md" in pages_after and "privacy.md" in pages_after

    out = project / "output"
    built = run_build("pelicanconf.py", out, cwd=project)
    assert built.returncode == 0, built.stderr
    generic_checks(out, project)
    name = yaml.safe_load(template)["name"]
    assert name in soup(out / "index.html").title.get_text()

    again = make(project, "new-practice")
    assert again.returncode == 2
    errors = [line for line in again.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: docs/examples/practice.yaml: already there")


def removable_page(content):
    """A page nothing else links to or needs (no template, no profile facts,
    not named in the profile)."""
    profile = (content / "practice.yaml").read_text(encoding="utf-8")
    others = "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.md"))
    for page in sorted((content / "pages").glob("*.md")):
        head = page.read_text(encoding="utf-8").split("\n\n", 1)[0]
        slug = re.search(r"^Slug:\s*(\S+)", head, re.M | re.I)
        slug = slug.group(1) if slug else page.stem
        if re.search(r"^(Template|Practice):", head, re.M | re.I):
            continue
        if page.name in others.replace(page.read_text(encoding="utf-8"), "") or f"/{slug}/" in profile:
            continue
        if f"/{slug}/" in "".join(p.read_text() for p in (ROOT / "theme").rglob("*.html")):
            continue
        return page
    return None


@pytest.mark.browser
def test_a_practice_changes_its_content_and_profile_and_the_checks_still_pass(tmp_path, browser):
    project = copy_project(tmp_path / "project")
    content = project / "content"
    articles = sorted((content / "articles").glob("*.md"))

    # Add a post and a page of the practice's own.
    (content / "articles" / "a-new-post-of-our-own.md").write_text(
        "Title: A new post of our own\nDate: 2026-04-01 09:00\nReviewed: 2026-04-01\n"
        "Category: News from the practice\nTags: news\nSummary: What is new this spring.\n\n"
        "We have moved to a new office. It has step-free access.\n", encoding="utf-8")
    # Edit a post's title and text, remove another, remove a page nothing needs.
    if articles:
        first = articles[0]
        text = first.read_text(encoding="utf-8")
        text = re.sub(r"^Title: .*$", "Title: A title the practice chose", text, count=1, flags=re.M)
        first.write_text(text + "\nA paragraph the practice added.\n", encoding="utf-8")
    removed = None
    if len(articles) > 1:
        removed = articles[-1]
        removed_text = removed.read_text(encoding="utf-8")
        removed.unlink()
        # whatever linked to the removed post now says it in plain words
        for other in content.rglob("*.md"):
            other.write_text(re.sub(r"\[([^\]]+)\]\(\{filename\}/articles/" + re.escape(removed.name)
                                    + r"(#[^)]*)?\)", r"\1", other.read_text(encoding="utf-8")),
                             encoding="utf-8")
    page = removable_page(content)
    if page is not None:
        page.unlink()
    (content / "pages" / "our-new-office.md").write_text(
        "Title: Our new office\nSummary: Where to find us.\n\nThe new office is near the station.\n",
        encoding="utf-8")
    (content / "pages" / "summer-hours.md").write_text(
        "Title: Summer hours\nSummary: Shorter hours in August.\n\nWe close at noon on Fridays.\n",
        encoding="utf-8")
    out = project / "output"
    first_build = run_build("pelicanconf.py", out, cwd=project)
    assert first_build.returncode == 0, first_build.stderr
    assert (out / "summer-hours" / "index.html").exists()
    # Summer is over: the page goes again.
    (content / "pages" / "summer-hours.md").unlink()
    # Change the profile: the practice's name and the first clinician's name.
    profile_path = content / "practice.yaml"
    profile = profile_path.read_text(encoding="utf-8")
    old_name = yaml.safe_load(profile)["clinicians"][0]["name"]
    profile = re.sub(r"^name: .*$", "name: Riverside Counseling Collective", profile, count=1, flags=re.M)
    profile = profile.replace(f"- name: {old_name}\n", "- name: Dr. Robin Riverside\n", 1)
    profile_path.write_text(profile, encoding="utf-8")
    for article in (content / "articles").glob("*.md"):  # authors follow the rename
        article.write_text(article.read_text(encoding="utf-8").replace(
            f"Author: {old_name}", "Author: Dr. Robin Riverside"), encoding="utf-8")

    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    generic_checks(out, project)
    assert not (out / "summer-hours").exists()
    assert (out / "blog" / "a-new-post-of-our-own" / "index.html").exists()
    assert (out / "our-new-office" / "index.html").exists()
    if page is not None:
        assert not (out / page.stem / "index.html").exists()
    if removed is not None:
        slug = re.search(r"^Slug:\s*(\S+)", removed_text, re.M)
        assert not (out / "blog" / (slug.group(1) if slug else removed.stem)).exists()
    for path in html_files(out):
        assert "Riverside Counseling Collective" in soup(path).title.get_text(), path
    new_post = soup(out / "blog" / "a-new-post-of-our-own" / "index.html")
    assert "Dr. Robin Riverside" in new_post.select_one(".byline").get_text()
    quality_gates(browser, out, project)


def test_the_footer_links_only_the_pages_the_practice_kept(tmp_path):
    """A practice outside the US removes the HIPAA notice, and others: the
    footer stops linking them and no link anywhere is left broken."""
    from practice.tools import new_practice

    project = copy_project(tmp_path / "project")
    content = project / "content"
    footer = (ROOT / "theme" / "templates" / "partials" / "footer.html").read_text(encoding="utf-8")
    profile = (content / "practice.yaml").read_text(encoding="utf-8")
    removed = []
    for page in sorted((content / "pages").glob("*.md")):
        head = page.read_text(encoding="utf-8").split("\n\n", 1)[0]
        if re.search(r"^(Template|Practice):", head, re.M | re.I) or f"/{page.stem}/" not in footer \
                or f"/{page.stem}/" in profile:
            continue
        removed.append(page)
        page.unlink()
    assert removed
    gone = {str(p) for p in removed}
    for other in content.rglob("*.md"):
        text = other.read_text(encoding="utf-8")
        other.write_text(new_practice.unlink(text, str(other.parent), str(content), gone),
                         encoding="utf-8")
    out = project / "output"
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    links = [a["href"] for a in soup(out / "index.html").find("footer").find_all("a")]
    for page in removed:
        assert not [h for h in links if f"/{page.stem}/" in h], page.name
    assert "/crisis/" in links
    test_quality.test_no_broken_internal_links_or_anchors(out)
