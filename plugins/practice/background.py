"""The programs the build runs beside itself, at a lower priority.

The guard's scanner (``practice.guard.worker``) and Pagefind run while
Pelican renders the pages (``practice.alongside``). On a machine with two
cores they would otherwise share them with the build as equals: Pagefind
alone uses both, and the rendering, which every later step waits for, then
gets half a core at times. Run "nicer" (POSIX niceness ``NICENESS``), they
take whatever the build leaves idle and catch up once the last page is
written. Nothing they produce depends on it; where niceness does not exist
(or cannot be changed) they run as before.
"""

import os
import shutil

NICENESS = 10


def lower_priority():
    """Lower the calling process's priority (the scanner, at its start)."""
    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):  # not POSIX, or not allowed
        pass


def command(argv):
    """``argv`` to run at the lower priority: through ``nice`` where it exists.

    (``nice`` sets the priority before the program starts, so every thread
    the program starts has it; setting it on the child afterwards would race
    with the threads Pagefind starts at once.)"""
    nice = shutil.which("nice")
    return [nice, "-n", str(NICENESS), *argv] if nice else list(argv)
