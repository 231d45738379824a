"""The practice profile: ``content/practice.yaml``, loaded and checked once.

The profile holds the practice's facts (name, clinicians and their licences,
where clients may be located, session formats with fees and reply times,
office hours, contact details, crisis numbers). Templates read them from the
``practice`` variable so that a change in the file shows on every page.
The eligibility rules and the intake fields have their own modules
(``eligibility``, ``intake``) and are checked there.
"""

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import brand, eligibility, intake
from .checker import Checker
from .contact import EMAIL, PHONE, tel_href
from .fields import check
from .models import Practice
from .states import US_STATES
from .yamlfile import read_yaml

CA_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}
# The regions (states, provinces) of a country, where the project knows them.
# A code means a region only together with its country: "CA" is California in
# the US's list and Canada as a country, so the two lists are never mixed.
REGIONS = {"US": US_STATES, "CA": CA_PROVINCES}

# Country names as a sentence uses them ("in the United States").
COUNTRY_NAMES = {
    "US": "the United States", "CA": "Canada", "GB": "the United Kingdom",
    "IE": "Ireland", "AU": "Australia", "NZ": "New Zealand",
}
COUNTRY = re.compile(r"^[A-Z]{2}$")

# Crisis lines by country. Without a `crisis:` section the profile gets the
# lines of its own country (service_area.country); a country with none built
# in must list its own under `crisis.lines`. Each line: what it is, a number
# to call and/or text (with an optional keyword to text), an optional chat
# address, and an optional note (for example how Deaf callers get through).
CRISIS_DEFAULTS = {
    "US": [
        {"name": "988 Suicide & Crisis Lifeline", "call": "988", "text": "988",
         "chat": "https://988lifeline.org/chat/",
         "description": "Call or text 988, or chat online, at any hour. It is free and confidential.",
         "note": "Deaf or hard of hearing? Call 988 from a videophone to sign with a counselor "
                 "in American Sign Language, or dial 711 and then 988 to use a relay service."},
        {"name": "Crisis Text Line", "text": "741741", "keyword": "HOME",
         "description": "Text HOME to 741741 to reach a trained crisis counselor."},
        {"name": "Emergency services", "call": "911", "emergency": True,
         "description": "If you or someone else is in danger now, call 911 or go to the nearest emergency room."},
    ],
    "CA": [
        {"name": "9-8-8 Suicide Crisis Helpline", "call": "988", "text": "988",
         "description": "Call or text 988, at any hour, in English or French."},
        {"name": "Emergency services", "call": "911", "emergency": True,
         "description": "If you or someone else is in danger now, call 911 or go to the nearest emergency department."},
    ],
    "GB": [
        {"name": "Samaritans", "call": "116 123",
         "description": "Call 116 123 for free, day or night, to talk to someone who will listen."},
        {"name": "Shout", "text": "85258", "keyword": "SHOUT",
         "description": "Text SHOUT to 85258 if texting feels easier than talking."},
        {"name": "NHS 111", "call": "111",
         "description": "For urgent help that is not an emergency, call 111. In England and Wales, "
                        "choose the mental health option; in Scotland, NHS 24 answers on 111."},
        {"name": "Emergency services", "call": "999", "emergency": True,
         "description": "If you or someone else is in danger now, call 999 or go to A&E."},
    ],
    "IE": [
        {"name": "Samaritans", "call": "116 123",
         "description": "Call 116 123 for free, day or night."},
        {"name": "Text About It", "text": "50808", "keyword": "HELLO",
         "description": "Text HELLO to 50808."},
        {"name": "Emergency services", "call": "112", "emergency": True,
         "description": "If you or someone else is in danger now, call 112 or 999."},
    ],
    "AU": [
        {"name": "Lifeline", "call": "13 11 14", "text": "0477 13 11 14",
         "description": "Call 13 11 14 or text 0477 13 11 14, any time."},
        {"name": "Emergency services", "call": "000", "emergency": True,
         "description": "If you or someone else is in danger now, call 000."},
    ],
}

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
TOP_KEYS = {
    "name", "description", "timezone", "currency", "contact", "office_hours",
    "service_area", "clinicians", "formats", "cancellation", "crisis",
    "eligibility", "intake", "comments", "headline", "locale", "brand", "session", "waiting_time",
    "consultation", "payment", "privacy_contact",
}


