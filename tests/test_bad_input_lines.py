"""Hostile or careless content stops the build with one line naming the file
and the field (exit 2, output untouched), and `make lint` says the same:
symbolic links (nothing they point to is read, copied or quoted), an offer
that "never ends", a page over a generated page, a missing Template, a title
with no letters, a {filename} link to nothing."""

import datetime
import os

import pytest

from conftest import run_build
from offerfiles import write_offer
from test_build_errors import build_twice
from workflow import tool

SECRET = "s3cr3t-token-that-must-never-be-published-7f1e"


def one_line(result, file, field, status=2):
    """The one `error: FILE: FIELD: message` line of a failed run."""
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text
    assert result.returncode == status, text
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: {file}: {field}: "), errors[0]
    return errors[0]


def assert_build_and_lint(project, breakage, file, field):
    line = one_line(build_twice(project, breakage), file, field)
    linted = tool(project, "lint.py")
    assert one_line(linted, file, field) == line
    return line


def a_page(project):
    """Any page of the site (the tests do not depend on which)."""
    return sorted((project / "content" / "pages").glob("*.md"))[0]


@pytest.fixture
def secret(tmp_path):
    """A file outside the project, as ~/.ssh/id_ed25519 would be."""
    path = tmp_path / "outside" / "id_ed25519"
    path.parent.mkdir()
    path.write_text(f"-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n")
    return path


def test_symlinked_image_to_a_secret_stops_the_build(project, secret):
    link = project / "content" / "images" / "key.png"
    link.parent.mkdir(exist_ok=True)

    line = assert_build_and_lint(project, lambda p: link.symlink_to(secret),
                                 "content/images/key.png", "file")
    assert "symbolic link" in line
    assert not [p for p in (project / "output").rglob("*")
                if p.is_file() and SECRET in p.read_text(errors="ignore")], "the secret was published"


def test_symlinked_offer_is_never_read_or_quoted(project, secret):
    # Written like an offer, so a reader that followed the link would echo it.
    secret.write_text(f"Title: {SECRET}\nStarts: soon\n\n{SECRET}\n")
    link = project / "content" / "offers" / "offer.md"
    result = build_twice(project, lambda p: link.symlink_to(secret))
    one_line(result, "content/offers/offer.md", "file")
    linted = tool(project, "lint.py")
    one_line(linted, "content/offers/offer.md", "file")
    for text in (result.stdout, result.stderr, linted.stdout, linted.stderr):
        assert SECRET not in text and str(secret) not in text


def test_symlinked_profile_is_refused(project, secret):
    profile = project / "content" / "practice.yaml"

    def breakage(p):
        moved = p / "practice-real.yaml"
        profile.rename(moved)
        profile.symlink_to(moved)  # inside the project, yet still refused
    assert_build_and_lint(project, breakage, "content/practice.yaml", "file")


def test_symlink_loop_is_named_as_a_link_not_a_duplicate_slug(project):
    pages = project / "content" / "pages"
    line = assert_build_and_lint(project, lambda p: (pages / "again").symlink_to(".."),
                                 "content/pages/again", "file")
    assert "slug" not in line.lower()


def test_symlink_in_the_theme_is_refused(project, secret):
    link = project / "theme" / "static" / "key.txt"
    assert_build_and_lint(project, lambda p: link.symlink_to(secret), "theme/static/key.txt", "file")


def test_offer_that_ends_in_year_9999(project):
    page = a_page(project).relative_to(project / "content")
    now = datetime.datetime.now(datetime.timezone.utc)
    line = assert_build_and_lint(
        project, lambda p: write_offer(p, "forever", now, "9999-12-31", link=f"{{filename}}/{page}"),
        "content/offers/forever.md", "Ends")
    assert "9999-12-31" in line


@pytest.mark.parametrize("slug, generated", [
    ("tag", "/tag/index.html"), ("offers", "/offers/index.html"),
    ("category", "/category/index.html"), ("archives", "/archives/index.html"),
])
def test_page_over_a_generated_page(project, slug, generated):
    def breakage(p):
        (p / "content" / "pages" / "mine.md").write_text(f"Title: Mine\nSlug: {slug}\n\nText.\n")
    line = assert_build_and_lint(project, breakage, "content/pages/mine.md", "Slug")
    assert generated in line


