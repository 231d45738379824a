"""Typography set by the readers (TYPOGRIFY_IN_READER) is Pelican's own
TYPOGRIFY pass, kept in the reader cache."""

import os

from conftest import run_build
from fixturesite import fixture_site

ARTICLE = """Title: "Why" we -- sometimes -- wait...
Date: 2026-02-05 09:00
Reviewed: 2026-02-06
Category: Everyday coping
Slug: why-we-wait
Summary: It's "normal" to wait -- and that's fine...

She said "it's fine" -- and it wasn't. Therapy & you... a start.

Code stays as typed: `"quoted" -- code` and <kbd>"Ctrl" -- C</kbd>.

    "an indented" -- block...

## A heading with "quotes" & an ampersand

'Single' quotes, 1990s, the '90s, 5'10" and "nested 'quotes'".
"""

RST = """Sleep and "worry" -- a guide
############################

:date: 2026-02-03 10:00
:category: Everyday coping
:slug: sleep-and-worry
:summary: What helps when "worry" keeps you awake -- and what does not.

Write the worry down... then put it away -- "until the morning".
"""

PELICAN_PASS = """from pelicanconf import *  # noqa: F401,F403
TYPOGRIFY = True
TYPOGRIFY_IN_READER = False
"""


def build(project, settings):
    env = dict(os.environ, PYTHONPATH=str(project))
    return run_build(settings, project / "output", cwd=project, env=env)


def pages(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*.html")}


def test_the_readers_typography_is_pelicans_pass_byte_for_byte(tmp_path):
    project = fixture_site(tmp_path / "site", articles={"wait.md": ARTICLE, "sleep.rst": RST})
    (project / "pelican_pass.py").write_text(PELICAN_PASS, encoding="utf-8")
    result = build(project, "pelicanconf.py")
    assert result.returncode == 0, result.stderr
    in_reader = pages(project / "output")
    article = in_reader["blog/why-we-wait/index.html"].decode()
    assert "&#8220;it&#8217;s fine&#8221; &#8212; and" in article  # typogrify did run
    assert '<code>"quoted" -- code</code>' in article  # and left code alone
    result = build(project, "pelican_pass.py")
    assert result.returncode == 0, result.stderr
    by_pelican = pages(project / "output")
    assert sorted(by_pelican) == sorted(in_reader)
    different = [name for name in in_reader if in_reader[name] != by_pelican[name]]
    assert different == []


def test_a_changed_typography_setting_is_not_served_from_the_cache(tmp_path):
    project = fixture_site(tmp_path / "site", articles={"wait.md": ARTICLE})
    result = build(project, "pelicanconf.py")
    assert result.returncode == 0, result.stderr
    page = project / "output" / "blog" / "why-we-wait" / "index.html"
    assert "&#8220;it&#8217;s fine&#8221;" in page.read_text(encoding="utf-8")
    (project / "straight.py").write_text(
        "from pelicanconf import *  # noqa: F401,F403\n"
        "TYPOGRIFY_OMIT_FILTERS = ['caps', 'smartypants']\n", encoding="utf-8")
    result = build(project, "straight.py")  # same cache folder setting, warm
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert "&#8220;" not in text.split("<main", 1)[1].split("</article>", 1)[0]
    assert '"it' in text


def test_both_passes_on_is_one_line_naming_the_setting(tmp_path):
    project = fixture_site(tmp_path / "site", articles={"wait.md": ARTICLE})
    (project / "twice.py").write_text("from pelicanconf import *  # noqa: F401,F403\n"
                                      "TYPOGRIFY = True\n", encoding="utf-8")
    result = build(project, "twice.py")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: twice.py: TYPOGRIFY: is on while "
                                                     "TYPOGRIFY_IN_READER is on"), result.stderr
    assert "Traceback" not in result.stderr
