"""tools/ensure-chromium.sh accepts the same browsers as tests/conftest.py:
$CHROMIUM, `chromium` or `chromium-browser` on the PATH."""

import subprocess
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / "tools" / "ensure-chromium.sh"


def fake_browser(folder, name):
    path = Path(folder) / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def run(env):
    # Only the given PATH: no system Chromium, and no apt-get to reach for.
    return subprocess.run(["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=30)


def test_chromium_variable_is_enough(tmp_path):
    browser = fake_browser(tmp_path, "my-chromium")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run({"PATH": str(empty), "CHROMIUM": str(browser)})
    assert result.returncode == 0, result.stderr
    assert "Installing" not in result.stdout


def test_a_wrong_chromium_variable_is_named(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run({"PATH": str(empty), "CHROMIUM": str(tmp_path / "missing")})
    assert result.returncode == 1
    assert "CHROMIUM=" in result.stderr and "missing" in result.stderr


def test_chromium_browser_on_the_path_is_enough(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    fake_browser(folder, "chromium-browser")
    result = run({"PATH": str(folder)})
    assert result.returncode == 0, result.stderr
    assert "Installing" not in result.stdout
