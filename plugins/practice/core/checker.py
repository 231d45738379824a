"""Small helpers for checking YAML data and metadata field by field.

Each helper takes the file and a dotted field path (``clinicians[0].name``)
so that whatever goes wrong is reported as one precise line.
"""

import re

from .errors import ContentError
from .urls import web_address

IDENTIFIER = re.compile(r"^[a-z][a-z0-9-]*$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
YES_NO = {"yes": True, "true": True, "no": False, "false": False}


class Checker:
    """Reads typed values out of a mapping, raising ContentError on mistakes."""

    def __init__(self, file):
        self.file = file

    def fail(self, field, message):
        raise ContentError(self.file, field, message)

    def mapping(self, data, field):
        if not isinstance(data, dict):
            self.fail(field, f"must be a mapping of keys to values, not {_kind(data)}")
        return data

    def unknown_keys(self, data, allowed, field):
        for key in data:
            if key not in allowed:
                where = f"{field}.{key}" if field else str(key)
                self.fail(where, f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def text(self, data, key, field, required=True, default=None):
        where = _join(field, key)
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(where, f"must be text, not {_kind(value)}")
        return str(value).strip()

    def identifier(self, data, key, field, seen, field_name=False, twice="is used twice"):
        """A lower-case id (hyphens; underscores for form field names) not in ``seen``."""
        value = self.text(data, key, field)
        pattern, joiner = (FIELD_NAME, "underscores") if field_name else (IDENTIFIER, "hyphens")
        if not pattern.match(value):
            self.fail(_join(field, key), f"{value!r} must be lower-case letters, digits and {joiner}")
        if value in seen:
            self.fail(_join(field, key), f"{value!r} {twice}")
        return value

    def integer(self, data, key, field, required=True, default=None, minimum=None):
        where = _join(field, key)
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, "is required")
            return default
        if isinstance(value, bool):
            self.fail(where, f"must be a whole number, not {value!r}")
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            value = int(value)
        if not isinstance(value, int):
            self.fail(where, f"must be a whole number, not {value!r}")
        if minimum is not None and value < minimum:
            self.fail(where, f"must be at least {minimum}, not {value}")
        return value

    def number(self, data, key, field, required=True, default=None):
        where = _join(field, key)
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, f"must be a number, not {value!r}")
        if value < 0:
            self.fail(where, f"must not be negative, not {value}")
        return value

    def boolean(self, data, key, field, default):
        """``yes``/``no`` (also ``true``/``false``, any case). YAML 1.2 reads
        ``yes`` as text; this is where it becomes a yes."""
        value = data.get(key, default)
        if isinstance(value, str) and value.strip().lower() in YES_NO:
            value = YES_NO[value.strip().lower()]
        if not isinstance(value, bool):
            self.fail(_join(field, key), f"must be yes or no, not {value!r}")
        return value

    def items(self, data, key, field, required=True):
        where = _join(field, key)
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, "is required")
            return []
        if not isinstance(value, list) or (required and not value):
            self.fail(where, "must be a non-empty list")
        return [(f"{where}[{i}]", item) for i, item in enumerate(value)]

    def choice(self, data, key, field, choices, required=True, default=None):
        value = self.text(data, key, field, required=required, default=default)
        if value is not None and value not in choices:
            self.fail(_join(field, key), f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def url(self, data, key, field, https_only, required=True):
        value = self.text(data, key, field, required=required)
        if value is None:
            return None
        return web_address(self.file, _join(field, key), value, publish=https_only)


def _join(field, key):
    return f"{field}.{key}" if field else str(key)


def _kind(value):
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "yes/no"}.get(
        type(value), type(value).__name__
    )
