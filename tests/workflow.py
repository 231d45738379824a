"""Helpers for the writing and publishing workflow tests: run the project's
own `make` targets and tools in a scratch copy of the project."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from warmstart import run_module

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv running the tests; make uses it instead of creating another.
VENV = Path(sys.executable).parent.parent


def add_make_files(project):
    """Copy the Makefile and requirements (keeping their times, so make sees
    the virtualenv as up to date) into a scratch project."""
    for name in ("Makefile", "pyproject.toml", "requirements.txt", "requirements-test.txt"):
        shutil.copy2(ROOT / name, project / name)
    return project


def make(project, *args, env=None):
    return subprocess.run(["make", "--no-print-directory", f"VENV={VENV}", *args],
                          cwd=project, capture_output=True, text=True, env=env)


def tool(project, name, *args, env=None):
    """Run ``practice.tools.NAME`` (``name`` like ``lint.py``) in ``project``."""
    return run_module("practice.tools." + name.removesuffix(".py"), args, cwd=project, env=env)


def write_article(project, name, meta, body="A short paragraph. It has two sentences."):
    lines = [f"{key}: {value}" for key, value in meta.items()]
    path = project / "content" / "articles" / name
    path.write_text("\n".join(lines) + "\n\n" + body + "\n", encoding="utf-8")
    return path


def files_mentioning(folder, text):
    """Every file under ``folder`` whose contents or path contain ``text``."""
    hits = []
    for path in Path(folder).rglob("*"):
        if text in str(path.relative_to(folder)):
            hits.append(path)
        elif path.is_file() and text in path.read_text(encoding="utf-8", errors="replace"):
            hits.append(path)
    return hits


def parse_report(text):
    """`make lint` output as {file: [(kind, message)]}."""
    report, current = {}, None
    for line in text.splitlines():
        header = re.match(r"^(\S.*?\.(?:md|markdown|rst|html|yaml))(?:\s+\((.*)\))?$", line)
        if header:
            current = report.setdefault(header.group(1), [])
            continue
        item = re.match(r"^  (error|warning):\s+(.*)$", line)
        if item and current is not None:
            current.append((item.group(1), item.group(2)))
        elif current is not None and line.startswith("  ") and line.strip():
            current.append(("info", line.strip()))
    return report


def make_own(project):
    """Replace the demo's placeholders in a scratch copy, as a practice does
    before its first `make publish` (which stops while they are there)."""
    from practice.tools.lint import DEMO_PLACEHOLDERS

    own = {"the demo's placeholder name": "Own Practice",
           "the demo's placeholder license number": "LIC-12345",
           "a placeholder address on the reserved .example domain": "own-practice.org",
           "a fictional 555-01XX phone number": "217 444 1234"}
    files = [project / "content" / "practice.yaml", *(project / "content").rglob("*.md")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern, what in DEMO_PLACEHOLDERS:
            replacement = own[what]
            if "address" in what:  # keep the part before the reserved domain
                text = pattern.sub(lambda m: re.sub(r"[\w-]+(?:\.[\w-]+)*\.example\b",
                                                    replacement, m.group(0)), text)
            else:
                text = pattern.sub(replacement, text)
        text = re.sub(r"(?mi)^Placeholder: yes\n", "", text)
        path.write_text(text, encoding="utf-8")
    return project
