"""The shape of the project's data files, as pydantic models, with the
project's own one-line messages.

A model says which keys a mapping may have, which are required, what type
each value is and how long it may be. The same models give the JSON Schema
an editor validates with (``schema/``, written by
``python -m practice.core.schema``), so the editor and the build apply the
same shape. Rules that relate one value to another (every path of the
eligibility check ends in an outcome ...) are checked after the shape, in
the module of each feature.

Sizes: every text, list and number has a limit a real practice never
reaches, so that a pasted-in novel or a runaway list is one clear line
instead of megabytes of pages.
"""

import re
from typing import Annotated, Any

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationError,
                      WithJsonSchema)

from .errors import ContentError

# Characters, by kind of text.
NAME = 200  # a name, a title, a label, an id
LINE = 500  # one sentence: a hint, a reply time, a question
PARAGRAPH = 2000  # a description, an outcome's text, a cancellation policy
LONG = 10000  # a clinician's biography
URL = 2000
# Control characters other than tab and line breaks: invisible, and some
# (NUL) not allowed in HTML at all.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Items, by kind of list.
FEW = 20
MANY = 100


def kind(value):
    """What a value is, in the words of the error lines."""
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "yes/no",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _text(value):
    """Text; a number written without quotes (a postal code, a licence
    number) is text too. Surrounding spaces go; empty text is no value."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        if value is None:
            return None
        raise ValueError(f"must be text, not {kind(value)}")
    text = str(value).strip()
    if CONTROL.search(text):
        raise ValueError("must not contain control characters (such as a NUL or an escape)")
    return text or None


YES_NO_WORDS = {"yes": True, "true": True, "no": False, "false": False}


def _yes_no(value):
    if isinstance(value, str) and value.strip().lower() in YES_NO_WORDS:
        return YES_NO_WORDS[value.strip().lower()]
    if not isinstance(value, bool):
        shown = repr(value) if isinstance(value, (str, int, float)) and len(repr(value)) < 60 \
            else kind(value)
        raise ValueError(f"must be yes or no, not {shown}")
    return value


def _whole(value):
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number, not {value!r}")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, int):
        raise ValueError(f"must be a whole number, not {kind(value)}")
    return value


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number, not {kind(value)}")
    return value


def text(max_length, pattern=None, required=True, example=None):
    """A text value of at most ``max_length`` characters (a number counts
    as text); not required: ``None`` when missing or empty. ``pattern`` (a
    regular expression the schema carries too) with ``example`` for the
    message."""
    string = {"type": "string", "maxLength": max_length}
    if pattern:
        string["pattern"] = pattern
    elif required:
        string["pattern"] = r"\S"  # not empty, not only spaces

    def check_text(value):
        value = _text(value)
        if value is None:
            if required:
                raise ValueError("is required")
            return None
        if len(value) > max_length:
            raise ValueError(f"is {len(value):,} characters long; at most {max_length:,}")
        if pattern and not re.search(pattern, value):
            raise ValueError(f"{_short(value)} is not {example or 'in the expected form'}")
        return value

    options = [string, {"type": "number"}] + ([] if required else [{"type": "null"}])
    return Annotated[str if required else str | None, BeforeValidator(check_text),
                     WithJsonSchema({"anyOf": options})]


def choice(values, required=True):
    """One of ``values`` (text)."""

    def check_choice(value):
        value = _text(value)
        if value is None:
            if required:
                raise ValueError("is required")
            return None
        if value not in values:
            raise ValueError(f"{_short(value)} is not one of: {', '.join(values)}")
        return value

    options = [{"enum": list(values)}] + ([] if required else [{"type": "null"}])
    return Annotated[str if required else str | None, BeforeValidator(check_choice),
                     WithJsonSchema(options[0] if required else {"anyOf": options})]


YesNo = Annotated[bool, BeforeValidator(_yes_no), WithJsonSchema(
    {"anyOf": [{"type": "boolean"},
               {"enum": ["yes", "no", "Yes", "No", "YES", "NO", "true", "false"]}]})]


def whole(minimum, maximum):
    return Annotated[int, BeforeValidator(_whole), Field(ge=minimum, le=maximum),
                     WithJsonSchema({"type": "integer", "minimum": minimum, "maximum": maximum})]


def number(minimum, maximum):
    return Annotated[float, BeforeValidator(_number), Field(ge=minimum, le=maximum),
                     WithJsonSchema({"type": "number", "minimum": minimum, "maximum": maximum})]


def items(item, max_items, min_items=1):
    """A list of ``item``, at least ``min_items`` long."""
    return Annotated[list[item], Field(min_length=min_items, max_length=max_items)]


class Shape(BaseModel):
    """A mapping with exactly these keys (an unknown key is a mistake)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True,
                              populate_by_name=True)


def check(model, data, file, prefix=""):
    """Validate ``data`` against ``model``; the first mistake is one ContentError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=True)[0]
        raise ContentError(file, _where(prefix, error["loc"]), message(model, error)) from None
    except RecursionError:
        raise ContentError(file, prefix, "is nested too deeply") from None


def _where(prefix, loc):
    where = prefix
    for part in loc:
        if isinstance(part, int):
            where += f"[{part}]"
        else:
            where = f"{where}.{part}" if where else str(part)
    return where


def _model_at(model, loc):
    """The model class of the mapping at ``loc`` (for the names of its keys)."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
        if current is None:
            return None
    return current


def _inner_model(annotation):
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def message(model, error):
    """The project's words for a pydantic error."""
    kind_of_error = error["type"]
    value: Any = error.get("input")
    ctx = error.get("ctx") or {}
    if kind_of_error == "missing":
        return "is required"
    if kind_of_error == "extra_forbidden":
        parent = _model_at(model, error["loc"][:-1])
        names = sorted(f.alias or n for n, f in parent.model_fields.items()) if parent else []
        return f"unknown key (expected one of: {', '.join(names)})"
    if kind_of_error == "value_error":
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    if kind_of_error in ("string_too_long", "too_long"):
        what = "characters" if kind_of_error == "string_too_long" else "items"
        size = f"{len(value):,}" if hasattr(value, "__len__") else "too many"
        return f"has {size} {what}; at most {ctx.get('max_length'):,}"
    if kind_of_error in ("string_too_short", "too_short"):
        if isinstance(value, list) or kind_of_error == "too_short":
            return "must be a non-empty list"
        return "is required"
    if kind_of_error in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a mapping of keys to values, not {kind(value)}"
    if kind_of_error == "list_type":
        return f"must be a list, not {kind(value)}"
    if kind_of_error in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        word = "at least" if kind_of_error.startswith("greater") else "at most"
        return f"must be {word} {limit}, not {value!r}"
    if kind_of_error == "string_pattern_mismatch":
        return f"{_short(value)} is not in the expected form"
    if kind_of_error.startswith(("string_", "str_")):
        return f"must be text, not {kind(value)}"
    if kind_of_error.startswith(("int_", "float_")):
        return f"must be a number, not {kind(value)}"
    if kind_of_error.startswith("bool_"):
        return f"must be yes or no, not {kind(value)}"
    return error["msg"]


def _short(value):
    shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "...'"
