"""The privacy guard and the search index, fed each page as Pelican writes it.

Both used to start after the last page was written, while the machine's
second core sat idle through the template rendering. Now, from the first
page on (``content_written``):

- the guard's scanner runs as a separate program
  (``practice.guard.worker``) and reads each written file as soon as it
  exists;
- Pagefind indexes the article and page files a part at a time
  (``search.PartIndexer``), each part as soon as it is full.

At ``finalized`` the scanner is handed the files it has not read (static
files, the photos, the stylesheet with the brand colours) while the build
checks the articles' content, and then the guard reads every file of the
site, as before: a file the scanner read with the same bytes is not parsed
again, anything changed since is, and :func:`practice.guard.check_output`
reports exactly as it always did.
If the scanner fails for any reason, the guard reads every file itself.
"""

import json
import os
import subprocess
import sys

from . import guard, search


class Alongside:
    """One build's guard scanner and search indexer."""

    def __init__(self, settings, context, allowed, own, code, cache_file=None):
        self.context = context  # which build this is (a rebuild has a new context)
        self.output_path = os.path.abspath(settings["OUTPUT_PATH"])
        self.code = code
        self.allowed, self.own = list(allowed), list(own)
        self.indexer = search.PartIndexer(self.output_path, settings)
        self.indexed, self.sent = set(), set()
        config = json.dumps({"allowed": self.allowed, "own": self.own, "code": self.code,
                             "cache_file": cache_file})
        try:  # the installed package, as every command of the project runs
            self.scanner = subprocess.Popen(
                [sys.executable, "-m", "practice.guard.worker", config],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8")
        except OSError:
            self.scanner = None

    def written(self, path, searchable):
        """A file Pelican has just written; ``searchable``: an article's or a page's."""
        path = os.path.abspath(path)
        if os.path.splitext(path)[1].lower() in guard.output.KINDS:
            self._scan([path])
        if (searchable and path.endswith(".html") and path not in self.indexed
                and path.startswith(self.output_path + os.sep)):
            self.indexed.add(path)
            self.indexer.add(path)

    def scan_ahead(self, paths):
        """Hand the scanner files Pelican will copy into the site as they are
        (the theme's static files), to read while the articles are read: the
        copies have the same bytes, so the scanner's findings for them are
        ready when the guard reads the copies at the end."""
        self._scan([os.path.abspath(path) for path in paths])

    def scan_rest(self, paths):
        """Hand the scanner the files of the site it has not read yet (the
        static files, the photos, the stylesheet with the brand colours),
        so it reads them while the build checks the articles' content."""
        self._scan([os.path.abspath(path) for path in paths])

    def _scan(self, paths):
        paths = [path for path in paths if path not in self.sent]
        if not (self.scanner and paths):
            return
        self.sent.update(paths)
        try:
            self.scanner.stdin.write("".join(path + "\n" for path in paths))
            self.scanner.stdin.flush()
        except (OSError, ValueError):
            self._stop_scanner()

    def known(self):
        """What the scanner found in the files it read (``{}`` if it failed)."""
        if not self.scanner:
            return {}
        try:
            self.scanner.stdin.close()
            rows = json.loads(self.scanner.stdout.read())
            if self.scanner.wait() != 0:
                return {}
            return {(kind, key): [tuple(f) for f in found] for kind, key, found in rows}
        except (OSError, ValueError, TypeError):
            return {}
        finally:
            self._stop_scanner()

    def _stop_scanner(self):
        scanner, self.scanner = self.scanner, None
        if scanner is None:
            return
        for stream in (scanner.stdin, scanner.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if scanner.poll() is None:
            scanner.kill()
        scanner.wait()

    def close(self):
        """End both (a build that stopped early); safe to call twice."""
        self._stop_scanner()
        self.indexer.close()
