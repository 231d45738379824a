"""The comment server as the live site runs it: the production runner refuses
public or weak secrets; with comments/isso-production.example.cfg (only its
addresses moved to loopback) a new comment e-mails the practice, through a
real SMTP server, with links that approve or delete it; the admin cookie is
not SameSite=None; `make comments` stops Isso on SIGTERM and frees its port."""

import configparser
import email
import email.policy
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

from practice.tools import comments as runner
from conftest import ROOT, free_port
from isso_server import IssoServer
from workflow import VENV

PRODUCTION = ROOT / "comments" / "isso-production.example.cfg"
GOOD_PASSWORD = "correct-horse-battery-staple-42"
GOOD_SALT = "k3J9q-salt-of-our-own-Zp81"


def production(*args, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("ISSO_")}
    full.update(env)
    return subprocess.run([sys.executable, "-m", "practice.tools.comments", "production", *args],
                          capture_output=True, text=True, env=full, timeout=60)


def errors(result):
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_the_shipped_example_refuses_to_start_without_secrets():
    """Isso alone would take the literal "${ISSO_ADMIN_PASSWORD}" as the password."""
    result = production("--config", str(PRODUCTION))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = errors(result)
    assert any("[admin] password: is not set" in line for line in lines), lines
    assert any("[hash] salt" in line for line in lines), lines
    assert lines[-1] == "error: the comment server was not started"


@pytest.mark.parametrize("password, why", [
    ("", "is not set"),
    ("fifteen-chars-x", "is 15 characters; use at least 16"),
    (runner.DEV_ADMIN_PASSWORD, "development password"),
])
def test_a_weak_admin_password_is_refused(password, why):
    result = production("--config", str(PRODUCTION), "--check",
                        ISSO_ADMIN_PASSWORD=password, ISSO_HASH_SALT=GOOD_SALT)
    assert result.returncode == 2
    assert [line for line in errors(result) if "[admin] password" in line and why in line]


@pytest.mark.parametrize("salt", ["", "replace-with-a-random-string", "dev-salt-not-secret-9f2c",
                                  "Eech7co8Ohloopo9Ol6baimi", "short-salt"])
def test_a_placeholder_or_short_salt_is_refused(salt):
    result = production("--config", str(PRODUCTION), "--check",
                        ISSO_ADMIN_PASSWORD=GOOD_PASSWORD, ISSO_HASH_SALT=salt)
    assert result.returncode == 2
    assert [line for line in errors(result) if "[hash] salt" in line]


def test_real_secrets_pass_the_check():
    result = production("--config", str(PRODUCTION), "--check",
                        ISSO_ADMIN_PASSWORD=GOOD_PASSWORD, ISSO_HASH_SALT=GOOD_SALT)
    assert result.returncode == 0, result.stderr


# ---- the production config, running -------------------------------------------------


def local_copy_of_production(dest, port, smtp_port, site):
    """The production example with only its addresses and paths moved here."""
    conf = configparser.RawConfigParser()
    conf.read(PRODUCTION)
    conf.set("general", "dbpath", str(dest.parent / "comments.db"))
    conf.set("general", "host", site)
    conf.set("general", "log-file", "")
    conf.set("server", "listen", f"http://127.0.0.1:{port}")
    conf.set("server", "public-endpoint", f"http://127.0.0.1:{port}")
    conf.set("smtp", "host", "127.0.0.1")
    conf.set("smtp", "port", str(smtp_port))
    conf.set("smtp", "security", "none")
    conf.set("smtp", "username", "")  # the test's SMTP server takes mail without logging in
    with open(dest, "w") as f:
        conf.write(f)
    return dest


