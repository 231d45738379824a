"""The intake inbox, for real: gunicorn on loopback, requests sealed to a key
made by `make inbox-key`, read back with `make requests`."""

import json
import os
import socket
import stat
import time
import urllib.parse
import urllib.request

import pytest
import yaml

from conftest import ROOT, copy_project, run_build
from practice.inbox import keys
from practice.inbox.store import Store
from inboxserver import (PASSPHRASE, InboxServer, files_holding, inbox_command, make_key,
                         open_no_redirect, read_requests, valid_answers)
from practice.core.profile import load_profile
from test_build_errors import assert_one_clean_error

SITE = "http://127.0.0.1:9"  # the site's origin as the inbox knows it (nothing listens)
TOKEN = "t" * 40
FIELDS = load_profile(ROOT / "content" / "practice.yaml")["intake"]["fields"]
REQUIRED = next(f for f in FIELDS if f["required"])


def form(pairs):
    return urllib.parse.urlencode(pairs).encode()


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    return make_key(tmp_path_factory.mktemp("key"))


@pytest.fixture(scope="module")
def inbox(tmp_path_factory, key):
    folder = tmp_path_factory.mktemp("inbox")
    server = InboxServer(folder / "data", SITE, key[1], folder / "inbox.log", INBOX_TOKEN=TOKEN,
                         INBOX_RATE_LIMIT=1000)
    with server:
        yield server


def read(inbox, key, *args, **env):
    return read_requests(key[0], inbox.data, PASSPHRASE, *args, **env)


def by_marker(requests, marker):
    return [r for r in requests if any(marker in v for _, v in r.get("fields", []))]


def still_answering(inbox):
    with urllib.request.urlopen(inbox.url + "/health", timeout=10) as response:
        return response.status == 200


# ---- keys --------------------------------------------------------------------------

def test_inbox_key_makes_a_private_key_file_and_puts_the_public_key_in_the_profile(tmp_path):
    project = copy_project(tmp_path / "project")
    key_file = tmp_path / "config" / "inbox-key.json"
    result = inbox_command("key", cwd=project, INBOX_KEY=key_file, INBOX_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    public = keys.b64(keys.public_key_of(key_file))
    profile = load_profile(project / "content" / "practice.yaml")
    assert profile["intake"]["public_key"] == public
    assert public.encode() in key_file.read_bytes()
    # The private key is not in the file in the clear: the passphrase opens it.
    private = keys.open_private_key(key_file, PASSPHRASE)
    assert bytes(private).hex() not in key_file.read_text() and keys.b64(private) not in key_file.read_text()
    # Never overwritten: a second run refuses, in one line, and changes nothing.
    before = key_file.read_bytes()
    again = inbox_command("key", cwd=project, INBOX_KEY=key_file, INBOX_PASSPHRASE="another passphrase")
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "never overwritten" in again.stderr
    assert key_file.read_bytes() == before
    assert load_profile(project / "content" / "practice.yaml")["intake"]["public_key"] == public


def test_a_wrong_passphrase_or_a_missing_key_is_one_line(tmp_path, key):
    store = Store(tmp_path / "data")
    store.add(keys.seal(keys.public_key_of(key[0]), b'{"v":1,"fields":[]}'), "x")
    wrong = inbox_command("requests", INBOX_KEY=key[0], INBOX_PASSPHRASE="not the passphrase",
                          INBOX_DATA=tmp_path / "data")
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr == f"error: {key[0]}: the passphrase does not open this key\n"
    missing = inbox_command("requests", INBOX_KEY=tmp_path / "nothing.json", INBOX_PASSPHRASE=PASSPHRASE,
                            INBOX_DATA=tmp_path / "data")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert missing.stderr.startswith(f"error: {tmp_path / 'nothing.json'}: no key file there")
    assert "Traceback" not in wrong.stderr + missing.stderr


@pytest.mark.parametrize("value, words", [
    ("not base64 at all!", "is not base64"),
    ("c2hvcnQ=", "is 5 bytes long, not 32"),
])
def test_a_malformed_public_key_stops_the_build(tmp_path, value, words):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "practice.yaml"
    path.write_text(path.read_text().replace("\nintake:\n", f"\nintake:\n  public_key: {value}\n", 1))
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, "content/practice.yaml", "intake.public_key")
    assert words in result.stderr


