"""Debian's nginx in the tests: a configuration of the test's own on a
loopback port, and the site's server block from docs/security.md serving a
built site (tests/test_nginx.py, tests/test_lighthouse.py)."""

import getpass
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, free_port

DOCS = ROOT / "docs" / "security.md"
# Debian's list of file types, as a server installed from the package has it.
DEBIAN_MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_path():
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not path:
        pytest.fail("nginx not found: run `make test`, which installs it (tools/ensure-nginx.sh)")
    return path


def docs_server_block():
    text = DOCS.read_text()
    block = re.search(r"```nginx\n(# nginx server block for the site.*?)```", text, re.S)
    assert block, "docs/security.md lost its nginx server block"
    return block.group(1)


class Nginx:
    """Debian's nginx with a config of the test's own, on a loopback port."""

    def __init__(self, folder, servers, mime_types=None):
        """``mime_types``: a file to include for the types (Debian's
        mime.types); without it, the few types the site's pages use."""
        self.folder = Path(folder)
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        temp = "".join(f"    {name}_temp_path {self.folder / name.split('_')[0]};\n"
                       for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.conf = self.folder / "nginx.conf"
        self.conf.write_text(
            f"{user}worker_processes 1;\npid {self.folder / 'nginx.pid'};\n"
            f"error_log {self.folder / 'error.log'} warn;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            + (f"    include {mime_types};\n" if mime_types else
               "    types { text/html html; text/css css; application/javascript js; "
               "image/svg+xml svg; application/json json; text/plain txt; }\n") +
            "    default_type application/octet-stream;\n"
            f"    access_log off;\n{temp}"
            f"{servers}\n}}\n")
        self.process = None

    def test(self):
        return subprocess.run([nginx_path(), "-t", "-p", str(self.folder), "-c", str(self.conf)],
                              capture_output=True, text=True, timeout=30)

    def start(self, port):
        checked = self.test()
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(
            [nginx_path(), "-p", str(self.folder), "-c", str(self.conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not start: " + (self.folder / "error.log").read_text())

    def stop(self):
        stop_group(self.process)
        self.process = None


def stop_group(process):
    """Stop a server started in its own session, its whole process group."""
    if process is None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()




def serve_site(site, folder, port=None, mime_types=None):
    """Start nginx serving ``site`` with the docs' server block (only the
    listen address, root and include paths moved here); returns the
    started server. Stop it with ``.stop()``."""
    folder = Path(folder)
    snippets = folder / "snippets"
    snippets.mkdir(parents=True, exist_ok=True)
    # "Copy it next to your nginx configuration."
    shutil.copy(Path(site) / "nginx-security-headers.conf", snippets / "nginx-security-headers.conf")
    port = port or free_port()
    block = docs_server_block()
    for pattern, replacement in ((r"listen 443 ssl;", f"listen 127.0.0.1:{port};"),
                                 (r"root [^;]+;", f"root {site};")):
        block, count = re.subn(pattern, replacement, block)
        assert count == 1, pattern
    block = block.replace("include snippets/", f"include {snippets}/")
    server = Nginx(folder, block, mime_types=mime_types).start(port)
    server.url = f"http://127.0.0.1:{port}"
    return server
