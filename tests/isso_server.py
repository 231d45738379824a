"""A real Isso comment server for the tests, on a free loopback port.

It runs through practice.tools.comments, as `make comments` does, with the
project's development config (comments/isso-dev.cfg) or a copy of it with a
few settings changed, and its database in a temporary folder.
"""

import http.cookiejar
import json
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from practice.tools import comments as runner
from conftest import ROOT, free_port

ADMIN_PASSWORD = "test-admin-password"
DEV_CONFIG = ROOT / "comments" / "isso-dev.cfg"


def dev_config_with(dest, **changes):
    """A copy of the development config with ``key = value`` lines replaced
    (keys written with dashes, e.g. ``reply_to_self="true"``)."""
    text = DEV_CONFIG.read_text()
    for key, value in changes.items():
        key = key.replace("_", "-")
        text, count = re.subn(rf"^{re.escape(key)} = .*$", f"{key} = {value}", text, flags=re.M)
        assert count == 1, f"{key} not found once in {DEV_CONFIG}"
    Path(dest).write_text(text)
    return Path(dest)


class IssoServer:
    def __init__(self, db, site, config=DEV_CONFIG, port=None):
        self.db = Path(db)
        self.site = site
        self.config = Path(config)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.db.parent / "isso.log"
        self.process = None
        self._log_file = None

    def start(self):
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = open(self.log, "ab")
        self.process = runner.start(
            port=self.port, site=self.site, db=str(self.db), config=str(self.config),
            password=ADMIN_PASSWORD, cwd=str(ROOT), stdout=self._log_file, stderr=subprocess.STDOUT,
        )
        if not runner.wait_until_ready(self.url, self.process):
            self.stop()
            raise RuntimeError(f"Isso did not start:\n{self.log.read_text(errors='replace')}")
        return self

    def stop(self):
        if self.process is not None:
            runner.stop(self.process)
            self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def running(self):
        return self.process is not None and self.process.poll() is None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- Isso's HTTP API, as a reader's browser or the admin page uses it --

    def post(self, uri, text, title="A thread", **fields):
        """Posts a comment the way Isso's client does; returns (status, body)."""
        data = dict(fields, text=text, title=title)
        request = urllib.request.Request(
            f"{self.url}/new?uri={urllib.parse.quote(uri)}", data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", "Origin": self.site.split()[0]},
            method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def thread(self, uri):
        """The publicly visible comments of a thread (Isso's fetch)."""
        with urllib.request.urlopen(f"{self.url}/?uri={urllib.parse.quote(uri)}", timeout=10) as r:
            return json.loads(r.read())

    def _admin(self):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        body = urllib.parse.urlencode({"password": ADMIN_PASSWORD}).encode()
        opener.open(f"{self.url}/login/", data=body, timeout=10).read()
        return opener

    def moderation_keys(self):
        """{comment id: moderation key} of the comments waiting for approval,
        read from Isso's admin page."""
        html = self._admin().open(f"{self.url}/admin/?mode=2", timeout=10).read().decode()
        return {int(i): key for i, key in re.findall(r"validate_com\((\d+), '([^']+)'", html)}

    def activate(self, comment_id):
        """Approves a comment through Isso's moderation endpoint."""
        key = self.moderation_keys()[comment_id]
        request = urllib.request.Request(f"{self.url}/id/{comment_id}/activate/{key}", data=b"",
                                         method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()