def test_a_publish_build_with_an_endpoint_needs_a_public_key(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "practice.yaml"
    data = yaml.safe_load(path.read_text())  # whatever the practice's intake section holds
    data["intake"]["endpoint"] = "https://inbox.example.net/requests"
    data["intake"].pop("public_key", None)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = run_build("publishconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, "content/practice.yaml", "intake.public_key")
    assert not (project / "output").exists()


# ---- posting and reading -------------------------------------------------------------

def test_a_form_posted_without_javascript_is_sealed_and_read_back_exactly(inbox, key):
    pairs = valid_answers(FIELDS, "Quokka41")
    status, headers, _ = inbox.post(form(pairs))
    assert status == 303 and headers["Location"] == SITE + "/thank-you/"
    code, requests, _ = read(inbox, key)
    assert code == 0
    assert [r["fields"] for r in by_marker(requests, "Quokka41")] == [[list(p) for p in pairs]]
    # The plain-text listing shows every value too.
    text = inbox_command("requests", INBOX_KEY=key[0], INBOX_PASSPHRASE=PASSPHRASE, INBOX_DATA=inbox.data).stdout
    for name, value in pairs:
        assert f"  {name}: {value}\n" in text


def test_a_request_sealed_in_the_browser_is_stored_as_it_came(inbox, key):
    pairs = valid_answers(FIELDS, "Narwhal52")
    sealed = keys.seal(keys.parse_public_key(key[1]),
                       json.dumps({"v": 1, "fields": pairs}).encode())
    status, headers, body = inbox.post(sealed, "application/octet-stream",
                                       headers={"X-Intake-Fill-Seconds": "40"})
    assert status == 201 and json.loads(body) == {"ok": True}
    assert headers["Access-Control-Allow-Origin"] == SITE
    rows = Store(inbox.data).records()
    assert sealed in [r["sealed"] for r in rows]
    _, requests, _ = read(inbox, key)
    assert [r["fields"] for r in by_marker(requests, "Narwhal52")] == [[list(p) for p in pairs]]


def test_the_preflight_allows_the_site_only(inbox):
    def preflight(origin):
        request = urllib.request.Request(inbox.url + "/requests", method="OPTIONS", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST"})
        return open_no_redirect(request)

    status, headers, _ = preflight(SITE)
    assert status == 204 and headers["Access-Control-Allow-Origin"] == SITE
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]
    assert preflight("https://elsewhere.example")[0] == 403


def test_a_form_that_fails_the_rules_gets_the_error_summary_and_nothing_is_stored(inbox, key):
    before = len(Store(inbox.data).records())
    pairs = [(n, v) for n, v in valid_answers(FIELDS, "Okapi63") if n != REQUIRED["name"]]
    status, headers, body = inbox.post(form(pairs))
    assert status == 422 and headers["Content-Type"].startswith("text/html")
    assert "There is a problem" in body and REQUIRED["messages"]["missing"] in body
    assert "Okapi63" not in body  # nothing typed is shown back
    assert f'href="{SITE}/crisis/"' in body
    assert len(Store(inbox.data).records()) == before


@pytest.mark.parametrize("body, content_type, origin, status", [
    (b"x" * (2 * 1024 * 1024), "application/x-www-form-urlencoded", "site", 413),
    (b"\xff\xfe garbage \x00", "application/x-www-form-urlencoded", "site", 400),
    (b"&&==&&", "application/x-www-form-urlencoded", "site", 400),
    (b"garbage", "application/octet-stream", "site", 400),
    (b'{"name": "x"}', "application/json", "site", 415),
    (b"name=x", "application/x-www-form-urlencoded", "https://elsewhere.example", 403),
    (b"name=x", "application/x-www-form-urlencoded", None, 403),
])
def test_bad_posts_are_refused_and_the_inbox_keeps_answering(inbox, body, content_type, origin, status):
    before = len(Store(inbox.data).records())
    assert inbox.post(body, content_type, origin)[0] == status
    assert len(Store(inbox.data).records()) == before
    assert still_answering(inbox)


def raw_exchange(inbox, data, wait=30):
    with socket.create_connection(("127.0.0.1", inbox.port), timeout=wait) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("length", [b"abc", b"-5", b"10, 20", b"99999999999999999999999"])
def test_a_bad_content_length_gets_400_not_a_dropped_connection(inbox, length):
    answer = raw_exchange(inbox, b"POST /requests HTTP/1.1\r\nHost: x\r\nOrigin: " + SITE.encode()
                          + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                          + length + b"\r\n\r\nname=x")
    assert answer.split(b"\r\n")[0] in (b"HTTP/1.1 400 Bad Request", b"HTTP/1.1 413 Content Too Large")
    assert still_answering(inbox)


def test_a_client_that_stalls_is_cut_off_while_others_are_answered(key, tmp_path):
    # An inbox of its own with a short read timeout (the worker's timeout
    # for headers follows it): seconds of waiting instead of fifteen.
    server = InboxServer(tmp_path / "data", SITE, key[1], tmp_path / "inbox.log", INBOX_READ_TIMEOUT=1)
    with server as inbox:
        stall_and_check(inbox)


def test_a_longer_read_timeout_is_not_cut_short_by_the_worker_timeout():
    """gunicorn kills a worker silent for --timeout seconds: that must come
    after INBOX_READ_TIMEOUT, so a slow body gets its 408, whatever is set."""
    from practice.inbox.cli import gunicorn_command

    for read_timeout in (1, 10, 30, 120):
        args = gunicorn_command(8001, read_timeout)
        assert int(args[args.index("--timeout") + 1]) > read_timeout


def stall_and_check(inbox):
    stalled = []
    try:
        for head in (b"POST /requests HTTP/1.1\r\nHost: x\r\n",  # headers never finished
                     b"POST /requests HTTP/1.1\r\nHost: x\r\nOrigin: " + SITE.encode() +
                     b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nname="):
            s = socket.create_connection(("127.0.0.1", inbox.port), timeout=120)
            s.sendall(head)
            stalled.append(s)
        assert still_answering(inbox)
        for s in stalled:  # the inbox closes each stalled connection itself
            while s.recv(65536):
                pass
    finally:
        for s in stalled:
            s.close()
    assert still_answering(inbox)


def test_a_record_the_key_cannot_open_is_reported_and_the_rest_still_shown(inbox, key, tmp_path):
    other = keys.parse_public_key(make_key(tmp_path)[1])
    stranger = inbox.post(keys.seal(other, b'{"v":1,"fields":[["name","x"]]}'), "application/octet-stream",
                          headers={"X-Intake-Fill-Seconds": "30"})
    assert stranger[0] == 201
    inbox.post(form(valid_answers(FIELDS, "Tapir74")))
    code, requests, stderr = read(inbox, key)
    assert code == 1 and "could not be read" in stderr and "Traceback" not in stderr
    unreadable = [r for r in requests if "problem" in r]
    assert len(unreadable) == 1 and "cannot be opened" in unreadable[0]["problem"]
    assert len(by_marker(requests, "Tapir74")) == 1
    Store(inbox.data).delete(unreadable[0]["id"])


def test_make_requests_since_and_delete(inbox, key):
    inbox.post(form(valid_answers(FIELDS, "Wombat85")))
    _, requests, _ = read(inbox, key)
    (mine,) = by_marker(requests, "Wombat85")
    assert by_marker(read(inbox, key, "--since", "1d")[1], "Wombat85")
    assert read(inbox, key, "--since", "2999-01-01")[1] == []
    deleted = inbox_command("requests", "--delete", mine["id"], INBOX_DATA=inbox.data)
    assert deleted.returncode == 0, deleted.stderr
    assert not by_marker(read(inbox, key)[1], "Wombat85")
    again = inbox_command("requests", "--delete", mine["id"], INBOX_DATA=inbox.data)
    assert again.returncode == 2 and "no request" in again.stderr


def test_records_older_than_the_retention_period_are_purged(inbox, key):
    store = Store(inbox.data)
    old = keys.seal(keys.parse_public_key(key[1]), json.dumps({"v": 1, "fields": [["name", "Ibex96"]]}).encode())
    rid = store.add(old, "x", now=time.time() - 31 * 86400)
    assert rid in [r["id"] for r in store.records()]
    _, requests, _ = read(inbox, key)
    assert not by_marker(requests, "Ibex96")
    assert rid not in [r["id"] for r in store.records()]


def test_reading_a_remote_inbox_needs_its_token(inbox, key):
    inbox.post(form(valid_answers(FIELDS, "Gecko17")))
    request = urllib.request.Request(inbox.url + "/requests")
    assert open_no_redirect(request)[0] == 401
    request.add_header("Authorization", "Bearer " + "x" * 40)
    assert open_no_redirect(request)[0] == 401
    request = urllib.request.Request(inbox.url + "/requests", headers={"Authorization": f"Bearer {TOKEN}"})
    status, _, body = open_no_redirect(request)
    assert status == 200 and "Gecko17" not in body  # sealed records only
    code, requests, _ = read_requests(key[0], None, PASSPHRASE, INBOX_URL=inbox.url, INBOX_TOKEN=TOKEN)
    (mine,) = by_marker(requests, "Gecko17")
    wrong = inbox_command("requests", INBOX_KEY=key[0], INBOX_PASSPHRASE=PASSPHRASE, INBOX_URL=inbox.url,
                          INBOX_TOKEN="y" * 40)
    assert wrong.returncode == 2 and "refused the token" in wrong.stderr
    gone = inbox_command("requests", "--delete", mine["id"], INBOX_URL=inbox.url, INBOX_TOKEN=TOKEN)
    assert gone.returncode == 0, gone.stderr
    assert not by_marker(read(inbox, key)[1], "Gecko17")


# ---- spam ---------------------------------------------------------------------------------

def test_the_honeypot_and_the_fill_time_refuse_without_storing(inbox, key):
    before = len(Store(inbox.data).records())
    trapped = valid_answers(FIELDS, "Marmot28") + [("_homepage", "http://spam.example")]
    status, _, body = inbox.post(form(trapped))
    assert status == 400 and "Nothing was stored" in body
    sealed = keys.seal(keys.parse_public_key(key[1]), b'{"v":1,"fields":[]}')
    assert inbox.post(sealed, "application/octet-stream", headers={"X-Intake-Fill-Seconds": "1"})[0] == 400
    assert inbox.post(sealed, "application/octet-stream")[0] == 400
    assert inbox.post(sealed, "application/octet-stream", headers={"X-Intake-Trap": "1",
                                                                    "X-Intake-Fill-Seconds": "60"})[0] == 400
    assert len(Store(inbox.data).records()) == before
    # An empty honeypot (a person) is fine.
    assert inbox.post(form(valid_answers(FIELDS, "Marmot28") + [("_homepage", "")]))[0] == 303


def test_the_rate_limit_keeps_only_keyed_hashes_of_addresses(tmp_path, key):
    with InboxServer(tmp_path / "data", SITE, key[1], tmp_path / "log", INBOX_RATE_LIMIT=3) as inbox:
        answers = [inbox.post(form(valid_answers(FIELDS, f"Lemur{i}")))[0] for i in range(5)]
        assert answers == [303, 303, 303, 429, 429]
        # Another client (behind the trusted proxy) is not limited.
        assert inbox.post(form(valid_answers(FIELDS, "Lemur9")), headers={"X-Forwarded-For": "192.0.2.7"})[0] == 303
        assert len(Store(inbox.data).records()) == 4
    assert files_holding(tmp_path / "data", [b"127.0.0.1", b"192.0.2.7"]) == []
    assert b"192.0.2.7" not in (tmp_path / "log").read_bytes()


def test_spam_checks_off(tmp_path, key):
    with InboxServer(tmp_path / "data", SITE, key[1], tmp_path / "log", INBOX_SPAM_CHECKS="off",
                     INBOX_RATE_LIMIT=1) as inbox:
        sealed = keys.seal(keys.parse_public_key(key[1]), b'{"v":1,"fields":[]}')
        assert [inbox.post(sealed, "application/octet-stream")[0] for _ in range(3)] == [201] * 3
        trapped = valid_answers(FIELDS, "Civet3") + [("_homepage", "x")]
        assert inbox.post(form(trapped))[0] == 303


# ---- the new-request e-mail ------------------------------------------------------------------

def test_the_practice_is_told_a_request_arrived_and_nothing_more(tmp_path, key):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    from conftest import free_port

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    smtp = Controller(Keep(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with InboxServer(tmp_path / "data", SITE, key[1], tmp_path / "log", INBOX_SMTP_HOST="127.0.0.1",
                         INBOX_SMTP_PORT=smtp.port, INBOX_SMTP_STARTTLS="off",
                         INBOX_NOTIFY_TO="therapist@example.org") as inbox:
            assert inbox.post(form(valid_answers(FIELDS, "Pangolin39")))[0] == 303
            deadline = time.monotonic() + 30
            while not received and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        smtp.stop()
    assert len(received) == 1
    mail = received[0]
    assert mail["To"] == "therapist@example.org" and mail["Subject"] == "A new request arrived"
    assert "make requests" in mail.get_payload()
    assert "Pangolin39" not in mail.as_string()


# ---- nothing readable anywhere ------------------------------------------------------------------

def test_no_file_of_the_inbox_and_no_line_of_its_log_holds_a_typed_value(inbox, key):
    pairs = valid_answers(FIELDS, "Axolotl58")
    inbox.post(form(pairs))
    inbox.post(form([(n, v) for n, v in pairs if n != REQUIRED["name"]]))  # refused by the rules
    assert by_marker(read(inbox, key)[1], "Axolotl58")
    needles = [b"Axolotl58", "Axolotl58".encode("utf-16-le")]
    assert files_holding(inbox.data, needles) == []
    assert files_holding(inbox.log.parent, needles) == []
    assert inbox.log.stat().st_size > 0  # there is a log, and it was searched


def test_the_inbox_uses_the_builds_rules_without_loading_pelican():
    import subprocess
    import sys

    from practice.core import intake

    from practice.inbox import rules

    assert rules.check_submission is intake.check_submission  # the same code, not a copy
    probe = ("import sys; import practice.inbox.service, practice.inbox.reader, practice.inbox.cli; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'pelican', 'markdown', 'jinja2'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
