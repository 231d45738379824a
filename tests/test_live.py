"""Publishing is for real: a publish build refuses the reserved example and
test names (RFC 2606, RFC 6761) for the site, the comment server and the
request form, allows a loopback address; and drafts never stop a publish."""

import datetime
import os
import re

import pytest

from conftest import copy_project, run_build
from practice import live
from workflow import add_make_files, make, make_own, parse_report, write_article

RECENT = datetime.date.today() - datetime.timedelta(days=10)
FUTURE = datetime.date.today() + datetime.timedelta(days=90)


@pytest.mark.parametrize("url, name", [
    ("https://www.example-counseling.example", ".example"),
    ("https://example.com", "example.com"),
    ("https://www.example.net/blog/", "example.net"),
    ("https://comments.example.org:8443", "example.org"),
    ("https://practice.test", ".test"),
    ("https://forms.invalid/requests", ".invalid"),
    ("http://localhost:8000", "localhost"),
    ("http://preview.localhost", ".localhost"),
    ("https://WWW.EXAMPLE.COM.", "example.com"),
    ("https://127.0.0.1:8443", None),
    ("http://[::1]:8000", None),
    ("https://www.riverside-counseling.com", None),
    ("https://examples.com", None),
    ("https://myexample.org", None),
    ("https://example.community", None),
    ("/relative/", None),
    ("", None),
])
def test_reserved_names(url, name):
    assert live.reserved(url) == name


def one_error(result):
    errors = [line for line in (result.stderr + result.stdout).splitlines()
              if line.startswith("error:")]
    assert len(errors) == 1, result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    return errors[0]


def test_make_publish_stops_on_a_reserved_siteurl_and_says_where_to_set_it(tmp_path):
    project = add_make_files(copy_project(tmp_path / "project"))
    env = dict(os.environ, SITEURL="https://www.example-counseling.example")
    result = make(project, "publish", env=env)
    assert result.returncode != 0
    line = one_error(result)
    assert line.startswith("error: publishconf.py: SITEURL: 'https://www.example-counseling.example' "
                           "is on .example")
    assert "SITEURL=https://" in line  # says how to set it
    assert not (project / "output").exists()


def test_a_reserved_comment_server_stops_the_publish(project):
    env = dict(os.environ, COMMENTS_URL="https://comments.example.org")
    result = run_build("publishconf.py", project / "output", cwd=project, env=env)
    assert result.returncode == 2
    assert one_error(result).startswith("error: publishconf.py: COMMENTS_URL: "
                                        "'https://comments.example.org' is on example.org")


