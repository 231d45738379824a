"""`make serve`: build the site, then serve it with autoreload.

The first build goes through tools/build.py so that a content mistake shows
as one clear line before anything is served. After that Pelican watches
content/, theme/ and the settings, rebuilds on every change and serves
output/ at http://127.0.0.1:PORT. Next to it runs the development comment
server (Isso, tools/comments.py) on 127.0.0.1:8080 (COMMENTS_PORT=... for
another port; --no-comments to leave it out), and the development intake
inbox on 127.0.0.1:8001 (INBOX_PORT=...; --no-inbox to leave it out), with
a development key made once in var/, so the request form works end to end:
`make requests` shows what was sent. Ctrl-C stops everything started here.
"""

import argparse
import os
import contextlib
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build  # noqa: E402
import comments  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--comments-port", type=int, default=int(os.environ.get("COMMENTS_PORT", 8080)))
    parser.add_argument("--no-comments", action="store_true", help="do not start the comment server")
    parser.add_argument("--inbox-port", type=int, default=int(os.environ.get("INBOX_PORT") or 8001))
    parser.add_argument("--no-inbox", action="store_true", help="do not start the intake inbox")
    args = parser.parse_args(argv)

    if not args.no_inbox:
        # The builds below (this process's and Pelican's) connect the form to it.
        os.environ["INTAKE_DEV_ENDPOINT"] = f"http://127.0.0.1:{args.inbox_port}/requests"
        os.environ["INTAKE_DEV_PUBLIC_KEY"] = dev_inbox_key()

    errors = build.build(args.settings, args.output, quiet=True)
    if errors:
        for line in errors:
            print(f"error: {line}", file=sys.stderr)
        print("fix the error above and run make serve again", file=sys.stderr)
        return 2

    # A plain `kill` stops the servers started here too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    children = []
    try:
        pelican = subprocess.Popen([
            sys.executable, "-m", "pelican", "content", "--settings", args.settings,
            "--output", args.output, "--autoreload", "--listen",
            "--bind", args.bind, "--port", str(args.port),
        ], start_new_session=True)  # its own process group: see stop() below
        children.append(pelican)
        if not args.no_comments:
            isso = comments.start(
                port=args.comments_port,
                site=f"http://{args.bind}:{args.port}\nhttp://localhost:{args.port}")
            children.append(isso)
            print(f"Comment server at http://127.0.0.1:{args.comments_port}/ "
                  "(moderation: /admin/)", flush=True)
        if not args.no_inbox:
            children.append(start_inbox(args.inbox_port, f"http://127.0.0.1:{args.port}"))
            print(f"Intake inbox at http://127.0.0.1:{args.inbox_port}/requests "
                  "(make requests shows what the form sent)", flush=True)
        print(f"Serving the site at http://{args.bind}:{args.port}/ (Ctrl-C to stop)", flush=True)
        return pelican.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            stop(child)


def dev_inbox_key():
    """The development key's public key (made under var/ on first use)."""
    from practice.inbox.cli import dev_key
    from practice.inbox.keys import b64

    return b64(dev_key())


def start_inbox(port, site_url):
    """The development intake inbox (`make inbox`), in a process group of its own."""
    env = dict(os.environ, INBOX_PORT=str(port), INBOX_SITE_URL=site_url,
               INBOX_PUBLIC_KEY=os.environ["INTAKE_DEV_PUBLIC_KEY"])
    return subprocess.Popen([sys.executable, "-m", "practice.inbox", "run"], env=env,
                            start_new_session=True)


def stop(child):
    """Stop a child and everything it started.

    Pelican's autoreload server runs its watcher and its web server as two
    further processes; stopping only Pelican's main process would leave
    them running (and rebuilding) in the background. Pelican is started in
    a process group of its own, and the whole group is stopped.
    """
    try:
        group = os.getpgid(child.pid) if child.poll() is None else None
    except ProcessLookupError:
        group = None
    own_group = group is not None and group == child.pid
    if child.poll() is None:
        if own_group:
            os.killpg(group, signal.SIGTERM)
        else:
            child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            if own_group:
                os.killpg(group, signal.SIGKILL)
            else:
                child.kill()
            child.wait()
    if own_group:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # any straggler of the group


if __name__ == "__main__":
    sys.exit(main())
