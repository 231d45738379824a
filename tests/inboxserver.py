"""The real intake inbox (gunicorn) on a free loopback port, for the tests:
started as `make inbox` starts it, stopped with its whole process group."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import ROOT, free_port

PASSPHRASE = "a passphrase for the tests"


def environment(**extra):
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("INBOX_"):
            del env[name]
    env.update({k: str(v) for k, v in extra.items()})
    return env


def inbox_command(*args, cwd=ROOT, **env):
    """``python -m practice.inbox ARGS`` with the INBOX_* settings in ``env``."""
    return subprocess.run([sys.executable, "-m", "practice.inbox", *args], cwd=cwd, capture_output=True,
                          text=True, env=environment(**env), timeout=120)


def make_key(folder, passphrase=PASSPHRASE):
    """A key pair made by the real command: (key file, public key text)."""
    from practice.inbox import keys

    path = folder / "inbox-key.json"
    profile = folder / "profile-for-key.yaml"
    profile.write_text("intake:\n  reply_time: soon\n")
    result = inbox_command("key", "--profile", str(profile), INBOX_KEY=path, INBOX_PASSPHRASE=passphrase)
    assert result.returncode == 0, result.stderr
    return path, keys.b64(keys.public_key_of(path))


def read_requests(key, data=None, passphrase=PASSPHRASE, *args, **env):
    """`make requests --json`: (exit code, the decoded requests, stderr)."""
    if data is not None:
        env["INBOX_DATA"] = data
    result = inbox_command("requests", "--json", *args, INBOX_KEY=key, INBOX_PASSPHRASE=passphrase, **env)
    try:
        requests = json.loads(result.stdout)["requests"]
    except ValueError:
        requests = None
    return result.returncode, requests, result.stderr


class InboxServer:
    """``python -m practice.inbox run`` in a process group of its own; output to ``log``."""

    def __init__(self, data, site_url, public_key, log, profile=ROOT / "content" / "practice.yaml", **settings):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data = data
        self.site_url = site_url
        self.log = log
        self.env = environment(INBOX_PORT=self.port, INBOX_DATA=data, INBOX_SITE_URL=site_url,
                               INBOX_PUBLIC_KEY=public_key, INBOX_PROFILE=profile, **settings)
        self.process = None

    def start(self):
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "practice.inbox", "run"], cwd=ROOT, env=self.env,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the inbox exited: {open(self.log).read()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise AssertionError("the inbox did not start")

    def signal_group(self, sig):
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self):
        """SIGKILL to the whole group: master and workers die mid-request."""
        self.signal_group(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        self.signal_group(signal.SIGKILL)  # any worker left behind
        self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- talking to it ---------------------------------------------------------

    def post(self, body, content_type="application/x-www-form-urlencoded", origin="site", headers=None):
        """POST /requests; returns (status, headers, body text); redirects not followed."""
        hdrs = {"Content-Type": content_type}
        if origin:
            hdrs["Origin"] = self.site_url if origin == "site" else origin
        hdrs.update(headers or {})
        request = urllib.request.Request(self.url + "/requests", data=body, method="POST", headers=hdrs)
        return open_no_redirect(request)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def open_no_redirect(request):
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def valid_answers(fields, marker):
    """A submission that passes the form's rules, for any practice's fields:
    every text answer carries ``marker`` (to search for it afterwards)."""
    pairs = []
    for f in fields:
        kind, name = f["type"], f["name"]
        if kind in ("text", "textarea"):
            value = f"{marker} {name}"[: f["maxlength"]]
        elif kind == "email":
            value = f"{marker}@example.org"
        elif kind == "tel":
            value = "+1 555 010 0199"
        elif kind in ("select", "radios", "checkboxes"):
            value = f["options"][0]["value"]
        else:  # acknowledgement
            value = "yes"
        pairs.append((name, value))
    return pairs


def files_holding(folder, needles):
    """Every file under ``folder`` whose bytes hold any of ``needles``."""
    found = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = f.read()
            if any(n in data for n in needles):
                found.append(path)
    return found
