"""Where a build's time goes: wall and CPU time at each step Pelican signals.

Off unless the ``PHASE_TIMES`` setting names a file; ``make bench`` sets it
(see docs/performance.md). Each mark records the wall-clock and CPU seconds
since the build started (CPU: this process and the programs it ran and
waited for, such as Pagefind). At the end the file gets a JSON list of
``[step, wall, cpu]``, in the order the steps happened.
"""

import json
import os
import time


class _Clock:
    path = None
    marks = []
    start = None


def _now():
    t = os.times()
    return time.perf_counter(), t.user + t.system + t.children_user + t.children_system


def start(settings):
    """On ``initialized``: start the clock if ``PHASE_TIMES`` is set."""
    _Clock.path = settings.get("PHASE_TIMES") or None
    _Clock.marks = []
    _Clock.start = _now() if _Clock.path else None


def mark(step):
    """Record that ``step`` has just finished."""
    if _Clock.start is None:
        return
    wall, cpu = _now()
    _Clock.marks.append([step, round(wall - _Clock.start[0], 3), round(cpu - _Clock.start[1], 3)])


def write():
    """On ``finalized`` (last): write the marks."""
    if _Clock.start is None:
        return
    mark("finished")
    with open(_Clock.path, "w", encoding="utf-8") as f:
        json.dump(_Clock.marks, f)
    _Clock.start = None


def connect(signals):
    """Marks at the steps Pelican announces (connected by the plugin)."""
    steps = {
        "article_generator_init": "start reading articles",
        "article_generator_finalized": "read articles",
        "page_generator_finalized": "read pages",
        "static_generator_finalized": "static files",
        "all_generators_finalized": "plugin checks after reading",
        "article_writer_finalized": "wrote article, listing and tag pages",
        "page_writer_finalized": "wrote pages",
    }
    for name, step in steps.items():
        # One receiver per step, named, so that Pelican registering the plugin
        # again (each build of `make serve` in one process) connects nothing twice.
        _connect_once(getattr(signals, name), step)


_MARKERS = {}


def _marker(step):
    if step not in _MARKERS:
        def marker(sender, **kwargs):
            mark(step)
        _MARKERS[step] = marker
    return _MARKERS[step]


def _connect_once(signal, step):
    # weak=False: the receivers live as long as the signals; the same
    # function connected again is one receiver (blinker keys them by identity).
    signal.connect(_marker(step), weak=False)
