"""READ_WORKERS: Markdown read in a worker process gives the very same site."""

import re

import pytest

from conftest import run_build
from fixturesite import fixture_site
from practice.tools import bench

POSTS = 85

COLD = ("from pelicanconf import *\n"
        "CACHE_CONTENT = False\n"
        "LOAD_CONTENT_CACHE = False\n")

# Wide tables, footnotes, curly quotes, a long article with an outline, a
# draft: what the reader and its typography do beyond plain paragraphs.
EXTRA = {
    "zz-table.md": ("Title: A \"table\" & notes\nDate: 2024-02-03 10:00\nReviewed: 2024-02-03\n"
                    "Category: Tests\nTags: tables\nSummary: Rows -- and a footnote.\n\n"
                    "| when | what |\n| --- | --- |\n| Monday | \"first\" session |\n\n"
                    "A claim.[^1] See [elsewhere](https://example.net/x).\n\n"
                    "[^1]: A source -- cited.\n"),
    "zz-draft.md": ("Title: Not yet\nDate: 2024-02-04 10:00\nReviewed: 2024-02-04\n"
                    "Category: Tests\nTags: drafts\nStatus: draft\nSummary: A draft.\n\n"
                    "It isn't finished... yet.\n"),
}


def site_with_posts(dest):
    project = fixture_site(dest, articles=EXTRA)
    content = project / "content"
    bench.write_posts(content / "articles", content / "images", POSTS, seed=7)
    (project / "cold.py").write_text(COLD)
    (project / "parallel.py").write_text(COLD + "READ_WORKERS = 2\n")
    return project


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def without_timestamps(name, data):
    """The sitemap gives each page without a date the time of the build."""
    if name == "sitemap.xml":
        return re.sub(rb"<lastmod>[^<]*</lastmod>", b"<lastmod/>", data)
    return data


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return site_with_posts(tmp_path_factory.mktemp("parallel") / "project")


def test_the_site_read_by_two_processes_is_the_site_read_by_one(project):
    plain, parallel = project / "out-plain", project / "out-parallel"
    first = run_build("cold.py", plain, cwd=project)
    assert first.returncode == 0, first.stderr
    second = run_build("parallel.py", parallel, cwd=project)
    assert second.returncode == 0, second.stderr
    one, two = files(plain), files(parallel)
    assert len([n for n in one if n.startswith("blog/post-")]) == POSTS
    assert sorted(one) == sorted(two)
    different = [name for name in one
                 if without_timestamps(name, one[name]) != without_timestamps(name, two[name])]
    assert different == []


def test_a_mistake_in_a_post_a_worker_reads_is_the_same_one_line(project, tmp_path):
    # Workers read the last files first: the mistake is in the last post.
    post = project / "content" / "articles" / f"post-{POSTS - 1}.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(re.sub(r"^Date: .*$", "Date: 2024-13-45 09:00", text, count=1, flags=re.M),
                    encoding="utf-8")
    try:
        plain = run_build("cold.py", tmp_path / "a", cwd=project)
        parallel = run_build("parallel.py", tmp_path / "b", cwd=project)
    finally:
        post.write_text(text, encoding="utf-8")
    assert plain.returncode != 0 and parallel.returncode != 0
    lines = [line for line in plain.stderr.splitlines() if line.startswith("error: ")]
    assert lines and any(f"post-{POSTS - 1}.md" in line and "Date" in line for line in lines), lines
    assert [line for line in parallel.stderr.splitlines() if line.startswith("error: ")] == lines


def test_a_read_workers_value_that_is_not_a_number_is_named(project, tmp_path):
    (project / "bad.py").write_text(COLD + "READ_WORKERS = 'two'\n")
    result = run_build("bad.py", tmp_path / "out", cwd=project)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "READ_WORKERS" in errors[0] and "Traceback" not in result.stderr
