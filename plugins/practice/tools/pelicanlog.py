"""Pelican's error messages while it builds, as (file, message) pairs.

Pelican does not raise when it cannot read a content file (a bad ``Date``,
a file that is not UTF-8 ...): it logs "Could not process FILE" with the
exception and goes on. ``build`` and ``lint`` both treat that as an error
of that file; this is the one place that reads Pelican's log for it.
"""

import logging
import os
import sys

from practice.core.errors import ContentError


def _line_of(path, offset):
    """The line holding byte ``offset`` of the file Pelican could not decode."""
    try:
        with open(path, "rb") as f:
            return f.read(offset).count(b"\n") + 1
    except OSError:
        return "?"


class PelicanErrors(logging.Handler):
    """Collects ERROR records: ``problems`` is a list of (file or None, message).

    ``content_path`` (Pelican's ``PATH``) locates the files Pelican names
    relative to it. With ``pelican_only``, errors other libraries log are
    left out.
    """

    def __init__(self, content_path="", pelican_only=False):
        super().__init__(level=logging.ERROR)
        self.content_path = content_path
        self.pelican_only = pelican_only
        self.problems = []
        self.stopped = None  # the ContentError that stopped the build, if one did

    def emit(self, record):
        if str(record.msg).startswith("Could not process") and record.args:
            # Logged from inside Pelican's `except` block: the exception is current.
            exc = record.args[1] if len(record.args) > 1 else sys.exc_info()[1]
            path = os.path.relpath(os.path.join(self.content_path, str(record.args[0])))
            if isinstance(exc, ContentError):  # names its own file and field
                self.problems.append((exc.file, f"{exc.field}: {exc.message}" if exc.field else exc.message))
                self.stopped = self.stopped or exc
            elif isinstance(exc, UnicodeDecodeError):
                self.problems.append((path, f"line {_line_of(path, exc.start)}: is not UTF-8 text "
                                            f"(byte {exc.start + 1}); save the file as UTF-8"))
            else:
                self.problems.append((path, str(exc) or type(exc).__name__))
        elif record.name.startswith("pelican") or not self.pelican_only:
            # One line: a message's later lines (the reason Pelican gives for
            # a plugin it cannot load ...) joined to the first.
            lines = [line.strip() for line in record.getMessage().splitlines() if line.strip()]
            self.problems.append((None, ": ".join(lines) or record.levelname))

    def lines(self):
        """The problems as error lines (``FILE: message``)."""
        return [f"{path}: {message}" if path else message for path, message in self.problems]

    def __enter__(self):
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)
