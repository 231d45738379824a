"""`make serve`: the preview keeps up with every save, shows a failed
rebuild where the writer is looking, answers a missing page with the site's
404 page, lives in its own folder, and leaves nothing running when stopped.

Every test runs the real practice.tools.serve (or `make serve`) on a copy of the
project, on free loopback ports."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from workflow import add_make_files
from conftest import ROOT, copy_project, free_port, run_build

POST = """Title: Checking the preview
Date: 2026-01-05 09:00
Reviewed: 2026-01-05
Category: Preview checks
Summary: A post the tests write, edit and remove.
Slug: checking-the-preview

{body}
"""


def write_post(project, body):
    path = project / "content" / "articles" / "checking-the-preview.md"
    path.write_text(POST.format(body=body), encoding="utf-8")
    return path


class Serve:
    """practice.tools.serve (or make serve) on a project copy, in its own session."""

    def __init__(self, project, log, comments=True, make=False, comments_port=None):
        self.project = project
        self.port = free_port()
        self.comments_port = comments_port or free_port()
        self.log_path = log
        self.inbox_port = free_port()
        env = dict(os.environ, PORT=str(self.port), COMMENTS_PORT=str(self.comments_port),
                   INBOX_PORT=str(self.inbox_port))
        if make:
            argv = ["make", "--no-print-directory", "serve"]
        else:
            argv = [sys.executable, "-m", "practice.tools.serve", "--port", str(self.port),
                    "--comments-port", str(self.comments_port)]
            if not comments:
                argv.append("--no-comments")
        self.process = subprocess.Popen(argv, cwd=project, env=env, start_new_session=True,
                                        stdout=open(log, "w"), stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, pattern, count=1, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(re.findall(pattern, self.log(), re.M)) >= count:
                return
            assert self.process.poll() is None, self.log()
            time.sleep(0.1)
        pytest.fail(f"no {pattern!r} in the output of make serve:\n{self.log()}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def port_open(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def command_line(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it has ended meanwhile
        return b""


def processes_in(folder):
    """Processes whose working directory is inside ``folder`` (Linux /proc)."""
    found = []
    folder = os.path.realpath(folder)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cwd = os.path.realpath(os.readlink(f"/proc/{entry}/cwd"))
            except OSError:
                continue
            if cwd == folder or cwd.startswith(folder + os.sep):
                found.append(int(entry))
    return found


@pytest.fixture
def served(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "comments", project / "comments")
    write_post(project, "The first version of this post.")
    serve = Serve(project, tmp_path / "serve.log")
    serve.wait_for_log(r"^Comments at |^comments: ")
    yield serve
    serve.stop()


@pytest.mark.browser
def test_an_edit_shows_without_reloading_and_an_error_shows_over_the_page(served, page):
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(served.url + "/blog/checking-the-preview/")
    page.evaluate("window.notReloaded = true")
    assert "The first version" in page.inner_text("main")

    post = write_post(served.project, "The second version, saved while the page was open.")
    expect(page.locator("main")).to_contain_text("The second version", timeout=60_000)
    # The page refreshed itself: the test never reloaded it.
    assert page.evaluate("window.notReloaded === undefined")

    post.write_text(post.read_text().replace("Date: 2026-01-05 09:00", "Date: someday"))
    served.wait_for_log(r"^error: content/articles/checking-the-preview\.md: Date:")
    overlay = page.locator(".preview-error")
    overlay.wait_for(state="visible", timeout=60_000)
    assert "error: content/articles/checking-the-preview.md: Date:" in overlay.inner_text()
    assert "The second version" in page.inner_text("main")  # the last good build stays

    write_post(served.project, "The third version, after the mistake was fixed.")
    expect(page.locator("main")).to_contain_text("The third version", timeout=60_000)
    assert page.locator(".preview-error").count() == 0
    # The reload script is same-origin and breaks no rule of the site's policy.
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    assert errors == []


OTHER = POST.replace("Checking the preview", "Another post").replace(
    "checking-the-preview", "another-post").replace("Preview checks", "Other checks")


@pytest.mark.browser
def test_a_save_updates_its_page_first_and_only_changed_pages_reload(tmp_path, context):
    project = copy_project(tmp_path / "project")
    write_post(project, "The first version of this post.")
    (project / "content" / "articles" / "another-post.md").write_text(
        OTHER.format(body="A post nobody edits."), encoding="utf-8")
    serve = Serve(project, tmp_path / "serve.log", comments=False)
    try:
        serve.wait_for_log(r"^Serving at ")
        edited, other = context.new_page(), context.new_page()
        edited.goto(serve.url + "/blog/checking-the-preview/")
        other.goto(serve.url + "/blog/another-post/")
        for page in (edited, other):
            page.evaluate("window.notReloaded = true")

        post = write_post(project, "QuickVersion: saved while both pages were open.")
        expect(edited.locator("main")).to_contain_text("QuickVersion", timeout=60_000)
        assert edited.evaluate("window.notReloaded === undefined")  # it refreshed itself
        # The saved file's page came first; the full rebuild followed.
        serve.wait_for_log(r"^Updated 1 page in [\d.]+ s; rebuilding the rest")
        serve.wait_for_log(r"^Rebuilt in ")
        time.sleep(1.5)
        # The other post did not change, so it was not reloaded.
        assert other.evaluate("window.notReloaded === true")

        # The quick pass is checked as the full build is: a page that would
        # load from another site never reaches the preview.
        post.write_text(post.read_text(encoding="utf-8").replace(
            "QuickVersion:", "![A pixel](https://tracker.example.net/pixel.png) QuickVersion:"),
            encoding="utf-8")
        overlay = edited.locator(".preview-error")
        overlay.wait_for(state="visible", timeout=60_000)
        assert "tracker.example.net" in overlay.inner_text()
        built = project / "var" / "preview" / "blog" / "checking-the-preview" / "index.html"
        assert "tracker.example.net" not in built.read_text(encoding="utf-8")
        assert "QuickVersion" in built.read_text(encoding="utf-8")
    finally:
        serve.stop()


def test_the_watcher_waits_and_a_deleted_page_is_gone(served):
    status, body = get(served.url + "/blog/checking-the-preview/")
    assert status == 200 and "The first version" in body

    post = write_post(served.project, "EditedOnce is the word this version adds to the post.")
    served.wait_for_log(r"^Rebuilt in ")
    time.sleep(3)  # a rebuild must not set off another one
    assert len(re.findall(r"^Rebuilt in ", served.log(), re.M)) == 1
    assert "EditedOnce" in get(served.url + "/blog/checking-the-preview/")[1]

    post.unlink()
    served.wait_for_log(r"^Rebuilt in ", count=2)
    status, body = get(served.url + "/blog/checking-the-preview/")
    assert status == 404
    not_found = (served.project / "var" / "preview" / "404.html").read_text()
    title = re.search(r"<title>(.*?)</title>", not_found, re.S).group(1)
    assert f"<title>{title}</title>" in body  # the site's own 404 page


def test_a_missing_page_gets_the_sites_404_page(served):
    status, body = get(served.url + "/no-such-page/")
    assert status == 404
    built = (served.project / "var" / "preview" / "404.html").read_text()
    assert body.replace(re.search(r"<script src=\"/_preview/[^>]*></script>", body).group(0),
                        "") == built


def test_the_terminal_says_which_servers_started_and_nothing_alarming(served):
    log = served.log()
    assert len(re.findall(r"Serving at ", log)) == 1
    assert f"Serving at {served.url}/" in log
    assert f"Comments at http://127.0.0.1:{served.comments_port}/" in log
    assert port_open(served.comments_port)
    assert not re.search(r"warning|traceback", log, re.I), log


def test_a_comment_server_that_cannot_start_is_reported(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "comments", project / "comments")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        serve = Serve(project, tmp_path / "serve.log", comments_port=taken.getsockname()[1])
        try:
            serve.wait_for_log(r"^comments: the comment server did not start")
            assert "Comments at" not in serve.log()
            assert get(serve.url + "/")[0] == 200  # the preview itself works
        finally:
            serve.stop()


def test_publish_leaves_the_preview_untouched(served, tmp_path):
    preview = served.project / "var" / "preview"

    def snapshot():
        return {p.relative_to(preview): (p.stat().st_mtime_ns, p.read_bytes())
                for p in preview.rglob("*") if p.is_file()}

    before = snapshot()
    env = dict(os.environ, SITEURL="https://127.0.0.1", COMMENTS_URL="")
    result = run_build("publishconf.py", served.project / "output", cwd=served.project, env=env)
    assert result.returncode == 0, result.stderr
    assert (served.project / "output" / "index.html").exists()
    assert snapshot() == before
    # The live-reload script is the preview server's: no built file has it.
    for folder in (served.project / "output", preview):
        assert not [p for p in folder.rglob("*.html") if "/_preview/" in p.read_text()]
    # and the preview is still served, stylesheet and all
    page = get(served.url + "/")[1]
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert get(served.url + css)[0] == 200


def test_the_make_targets_keep_preview_and_publish_apart():
    def recipe(*target):
        return subprocess.run(["make", "-n", "--no-print-directory", *target],
                              cwd=ROOT, capture_output=True, text=True).stdout

    assert "--output var/preview" in recipe("serve")
    assert "--output output" in recipe("publish")
    assert "--output var/preview" not in recipe("publish")
    for target in (["rsync_upload", "SSH_HOST=h", "SSH_TARGET_DIR=/d"],
                   ["s3_upload", "S3_BUCKET=b"]):
        assert " output/ " in recipe(*target) + " "


def make_project(tmp_path):
    """A project copy that `make serve` can run in: the Makefile, and this
    checkout's .venv (already set up, so make installs nothing)."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "comments", project / "comments")
    add_make_files(project)
    (project / ".venv").symlink_to(ROOT / ".venv")
    return project


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm-group", "sigkill-make", "sigkill-serve"])
def test_nothing_is_left_running_after_make_serve_stops(tmp_path, how):
    project = make_project(tmp_path)
    serve = Serve(project, tmp_path / "serve.log", make=True)
    try:
        serve.wait_for_log(r"^Comments at ")
        assert port_open(serve.port) and port_open(serve.comments_port)
        if how == "ctrl-c":
            os.killpg(serve.process.pid, signal.SIGINT)
        elif how == "sigterm-group":
            os.killpg(serve.process.pid, signal.SIGTERM)
        elif how == "sigkill-make":
            os.kill(serve.process.pid, signal.SIGKILL)
        else:
            # A child being started (the inbox, after the comment server)
            # shows the parent's command line until it runs its own.
            deadline = time.monotonic() + 10
            while True:
                serve_py = [pid for pid in processes_in(project)
                            if b"practice.tools.serve" in command_line(pid)]
                if len(serve_py) == 1 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            assert len(serve_py) == 1
            os.kill(serve_py[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
                processes_in(project) or port_open(serve.port) or port_open(serve.comments_port)):
            time.sleep(0.2)
        assert [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in processes_in(project)] == [], serve.log()
        assert not port_open(serve.port) and not port_open(serve.comments_port)
    finally:
        for pid in processes_in(project):
            os.kill(pid, signal.SIGKILL)
        serve.process.wait(timeout=30)
