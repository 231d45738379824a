"""Caches never hand back what older code produced: each is keyed on the
code (and package versions) that shapes its output, and older keys' folders
are deleted."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import practice
from conftest import ROOT
from practice import cachekey

ARTICLE = ("blog", "trust-is-the-basis-of-therapy", "index.html")
MARKER = 'rel="noopener noreferrer external"'


def folders(project, kind):
    return sorted(p.name for p in (project / "cache").glob(f"{kind}-*"))


def scratch_package(project):
    """A copy of the plugin's code inside the scratch project, to change."""
    dest = project / "scratch-code" / "practice"
    if not dest.exists():
        shutil.copytree(Path(practice.__file__).resolve().parent, dest,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def build(project):
    """Build the scratch project with the scratch copy of the code, not the installed one."""
    package = scratch_package(project)
    env = dict(os.environ, PYTHONPATH=str(package.parent))
    if (package / "tools" / "build.py").is_file():
        command = [sys.executable, "-m", "practice.tools.build"]
    else:  # the build tool beside the plugins: it puts its own plugins/ first
        shutil.copytree(ROOT / "tools", project / "tools", dirs_exist_ok=True)
        shutil.rmtree(project / "plugins", ignore_errors=True)
        shutil.copytree(package.parent, project / "plugins")
        command = [sys.executable, str(project / "tools" / "build.py")]
    return subprocess.run(command + ["--settings", "pelicanconf.py", "--output", "output", "--quiet"],
                          cwd=project, capture_output=True, text=True, env=env)


def test_the_reader_key_covers_the_link_rewriting_it_calls():
    files = set(cachekey.module_files(["practice.markup"]).values())
    assert {"practice/markup.py", "practice/privacy.py", "practice/cachekey.py"} <= files
    assert "practice/search.py" not in files


def test_a_changed_module_invalidates_the_caches_it_shapes(project):
    article = project / "content" / "articles" / "trust-is-the-basis-of-therapy.md"
    article.write_text(article.read_text() + "\nSee [a directory](https://one.example.org/a).\n")
    out = project / "output"
    assert build(project).returncode == 0
    before = {kind: folders(project, kind) for kind in ("reader", "search", "guard")}
    assert all(len(names) == 1 for names in before.values()), before
    assert MARKER not in out.joinpath(*ARTICLE).read_text()

    # The link rewriting changes; the content files do not.
    privacy = scratch_package(project) / "privacy.py"
    privacy.write_text(privacy.read_text() + (
        "\n\n_marked = mark_external_links\n\n\n"
        "def mark_external_links(html, own=()):\n"
        "    return _marked(html, own).replace('rel=\"noopener noreferrer\"', "
        f"'{MARKER}')\n"))
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert MARKER in out.joinpath(*ARTICLE).read_text()  # read afresh, not from the cache
    after = {kind: folders(project, kind) for kind in ("reader", "search", "guard")}
    # New keys for the reader and the guard (both use privacy.py), older ones deleted.
    assert len(after["reader"]) == 1 and after["reader"] != before["reader"]
    assert len(after["guard"]) == 1 and after["guard"] != before["guard"]
    assert after["search"] == before["search"]  # search.py did not change

    search = scratch_package(project) / "search.py"
    search.write_text(search.read_text() + "\n# changed\n")
    assert build(project).returncode == 0
    assert len(folders(project, "search")) == 1 and folders(project, "search") != before["search"]
    assert folders(project, "reader") == after["reader"]
