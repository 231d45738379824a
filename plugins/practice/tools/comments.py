"""The development comment server (Isso) and its helpers.

    python -m practice.tools.comments run [--port 8080] [--site-port 8000]
        Runs `isso -c comments/isso-dev.cfg run` on 127.0.0.1 until Ctrl-C
        (`make comments`; `make serve` starts it next to the site).
    python -m practice.tools.comments author-hash EMAIL [--config FILE]
        Prints the hash Isso gives comments written with EMAIL; put it in
        COMMENTS_AUTHOR_HASHES to mark those comments "Article author".

The development config reads its varying values from the environment
(ISSO_PORT, ISSO_SITE, ISSO_DB, ISSO_ADMIN_PASSWORD); this tool fills them in.
The admin password comes from ISSO_ADMIN_PASSWORD when it is set, otherwise
it is the development default below.
"""

import argparse
import html
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

DEV_CONFIG = os.path.join("comments", "isso-dev.cfg")
DEV_DB = os.path.join("var", "comments", "comments.db")
DEV_ADMIN_PASSWORD = "comments-dev"


def isso_command():
    """The `isso` program installed next to this Python (the project's .venv)."""
    here = os.path.join(os.path.dirname(sys.executable), "isso")
    return here if os.path.exists(here) else "isso"


def environment(port, site, db, password=None):
    env = dict(os.environ)
    env["ISSO_PORT"] = str(port)
    env["ISSO_SITE"] = site
    env["ISSO_DB"] = os.path.abspath(db)
    env["ISSO_ADMIN_PASSWORD"] = password or os.environ.get("ISSO_ADMIN_PASSWORD") or DEV_ADMIN_PASSWORD
    env.pop("ISSO_SETTINGS", None)  # would take precedence over -c
    return env


def start(port=8080, site="http://127.0.0.1:8000", db=DEV_DB, config=DEV_CONFIG,
          password=None, cwd=None, **popen):
    """Starts Isso with the development config; returns the Popen.

    ``config`` and ``db`` are relative to ``cwd``, the project's folder
    (by default the current one, where `make` runs).
    """
    cwd = cwd or os.getcwd()
    os.makedirs(os.path.dirname(os.path.abspath(os.path.join(cwd, db))), exist_ok=True)
    return subprocess.Popen(
        [isso_command(), "-c", config, "run"],
        cwd=cwd, env=environment(port, site, os.path.join(cwd, db), password), **popen,
    )


def wait_until_ready(url, process, timeout=30):
    """Waits until Isso answers at ``url``; False if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/config", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def stop(process, timeout=10):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def author_hash(email, config=DEV_CONFIG):
    """The hash Isso shows for comments written with ``email`` under ``config``."""
    from isso import config as isso_config
    from isso.utils import hash as isso_hash

    conf = isso_config.load(isso_config.default_file(), config)
    # Isso stores the address HTML-escaped (quote=False) and hashes that.
    return isso_hash.new(conf.section("hash")).uhash(html.escape(email, quote=False))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the development comment server")
    run.add_argument("--port", type=int, default=int(os.environ.get("COMMENTS_PORT", 8080)))
    run.add_argument("--site-port", type=int, default=int(os.environ.get("PORT", 8000)),
                     help="the port of `make serve`, allowed to post (default 8000)")
    run.add_argument("--db", default=DEV_DB)
    hashing = commands.add_parser("author-hash", help="print the Isso hash of an e-mail address")
    hashing.add_argument("email")
    hashing.add_argument("--config", default=DEV_CONFIG,
                         help="the Isso config whose [hash] settings to use (default: the development one)")
    args = parser.parse_args(argv)

    if args.command == "author-hash":
        print(author_hash(args.email, args.config))
        return 0

    site = f"http://127.0.0.1:{args.site_port}\nhttp://localhost:{args.site_port}"
    process = start(port=args.port, site=site, db=args.db)
    print(f"Comment server at http://127.0.0.1:{args.port}/ (admin: /admin/, "
          f"database: {args.db}); Ctrl-C stops it", flush=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(process)


if __name__ == "__main__":
    sys.exit(main())
