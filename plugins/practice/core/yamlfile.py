"""Reading the project's YAML files strictly.

YAML 1.2 (ruamel.yaml), not PyYAML's YAML 1.1: ``NO`` (Norway), ``on``,
``yes`` and ``10:00`` stay the text they look like, instead of turning into
false, true and 600. Yes/no answers are read by the checker
(:meth:`~practice.core.checker.Checker.boolean`), which accepts
``yes``/``no``/``true``/``false``. A key written twice in one mapping is an
error (the second would silently win), and so are bytes that are not UTF-8.
Every mistake is one :class:`ContentError` line naming the file and line.
"""

import copy
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import ContentError


def _loader():
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def decode(path, data):
    """The file's bytes as text; bytes that are not UTF-8 are one line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ContentError(path, f"line {line}",
                           f"is not UTF-8 text (byte {exc.start + 1}); save the file as UTF-8") from None


# Parsed texts, by text: a build reads the profile in more than one step, and
# the pure-Python parser is slow. Each caller gets its own copy.
_parsed = {}


def parse_yaml(text, path):
    """Parse YAML ``text`` (from ``path``, for the error line)."""
    if text not in _parsed:
        _parsed.clear()  # one file at a time is what a build rereads
        _parsed[text] = _parse(text, path)
    return copy.deepcopy(_parsed[text])


def _parse(text, path):
    try:
        return _loader().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark else ""
        problem = (exc.problem or exc.context or "not valid YAML").strip()
        if "duplicate key" in problem:
            problem = "a key is written twice in the same mapping (" + problem + ")"
        raise ContentError(path, where, f"YAML syntax error: {' '.join(problem.split())}") from None
    except YAMLError as exc:
        first = (str(exc).strip().splitlines() or ["not valid YAML"])[0]
        raise ContentError(path, "", f"YAML syntax error: {first}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # A value ruamel cannot build (a date like 2026-02-30, a huge exponent ...).
        raise ContentError(path, "", f"YAML value error: {' '.join(str(exc).split())[:200]}") from None


def read_yaml(path):
    """Read and parse a YAML file; every mistake is one ContentError line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, "", "file not found") from None
    except IsADirectoryError:
        raise ContentError(path, "", "is a folder, not a file") from None
    except OSError as exc:
        raise ContentError(path, "", f"cannot be read ({exc.strerror})") from None
    return parse_yaml(decode(path, data), path)
