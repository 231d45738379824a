"""The development comment server (Isso) and its helpers.

    python -m practice.tools.comments run [--port 8080] [--site-port 8000]
        Runs `isso -c comments/isso-dev.cfg run` on 127.0.0.1 until Ctrl-C
        (`make comments`; `make serve` starts it next to the site).
    python -m practice.tools.comments production [--config /etc/isso/isso.cfg] [--check]
        Runs Isso for the live site (see comments/isso-production.example.cfg)
        after checking its secrets: it refuses to start while the admin
        password is missing, shorter than 16 characters or the development
        one, or the [hash] salt is missing, the example's placeholder or
        shorter than 16 characters. --check checks and exits.
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
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

DEV_CONFIG = os.path.join("comments", "isso-dev.cfg")
DEV_DB = os.path.join("var", "comments", "comments.db")
DEV_ADMIN_PASSWORD = "comments-dev"
PRODUCTION_CONFIG = "/etc/isso/isso.cfg"
MIN_SECRET = 16
# Values that are public in this repository, so never secrets.
PLACEHOLDER_SALTS = ("replace-with-a-random-string", "dev-salt-not-secret-9f2c",
                     "Eech7co8Ohloopo9Ol6baimi")  # the last: Isso's own default


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


def production_problems(config):
    """Why Isso must not start with ``config`` (after Isso's own ${VAR}
    expansion from the environment): a list of (setting, message)."""
    from isso import config as isso_config

    if not os.path.isfile(config):
        return [("file", "not found")]
    conf = isso_config.load(isso_config.default_file(), config)
    problems = []
    if conf.getboolean("admin", "enabled"):
        password = conf.get("admin", "password")
        if "${" in password or not password:
            problems.append(("[admin] password", "is not set: put a long random password in "
                             "ISSO_ADMIN_PASSWORD in the service's environment"))
        elif password == DEV_ADMIN_PASSWORD:
            problems.append(("[admin] password", "is the development password, which is public"))
        elif len(password) < MIN_SECRET:
            problems.append(("[admin] password", f"is {len(password)} characters; use at least "
                             f"{MIN_SECRET} (a random one: python3 -c 'import secrets; "
                             "print(secrets.token_urlsafe(24))')"))
    salt = conf.get("hash", "salt")
    if "${" in salt or not salt or salt in PLACEHOLDER_SALTS:
        problems.append(("[hash] salt", "is not set or is a published example: set a random "
                         "string of your own before the first comment, and keep it"))
    elif len(salt) < MIN_SECRET:
        problems.append(("[hash] salt", f"is {len(salt)} characters; use at least {MIN_SECRET}"))
    return problems


def run_production(config, check_only=False):
    """Checks ``config``, then replaces this process with Isso (systemd's
    ExecStart, stopping and restarting then act on Isso itself)."""
    problems = production_problems(config)
    for setting, message in problems:
        print(f"error: {config}: {setting}: {message}", file=sys.stderr)
    if problems:
        print("error: the comment server was not started", file=sys.stderr)
        return 2
    if check_only:
        print(f"{config}: the admin password and the salt are set; Isso may start.")
        return 0
    env = dict(os.environ)
    env.pop("ISSO_SETTINGS", None)  # would take precedence over -c
    sys.stdout.flush()
    os.execve(isso_command(), [isso_command(), "-c", config, "run"], env)


def _stop_on_sigterm(signum, frame):
    """SIGTERM (a process manager, `kill`, make passing it on) ends the
    runner the way Ctrl-C does, so the finally block stops Isso."""
    raise KeyboardInterrupt


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
    live = commands.add_parser("production", help="check the secrets, then run Isso for the live site")
    live.add_argument("--config", "-c", default=PRODUCTION_CONFIG,
                      help=f"the production config (default {PRODUCTION_CONFIG})")
    live.add_argument("--check", action="store_true", help="only check the config")
    hashing = commands.add_parser("author-hash", help="print the Isso hash of an e-mail address")
    hashing.add_argument("email")
    hashing.add_argument("--config", default=DEV_CONFIG,
                         help="the Isso config whose [hash] settings to use (default: the development one)")
    args = parser.parse_args(argv)

    if args.command == "author-hash":
        print(author_hash(args.email, args.config))
        return 0
    if args.command == "production":
        return run_production(args.config, args.check)

    site = f"http://127.0.0.1:{args.site_port}\nhttp://localhost:{args.site_port}"
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    process = None
    try:
        process = start(port=args.port, site=site, db=args.db)
        print(f"Comment server at http://127.0.0.1:{args.port}/ (admin: /admin/, "
              f"database: {args.db}); Ctrl-C stops it", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if process is not None:
            stop(process)


if __name__ == "__main__":
    sys.exit(main())
