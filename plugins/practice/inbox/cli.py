"""The inbox's commands (the Makefile's targets call these).

    python -m practice.inbox key        make inbox-key: a new key pair; the public key
                               goes into content/practice.yaml
    python -m practice.inbox run        make inbox: the service under gunicorn on
                               127.0.0.1:$INBOX_PORT
    python -m practice.inbox requests   make requests: decrypt and print the requests
                               [--json] [--since DATE] [--delete ID]

Every mistake is one line ``error: ...`` and exit status 2.
"""

import argparse
import os
import sys

import nacl.pwhash

from . import keys
from .keys import DEV_KEY, KeyProblem as Problem

PROFILE = os.path.join("content", "practice.yaml")


# ---- make inbox-key ------------------------------------------------------------

def write_public_key(profile, public_key):
    """Put ``intake.public_key`` into the profile, keeping its comments."""
    import re

    try:
        with open(profile, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        raise Problem(f"{profile}: cannot read the profile to write intake.public_key into") from None
    line = f"  public_key: {keys.b64(public_key)}"
    text, count = re.subn(r"(?m)^  public_key:.*$", line, text)
    if count == 0:
        text, count = re.subn(r"(?m)^intake:[ \t]*(#.*)?$", lambda m: m.group(0) + "\n" + line, text, count=1)
    if count != 1:
        raise Problem(f"{profile}: intake: no intake section to write the public key into")
    tmp = profile + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, profile)


def cmd_key(args):
    path = os.path.expanduser(os.environ.get("INBOX_KEY") or keys.default_key_path())
    if os.path.exists(path):
        raise Problem(f"{path}: a key file is already there and is never overwritten; "
                      "for a new key set INBOX_KEY to a new file (see docs/intake.md)")
    public = keys.create(path, keys.ask_passphrase(path, confirm=True))
    write_public_key(args.profile, public)
    print(f"Created the private key {path} (mode 0600, sealed with your passphrase).")
    print(f"Wrote its public key into {args.profile} (intake.public_key).")
    print("Keep the key file and the passphrase safe: without them no request can be read.")
    return 0


def dev_key():
    """make serve's development key pair, created once under var/; its public key."""
    if not os.path.exists(DEV_KEY):
        keys.create(DEV_KEY, keys.DEV_PASSPHRASE, opslimit=nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
                    memlimit=nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE, development=True)
    return keys.public_key_of(DEV_KEY)


def cmd_dev_key(args):
    print(keys.b64(dev_key()))
    return 0


# ---- make inbox ------------------------------------------------------------------

ACCESS_LOG = '%(t)s "%(m)s %(U)s" %(s)s %(B)s'  # no address, no query, no referrer


def gunicorn_command(port, read_timeout=10):
    return [
        sys.executable, "-m", "gunicorn",
        "--bind", f"127.0.0.1:{port}",
        # Sync workers, one request each at a time: a client that stalls
        # mid-request is cut off after --timeout seconds (its worker is
        # replaced), so slow clients cannot hold the inbox. In production a
        # buffering proxy (nginx, Caddy) sits in front as well. The timeout
        # follows INBOX_READ_TIMEOUT (15 s for the default 10), so a longer
        # read timeout is never cut short by the worker's.
        "--worker-class", "sync", "--workers", os.environ.get("INBOX_WORKERS") or "4",
        "--timeout", str(read_timeout + 5), "--graceful-timeout", "10",
        "--limit-request-line", "4094", "--limit-request-fields", "60",
        "--access-logfile", "-", "--access-logformat", ACCESS_LOG, "--error-logfile", "-",
        "--no-control-socket", "--chdir", os.getcwd(),
        "practice.inbox.service:create_app()",
    ]


def cmd_run(args):
    from .config import ConfigProblem, from_environment

    try:
        port = int(os.environ.get("INBOX_PORT") or 8001)
    except ValueError:
        raise Problem(f"INBOX_PORT: {os.environ['INBOX_PORT']!r} is not a port number") from None
    try:
        config = from_environment()
    except ConfigProblem as exc:
        raise Problem(str(exc)) from None
    print(f"Inbox at http://127.0.0.1:{port}/requests for {config.site_url} "
          f"(data: {config.data_dir}, key {config.key_id}, spam checks "
          f"{'on' if config.spam_checks else 'off'}); Ctrl-C stops it", flush=True)
    os.execv(sys.executable, gunicorn_command(port, config.read_timeout))


# ---- make requests -----------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m practice.inbox", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    key = commands.add_parser("key", help="create the practice's key pair (make inbox-key)")
    key.add_argument("--profile", default=PROFILE)
    commands.add_parser("run", help="run the inbox service (make inbox)")
    commands.add_parser("dev-key", help="print the development key's public key (made if missing)")
    read = commands.add_parser("requests", help="decrypt and print the requests (make requests)")
    read.add_argument("--json", action="store_true", help="one JSON document instead of text")
    read.add_argument("--since", help="only requests received since: 2026-12-01, 2026-12-01T09:00 or 7d")
    read.add_argument("--delete", metavar="ID", help="delete the request with this id")
    args = parser.parse_args(argv)
    from . import reader

    handlers = {"key": cmd_key, "run": cmd_run, "dev-key": cmd_dev_key, "requests": reader.cmd_requests}
    try:
        return handlers[args.command](args)
    except Problem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
