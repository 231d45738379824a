"""The intake inbox: a small WSGI service that stores requests sealed.

    POST /requests      a request from the site's form (see below)
    OPTIONS /requests   the browser's preflight for the sealed post
    GET /requests       the sealed records, for `make requests` (INBOX_TOKEN)
    DELETE /requests/ID one record, for `make requests DELETE=ID` (INBOX_TOKEN)
    GET /health         "ok": the service is up

A post comes in one of two forms:

* ``application/octet-stream``: the page's script sealed the form in the
  browser; the body is a libsodium sealed box and nothing else. The inbox
  cannot read it and stores it as it came.
* ``application/x-www-form-urlencoded``: a browser without JavaScript posted
  the form as it is. The inbox checks it with the page's own rules (the
  build's code, :mod:`inbox.rules`), seals it to the practice's public key in
  memory, and only the sealed record is ever written. A form that fails the
  rules gets the error summary and nothing of it is kept.

Before that, every post passes the envelope checks: at most 64 KB, a known
content type, and an ``Origin`` that is the site's (``INBOX_SITE_URL``).
Then the spam checks (:mod:`inbox.spam`). An answer of 2xx or 3xx means the
record is committed to disk. No log line or error message ever holds
anything a visitor typed: logs say what happened, never what was sent.
"""

import base64
import hashlib
import hmac
import json
import logging
import re
import socket
import time
from urllib.parse import parse_qs, parse_qsl

from . import keys, notify, pages, spam
from .config import MAX_BODY
from .errors import Refusal
from .rules import check_submission
from .store import Store

log = logging.getLogger("inbox")

SEALED_TYPE = "application/octet-stream"
FORM_TYPE = "application/x-www-form-urlencoded"
# A sealed box is at least its ephemeral public key and MAC long.
MIN_SEALED = 48
RECORD_ID = re.compile(r"^[0-9a-f]{12}$")
PURGE_EVERY = 3600
SECURITY_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
]
STATUS = {200: "OK", 201: "Created", 204: "No Content", 303: "See Other", 400: "Bad Request",
          401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          408: "Request Timeout", 411: "Length Required", 413: "Content Too Large",
          415: "Unsupported Media Type", 422: "Unprocessable Content", 429: "Too Many Requests",
          500: "Internal Server Error"}