class Inbox:
    """A real SMTP server (aiosmtpd) on a free loopback port, keeping each message."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.arrived = threading.Condition()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.arrived:
            self.messages.append((envelope.rcpt_tos, message))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count, timeout=30):
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        return self.messages


@pytest.fixture
def inbox():
    box = Inbox()
    box.controller.start()
    yield box
    box.controller.stop()


@pytest.fixture
def live_production(tmp_path, inbox):
    port = free_port()
    site = f"http://127.0.0.1:{free_port()}"
    config = local_copy_of_production(tmp_path / "isso.cfg", port, inbox.port, site)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISSO_")}
    env.update(ISSO_ADMIN_PASSWORD=GOOD_PASSWORD, ISSO_HASH_SALT=GOOD_SALT, ISSO_SMTP_PASSWORD="unused")
    log = open(tmp_path / "isso.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "practice.tools.comments", "production",
                                "--config", str(config)], env=env, stdout=log, stderr=subprocess.STDOUT)
    server = IssoServer(tmp_path / "comments.db", site, config, port=port)
    try:
        assert runner.wait_until_ready(server.url, process), (tmp_path / "isso.log").read_text()
        yield server
    finally:
        runner.stop(process)
        log.close()


def test_a_new_comment_emails_the_practice_and_its_approve_link_publishes_it(
        live_production, inbox, browser):
    isso = live_production
    status, sent = isso.post("/blog/a-post/", "Thank you for writing this.", author="Sam",
                             email="sam@example.org")
    assert status == 202, sent  # accepted, waiting for approval
    assert isso.thread("/blog/a-post/").get("replies", []) == []  # waiting for approval

    (recipients, message), = inbox.wait_for(1)
    practice_address = configparser.RawConfigParser()
    practice_address.read(PRODUCTION)
    assert recipients == [practice_address.get("smtp", "to")]
    body = message.get_content()
    assert "Thank you for writing this." in body
    approve = re.search(r"^Activate comment: (\S+)$", body, re.M).group(1)
    delete = re.search(r"^Delete comment: (\S+)$", body, re.M).group(1)
    assert approve.startswith(isso.url + f"/id/{sent['id']}/activate/")
    assert delete.startswith(isso.url + f"/id/{sent['id']}/delete/")

    # The practice follows the link in a browser and confirms.
    page = browser.new_context().new_page()
    try:
        page.on("dialog", lambda dialog: dialog.accept())
        with page.expect_request(lambda r: r.method == "POST" and r.url == approve) as posted:
            page.goto(approve)
        posted.value.response().finished()
        assert posted.value.response().status == 200
    finally:
        page.context.close()
    shown = isso.thread("/blog/a-post/")["replies"]
    assert [c["text"] for c in shown] == ["<p>Thank you for writing this.</p>"]


def test_the_delete_link_removes_a_comment_before_anyone_sees_it(live_production, inbox):
    isso = live_production
    status, sent = isso.post("/blog/a-post/", "Buy cheap things here.", author="Spam")
    assert status == 202
    (_to, message), = inbox.wait_for(1)
    delete = re.search(r"^Delete comment: (\S+)$", message.get_content(), re.M).group(1)
    with urllib.request.urlopen(urllib.request.Request(delete, data=b"", method="POST"), timeout=10):
        pass
    assert isso.moderation_keys() == {}  # the queue is empty: gone, not published
    assert isso.thread("/blog/a-post/").get("replies", []) == []


def test_the_admin_cookie_is_not_samesite_none(live_production):
    body = urllib.parse.urlencode({"password": GOOD_PASSWORD}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{live_production.url}/login/", data=body, timeout=10)
        raise AssertionError("the login did not redirect to the admin page")
    except urllib.error.HTTPError as answer:
        cookies = answer.headers.get_all("Set-Cookie")
    admin = [c for c in cookies if c.startswith("admin-session=")]
    assert admin, cookies
    assert "SameSite=Lax" in admin[0] and "SameSite=None" not in admin[0]


# ---- make comments and SIGTERM --------------------------------------------------------


def port_is_free(port):
    """Nothing listens on ``port``: a server could bind it again. With
    SO_REUSEADDR, as servers bind, so that a connection of the readiness
    check still in TIME_WAIT (when the server closed it first) does not
    count as a server left running."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("target", ["make", "runner"])
def test_sigterm_stops_make_comments_and_frees_the_port(tmp_path, target):
    """SIGTERM to `make comments` (as a process manager sends it) or to the
    runner alone stops Isso too: nothing is left bound to the port."""
    port = free_port()
    env = dict(os.environ, COMMENTS_PORT=str(port))
    env.pop("ISSO_ADMIN_PASSWORD", None)
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements.txt", "requirements-test.txt"):
        (project / name).write_bytes((ROOT / name).read_bytes())
        os.utime(project / name, (os.stat(ROOT / name).st_atime, os.stat(ROOT / name).st_mtime))
    (project / "comments").symlink_to(ROOT / "comments")
    make = subprocess.Popen(["make", "--no-print-directory", f"VENV={VENV}", "comments"],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        assert runner.wait_until_ready(f"http://127.0.0.1:{port}", make), make.stdout.read1().decode()
        assert not port_is_free(port)
        if target == "make":
            make.send_signal(signal.SIGTERM)
        else:
            children = subprocess.run(["pgrep", "-g", str(make.pid), "-f", "practice.tools.comments run"],
                                      capture_output=True, text=True).stdout.split()
            assert children, "the runner was not found"
            os.kill(int(children[0]), signal.SIGTERM)
        make.wait(timeout=30)
        deadline = time.monotonic() + 15
        while (group_alive(make.pid) or not port_is_free(port)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not group_alive(make.pid), "a process of `make comments` is still running"
        assert port_is_free(port), "Isso still holds the port"
    finally:
        if group_alive(make.pid):
            os.killpg(make.pid, signal.SIGKILL)
        make.wait()
