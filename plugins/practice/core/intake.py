"""The request-a-first-session form: the ``intake`` section of the profile.

Python checks the field definitions once and turns them into what the
template shows (labels, hints, options, error messages) and what the browser
script checks (:func:`rules`). The same rules validate a submission on the
receiving end (:func:`check_submission`), so the form works, and is checked,
with or without JavaScript: the intake inbox (``practice.inbox``) checks a form
posted without JavaScript with this very function.

Profile format (see docs/profile.md and docs/intake.md)::

    intake:
      endpoint: https://inbox.example.org/requests   # empty: not connected
      public_key: <base64>       # make inbox-key writes it; the browser seals to it
      reply_time: within one business day
      fields:
        - name: email              # the name the form sends; unique
          label: Email address
          hint: optional help text
          type: email              # text, email, tel, textarea, select,
                                   # radios, checkboxes, acknowledgement
          required: yes
          required_when:           # instead of required: needed only when
            field: contact_by      #   another (choice) field has one of
            is: [phone, text]      #   these values
          autocomplete: email      # optional
          maxlength: 254           # text, email, tel, textarea
          options:                 # select, radios, checkboxes ...
            - {value: a, label: A}
          options_from: formats    # ... or service_area / formats / office_hours
          error: Enter your email address   # optional; a default is written
          link: {text: ..., url: /privacy/} # optional, shown with the hint
"""

import base64
import re

from .contact import EMAIL, PHONE
from .urls import checked_link

TYPES = ("text", "email", "tel", "textarea", "select", "radios", "checkboxes", "acknowledgement")
TEXT_TYPES = {"text", "email", "tel", "textarea"}
CHOICE_TYPES = {"select", "radios", "checkboxes"}
FIELD_KEYS = {"name", "label", "hint", "type", "required", "required_when", "autocomplete",
              "maxlength", "options", "options_from", "error", "link"}
# Names a form service may treat specially; also keeps the form's own names apart.
RESERVED = {"submit", "action", "method", "_next", "_subject"}
# The same patterns run in the browser (JavaScript reads them from the rules).
PATTERNS = {"email": EMAIL.pattern, "tel": PHONE.pattern}
DEFAULT_MAXLENGTH = {"text": 200, "email": 254, "tel": 30, "textarea": 1000}
# An X25519 public key (libsodium's crypto_box / sealed boxes).
PUBLIC_KEY_BYTES = 32
AUTOCOMPLETE = re.compile(r"^[a-z0-9 -]+$")


def load(c, data, profile, build_mode="development"):
    """Check ``data`` (the raw ``intake`` mapping); return it for templates."""
    if data is None:
        c.fail("intake", "is required: the fields of the request form")
    c.mapping(data, "intake")
    c.unknown_keys(data, {"endpoint", "public_key", "reply_time", "fields"}, "intake")
    endpoint = c.url(data, "endpoint", "intake", https_only=build_mode == "publish",
                     required=False)
    public_key = _public_key(c, data, endpoint, build_mode)
    fields, names = [], set()
    for field, item in c.items(data, "fields", "intake"):
        c.mapping(item, field)
        c.unknown_keys(item, FIELD_KEYS, field)
        name = c.identifier(item, "name", field, names, field_name=True,
                            twice="is used twice (duplicate field name)")
        if name in RESERVED:
            c.fail(f"{field}.name", f"{name!r} is reserved; choose another name")
        names.add(name)
        fields.append(_field(c, item, field, name, profile))
    if not any(f["type"] in ("email", "tel") for f in fields):
        c.fail("intake.fields", "the form needs a way to reply: an email or tel field")
    _check_conditions(c, fields)
    return {
        "endpoint": endpoint,
        "public_key": public_key,
        "reply_time": c.text(data, "reply_time", "intake"),
        "fields": fields,
        "rules": rules(fields),
    }


def _public_key(c, data, endpoint, build_mode):
    """``intake.public_key``: the practice's public key (base64, 32 bytes,
    from ``make inbox-key``). Requests are sealed to it; a publish build
    with an endpoint needs it, so that no request travels or rests unsealed."""
    value = c.text(data, "public_key", "intake", required=False)
    if value is None:
        if endpoint and build_mode == "publish":
            c.fail("intake.public_key", "is required with an endpoint in a publish build: "
                                        "run make inbox-key (see docs/intake.md)")
        return None
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        c.fail("intake.public_key", "is not base64: use the public key that make inbox-key wrote")
    if len(raw) != PUBLIC_KEY_BYTES:
        c.fail("intake.public_key", f"is {len(raw)} bytes long, not {PUBLIC_KEY_BYTES}: "
                                    "use the public key that make inbox-key wrote")
    return value


