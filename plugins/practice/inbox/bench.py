"""`make bench-inbox`: sealed submissions per second and latency at 20 clients.

Starts the real inbox (`python -m practice.inbox run`, gunicorn) on a free
loopback port with a throw-away key and data folder and the spam checks off,
then sends TOTAL submissions from CLIENTS concurrent clients, twice: sealed
by the client as the page's script seals them, and as plain form posts that
the inbox checks and seals on arrival. Every request ends with the record
committed to disk (synchronous SQLite commits), so this measures what a
visitor waits for. Prints one line per kind; the figures are in docs/intake.md.
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import nacl.pwhash

from . import keys

SITE = "http://127.0.0.1:9"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(fields, i):
    pairs = []
    for f in fields:
        kind = f["type"]
        if kind in ("text", "textarea"):
            value = f"Bench {i} {f['name']}"[: f["maxlength"]]
        elif kind == "email":
            value = f"bench{i}@example.org"
        elif kind == "tel":
            value = "+1 555 010 0199"
        elif kind in ("select", "radios", "checkboxes"):
            value = f["options"][0]["value"]
        else:
            value = "yes"
        pairs.append((f["name"], value))
    return pairs


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 303 to the thank-you page is the answer


OPENER = urllib.request.build_opener(_Stay)


def post(url, body, content_type):
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type, "Origin": SITE})
    start = time.perf_counter()
    try:
        with OPENER.open(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start


def run(url, bodies, content_type, clients):
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda b: post(url, b, content_type), bodies))
    elapsed = time.perf_counter() - start
    ok = [t for status, t in results if status in (201, 303)]
    if len(ok) != len(bodies):
        sys.exit(f"error: {len(bodies) - len(ok)} of {len(bodies)} submissions were not accepted")
    ok.sort()
    return {"submissions": len(ok), "per_second": len(ok) / elapsed,
            "p50_ms": statistics.median(ok) * 1000, "p99_ms": ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--profile", default=os.path.join("content", "practice.yaml"))
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--log", help="keep the inbox's log in this file")
    args = parser.parse_args(argv)
    from .rules import load_form

    fields = load_form(args.profile)["fields"]
    with tempfile.TemporaryDirectory(prefix="inbox-bench-") as work:
        key_file = os.path.join(work, "key.json")
        public = keys.create(key_file, "benchmark passphrase",
                             opslimit=nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
                             memlimit=nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE)
        port = free_port()
        env = dict(os.environ, INBOX_PORT=str(port), INBOX_DATA=os.path.join(work, "data"),
                   INBOX_SITE_URL=SITE, INBOX_PUBLIC_KEY=keys.b64(public), INBOX_PROFILE=args.profile,
                   INBOX_SPAM_CHECKS="off")
        with open(args.log or os.devnull, "wb") as log:
            server = subprocess.Popen([sys.executable, "-m", "practice.inbox", "run"], env=env,
                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/health", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        sys.exit("error: the inbox did not start")
                    time.sleep(0.2)
            sealed = [keys.seal(public, json.dumps({"v": 1, "fields": answers(fields, i)}).encode())
                      for i in range(args.total)]
            plain = [urllib.parse.urlencode(answers(fields, i)).encode() for i in range(args.total)]
            results = {
                "sealed in the browser": run(base + "/requests", sealed, "application/octet-stream", args.clients),
                "sealed on arrival (no JavaScript)": run(base + "/requests", plain,
                                                         "application/x-www-form-urlencoded", args.clients),
            }
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    print(f"{args.total} submissions from {args.clients} concurrent clients, {os.cpu_count()} cores:")
    for name, r in results.items():
        print(f"  {name:34} {r['per_second']:7.0f}/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"total": args.total, "clients": args.clients, "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
