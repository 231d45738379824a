"""The preview's builder: build once, then rebuild after every saved change.

    python -m practice.tools.watch --settings pelicanconf.py --output var/preview --status-fd N

Each build goes through practice.tools.build in this one long-lived process (so
Python, Pelican and the plugin are loaded once, and the reader cache stays
warm) and writes a fresh folder that replaces the preview only when it is
complete: a page whose file was deleted disappears, and a mistake leaves the
last good preview in place. After each build one JSON line goes to the
status file descriptor for `make serve`:

    {"event": "built", "seconds": 0.8}
    {"event": "error", "lines": ["content/x.md: Date: ..."]}

and then the builder waits for the next change (never rebuilding on its own
output: it watches content/, theme/ and the settings files only).
"""

import argparse
import json
import os
import signal
import sys
import time

from practice.tools import build


def watched_paths(settings_file):
    """content/, theme/ and the settings files the preview is built from."""
    paths = [settings_file]
    for name in ("content", "theme", "pelicanconf.py"):
        if os.path.exists(name):
            paths.append(name)
    return sorted({os.path.abspath(p) for p in paths})


def build_once(settings_file, output):
    started = time.monotonic()
    try:
        errors = build.build(settings_file, output, quiet=True)
    except Exception as exc:  # a bug rather than a content mistake: keep watching
        errors = [f"{settings_file}: {type(exc).__name__}: {exc}"]
    if errors:
        return {"event": "error", "lines": errors}
    return {"event": "built", "seconds": round(time.monotonic() - started, 3)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default=os.path.join("var", "preview"))
    parser.add_argument("--status-fd", type=int, default=1)
    args = parser.parse_args(argv)
    status = os.fdopen(args.status_fd, "w", buffering=1)
    import threading

    import watchfiles

    stop = threading.Event()
    building = threading.Event()

    def on_signal(*_):
        stop.set()  # ends the wait for changes quietly
        if building.is_set():
            raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def report(message):
        status.write(json.dumps(message) + "\n")

    def build_and_report():
        building.set()
        try:
            report(build_once(args.settings, args.output))
        finally:
            building.clear()

    paths = watched_paths(args.settings)
    try:
        build_and_report()
        # A short debounce: a save is one or two file events close together.
        for changes in watchfiles.watch(*paths, debounce=400, step=30, stop_event=stop,
                                        rust_timeout=500, raise_interrupt=False):
            report({"event": "building",
                    "files": sorted(os.path.relpath(p) for _, p in changes)})
            build_and_report()
    except BrokenPipeError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
