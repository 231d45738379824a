"""The security header files work where the docs say to put them: Debian's
nginx accepts the server block of docs/security.md (`nginx -t`) and, serving
the built site on a loopback port, sends every response the headers, with a
policy that allows what each page's own policy allows; `_headers` is in the
format Netlify and Cloudflare Pages read. The comment server's nginx and
Caddy examples keep /admin/ and /login/ to loopback (nginx also throttles
/login/) and make the admin cookie SameSite=Strict."""

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
from nginxserver import Nginx, serve_site, stop_group

COMMENTS_NGINX = ROOT / "comments" / "nginx-comments.example.conf"
SECURITY = ("Content-Security-Policy", "Referrer-Policy", "Permissions-Policy",
            "X-Content-Type-Options", "X-Frame-Options", "Strict-Transport-Security")


def fetch(url, method="GET", data=None):
    request = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def directives(policy):
    result = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            result[words[0]] = set(words[1:])
    return result


@pytest.fixture(scope="module")
def site_nginx(site, tmp_path_factory):
    """nginx serving the built site with the docs' server block."""
    server = serve_site(site, tmp_path_factory.mktemp("nginx"))
    yield server.url, site
    server.stop()


def test_nginx_accepts_the_header_file_in_server_and_location_blocks(site_nginx):
    """(`nginx -t` ran in the fixture; here is what it refused before: the
    file inside a location that has add_header lines of its own.)"""
    base, site = site_nginx
    status, headers, _ = fetch(base + "/theme/css/site.css")
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=86400"
    for name in SECURITY:
        assert headers.get(name), f"{name} missing under /theme/"


def test_every_page_gets_the_headers_and_a_policy_no_stricter_than_its_own(site_nginx):
    base, site = site_nginx
    pages = sorted(site.rglob("*.html"))
    assert pages
    for path in pages:
        url = "/" + path.relative_to(site).as_posix()
        url = url[:-len("index.html")] if url.endswith("/index.html") else url
        status, headers, body = fetch(base + url)
        assert status == 200, url
        for name in SECURITY:
            assert headers.get(name), f"{name} missing on {url}"
        header = directives(headers["Content-Security-Policy"])
        assert header.get("frame-ancestors") == {"'none'"}, url
        meta = re.search(rb'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', body)
        assert meta, f"{url} has no policy of its own"
        own = directives(meta.group(1).decode().replace("&#39;", "'"))
        for name, sources in own.items():
            # Browsers enforce both: the header must not block what the page allows.
            allowed = header.get(name, header.get("default-src"))
            assert sources <= allowed, f"{url}: {name} {sources - allowed} blocked by the header"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_pages_stylesheets_and_scripts_go_out_compressed(site_nginx):
    base, site = site_nginx
    for path in ("/", "/theme/css/site.css"):
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            assert response.headers.get("Content-Encoding") == "gzip", path
        on_disk = (site / (path.strip("/") or "index.html")).read_bytes()
        assert len(body) < len(on_disk) / 2, path


def test_missing_pages_and_assets_get_the_headers_too(site_nginx):
    base, _site = site_nginx
    status, headers, body = fetch(base + "/no-such-page/")
    assert status == 404 and b"<html" in body  # the site's own 404 page
    assert headers.get("Content-Security-Policy")
    for asset in ("/theme/js/comments.js", "/robots.txt"):
        status, headers, _ = fetch(base + asset)
        assert status == 200 and headers.get("X-Content-Type-Options") == "nosniff", asset


def test_the_header_files_are_not_served(site_nginx):
    base, _site = site_nginx
    for name in ("/nginx-security-headers.conf", "/_headers"):
        assert fetch(base + name)[0] == 404, name


def test_headers_file_is_in_the_netlify_and_cloudflare_format(site):
    text = (site / "_headers").read_text()
    nginx = dict(re.findall(r'^add_header (\S+) "(.*)" always;$',
                            (site / "nginx-security-headers.conf").read_text(), re.M))
    rules, current = {}, None
    for number, line in enumerate(text.splitlines(), 1):
        assert len(line) <= 2000, f"line {number} is over 2,000 characters (Cloudflare's limit)"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            assert line.startswith("/") and " " not in line, f"line {number}: not a path: {line!r}"
            current = rules.setdefault(line, {})
            continue
        assert current is not None, f"line {number}: a header before any path"
        match = re.fullmatch(r"\s+([!#$%&'*+.^_`|~0-9A-Za-z-]+): (\S.*)", line)
        assert match, f"line {number}: not `  Name: value`: {line!r}"
        assert not re.search(r"[\x00-\x1f\x7f]", match.group(2)), f"line {number}: control character"
        current[match.group(1)] = match.group(2)
    assert list(rules) == ["/*"]
    assert rules["/*"] == nginx
    assert set(nginx) == set(SECURITY)


# ---- nginx in front of the comment server ---------------------------------------------


def comments_proxy(folder, isso_port, allow_loopback=True):
    """comments/nginx-comments.example.conf on a loopback port, forwarding to
    a real Isso; only the listen lines and certificates are changed."""
    text = COMMENTS_NGINX.read_text()
    port = free_port()
    text, count = re.subn(r"server \{\n    listen 80;.*?\n\}\n", "", text, flags=re.S)
    assert count == 1
    text, count = re.subn(r"    listen 443 ssl;\n    listen \[::\]:443 ssl;\n",
                          f"    listen 127.0.0.1:{port};\n", text)
    assert count == 1
    text, count = re.subn(r"    ssl_certificate.*\n", "", text)
    assert count == 2
    text = text.replace("http://127.0.0.1:8080", f"http://127.0.0.1:{isso_port}")
    if not allow_loopback:
        text, count = re.subn(r"allow 127\.0\.0\.1;", "allow 192.0.2.1;", text)
        assert count == 2
    return Nginx(folder, text).start(port), f"http://127.0.0.1:{port}"