TIMEZONE_LABELS = {
    "America/New_York": "US Eastern Time", "America/Chicago": "US Central Time",
    "America/Denver": "US Mountain Time", "America/Phoenix": "Arizona time",
    "America/Los_Angeles": "US Pacific Time", "America/Anchorage": "Alaska time",
    "Pacific/Honolulu": "Hawaii time", "Europe/London": "UK time",
    "Europe/Dublin": "Irish time",
}


def days_label(days):
    """``[Monday, Tuesday, Wednesday]`` -> ``Monday to Wednesday``."""
    idx = [DAYS.index(d) for d in days]
    if len(idx) > 2 and idx == list(range(idx[0], idx[0] + len(idx))):
        return f"{days[0]} to {days[-1]}"
    if len(days) > 1:
        return ", ".join(days[:-1]) + " and " + days[-1]
    return days[0]


CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "GBP": "£", "EUR": "€"}


def money(amount, currency):
    """``120`` -> ``$120``; ``87.5`` -> ``$87.50``."""
    symbol = CURRENCY_SYMBOLS.get(currency)
    figure = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{symbol}{figure}" if symbol else f"{figure} {currency}"


def load_profile(path, build_mode="development"):
    """Load and check the profile; returns plain dicts for the templates.

    ``build_mode`` is the ``BUILD_MODE`` setting: publish builds are stricter
    (the intake form's endpoint must be https).
    """
    return profile_from_data(read_yaml(path), path, build_mode)


def profile_from_data(data, path, build_mode="development"):
    """Check the profile's parsed ``data`` (read from ``path``)."""
    check(Practice, data, path)  # the shape: keys, types, sizes
    c = Checker(path)
    c.mapping(data, "")
    c.unknown_keys(data, TOP_KEYS, "")

    profile = {
        "name": c.text(data, "name", ""),
        "description": c.text(data, "description", ""),
        "currency": c.text(data, "currency", "", required=False, default="USD"),
        "waiting_time": c.text(data, "waiting_time", "", required=False),
    }
    tz = c.text(data, "timezone", "")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        c.fail("timezone", f"{tz!r} is not a time zone name (for example America/Chicago)")
    profile["timezone"] = tz
    profile["timezone_label"] = TIMEZONE_LABELS.get(tz, tz.replace("_", " "))

    profile["contact"] = _contact(c, c.mapping(data.get("contact"), "contact"))
    profile["office_hours"] = _office_hours(c, data)
    profile["service_area"] = _service_area(c, c.mapping(data.get("service_area"), "service_area"))
    profile["country_name"] = country_name(profile["service_area"]["country"])
    profile["clinicians"] = _clinicians(c, data, profile["service_area"]["country"])
    _check_area_is_licensed(c, profile)
    profile["headline"] = c.text(data, "headline", "", required=False, default=profile["description"])
    profile["locale"] = _locale(c, data, profile["service_area"]["country"])
    for hours in profile["office_hours"]:
        hours["opens_label"] = time_label(hours["opens"], profile["locale"]["clock12"])
        hours["closes_label"] = time_label(hours["closes"], profile["locale"]["clock12"])
    profile["brand"] = brand.load(c, data.get("brand"))
    profile["session"] = _session(c, data.get("session"))
    profile["formats"] = _formats(c, data, profile["session"])
    profile["cancellation"] = _cancellation(c, data.get("cancellation"))
    profile["consultation"] = _consultation(c, data.get("consultation"), profile["currency"])
    profile["payment"] = _payment(c, data.get("payment"))
    profile["privacy_contact"] = _privacy_contact(c, data.get("privacy_contact"), profile["contact"])
    profile["crisis"] = _crisis(c, data.get("crisis"), profile["service_area"]["country"])
    profile["comments"] = _comments(c, data.get("comments"))
    profile["eligibility"] = eligibility.load(c, data.get("eligibility"), profile)
    profile["intake"] = intake.load(c, data.get("intake"), profile, build_mode)
    profile["_raw"] = data
    return profile


