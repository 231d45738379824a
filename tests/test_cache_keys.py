"""Caches never hand back what older code produced: each is keyed on the
code (and package versions) that shapes its output, and older keys' folders
are deleted."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import practice
from conftest import ROOT
from fixturesite import OWN_SLUG, own_article
from practice import cachekey

ARTICLE = ("blog", OWN_SLUG, "index.html")
MARKER = 'rel="noopener noreferrer external"'


def folders(project, kind):
    return sorted(p.name for p in (project / "cache").glob(f"{kind}-*"))


PACKAGE_DIR = Path(practice.__file__).resolve().parent.parent.relative_to(ROOT)  # plugins/


def build(project):
    """Build the scratch copy with its own (changed) copy of the package,
    found before the installed one (PYTHONPATH comes first)."""
    if not (project / PACKAGE_DIR).exists():
        shutil.copytree(ROOT / PACKAGE_DIR, project / PACKAGE_DIR,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    env = dict(os.environ, PYTHONPATH=str(project / PACKAGE_DIR))
    return subprocess.run([sys.executable, "-m", "practice.tools.build",
                           "--settings", "pelicanconf.py", "--output", "output", "--quiet"],
                          cwd=project, capture_output=True, text=True, env=env)


def test_the_reader_key_covers_the_link_rewriting_it_calls():
    files = set(cachekey.module_files(["practice.markup"]).values())
    assert {"practice/markup.py", "practice/privacy.py", "practice/cachekey.py"} <= files
    assert "practice/search.py" not in files


def test_a_changed_module_invalidates_the_caches_it_shapes(project):
    article = own_article(project)
    article.write_text(article.read_text() + "\nSee [a directory](https://one.example.org/a).\n")
    out = project / "output"
    assert build(project).returncode == 0
    before = {kind: folders(project, kind) for kind in ("reader", "search", "guard")}
    assert all(len(names) == 1 for names in before.values()), before
    assert MARKER not in out.joinpath(*ARTICLE).read_text()

    # The link rewriting changes; the content files do not.
    privacy = project / PACKAGE_DIR / "practice" / "privacy.py"
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
    # The encoded photos are keyed on their own bytes, beside the keyed
    # folders: a new reader key does not encode them again.
    assert not list((project / "cache").glob("reader-*/photos"))
    assert list((project / "cache" / "photos").glob("*/.complete"))

    search = project / PACKAGE_DIR / "practice" / "search.py"
    search.write_text(search.read_text() + "\n# changed\n")
    assert build(project).returncode == 0
    assert len(folders(project, "search")) == 1 and folders(project, "search") != before["search"]
    assert folders(project, "reader") == after["reader"]


def test_a_changed_fact_reaches_the_cached_articles_that_show_it(project):
    """Placeholders are filled as the files are read: a change of the fact in
    the profile is a new reader cache key, so the next build shows it."""
    import re

    article = own_article(project)
    article.write_text(article.read_text() + "\nWritten at {practice_name}.\n")
    out = project / "output"
    assert build(project).returncode == 0
    profile = project / "content" / "practice.yaml"
    text, count = re.subn(r"^name: .*$", "name: Harbour Lights Counseling", profile.read_text(),
                          count=1, flags=re.M)
    assert count == 1
    profile.write_text(text)
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Written at Harbour Lights Counseling." in out.joinpath(*ARTICLE).read_text()


MEMO_SCRIPT = """
import json, sys
from practice import cachekey
cachekey.remember_imports_in(sys.argv[1])
print(json.dumps(sorted(cachekey.module_files(["memopkg.a"]).values())))
"""


def test_what_a_module_imports_is_remembered_by_its_bytes_not_its_name(tmp_path):
    """A fresh build process reads what each module imports from the cache
    folder's memo (``cachekey.remember_imports_in``) instead of parsing the
    package again; a module whose bytes changed is parsed afresh, so the
    key follows its new imports."""
    package = tmp_path / "memopkg"
    package.mkdir()
    for name, text in {"__init__.py": "", "a.py": "from . import b\n", "b.py": "X = 1\n",
                       "c.py": "Y = 2\n"}.items():
        (package / name).write_text(text)
    cache = tmp_path / "cache"

    def files():
        done = subprocess.run([sys.executable, "-c", MEMO_SCRIPT, str(cache)], capture_output=True,
                              text=True, env=dict(os.environ, PYTHONPATH=str(tmp_path)))
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert files() == ["memopkg/a.py", "memopkg/b.py"]
    memo = json.loads((cache / "imports.json").read_text())
    assert [["from", 1, "", ["b"]]] in memo.values()
    # Same name, new bytes: its new import is found, the old one is gone.
    (package / "a.py").write_text("from . import c\n")
    assert files() == ["memopkg/a.py", "memopkg/c.py"]
    # A memo that cannot be read is parsed afresh and written again.
    (cache / "imports.json").write_text("{not json")
    (package / "a.py").write_text("from .b import X\nfrom . import c\n")
    assert files() == ["memopkg/a.py", "memopkg/b.py", "memopkg/c.py"]
    assert json.loads((cache / "imports.json").read_text())
    # Nor is one edited out of shape.
    memo = json.loads((cache / "imports.json").read_text())
    (cache / "imports.json").write_text(json.dumps({key: [["from", "x"]] for key in memo}))
    assert files() == ["memopkg/a.py", "memopkg/b.py", "memopkg/c.py"]
