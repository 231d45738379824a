"""Spam checks that need no third party (each one can be turned off).

* a honeypot: the form has a field people never see (hidden by the style
  sheet, skipped by keyboards and screen readers); robots fill it in;
* a minimum fill time, for the script's post: the page's script says how
  many seconds passed since the page opened (a form sent sooner than
  INBOX_MIN_FILL_SECONDS was not typed by a person);
* a rate limit per client: at most INBOX_RATE_LIMIT posts an hour. The
  client's address is never stored, only a keyed hash of it (BLAKE2b keyed
  with a random key that changes daily); hashes and keys older than a day
  are deleted.

``INBOX_SPAM_CHECKS=off`` turns all three off (load tests, benchmarks).
"""

import nacl.encoding
import nacl.hash

from .errors import Refusal

# The honeypot's name in the form (a leading underscore: no profile field
# can have it), and the headers the script sends beside the sealed body.
TRAP_FIELD = "_homepage"
FORM_FIELDS = {TRAP_FIELD}
HEADERS = ("X-Intake-Trap", "X-Intake-Fill-Seconds")
HOUR = 3600


class SpamChecks:
    def __init__(self, config, store):
        self.config = config
        self.store = store

    def client_address(self, environ):
        """The sender's address: REMOTE_ADDR, or the proxy's X-Forwarded-For
        (its last entry, the one the trusted proxy wrote) behind a proxy."""
        remote = environ.get("REMOTE_ADDR", "")
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if remote in self.config.trusted_proxies and forwarded.strip():
            return forwarded.split(",")[-1].strip()
        return remote

    def client_hash(self, environ):
        return nacl.hash.blake2b(self.client_address(environ).encode("utf-8", "replace"),
                                 key=self.store.hash_key(), digest_size=16, encoder=nacl.encoding.RawEncoder)

    def check(self, environ, trap, fill_seconds=None, script=False):
        if not self.config.spam_checks:
            return
        if trap.strip():
            raise Refusal(400, "honeypot", "We could not accept this request",
                          "This request looks as if a program filled in the form.")
        if script and self.config.min_fill_seconds:
            try:
                seconds = float(fill_seconds or 0)
            except ValueError:
                seconds = 0.0
            if seconds < self.config.min_fill_seconds:
                raise Refusal(400, "too fast", "Please try again in a moment",
                              "The form was sent within seconds of opening the page.")
        if self.config.rate_limit:
            count = self.store.count_and_note(self.client_hash(environ), HOUR)
            if count >= self.config.rate_limit:
                raise Refusal(429, "rate limit", "Too many requests",
                              "Many requests came from your connection in the last hour; "
                              "please wait an hour and send it again.")