def _contact(c, data):
    c.unknown_keys(data, {"email", "phone", "address"}, "contact")
    email = c.text(data, "email", "contact")
    if not EMAIL.match(email):
        c.fail("contact.email", f"{email!r} is not an email address")
    phone = c.text(data, "phone", "contact", required=False)
    if phone and not PHONE.match(phone):
        c.fail("contact.phone", f"{phone!r} is not a phone number")
    contact = {"email": email, "phone": phone, "phone_href": tel_href(phone) if phone else None}
    if data.get("address") is not None:
        addr = c.mapping(data["address"], "contact.address")
        keys = ("street", "locality", "region", "postal_code", "country")
        c.unknown_keys(addr, set(keys), "contact.address")
        contact["address"] = {k: c.text(addr, k, "contact.address") for k in keys}
    else:
        contact["address"] = None
    return contact


def _office_hours(c, data):
    hours = []
    for field, item in c.items(data, "office_hours", ""):
        c.mapping(item, field)
        c.unknown_keys(item, {"days", "opens", "closes"}, field)
        days = item.get("days")
        if isinstance(days, str):
            days = [d.strip() for d in days.split(",")]
        if not isinstance(days, list) or not days:
            c.fail(f"{field}.days", "must list days of the week")
        for day in days:
            if day not in DAYS:
                c.fail(f"{field}.days", f"{day!r} is not a day of the week ({', '.join(DAYS)})")
        opens = c.text(item, "opens", field)
        closes = c.text(item, "closes", field)
        for key, value in (("opens", opens), ("closes", closes)):
            if not TIME.match(value):
                c.fail(f"{field}.{key}", f"{value!r} is not a time like 09:00 (quote it in YAML)")
        if closes <= opens:
            c.fail(f"{field}.closes", f"{closes} is not after opens ({opens})")
        hours.append({"days": days, "opens": opens, "closes": closes, "label": days_label(days)})
    return hours


def country_name(code):
    return COUNTRY_NAMES.get(code, code)


def _service_area(c, data):
    c.unknown_keys(data, {"country", "states", "countries"}, "service_area")
    country = c.text(data, "country", "service_area").upper()
    if not COUNTRY.match(country):
        c.fail("service_area.country",
               f"{country!r} is not a two-letter country code (for example US, GB or CA)")
    regions = REGIONS.get(country)
    states = []
    for field, code in c.items(data, "states", "service_area", required=country == "US"):
        code = str(code).strip().upper()
        if regions is not None and code not in regions:
            c.fail(field, f"{code!r} is not a {region_word(country)} code "
                          f"(for example {next(iter(regions))})")
        if code in states:
            c.fail(field, f"{code} is listed twice")
        states.append(code)
    names = regions or {}
    return {
        "country": country,
        "states": [{"code": s, "name": names.get(s, s)} for s in states],
        "codes": states,
    }


def region_word(country):
    return {"US": "US state", "CA": "Canadian province or territory"}.get(country, "region")


def _clinicians(c, data, country="US"):
    clinicians = []
    regions = REGIONS.get(country)
    for field, item in c.items(data, "clinicians", ""):
        c.mapping(item, field)
        c.unknown_keys(item, {"name", "credentials", "title", "bio", "licences", "languages",
                              "training", "helps_with", "photo", "photo_alt"}, field)
        licences = []
        for lfield, lic in c.items(item, "licences", field):
            c.mapping(lic, lfield)
            c.unknown_keys(lic, {"state", "type", "number", "board"}, lfield)
            state = c.text(lic, "state", lfield).upper()
            if regions is not None and state not in regions:
                c.fail(f"{lfield}.state", f"{state!r} is not a {region_word(country)} code "
                                          f"(for example {next(iter(regions))})")
            board = None
            if lic.get("board") is not None:
                raw = c.mapping(lic["board"], f"{lfield}.board")
                c.unknown_keys(raw, {"name", "url"}, f"{lfield}.board")
                board = {"name": c.text(raw, "name", f"{lfield}.board"),
                         "url": c.url(raw, "url", f"{lfield}.board", https_only=True,
                                      required=False)}
            licences.append({
                "state": state,
                "state_name": (regions or {}).get(state, state),
                "type": c.text(lic, "type", lfield),
                "number": c.text(lic, "number", lfield),
                "board": board,
            })
        clinicians.append({
            "name": c.text(item, "name", field),
            "credentials": c.text(item, "credentials", field),
            "title": c.text(item, "title", field),
            "bio": c.text(item, "bio", field, required=False),
            "languages": _text_list(c, item, "languages", field) or ["English"],
            "training": _text_list(c, item, "training", field),
            "helps_with": _text_list(c, item, "helps_with", field),
            "photo_alt": c.text(item, "photo_alt", field, required=False),
            "licences": licences,
            "photo": _photo(c, item, field),
        })
    return clinicians