def test_a_reserved_intake_endpoint_stops_the_publish(project):
    profile = project / "content" / "practice.yaml"
    # With the public key a publish build needs beside an endpoint, so that
    # the address is what stops it.
    text, count = re.subn(r"^(  endpoint:).*$",
                          r"\1 https://forms.practice.test/requests\n  public_key: " + "A" * 43 + "=",
                          profile.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert count == 1
    profile.write_text(text, encoding="utf-8")
    result = run_build("publishconf.py", project / "output", cwd=project)
    assert result.returncode == 2
    assert one_error(result).startswith(
        "error: content/practice.yaml: intake.endpoint: 'https://forms.practice.test/requests' is on .test")
    # a development build keeps working with it
    assert run_build("pelicanconf.py", project / "dev", cwd=project).returncode == 0


def test_a_loopback_address_is_allowed_for_a_local_check(project):
    env = dict(os.environ, SITEURL="https://127.0.0.1:8443", COMMENTS_URL="")
    result = run_build("publishconf.py", project / "output", cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    assert 'href="https://127.0.0.1:8443/' in (project / "output" / "index.html").read_text()


def test_a_draft_and_a_scheduled_post_with_dangling_links_do_not_stop_a_publish(tmp_path):
    # The practice's own facts in place of the demo's placeholders, which stop a publish.
    project = make_own(add_make_files(copy_project(tmp_path / "project")))
    meta = {"Date": f"{RECENT} 09:00", "Reviewed": str(RECENT), "Category": "Therapy basics",
            "Summary": "Not finished yet."}
    write_article(project, "half-written.md", dict(meta, Title="Half written", Status="draft"),
                  "This will link to [a post not yet written]({filename}/articles/not-yet.md) "
                  "and show ![a chart](/images/not-drawn-yet.png).")
    write_article(project, "next-month.md", dict(meta, Title="Next month", Date=f"{FUTURE} 09:00",
                                                 Reviewed=str(FUTURE)),
                  "See [the follow-up]({filename}/articles/also-not-yet.md).")
    lint = make(project, "lint")
    report = parse_report(lint.stdout)
    for name, needle in (("half-written.md", "not-yet.md"), ("half-written.md", "not-drawn-yet.png"),
                         ("next-month.md", "also-not-yet.md")):
        kinds = [kind for kind, message in report[f"content/articles/{name}"] if needle in message]
        assert kinds == ["warning"], (name, needle, report[f"content/articles/{name}"])
    published = make(project, "publish")
    assert published.returncode == 0, published.stdout + published.stderr
    assert not (project / "output" / "drafts").exists()
    assert not list((project / "output" / "blog").glob("half-written*"))


def test_drafts_with_a_taken_slug_or_a_bad_date_do_not_stop_a_publish(tmp_path):
    """A draft or a scheduled post whose Slug another file has, or a draft
    whose Date is not a date: `make html` and `make publish` build; `make
    lint` names each file in a warning. In a published post, each is an error."""
    project = make_own(add_make_files(copy_project(tmp_path / "project")))
    meta = {"Date": f"{RECENT} 09:00", "Reviewed": str(RECENT), "Category": "Notes",
            "Summary": "A post of the tests."}
    write_article(project, "published.md", dict(meta, Title="Published", Slug="taken-slug"))
    write_article(project, "draft-copy.md", dict(meta, Title="Draft copy", Slug="taken-slug",
                                                 Status="draft"))
    write_article(project, "scheduled-copy.md", dict(meta, Title="Scheduled copy", Slug="taken-slug",
                                                     Date=f"{FUTURE} 09:00", Reviewed=str(FUTURE)))
    write_article(project, "bad-date.md", dict(meta, Title="Bad date", Status="draft",
                                               Date="the first of next month"))
    write_article(project, "bad-future-date.md", dict(meta, Title="Bad future date",
                                                      Date=f"{FUTURE.year + 1}-02-30"))
    lint = make(project, "lint")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    report = parse_report(lint.stdout)
    for name, needle in (("draft-copy.md", "'taken-slug' is also the slug of content/articles/published.md"),
                         ("scheduled-copy.md", "'taken-slug' is also the slug"),
                         ("bad-date.md", "Date: 'the first of next month' is not a date"),
                         ("bad-future-date.md", "is not a date")):
        kinds = [kind for kind, message in report.get(f"content/articles/{name}", []) if needle in message]
        assert kinds == ["warning"], (name, report.get(f"content/articles/{name}"))
    assert not [m for kind, m in report.get("content/articles/published.md", []) if kind == "error"]

    html = make(project, "html", "OUTPUT=dev")
    assert html.returncode == 0, html.stdout + html.stderr
    published = make(project, "publish")
    assert published.returncode == 0, published.stdout + published.stderr
    page = (project / "output" / "blog" / "taken-slug" / "index.html").read_text(encoding="utf-8")
    assert "Published" in page and "Draft copy" not in page and "Scheduled copy" not in page
    assert "Bad date" not in (project / "output" / "index.html").read_text(encoding="utf-8")

    # The same mistakes in published posts stop the build, with one line each.
    (project / "content" / "articles" / "draft-copy.md").write_text(
        (project / "content" / "articles" / "draft-copy.md").read_text().replace("Status: draft\n", ""))
    stopped = make(project, "html", "OUTPUT=dev")
    assert stopped.returncode != 0
    errors = [line for line in stopped.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "Slug: 'taken-slug' is also the slug of" in errors[0], stopped.stderr
    assert "draft-copy.md" in errors[0] and "published.md" in errors[0]
    (project / "content" / "articles" / "draft-copy.md").unlink()
    bad = project / "content" / "articles" / "bad-date.md"
    bad.write_text(bad.read_text().replace("Status: draft\n", ""))
    stopped = make(project, "html", "OUTPUT=dev")
    assert stopped.returncode != 0
    assert "content/articles/bad-date.md: Date: 'the first of next month' is not a date" \
        in stopped.stderr + stopped.stdout
