"""The privacy guard as a separate program, reading pages as they are written.

``python -m practice.guard.worker CONFIG`` (CONFIG: JSON with ``allowed``,
``own``, ``code`` and ``cache_file``, as :func:`.output.scan_files` takes
them) reads one path of the written site per line on its standard input
and scans each as soon as it arrives, on the machine's other core while
Pelican renders the next pages. At the end of its input it prints, as one
JSON list, what :func:`.output.scan_files` found: ``[kind, key, findings]``
per file. The build (``practice.alongside``) hands that to
:func:`.output.check_output`, which decides and reports as it always does.
"""

import json
import queue
import sys
import threading

from ..background import lower_priority
from .output import load_clean, scan_files


def main(argv=None):
    config = json.loads((argv or sys.argv[1:])[0])
    lower_priority()  # the build's own rendering comes first (practice.background)
    paths = queue.Queue()

    def drain():  # read input at once, so the build never waits on a full pipe
        for line in sys.stdin:
            paths.put(line.rstrip("\n"))
        paths.put(None)

    threading.Thread(target=drain, daemon=True).start()
    clean, known = load_clean(config.get("cache_file")), {}
    while (path := paths.get()) is not None:
        scan_files([path], config["allowed"], config["own"], config["code"], clean, known)
    json.dump([[kind, key, found] for (kind, key), found in known.items()], sys.stdout)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
