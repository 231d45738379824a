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

When every saved file is an article or a page of the last build, a quick
pass comes first (``practice.preview``): every file is read and checked as
usual, but only the saved files' pages are written, straight into the
preview, so the open page can show the edit before the full rebuild:

    {"event": "built", "quick": true, "seconds": 0.3, "files": ["blog/x/index.html"]}

Each "built" message names the pages that changed (``files``, paths in the
preview folder), or leaves ``files`` out when anything may have (the first
build, or a changed stylesheet or script), so that only the pages that
changed reload.
"""

import argparse
import hashlib
import json
import os
import signal
import sys
import time

from practice.tools import build

# What a page shows: the pages themselves, and the theme's styles and scripts.
SHOWN = (".html", ".css", ".js")


def watched_paths(settings_file):
    """content/, theme/ and the settings files the preview is built from."""
    paths = [settings_file]
    for name in ("content", "theme", "pelicanconf.py"):
        if os.path.exists(name):
            paths.append(name)
    return sorted({os.path.abspath(p) for p in paths})


def _digest(path):
    with open(path, "rb") as f:
        return hashlib.blake2b(f.read(), digest_size=16).digest()


def snapshot(folder):
    """{path in the folder: digest} of every file a page shows."""
    found = {}
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "pagefind" and not d.startswith("search-")]
        for name in files:
            if name.endswith(SHOWN):
                path = os.path.join(top, name)
                found[os.path.relpath(path, folder).replace(os.sep, "/")] = _digest(path)
    return found


def changed(before, after):
    """The pages that differ (None: reload every page, a style or script changed)."""
    if before is None:
        return None
    names = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    if any(not name.endswith(".html") for name in names):
        return None
    return sorted(names)


class Builder:
    """The builds of one preview, and what the last one left in it."""

    def __init__(self, settings_file, output):
        self.settings_file, self.output = settings_file, output
        self.shown = None  # snapshot() of the preview

    def _run(self, **kwargs):
        try:
            return build.build(self.settings_file, self.output, quiet=True, **kwargs)
        except Exception as exc:  # a bug rather than a content mistake: keep watching
            return [f"{self.settings_file}: {type(exc).__name__}: {exc}"]

    def full(self):
        started = time.monotonic()
        errors = self._run()
        if errors:
            return {"event": "error", "lines": errors}
        after = snapshot(self.output)
        message = {"event": "built", "seconds": round(time.monotonic() - started, 3)}
        files = changed(self.shown, after)
        if files is not None:
            message["files"] = files
        self.shown = after
        return message

    def quick(self, saved):
        """The quick pass for the saved files, or None when it cannot serve them."""
        from practice import preview

        pages = preview.pages_of()
        saved = sorted({os.path.abspath(p) for p in saved})
        if self.shown is None or not saved or not all(p in pages and os.path.isfile(p)
                                                      for p in saved):
            return None
        started = time.monotonic()
        moved = []

        def install(folder, output):
            for name in sorted(preview.written_only() or ()):
                source = os.path.join(folder, name)
                if os.path.isfile(source):
                    target = os.path.join(output, name)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    os.replace(source, target)
                    moved.append(name.replace(os.sep, "/"))

        errors = self._run(override={"PREVIEW_QUICK_SOURCES": saved}, install=install)
        if errors:
            return {"event": "error", "lines": errors}
        for name in moved:
            self.shown[name] = _digest(os.path.join(self.output, name))
        return {"event": "built", "quick": True, "files": moved,
                "seconds": round(time.monotonic() - started, 3)}


def build_once(settings_file, output):
    """One full build (kept for callers that build once)."""
    return Builder(settings_file, output).full()


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

    builder = Builder(args.settings, args.output)

    def build_and_report(saved=()):
        building.set()
        try:
            quick = builder.quick(saved) if saved else None
            if quick is not None:
                report(quick)
                if quick["event"] == "error":
                    return  # the full rebuild would stop at the same mistake
            report(builder.full())
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
            build_and_report([p for _, p in changes])
    except BrokenPipeError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
