"""The inbox survives being killed: 200 submissions from 20 concurrent
clients, the whole service killed with SIGKILL halfway and started again.
Every submission that was answered 2xx/3xx is readable afterwards, once."""

import http.client
import threading
import time
import urllib.error
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from conftest import ROOT
from inboxserver import InboxServer, make_key, read_requests, valid_answers
from practice.core.profile import load_profile

SITE = "http://127.0.0.1:9"
TOTAL, CLIENTS = 200, 20
FIELDS = load_profile(ROOT / "content" / "practice.yaml")["intake"]["fields"]
TEXT = next(f["name"] for f in FIELDS if f["type"] in ("text", "textarea"))


def post_once(inbox, body):
    """One POST; a refused connection (nothing was sent) is tried again
    until the service is back. None: no answer (killed mid-request)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            return inbox.post(body)[0]
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError) and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            return None
        except (OSError, http.client.HTTPException):  # cut off mid-answer: not answered
            return None


def test_answered_submissions_survive_a_sigkill_and_none_is_stored_twice(tmp_path):
    key_file, public = make_key(tmp_path)
    inbox = InboxServer(tmp_path / "data", SITE, public, tmp_path / "inbox.log", INBOX_SPAM_CHECKS="off")
    answered, lock = [], threading.Lock()
    halfway = threading.Event()
    done = [0]

    def submit(i):
        marker = f"Crash{i:03d}x"
        body = urllib.parse.urlencode(valid_answers(FIELDS, marker)).encode()
        status = post_once(inbox, body)
        with lock:
            if status == 303:
                answered.append(marker)
            done[0] += 1
            if done[0] == TOTAL // 2:
                halfway.set()
        return status

    def killer():
        halfway.wait(timeout=300)
        inbox.kill()
        inbox.start()

    inbox.start()
    try:
        restart = threading.Thread(target=killer)
        restart.start()
        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = list(pool.map(submit, range(TOTAL)))
        restart.join()
    finally:
        inbox.stop()
    # The kill happened with requests in flight, and the inbox took more after it.
    assert len(answered) >= TOTAL // 2
    assert statuses.count(303) == len(answered)
    code, requests, stderr = read_requests(key_file, tmp_path / "data")
    assert code == 0, stderr
    markers = []
    for r in requests:
        values = dict(r["fields"])
        markers.append(values[TEXT].split()[0])
    assert len(markers) == len(set(markers)), "a submission was stored twice"
    assert set(answered) <= set(markers), "an answered submission was lost"