def _field(c, item, field, name, profile):
    ftype = c.choice(item, "type", field, TYPES)
    label = c.text(item, "label", field)
    required = c.boolean(item, "required", field, False)
    if ftype == "acknowledgement" and not required:
        c.fail(f"{field}.required", "an acknowledgement must be required (required: yes)")
    required_when = _required_when(c, item, field, required)
    result = {
        "name": name, "type": ftype, "label": label, "required": required,
        "required_when": required_when,
        "hint": c.text(item, "hint", field, required=False),
        "id": "intake-" + name.replace("_", "-"),
        "autocomplete": c.text(item, "autocomplete", field, required=False),
        "maxlength": None, "options": [],
        "link": None,
    }
    if result["autocomplete"] and not AUTOCOMPLETE.match(result["autocomplete"]):
        c.fail(f"{field}.autocomplete", f"{result['autocomplete']!r} is not an autocomplete token")
    if ftype in TEXT_TYPES:
        result["maxlength"] = c.integer(item, "maxlength", field, required=False,
                                        default=DEFAULT_MAXLENGTH[ftype], minimum=1)
    elif "maxlength" in item:
        c.fail(f"{field}.maxlength", f"only text fields take a maxlength, not {ftype}")
    if ftype in CHOICE_TYPES:
        result["options"] = _options(c, item, field, profile)
    elif "options" in item or "options_from" in item:
        c.fail(f"{field}.options", f"a {ftype} field takes no options")
    if item.get("link") is not None:
        result["link"] = checked_link(c, c.mapping(item["link"], f"{field}.link"), f"{field}.link")
    result["hint_id"] = f"{result['id']}-hint" if result["hint"] or result["link"] else None
    result["error_id"] = f"{result['id']}-error"
    result["group"] = ftype in ("radios", "checkboxes")
    # First option's input is where the error summary links to for groups.
    result["target"] = f"{result['id']}-0" if ftype in ("radios", "checkboxes") else result["id"]
    result["messages"] = _messages(c, item, field, ftype, label, result["maxlength"])
    return result


def _required_when(c, item, field, required):
    """``required_when: {field: NAME, is: [VALUE, ...]}``: shape only; the
    names and values are checked once every field is known."""
    value = item.get("required_when")
    if value is None:
        return None
    where = f"{field}.required_when"
    c.mapping(value, where)
    c.unknown_keys(value, {"field", "is"}, where)
    if required:
        c.fail(where, "a field is either always required (required: yes) or required_when, not both")
    other = c.text(value, "field", where)
    values = value.get("is")
    if isinstance(values, (str, int)) and not isinstance(values, bool):
        values = [values]
    if not isinstance(values, list) or not values or not all(
            isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip() for v in values):
        c.fail(f"{where}.is", "must list one or more values of that field, like [phone, text]")
    return {"field": other, "is": [str(v).strip() for v in values], "where": where}


def _check_conditions(c, fields):
    by_name = {f["name"]: f for f in fields}
    for f in fields:
        when = f["required_when"]
        if not when:
            continue
        where = when.pop("where")
        other = by_name.get(when["field"])
        if other is None or other is f:
            c.fail(f"{where}.field", f"{when['field']!r} is not another field of the form")
        if other["type"] not in CHOICE_TYPES:
            c.fail(f"{where}.field", f"{when['field']!r} is a {other['type']} field; "
                                     "name a select, radios or checkboxes field")
        offered = [o["value"] for o in other["options"]]
        for value in when["is"]:
            if value not in offered:
                c.fail(f"{where}.is", f"{value!r} is not one of the values of {when['field']!r} "
                                      f"({', '.join(offered)})")


NOON = "12:00"


def _minutes(hhmm):
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _day_parts(opens, closes):
    """Office hours as the parts of the day a client might choose."""
    if _minutes(NOON) - _minutes(opens) >= 120 and _minutes(closes) - _minutes(NOON) >= 120:
        return [("mornings", opens, NOON), ("afternoons", NOON, closes)]
    if opens >= "17:00":
        word = "evenings"
    elif opens >= NOON:
        word = "afternoons"
    elif closes <= "13:00":
        word = "mornings"
    else:
        word = ""
    return [(word, opens, closes)]


def office_hours_options(profile):
    """One choice per part of the day the practice is open, so that nobody
    is offered a time when there are no sessions."""
    options, values = [], set()
    for block in profile["office_hours"]:
        for word, opens, closes in _day_parts(block["opens"], block["closes"]):
            name = f"{block['label']} {word}".strip()
            value = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            if value in values:
                value += "-" + opens.replace(":", "")
            values.add(value)
            options.append({"value": value, "label": f"{name} ({opens}–{closes})"})
    return options


