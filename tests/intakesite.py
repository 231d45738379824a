"""A scratch copy of the site with the request form connected to a receiver
on loopback (and, for the browser tests, a neutral page on loopback too)."""

import re

from conftest import copy_project, run_build
from practice.profile import load_profile


def connect(project, endpoint, exit_url=None):
    """Set the form's endpoint (and the exit control's target) in a scratch project."""
    path = project / "content" / "practice.yaml"
    text, count = re.subn(r"(?m)^  endpoint:.*$", f"  endpoint: {endpoint}", path.read_text())
    assert count == 1
    path.write_text(text)
    if exit_url:
        conf = project / "pelicanconf.py"
        conf.write_text(conf.read_text() + f"\nEXIT_THIS_PAGE_URL = {exit_url!r}\n")


def build_connected(dest, endpoint, exit_url=None, settings="pelicanconf.py"):
    project = copy_project(dest)
    connect(project, endpoint, exit_url)
    out = project / "output"
    result = run_build(settings, out, cwd=project)
    assert result.returncode == 0, result.stderr
    return project, out


def fields(project):
    return load_profile(project / "content" / "practice.yaml")["intake"]["fields"]