@pytest.fixture
def isso(tmp_path):
    from isso_server import IssoServer

    with IssoServer(tmp_path / "isso" / "comments.db", "http://127.0.0.1:1") as server:
        yield server


def test_comment_proxy_keeps_admin_to_loopback_and_throttles_login(tmp_path, isso):
    from isso_server import ADMIN_PASSWORD

    proxy, base = comments_proxy(tmp_path / "nginx", isso.port)
    try:
        assert fetch(base + "/admin/")[0] == 200  # from this machine: the login page
        answers = [fetch(base + "/login/", "POST", b"password=wrong-guess")[0] for _ in range(30)]
        assert answers.count(429) >= 20, answers
        assert 429 not in answers[:6], answers  # the burst of 5 after the first
    finally:
        proxy.stop()

    proxy, base = comments_proxy(tmp_path / "nginx2", isso.port)
    try:
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(base + "/login/", data=f"password={ADMIN_PASSWORD}".encode(), timeout=10)
            raise AssertionError("the login did not redirect")
        except urllib.error.HTTPError as answer:
            cookies = [c for c in answer.headers.get_all("Set-Cookie") if c.startswith("admin-session=")]
        assert cookies and "SameSite=Strict" in cookies[0] and "HttpOnly" in cookies[0], cookies
        assert "SameSite=Lax" not in cookies[0] and "SameSite=None" not in cookies[0]
        assert fetch(base + "/config")[0] == 200  # the readers' side stays public
    finally:
        proxy.stop()


def test_comment_proxy_refuses_admin_from_addresses_not_allowed(tmp_path, isso):
    proxy, base = comments_proxy(tmp_path / "nginx", isso.port, allow_loopback=False)
    try:
        assert fetch(base + "/admin/")[0] == 403
        assert fetch(base + "/login/", "POST", b"password=x")[0] == 403
        assert fetch(base + "/config")[0] == 200
    finally:
        proxy.stop()


# ---- Caddy in front of the comment server ---------------------------------------------

CADDYFILE = ROOT / "comments" / "Caddyfile.example"


def caddy_path():
    path = shutil.which("caddy")
    if not path:
        pytest.fail("Caddy not found: run `make test`, which installs it (tools/ensure-caddy.sh)")
    return path


class Caddy:
    """Debian's Caddy with comments/Caddyfile.example, plain http on a loopback port."""

    def __init__(self, folder, isso_port, allow_loopback=True):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        text = CADDYFILE.read_text()
        text, count = re.subn(r"^comments\.example-counseling\.example \{",
                              f"http://127.0.0.1:{self.port} {{", text, flags=re.M)
        assert count == 1
        text = text.replace("reverse_proxy 127.0.0.1:8080", f"reverse_proxy 127.0.0.1:{isso_port}")
        if not allow_loopback:
            text, count = re.subn(r"not remote_ip 127\.0\.0\.1 ::1", "not remote_ip 192.0.2.1", text)
            assert count == 1
        # No admin API, no certificates, no files outside this folder.
        self.config = self.folder / "Caddyfile"
        self.config.write_text("{\n\tadmin off\n\tauto_https off\n}\n\n" + text)
        self.env = dict(os.environ, HOME=str(self.folder), XDG_DATA_HOME=str(self.folder / "data"),
                        XDG_CONFIG_HOME=str(self.folder / "config"))
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [caddy_path(), "run", "--config", str(self.config), "--adapter", "caddyfile"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=open(self.folder / "caddy.log", "wb"),
            start_new_session=True)
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                fetch(base + "/config")
                return self, base
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("Caddy did not start: " + (self.folder / "caddy.log").read_text())

    def stop(self):
        stop_group(self.process)
        self.process = None


def test_caddy_accepts_the_shipped_caddyfile():
    result = subprocess.run([caddy_path(), "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_caddy_keeps_admin_to_loopback_and_the_cookie_strict(tmp_path, isso):
    from isso_server import ADMIN_PASSWORD

    caddy, base = Caddy(tmp_path / "caddy", isso.port).start()
    try:
        assert fetch(base + "/admin/")[0] == 200
        assert fetch(base + "/config")[0] == 200

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(base + "/login/", data=f"password={ADMIN_PASSWORD}".encode(), timeout=10)
            raise AssertionError("the login did not redirect")
        except urllib.error.HTTPError as answer:
            cookies = [c for c in answer.headers.get_all("Set-Cookie") if c.startswith("admin-session=")]
        assert cookies and "SameSite=Strict" in cookies[0], cookies
    finally:
        caddy.stop()

    caddy, base = Caddy(tmp_path / "caddy2", isso.port, allow_loopback=False).start()
    try:
        for path in ("/admin/", "/admin", "/login/"):
            assert fetch(base + path, "POST" if "login" in path else "GET",
                         b"password=x" if "login" in path else None)[0] == 403, path
        assert fetch(base + "/config")[0] == 200  # the readers' side stays public
    finally:
        caddy.stop()