def plaintext(pairs):
    """What is sealed: the form's fields in order (the browser seals the same JSON)."""
    return json.dumps({"v": 1, "fields": [[n, v] for n, v in pairs]}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


class Inbox:
    def __init__(self, config):
        self.config = config
        self.store = Store(config.data_dir)
        self.spam = spam.SpamChecks(config, self.store)
        self.last_purge = 0
        self.purge()

    def purge(self):
        self.last_purge = time.time()
        removed = self.store.purge(self.config.retention_days)
        if removed:
            log.info("deleted %d request(s) older than %d days", removed, self.config.retention_days)

    # ---- WSGI ----------------------------------------------------------------

    def __call__(self, environ, start_response):
        try:
            status, headers, body = self.route(environ)
        except Exception as exc:  # never a traceback (which might quote a value)
            log.error("internal error: %s", type(exc).__name__)
            status, headers, body = 500, [("Content-Type", "text/plain; charset=utf-8")], b"internal error\n"
        headers = list(headers) + SECURITY_HEADERS + [("Content-Length", str(len(body)))]
        start_response(f"{status} {STATUS.get(status, '')}".strip(), headers)
        return [body]

    def route(self, environ):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/requests":
            if method == "POST":
                return self.post(environ)
            if method == "OPTIONS":
                return self.preflight(environ)
            if method in ("GET", "HEAD"):
                return self.list(environ)
            return self.text(405, "use POST to send a request\n", [("Allow", "POST, GET, OPTIONS")])
        if path.startswith("/requests/"):
            if method == "DELETE":
                return self.delete(environ, path[len("/requests/"):])
            return self.text(405, "use DELETE to delete a record\n", [("Allow", "DELETE")])
        if path == "/health" and method in ("GET", "HEAD"):
            return self.text(200, "ok\n")
        return self.text(404, "not found\n")

    @staticmethod
    def text(status, words, headers=()):
        return status, [("Content-Type", "text/plain; charset=utf-8"), *headers], words.encode()

    def cors(self):
        return [("Access-Control-Allow-Origin", self.config.site_url), ("Vary", "Origin")]

    def json(self, status, data):
        return (status, [("Content-Type", "application/json"), *self.cors()],
                json.dumps(data).encode())

    # ---- posting ---------------------------------------------------------------

    def origin_ok(self, environ):
        return environ.get("HTTP_ORIGIN", "").rstrip("/").lower() == self.config.site_url

    def preflight(self, environ):
        if not self.origin_ok(environ):
            return self.text(403, "this inbox takes requests from its own site only\n")
        return 204, [*self.cors(), ("Access-Control-Allow-Methods", "POST"),
                     ("Access-Control-Allow-Headers", "Content-Type, " + ", ".join(spam.HEADERS)),
                     ("Access-Control-Max-Age", "600")], b""

    def post(self, environ):
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        script = kind == SEALED_TYPE
        try:
            if not self.origin_ok(environ):
                raise Refusal(403, "origin", "This form belongs to another site",
                              "This inbox takes requests only from its own site’s form.")
            if kind not in (SEALED_TYPE, FORM_TYPE):
                raise Refusal(415, "content type", "The request could not be read",
                              "The form was sent in a way this inbox does not accept.")
            body = self.read_body(environ)
            if script:
                return self.post_sealed(environ, body)
            return self.post_form(environ, body)
        except Refusal as refusal:
            log.info("refused a request (%d, %s)", refusal.status, refusal.reason)
            headers = [("Retry-After", "3600")] if refusal.status == 429 else []
            if script or "application/json" in environ.get("HTTP_ACCEPT", ""):
                status, hdrs, data = self.json(refusal.status, {"ok": False, "error": refusal.reason,
                                                                "message": refusal.words})
                return status, hdrs + headers, data
            return (refusal.status, [("Content-Type", "text/html; charset=utf-8"), *headers],
                    pages.refused(self.config, refusal.heading, refusal.words))

    def read_body(self, environ):
        """The body, at most 64 KB, read within INBOX_READ_TIMEOUT seconds."""
        length = environ.get("CONTENT_LENGTH", "")
        if not length:
            raise Refusal(411, "no length", "The request could not be read",
                          "The request did not say how long it was.")
        try:
            length = int(length)
        except ValueError:
            raise Refusal(400, "bad length", "The request could not be read",
                          "The request’s length was not a number.") from None
        if length > MAX_BODY:
            raise Refusal(413, "too large", "The request is too large",
                          "The request is larger than the form can send.")
        sock = environ.get("gunicorn.socket")
        prior = sock.gettimeout() if sock is not None else None
        try:
            if sock is not None:
                sock.settimeout(self.config.read_timeout)
            body = environ["wsgi.input"].read(length)
        except (socket.timeout, TimeoutError):
            raise Refusal(408, "timeout", "The request took too long",
                          "The request did not arrive in time.") from None
        except OSError:
            raise Refusal(400, "broken", "The request could not be read",
                          "The request arrived incomplete.") from None
        finally:
            if sock is not None:
                try:
                    sock.settimeout(prior)
                except OSError:
                    pass
        if len(body) != length:
            raise Refusal(400, "short body", "The request could not be read",
                          "The request arrived incomplete.")
        return body

    def post_sealed(self, environ, body):
        if len(body) < MIN_SEALED:
            raise Refusal(400, "not sealed", "The request could not be read",
                          "The request was not sealed as the form seals it.")
        self.spam.check(environ, trap=environ.get("HTTP_X_INTAKE_TRAP", ""),
                        fill_seconds=environ.get("HTTP_X_INTAKE_FILL_SECONDS"), script=True)
        self.keep(body)
        return self.json(201, {"ok": True})

    def post_form(self, environ, body):
        try:
            text = body.decode("utf-8")
            pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text),
                              max_num_fields=500, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise Refusal(400, "garbled form", "The request could not be read",
                          "The form’s answers arrived garbled.") from None
        trap = "".join(v for n, v in pairs if n == spam.TRAP_FIELD)
        pairs = [(n, v) for n, v in pairs if n not in spam.FORM_FIELDS]
        self.spam.check(environ, trap=trap)
        errors = check_submission(self.config.fields, pairs)
        if errors:
            log.info("a request failed the form's rules (%d problem(s)); nothing stored", len(errors))
            return 422, [("Content-Type", "text/html; charset=utf-8")], pages.problems(self.config, errors)
        sealed = keys.seal(self.config.public_key, plaintext(pairs))
        del pairs, text, body
        self.keep(sealed)
        return 303, [("Location", self.config.thank_you_url), ("Content-Type", "text/plain; charset=utf-8")], \
            b"Thank you: your request was received.\n"

    def keep(self, sealed):
        now = time.time()
        rid = self.store.add(sealed, self.config.key_id, now)
        log.info("stored request %s", rid)
        notify.notify_in_background(self.config.smtp, now)
        if now - self.last_purge > PURGE_EVERY:
            self.purge()
        return rid

    # ---- reading remotely (make requests INBOX_URL=...) ----------------------------

    def authorized(self, environ):
        token = self.config.token
        given = environ.get("HTTP_AUTHORIZATION", "")
        if not token or not given.startswith("Bearer "):
            return False
        # Digests first: the comparison takes the same time whatever the
        # lengths, and compare_digest is constant-time over the bytes.
        return hmac.compare_digest(hashlib.sha256(given[7:].strip().encode()).digest(),
                                   hashlib.sha256(token.encode()).digest())

    def refuse_reader(self):
        if not self.config.token:
            return self.text(404, "reading remotely is off (set INBOX_TOKEN on the inbox)\n")
        return self.text(401, "a valid INBOX_TOKEN is needed\n", [("WWW-Authenticate", "Bearer")])

    def list(self, environ):
        if not self.authorized(environ):
            return self.refuse_reader()
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            return self.text(400, "since must be a Unix time in seconds\n")
        records = [{"id": r["id"], "received": r["received"], "key_id": r["key_id"],
                    "sealed": base64.b64encode(r["sealed"]).decode()} for r in self.store.records(since)]
        return 200, [("Content-Type", "application/json")], json.dumps({"records": records}).encode()

    def delete(self, environ, rid):
        if not self.authorized(environ):
            return self.refuse_reader()
        if not RECORD_ID.match(rid):
            return self.text(400, "not a record id\n")
        if not self.store.delete(rid):
            return self.text(404, "no such record\n")
        log.info("deleted request %s", rid)
        return 204, [], b""


def create_app():
    """The WSGI application for gunicorn (``practice.inbox.service:create_app()``)."""
    from .config import from_environment

    logging.basicConfig(level=logging.INFO, format="%(asctime)s inbox: %(message)s")
    return Inbox(from_environment())
