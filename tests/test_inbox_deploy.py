"""The inbox behind the shipped nginx example (Debian's nginx, TLS lines
taken out, on a loopback port): the form's posts reach the inbox and are
stored sealed, bodies over 64 KB stop at nginx, nothing else is proxied,
and the proxy keeps no log of the visitor's address or answers."""

import re
import urllib.parse

from conftest import ROOT, free_port
from inboxserver import InboxServer, files_holding, make_key, open_no_redirect, read_requests, valid_answers
from practice.core.profile import load_profile
from nginxserver import Nginx

NGINX_EXAMPLE = ROOT / "inbox" / "nginx-inbox.example.conf"
FIELDS = load_profile(ROOT / "content" / "practice.yaml")["intake"]["fields"]
SITE = "http://127.0.0.1:9"


def proxy_config(inbox_port, port):
    text = NGINX_EXAMPLE.read_text()
    text, count = re.subn(r"server \{\n    listen 80;.*?\n\}\n", "", text, flags=re.S)
    assert count == 1
    text, count = re.subn(r"    listen 443 ssl;\n    listen \[::\]:443 ssl;\n", f"    listen 127.0.0.1:{port};\n", text)
    assert count == 1
    text, count = re.subn(r"    ssl_certificate.*\n", "", text)
    assert count == 2
    return text.replace("http://127.0.0.1:8001", f"http://127.0.0.1:{inbox_port}")


def test_the_inbox_behind_the_nginx_example(tmp_path):
    import urllib.request

    key_file, public = make_key(tmp_path)
    with InboxServer(tmp_path / "data", SITE, public, tmp_path / "inbox.log") as inbox:
        port = free_port()
        proxy = Nginx(tmp_path / "nginx", proxy_config(inbox.port, port)).start(port)
        try:
            base = f"http://127.0.0.1:{port}"

            def post(body):
                request = urllib.request.Request(base + "/requests", data=body, method="POST", headers={
                    "Content-Type": "application/x-www-form-urlencoded", "Origin": SITE})
                return open_no_redirect(request)

            pairs = valid_answers(FIELDS, "Dugong62")
            status, headers, _ = post(urllib.parse.urlencode(pairs).encode())
            assert status == 303 and headers["Location"] == SITE + "/thank-you/"
            assert post(b"x" * (100 * 1024))[0] == 413
            assert open_no_redirect(urllib.request.Request(base + "/"))[0] == 404
            assert open_no_redirect(urllib.request.Request(base + "/health"))[0] == 200
        finally:
            proxy.stop()
    code, requests, stderr = read_requests(key_file, tmp_path / "data")
    assert code == 0, stderr
    assert [r["fields"] for r in requests] == [[list(p) for p in pairs]]
    # Not in the inbox's data or log, nor in anything nginx wrote.
    assert files_holding(tmp_path, [b"Dugong62"]) == []
