"""`make requests`: the practice opens its requests on its own computer.

Records come from the local store (``INBOX_DATA``) or, with ``INBOX_URL``
and ``INBOX_TOKEN``, from a remote inbox, which hands out sealed records
only. They are opened with the private key(s) in ``INBOX_KEY`` (several
files separated by ``:`` after a key rotation: each record is opened with
the key it was sealed to) and printed as plain text or JSON. Nothing
decrypted is written anywhere. A record no key opens is reported, and the
others are still shown.

Records older than ``INBOX_RETENTION_DAYS`` (30) are deleted from the local
store each time (the remote inbox deletes its own).
"""

import base64
import datetime
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import nacl.exceptions
from nacl.public import SealedBox

from . import keys
from .keys import KeyProblem
from .store import Store, db_path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def key_paths():
    given = os.environ.get("INBOX_KEY")
    if given:
        return [os.path.expanduser(p) for p in given.split(os.pathsep) if p]
    paths = [p for p in (keys.default_key_path(), keys.DEV_KEY) if os.path.exists(p)]
    if not paths:
        raise KeyProblem(f"{keys.default_key_path()}: no key file there; create one with "
                         "make inbox-key (or set INBOX_KEY to the file)")
    return paths


def open_keys(paths):
    """``{key_id: PrivateKey}`` for every key file (one passphrase each)."""
    opened = {}
    for path in paths:
        record = keys.read_file(path)
        phrase = keys.DEV_PASSPHRASE if record["development"] else keys.ask_passphrase(path)
        private = keys.open_private_key(path, phrase)
        opened[keys.key_id(private.public_key)] = private
    return opened


def parse_since(text):
    """``2026-12-01``, ``2026-12-01T09:00`` (UTC unless it says) or ``7d``: a Unix time."""
    if not text:
        return 0
    days = re.fullmatch(r"\s*(\d+)\s*d\s*", text)
    if days:
        return int(datetime.datetime.now(datetime.timezone.utc).timestamp()) - int(days.group(1)) * 86400
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise KeyProblem(f"--since: {text!r} is not a date like 2026-12-01, 2026-12-01T09:00 or 7d") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


# ---- where the records are -------------------------------------------------------

class Local:
    def __init__(self, data_dir):
        if not os.path.exists(db_path(data_dir)):
            raise KeyProblem(f"{data_dir}: no inbox data there (set INBOX_DATA, or INBOX_URL for a remote inbox)")
        self.store = Store(data_dir, create=False)
        self.where = data_dir

    def records(self, since):
        days = int(os.environ.get("INBOX_RETENTION_DAYS") or 30)
        self.store.purge(days)
        return self.store.records(since)

    def delete(self, rid):
        return self.store.delete(rid) > 0


class Remote:
    def __init__(self, url, token):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
            raise KeyProblem(f"INBOX_URL: {url!r} must be an https:// address (the token must not travel in clear)")
        if not token:
            raise KeyProblem("INBOX_TOKEN: is needed to read a remote inbox (the inbox's INBOX_TOKEN)")
        base = url.rstrip("/")
        self.base = base if base.endswith("/requests") else base + "/requests"
        self.token = token
        self.where = self.base

    def call(self, method, path="", query=""):
        request = urllib.request.Request(self.base + path + (f"?{query}" if query else ""), method=method,
                                         headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                raise KeyProblem(f"INBOX_TOKEN: the inbox at {self.base} refused the token") from None
            return error.code, error.read()
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise KeyProblem(f"INBOX_URL: cannot reach {self.base} ({reason})") from None

    def records(self, since):
        status, body = self.call("GET", query=f"since={int(since)}" if since else "")
        if status != 200:
            raise KeyProblem(f"INBOX_URL: {self.base} answered {status}")
        try:
            rows = json.loads(body)["records"]
            return [{"id": r["id"], "received": int(r["received"]), "key_id": r["key_id"],
                     "sealed": base64.b64decode(r["sealed"])} for r in rows]
        except (ValueError, KeyError, TypeError):
            raise KeyProblem(f"INBOX_URL: {self.base} did not answer with inbox records") from None

    def delete(self, rid):
        status, _ = self.call("DELETE", "/" + urllib.parse.quote(rid))
        return status == 204


def source():
    url = os.environ.get("INBOX_URL")
    if url:
        return Remote(url, os.environ.get("INBOX_TOKEN", ""))
    return Local(os.environ.get("INBOX_DATA") or os.path.join("var", "inbox"))


# ---- opening ---------------------------------------------------------------------------

def open_record(record, private_keys):
    """``{"id", "received", "fields"}``, or with ``"problem"`` instead of fields."""
    result = {"id": record["id"], "received": _when(record["received"])}
    ordered = sorted(private_keys.items(), key=lambda item: item[0] != record["key_id"])
    for _, private in ordered:
        try:
            data = SealedBox(private).decrypt(record["sealed"])
            break
        except nacl.exceptions.CryptoError:
            continue
    else:
        result["problem"] = (f"cannot be opened with the key(s) given (it was sealed to key "
                             f"{record['key_id']}, or it is damaged)")
        return result
    try:
        content = json.loads(data.decode("utf-8"))
        fields = [(str(n), str(v)) for n, v in content["fields"]]
    except (ValueError, KeyError, TypeError):
        result["problem"] = "opens, but does not hold a request from the form"
        return result
    result["fields"] = fields
    return result


def _when(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def show_text(opened, out):
    if not opened:
        print("No requests.", file=out)
    for item in opened:
        print(f"Request {item['id']}, received {item['received']}", file=out)
        if "problem" in item:
            print(f"  (this request {item['problem']})", file=out)
        else:
            for name, value in item["fields"]:
                lines = value.splitlines() or [""]
                print(f"  {name}: {lines[0]}", file=out)
                for more in lines[1:]:
                    print(f"    {more}", file=out)
        print(file=out)


def cmd_requests(args):
    where = source()
    if args.delete:
        if not where.delete(args.delete.strip()):
            raise KeyProblem(f"{where.where}: no request {args.delete!r}")
        print(f"Deleted request {args.delete.strip()}.")
        return 0
    since = parse_since(args.since)
    private_keys = open_keys(key_paths())
    opened = [open_record(r, private_keys) for r in where.records(since)]
    if args.json:
        json.dump({"requests": opened}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        show_text(opened, sys.stdout)
    unopened = sum(1 for item in opened if "problem" in item)
    if unopened:
        print(f"warning: {unopened} of {len(opened)} request(s) could not be read (see above)", file=sys.stderr)
        return 1
    return 0