def _options(c, item, field, profile):
    source = item.get("options_from")
    if source is not None and "options" in item:
        c.fail(f"{field}.options_from", "use either options or options_from, not both")
    if source == "service_area":
        options = [{"value": s["code"], "label": s["name"]}
                   for s in profile["service_area"]["states"]]
        options.append({"value": "elsewhere", "label": "Somewhere else"})
        return options
    if source == "formats":
        return [{"value": f["id"], "label": f["name"]} for f in profile["formats"]]
    if source == "office_hours":
        return office_hours_options(profile)
    if source is not None:
        c.fail(f"{field}.options_from", f"{source!r} is not one of: service_area, formats, office_hours")
    options, values = [], set()
    for ofield, opt in c.items(item, "options", field):
        c.mapping(opt, ofield)
        c.unknown_keys(opt, {"value", "label"}, ofield)
        label = c.text(opt, "label", ofield)
        value = c.text(opt, "value", ofield)
        if value in values:
            c.fail(f"{ofield}.value", f"{value!r} is offered twice")
        values.add(value)
        options.append({"value": value, "label": label})
    if len(options) < 2:
        c.fail(f"{field}.options", "a choice needs at least two options")
    return options


def _messages(c, item, field, ftype, label, maxlength):
    """Error messages in the GOV.UK style: say what to do, not what went wrong."""
    thing = label.rstrip("?.:").strip()
    lower = thing[0].lower() + thing[1:]
    if ftype in ("text", "email", "tel"):
        missing = f"Enter {lower}"
    elif ftype == "textarea":
        missing = f"Enter an answer to “{thing}”"
    elif ftype == "acknowledgement":
        missing = f"Tick the box to confirm: {thing}"
    elif ftype == "checkboxes":
        missing = f"Select at least one answer to “{thing}”"
    else:
        missing = f"Select an answer to “{thing}”"
    messages = {"missing": c.text(item, "error", field, required=False, default=missing)}
    if ftype == "email":
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif ftype == "tel":
        messages["invalid"] = "Enter a phone number, like +1 555 010 0100"
    if maxlength:
        messages["too_long"] = f"{thing} must be {maxlength} characters or fewer"
    messages["unknown"] = f"Select one of the answers offered to “{thing}”"
    return messages


def rules(fields):
    """What the browser script checks: the same as :func:`check_submission`."""
    return {"fields": [
        {"name": f["name"], "type": f["type"], "required": f["required"],
         "required_when": f["required_when"],
         "maxlength": f["maxlength"], "target": f["target"], "id": f["id"],
         "pattern": PATTERNS.get(f["type"]), "messages": f["messages"]}
        for f in fields
    ]}


def check_submission(fields, pairs):
    """Validate a submitted form (``[(name, value), ...]``) as the receiver does.

    Returns ``[(field, message), ...]`` in the order of the form; empty when
    the submission is acceptable. Unknown names are errors too: the form
    sends its own fields and nothing else.
    """
    values = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    known = {f["name"] for f in fields}
    errors = []

    def given(name):
        return [v.strip() for v in values.get(name, []) if v.strip()]

    def required(f):
        when = f.get("required_when")
        return f["required"] or bool(when and set(given(when["field"])) & set(when["is"]))

    for f in fields:
        got = given(f["name"])
        msg = f["messages"]
        if not got:
            if required(f):
                errors.append((f, msg["missing"]))
            continue
        if f["type"] != "checkboxes" and len(got) > 1:
            errors.append((f, msg["missing"]))
            continue
        allowed = {o["value"] for o in f["options"]}
        if f["type"] in CHOICE_TYPES and any(v not in allowed for v in got):
            errors.append((f, msg["unknown"]))
        elif f["type"] == "acknowledgement" and got != ["yes"]:
            errors.append((f, msg["missing"]))
        elif f["maxlength"] and len(got[0]) > f["maxlength"]:
            errors.append((f, msg["too_long"]))
        elif f["type"] == "email" and not EMAIL.match(got[0]):
            errors.append((f, msg["invalid"]))
        elif f["type"] == "tel" and not PHONE.match(got[0]):
            errors.append((f, msg["invalid"]))
    for name in values:
        if name not in known:
            errors.append(({"name": name, "target": None}, f"Unexpected field {name!r}"))
    return [(f["name"], m) for f, m in errors]


def internal_links(intake):
    for f in intake["fields"]:
        if f["link"] and f["link"]["path"]:
            yield f["link"]
