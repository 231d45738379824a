"""`make serve`: build the site, then serve it with autoreload.

The first build goes through practice.tools.build so that a content mistake shows
as one clear line before anything is served. After that Pelican watches
content/, theme/ and the settings, rebuilds on every change and serves
output/ at http://127.0.0.1:PORT. Next to it runs the development comment
server (Isso, practice.tools.comments) on 127.0.0.1:8080 (COMMENTS_PORT=... for
another port; --no-comments to leave it out). Ctrl-C stops everything
started here.
"""

import argparse
import os
import contextlib
import signal
import subprocess
import sys

from practice.tools import build, comments


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--comments-port", type=int, default=int(os.environ.get("COMMENTS_PORT", 8080)))
    parser.add_argument("--no-comments", action="store_true", help="do not start the comment server")
    args = parser.parse_args(argv)

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
        print(f"Serving the site at http://{args.bind}:{args.port}/ (Ctrl-C to stop)", flush=True)
        return pelican.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            stop(child)


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