def _text_list(c, data, key, field):
    values = []
    for ifield, value in c.items(data, key, field, required=False):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
            c.fail(ifield, "must be a short text")
        values.append(str(value).strip())
    return values


def and_list(items, word="and"):
    """``[a, b, c]`` -> ``a, b and c``."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _photo(c, item, field):
    """``photo`` (a file under content/, e.g. images/portrait.png) needs its
    ``photo_alt``: what a person who cannot see the picture should know."""
    file = c.text(item, "photo", field, required=False)
    alt = c.text(item, "photo_alt", field, required=False)
    if file is None:
        return None
    if not alt:
        c.fail(f"{field}.photo_alt", "is required with a photo: describe the picture in a few "
               "words for people who cannot see it")
    if file.startswith(("/", "http:", "https:", "//")) or ".." in file.split("/"):
        c.fail(f"{field}.photo", f"{file!r} must be a file inside content/, like images/portrait.png")
    if not re.search(r"\.(png|jpe?g|webp)$", file, re.I):
        c.fail(f"{field}.photo", f"{file!r} must be a PNG, JPEG or WebP image")
    return {"file": file, "alt": alt}


# 12-hour clocks and US spelling: by the locale, or the practice's country.
LOCALES = {
    "en-US": {"clock12": True, "license": "license", "licenses": "licenses", "og": "en_US"},
    "en-GB": {"clock12": False, "license": "licence", "licenses": "licences", "og": "en_GB"},
    "en-IE": {"clock12": False, "license": "licence", "licenses": "licences", "og": "en_IE"},
    "en-AU": {"clock12": False, "license": "licence", "licenses": "licences", "og": "en_AU"},
    "en-CA": {"clock12": True, "license": "licence", "licenses": "licences", "og": "en_CA"},
}
COUNTRY_LOCALES = {"US": "en-US", "GB": "en-GB", "IE": "en-IE", "AU": "en-AU", "CA": "en-CA"}


def _locale(c, data, country):
    tag = c.text(data, "locale", "", required=False)
    if tag is None:
        tag = COUNTRY_LOCALES.get(str(country).upper(), "en-US")
    if tag not in LOCALES:
        c.fail("locale", f"{tag!r} is not a locale the site knows ({', '.join(LOCALES)})")
    return dict(LOCALES[tag], tag=tag)


def time_label(value, clock12):
    """``"09:00"`` -> ``9 a.m.``, ``"13:30"`` -> ``1:30 p.m.``, ``"12:00"`` ->
    ``noon`` on a 12-hour clock (AP style); unchanged on a 24-hour one."""
    if not clock12:
        return value
    hour, minute = (int(part) for part in value.split(":"))
    if (hour, minute) == (12, 0):
        return "noon"
    if (hour, minute) == (0, 0):
        return "midnight"
    suffix = "a.m." if hour < 12 else "p.m."
    hour = hour % 12 or 12
    return f"{hour}:{minute:02d} {suffix}" if minute else f"{hour} {suffix}"


def _check_area_is_licensed(c, profile):
    licensed = {lic["state"] for cl in profile["clinicians"] for lic in cl["licences"]}
    for i, code in enumerate(profile["service_area"]["codes"]):
        if code not in licensed:
            c.fail(f"service_area.states[{i}]",
                   f"{code} is not a state any clinician holds a licence in")


def _session(c, data):
    if data is None:
        data = {}
    c.mapping(data, "session")
    c.unknown_keys(data, {"minutes", "frequency"}, "session")
    minutes = c.integer(data, "minutes", "session", required=False, default=50, minimum=10)
    if minutes > 240:
        c.fail("session.minutes", f"must be a session length in minutes, not {minutes}")
    return {"minutes": minutes,
            "frequency": c.text(data, "frequency", "session", required=False,
                                default="weekly or every other week")}


def _formats(c, data, session=None):
    session = session or {"minutes": 50}
    formats, seen = [], set()
    for field, item in c.items(data, "formats", ""):
        c.mapping(item, field)
        c.unknown_keys(item, {"id", "name", "description", "fee", "fee_unit",
                              "reply", "online", "live"}, field)
        fid = c.identifier(item, "id", field, seen)
        seen.add(fid)
        live = c.boolean(item, "live", field, True)
        # A live session's fee is per session of the profile's length unless
        # the format says otherwise; a format that is not live must say.
        unit = c.text(item, "fee_unit", field, required=not live,
                      default=f"per {session['minutes']}-minute session")
        formats.append({
            "id": fid,
            "name": c.text(item, "name", field),
            "description": c.text(item, "description", field),
            "fee": c.number(item, "fee", field),
            "fee_display": money(item["fee"], data.get("currency", "USD")),
            "fee_unit": unit,
            "reply": c.text(item, "reply", field),
            "online": c.boolean(item, "online", field, True),
            "live": live,
        })
    return formats


def _comments(c, data):
    """``comments.approval``: when comments are usually approved, as words
    that follow "usually" ("within two working days"). Optional."""
    if data is None:
        return {"approval": None}
    c.mapping(data, "comments")
    c.unknown_keys(data, {"approval"}, "comments")
    return {"approval": c.text(data, "approval", "comments", required=False)}


def fee_share(percent):
    """50 -> "half the session fee"."""
    if percent == 0:
        return "no fee"
    if percent == 100:
        return "the full session fee"
    if percent == 50:
        return "half the session fee"
    return f"{percent}% of the session fee"


def _cancellation(c, data):
    """``cancellation``: notice and fees as numbers, so that every page that
    states them (the fees page, the FAQ, the footer of the Fees table) says
    the same."""
    if data is None:
        return None
    c.mapping(data, "cancellation")
    c.unknown_keys(data, {"notice_hours", "late_fee_percent", "no_show_fee_percent"}, "cancellation")
    hours = c.integer(data, "notice_hours", "cancellation", minimum=0)
    late = c.integer(data, "late_fee_percent", "cancellation", minimum=0)
    missed = c.integer(data, "no_show_fee_percent", "cancellation", required=False, default=late,
                       minimum=0)
    for key, value in (("late_fee_percent", late), ("no_show_fee_percent", missed)):
        if value > 100:
            c.fail(f"cancellation.{key}", f"must be a percentage of the session fee (0 to 100), not {value}")
    late_text, missed_text = fee_share(late), fee_share(missed)
    if late_text == missed_text:
        fees = f"cancellations with less notice, and missed sessions, are charged {late_text}"
        if late == 0:
            fees = "there is no charge for a later cancellation or a missed session"
    else:
        fees = (f"later cancellations are charged {late_text}, and a missed session "
                f"without notice {missed_text}")
    text = (f"Please cancel or move a booked session at least {hours} hours ahead; {fees}.")
    return {"text": text, "notice_hours": hours, "late_fee": late_text, "no_show_fee": missed_text}


def _consultation(c, data, currency):
    if data is None:
        return None
    c.mapping(data, "consultation")
    c.unknown_keys(data, {"minutes", "fee", "by"}, "consultation")
    minutes = c.integer(data, "minutes", "consultation", minimum=5)
    fee = c.number(data, "fee", "consultation", required=False, default=0)
    return {"minutes": minutes, "fee": fee,
            "fee_display": "free" if not fee else money(fee, currency),
            "by": c.text(data, "by", "consultation", required=False, default="phone or video")}


def _payment(c, data):
    if data is None:
        return None
    c.mapping(data, "payment")
    c.unknown_keys(data, {"methods", "charged", "hsa_fsa", "superbills", "sliding_scale",
                          "messaging_includes"}, "payment")
    methods = _text_list(c, data, "methods", "payment")
    if not methods:
        c.fail("payment.methods", "list the ways clients can pay, for example [credit or debit card]")
    return {
        "methods": methods,
        "methods_text": and_list(methods, "or"),
        "charged": c.text(data, "charged", "payment"),
        "hsa_fsa": c.boolean(data, "hsa_fsa", "payment", False),
        "superbills": c.boolean(data, "superbills", "payment", False),
        "sliding_scale": c.text(data, "sliding_scale", "payment", required=False),
        "messaging_includes": c.text(data, "messaging_includes", "payment", required=False),
    }


def _privacy_contact(c, data, contact):
    """Who answers questions about the Notice of Privacy Practices."""
    if data is None:
        return None
    c.mapping(data, "privacy_contact")
    c.unknown_keys(data, {"name", "email", "phone"}, "privacy_contact")
    email = c.text(data, "email", "privacy_contact", required=False, default=contact["email"])
    if not EMAIL.match(email):
        c.fail("privacy_contact.email", f"{email!r} is not an email address")
    phone = c.text(data, "phone", "privacy_contact", required=False, default=contact["phone"])
    if phone and not PHONE.match(phone):
        c.fail("privacy_contact.phone", f"{phone!r} is not a phone number")
    return {"name": c.text(data, "name", "privacy_contact"), "email": email, "phone": phone,
            "phone_href": tel_href(phone) if phone else None}


def _crisis(c, data, country="US"):
    """The crisis lines: the profile's own, or those built in for the
    practice's country (``service_area.country``)."""
    if data is None:
        data = {}
    c.mapping(data, "crisis")
    c.unknown_keys(data, {"country", "lines"}, "crisis")
    given = c.text(data, "country", "crisis", required=False)
    if given and given.upper() != country:
        c.fail("crisis.country",
               f"{given.upper()!r} ({country_name(given.upper())}) is not the practice's country, "
               f"{country} ({country_name(country)}, service_area.country): crisis lines follow "
               "the country clients are in; remove crisis.country or list the lines under crisis.lines")
    if "lines" not in data:
        if country not in CRISIS_DEFAULTS:
            c.fail("crisis",
                   f"no crisis lines are built in for {country} (service_area.country); "
                   "list the crisis lines and the emergency number of that country under crisis.lines")
        raw = CRISIS_DEFAULTS[country]
    else:
        raw = data["lines"]
        if not isinstance(raw, list) or not raw:
            c.fail("crisis.lines", "must be a non-empty list")
    lines = []
    for i, item in enumerate(raw):
        field = f"crisis.lines[{i}]"
        c.mapping(item, field)
        c.unknown_keys(item, {"name", "call", "text", "keyword", "chat", "description", "note",
                              "emergency"}, field)
        call = c.text(item, "call", field, required=False)
        text = c.text(item, "text", field, required=False)
        if not call and not text:
            c.fail(f"{field}.call", "a crisis line needs a number to call or to text")
        for key, value in (("call", call), ("text", text)):
            if value and not PHONE.match(value):
                c.fail(f"{field}.{key}", f"{value!r} is not a phone number")
        keyword = c.text(item, "keyword", field, required=False)
        sms = None
        if text:
            sms = "sms:" + tel_href(text) + (f"?body={keyword}" if keyword else "")
        lines.append({
            "name": c.text(item, "name", field),
            "description": c.text(item, "description", field),
            "note": c.text(item, "note", field, required=False),
            "call": call, "call_href": f"tel:{tel_href(call)}" if call else None,
            "text": text, "keyword": keyword, "text_href": sms,
            "chat": c.url(item, "chat", field, https_only=True, required=False),
            "emergency": c.boolean(item, "emergency", field, False),
        })
    if not any(line["emergency"] for line in lines):
        c.fail("crisis.lines", "one line must be the emergency number (emergency: yes)")
    emergency = next(line for line in lines if line["emergency"])
    first = lines[0]
    ways = [w for w in (first["call"] and "call", first["text"] and "text") if w]
    number = first["call"] or first["text"]
    if first["call"] and first["text"] and first["call"] != first["text"]:
        how = f"call {first['call']} or text {first['text']}"
    else:
        how = " or ".join(ways) + f" {number}"
    return {"country": country, "country_name": country_name(country), "lines": lines,
            "emergency": emergency,
            # "call or text 988": how to reach the first line, for sentences in articles.
            "first_how": how}