def test_page_over_a_topic_page(project):
    """A topic (tag) of an article is a generated page too."""
    def breakage(p):
        (p / "content" / "articles" / "tagged.md").write_text(
            "Title: Tagged\nDate: 2026-01-05\nTags: zebra topic\nSummary: One line.\n\nText.\n")
        (p / "content" / "pages" / "mine.md").write_text(
            "Title: Mine\nSlug: tag/zebra-topic\n\nText.\n")
    line = assert_build_and_lint(project, breakage, "content/pages/mine.md", "Slug")
    assert "zebra topic" in line


def test_template_that_does_not_exist(project):
    def breakage(p):
        path = a_page(p)
        path.write_text("Template: no-such-layout\n" + path.read_text())
    page = a_page(project).relative_to(project)
    line = assert_build_and_lint(project, breakage, page.as_posix(), "Template")
    assert "no-such-layout" in line and "page" in line


@pytest.mark.parametrize("folder, extra", [("articles", "Date: 2026-01-05\nSummary: One line.\n"),
                                           ("pages", "")])
def test_title_without_letters_has_no_slug(project, folder, extra):
    def breakage(p):
        (p / "content" / folder / "sprout.md").write_text(f"Title: 🌱🌱\n{extra}\nText.\n",
                                                          encoding="utf-8")
    line = assert_build_and_lint(project, breakage, f"content/{folder}/sprout.md", "Title")
    assert "Slug:" in line


def test_filename_link_to_a_missing_file_stops_make_html(project):
    def breakage(p):
        path = a_page(p)
        path.write_text(path.read_text() + "\n\nSee [this]({filename}/pages/not-written-yet.md).\n")
    page = a_page(project).relative_to(project).as_posix()
    line = one_line(build_twice(project, breakage), page, "text")
    assert "content/pages/not-written-yet.md" in line
    # `make lint` reports it among the links, as an error.
    linted = tool(project, "lint.py")
    assert linted.returncode != 0 and "Traceback" not in linted.stdout + linted.stderr
    assert "not-written-yet.md" in linted.stdout


def test_a_draft_may_link_to_a_file_not_written_yet(project):
    (project / "content" / "articles" / "draft.md").write_text(
        "Title: Draft\nDate: 2026-01-05\nStatus: draft\nSummary: One line.\n\n"
        "See [this]({filename}/pages/not-written-yet.md).\n")
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode == 0, result.stderr


def test_the_checks_do_not_refuse_real_files(project):
    """The demo's own content passes every one of these checks."""
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not [p for p in project.rglob("*") if os.path.islink(p)]


@pytest.mark.parametrize("block, field", [("  approval: [one, two]", "comments.approval"),
                                          ("  when: soon", "comments.when")])
def test_comment_approval_in_the_profile_is_checked(project, block, field):
    def breakage(p):
        path = p / "content" / "practice.yaml"
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if not line.startswith(("comments:", "  approval:"))]
        path.write_text("\n".join(lines) + f"\ncomments:\n{block}\n", encoding="utf-8")
    one_line(build_twice(project, breakage), "content/practice.yaml", field)



@pytest.mark.parametrize("name", ["practice.yaml", "offer", "article"])
def test_bytes_that_are_not_utf8(project, name):
    files = {"practice.yaml": "content/practice.yaml", "offer": "content/offers/latin.md",
             "article": "content/articles/latin.md"}

    def breakage(p):
        if name == "offer":
            page = a_page(p).relative_to(p / "content")
            now = datetime.datetime.now(datetime.timezone.utc)
            path = write_offer(p, "latin", now, now + datetime.timedelta(days=3),
                               link=f"{{filename}}/{page}")
        elif name == "article":
            path = p / files[name]
            path.write_text("Title: Latin\nDate: 2026-01-05\nSummary: One line.\n\nText.\n")
        else:
            path = p / files[name]
        path.write_bytes(path.read_bytes() + "\n# caf\xe9\n".encode("latin-1"))
    file = files[name]
    result = build_twice(project, breakage)
    text = result.stdout + result.stderr
    assert "Traceback" not in text and result.returncode == 2, text
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {file}: line "), errors
    assert "is not UTF-8 text" in errors[0]
    linted = tool(project, "lint.py")
    assert linted.returncode != 0 and "Traceback" not in linted.stdout + linted.stderr
    if name == "article":  # a file Pelican could not read: among lint's errors
        assert file in linted.stdout and "UTF-8" in linted.stdout
    else:
        assert linted.returncode == 2
        assert [line for line in linted.stderr.splitlines() if line.startswith(f"error: {file}: ")]
