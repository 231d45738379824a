"""`make lint` finds each mistake it promises in crafted content, grouped by
file, fails only on errors, and passes the demo content with no errors."""

import datetime

import pytest

from conftest import copy_project
from workflow import add_make_files, make, parse_report, tool, write_article

TODAY = datetime.date.today()
LONG_AGO = TODAY - datetime.timedelta(days=800)
RECENT = TODAY - datetime.timedelta(days=30)
FUTURE = TODAY + datetime.timedelta(days=60)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

HARD_TEXT = (
    "Notwithstanding considerable methodological heterogeneity, contemporary psychotherapeutic "
    "interventions demonstrate substantial effectiveness across diagnostically heterogeneous "
    "populations, particularly when therapeutic collaboration is established comprehensively."
)


def good_meta(title, day=RECENT, **extra):
    meta = {"Title": title, "Date": f"{day} 09:00", "Reviewed": str(day),
            "Category": "Therapy basics", "Tags": "testing",
            "Summary": "One plain sentence about the article."}
    meta.update(extra)
    return {k: v for k, v in meta.items() if v is not None}


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    """A scratch project with one file per mistake; `make lint` run once."""
    project = add_make_files(copy_project(tmp_path_factory.mktemp("lint") / "project"))
    (project / "content" / "images").mkdir(exist_ok=True)
    (project / "content" / "images" / "room.png").write_bytes(PNG)
    write_article(project, "broken-links.md", good_meta("Broken links"),
                  "See [an article that is gone]({filename}/articles/gone.md) and "
                  "[a page that is not there](/no-such-page/). Both are wrong.")
    write_article(project, "links-to-unpublished.md", good_meta("Links to unpublished"),
                  "Read [the draft]({filename}/articles/a-draft.md) and "
                  "[the scheduled one]({filename}/articles/scheduled.md) soon.")
    write_article(project, "a-draft.md", good_meta("A draft", Status="draft"))
    write_article(project, "scheduled.md", good_meta("Scheduled", day=FUTURE))
    write_article(project, "first-of-two.md", good_meta("First of two", Slug="the-same-slug"))
    write_article(project, "duplicate.md", good_meta("Duplicate", Slug="the-same-slug"))
    write_article(project, "missing-image.md", good_meta("Missing image"),
                  "![A quiet waiting room]({static}/images/gone.png)\n\n"
                  "![A calm room](/images/also-gone.png)\n\nThe room is calm.")
    write_article(project, "bad-date.md", good_meta("Bad date", Date="the ides of March"))
    write_article(project, "no-summary.md", good_meta("No summary", Summary=None))
    write_article(project, "no-alt.md", good_meta("No alt"),
                  "![]({static}/images/room.png)\n\nThe room is calm. It is quiet.")
    write_article(project, "long-title.md", good_meta(
        "A title that keeps going long after a reader has stopped reading it, on and on"))
    write_article(project, "old-review.md", good_meta("Old review", day=LONG_AGO))
    write_article(project, "hard-to-read.md", good_meta("Hard to read"), HARD_TEXT)
    result = make(project, "lint")
    return result, parse_report(result.stdout)


def messages(report, name, kind):
    return [m for k, m in report.get(f"content/articles/{name}", []) if k == kind]


def test_lint_fails_on_errors_and_says_so(crafted):
    result, _report = crafted
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "Fix the errors before publishing" in result.stdout


def test_link_to_content_that_does_not_exist(crafted):
    _result, report = crafted
    errors = messages(report, "broken-links.md", "error")
    assert any("gone.md" in m for m in errors), errors
    assert any("/no-such-page/" in m for m in errors), errors


def test_link_to_a_draft_or_a_future_post(crafted):
    _result, report = crafted
    errors = messages(report, "links-to-unpublished.md", "error")
    assert any("“A draft” is a draft" in m for m in errors), errors
    assert any(f"“Scheduled” is dated {FUTURE}" in m for m in errors), errors
    # The draft and the scheduled post are checked too, and marked as such.
    assert "content/articles/a-draft.md" in report
    assert "content/articles/scheduled.md" in report


def test_duplicate_slugs_name_both_files(crafted):
    _result, report = crafted
    mine = messages(report, "duplicate.md", "error")
    theirs = messages(report, "first-of-two.md", "error")
    assert any("Duplicate slug" in m and "first-of-two.md" in m for m in mine)
    assert any("Duplicate slug" in m and "duplicate.md" in m for m in theirs)


def test_missing_image(crafted):
    _result, report = crafted
    errors = messages(report, "missing-image.md", "error")
    assert any("gone.png" in m and "missing" in m for m in errors), errors
    assert any("also-gone.png" in m and "missing" in m for m in errors), errors


def test_date_that_does_not_parse(crafted):
    _result, report = crafted
    errors = messages(report, "bad-date.md", "error")
    assert any(m.startswith("Date:") and "ides of March" in m for m in errors), errors


def test_warnings(crafted):
    _result, report = crafted
    assert any("No Summary" in m for m in messages(report, "no-summary.md", "warning"))
    assert any("no alt text" in m for m in messages(report, "no-alt.md", "warning"))
    assert any("over 65" in m for m in messages(report, "long-title.md", "warning"))
    assert any(f"Last reviewed {LONG_AGO}" in m for m in messages(report, "old-review.md", "warning"))
    hard = messages(report, "hard-to-read.md", "warning")
    assert any("Reading level is US grade" in m and "above grade 9" in m for m in hard), hard


def test_warnings_are_not_errors(crafted):
    _result, report = crafted
    for name in ("no-summary.md", "no-alt.md", "long-title.md", "old-review.md", "hard-to-read.md"):
        assert messages(report, name, "error") == [], name
        assert messages(report, name, "warning"), name


def test_every_article_reports_its_reading_level(crafted):
    _result, report = crafted
    for name, lines in report.items():
        if name.startswith("content/articles/") and name != "content/articles/bad-date.md":
            assert any("Reading level" in m and "Flesch-Kincaid" in m for _k, m in lines), name


def test_demo_content_has_no_errors():
    """The project's own content, checked as `make lint` does."""
    from workflow import ROOT

    result = tool(ROOT, "lint.py")
    assert result.returncode == 0, result.stdout + result.stderr
    report = parse_report(result.stdout)
    articles = sorted(p.name for p in (ROOT / "content" / "articles").glob("*.md"))
    for name in articles:
        assert messages(report, name, "error") == [], name
        grades = [m for k, m in report[f"content/articles/{name}"] if "Reading level" in m]
        assert grades, name
    assert "0 errors" in result.stdout


def test_warnings_alone_do_not_fail(project):
    write_article(project, "no-summary.md", good_meta("No summary", Summary=None))
    result = tool(project, "lint.py")
    assert result.returncode == 0, result.stdout
    assert any("No Summary" in m for m in messages(parse_report(result.stdout), "no-summary.md", "warning"))


def test_a_mistake_the_build_stops_on_is_an_error(project):
    write_article(project, "reviewed-by-a-stranger.md",
                  good_meta("Reviewed by a stranger", **{"Reviewed-by": "Someone Else"}))
    result = tool(project, "lint.py")
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    errors = messages(parse_report(result.stdout), "reviewed-by-a-stranger.md", "error")
    assert any(m.startswith("Reviewed-by:") for m in errors), result.stdout
