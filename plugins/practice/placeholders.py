"""Facts from the practice profile inside the text of pages and articles.

A page's text should not repeat a fact that ``content/practice.yaml``
decides, or the two drift apart. Where the text needs one, write its
placeholder; every build fills it in from the profile. For example
"You need to be {minimum_age} or older." The placeholders, and the profile
field each one reads, are in ``PLACEHOLDERS`` below (and in docs/profile.md).

A page that uses a placeholder whose fact the profile leaves out (say
``{consultation_minutes}`` without a ``consultation`` section) stops the
build with one line naming the page and the placeholder.

Placeholders work in paragraphs, lists and tables and in ``Summary``; not in
headings (Markdown would read ``{...}`` there as the heading's attributes,
and the heading's anchor would carry the placeholder's name) and not in
``Title``.
"""

import re

from .core.errors import ContentError


def _get(*path):
    """A reader for ``practice[path[0]][path[1]]...``; None when a part is missing."""
    def read(practice):
        value = practice
        for key in path:
            if value is None:
                return None
            value = value[key] if isinstance(key, int) else value.get(key)
        return value
    return read


def _languages(practice):
    seen = []
    for clinician in practice["clinicians"]:
        for language in clinician["languages"]:
            if language not in seen:
                seen.append(language)
    from .core.profile import and_list
    return and_list(seen)


# placeholder: (reader, the profile field it comes from)
PLACEHOLDERS = {
    "minimum_age": (_get("eligibility", "minimum_age"), "eligibility.minimum_age"),
    "practice_name": (_get("name"), "name"),
    "email": (_get("contact", "email"), "contact.email"),
    "counselor": (_get("clinicians", 0, "name"), "clinicians[0].name"),
    "languages": (_languages, "clinicians[].languages"),
    "country_name": (_get("country_name"), "service_area.country"),
    "waiting_time": (_get("waiting_time"), "waiting_time"),
    "session_minutes": (_get("session", "minutes"), "session.minutes"),
    "session_frequency": (_get("session", "frequency"), "session.frequency"),
    "consultation_minutes": (_get("consultation", "minutes"), "consultation.minutes"),
    "consultation_fee": (_get("consultation", "fee_display"), "consultation.fee"),
    "consultation_by": (_get("consultation", "by"), "consultation.by"),
    "cancellation": (_get("cancellation", "text"), "cancellation"),
    "notice_hours": (_get("cancellation", "notice_hours"), "cancellation.notice_hours"),
    "late_fee": (_get("cancellation", "late_fee"), "cancellation.late_fee_percent"),
    "no_show_fee": (_get("cancellation", "no_show_fee"), "cancellation.no_show_fee_percent"),
    "payment_methods": (_get("payment", "methods_text"), "payment.methods"),
    "payment_charged": (_get("payment", "charged"), "payment.charged"),
    "sliding_scale": (_get("payment", "sliding_scale"), "payment.sliding_scale"),
    "messaging_includes": (_get("payment", "messaging_includes"), "payment.messaging_includes"),
    "privacy_contact": (_get("privacy_contact", "name"), "privacy_contact.name"),
    "privacy_email": (_get("privacy_contact", "email"), "privacy_contact.email"),
    "emergency_number": (_get("crisis", "emergency", "call"), "crisis.lines (emergency)"),
    "crisis_line": (_get("crisis", "lines", 0, "name"), "crisis.lines[0].name"),
    "crisis_how": (_get("crisis", "first_how"), "crisis.lines[0]"),
}
NAME = re.compile(r"\{(%s)\}" % "|".join(PLACEHOLDERS))


def values(practice):
    """Every placeholder's text (None where the profile leaves the fact out)."""
    found = {}
    for name, (read, _field) in PLACEHOLDERS.items():
        value = read(practice)
        found[name] = None if value is None or value == "" else str(value)
    return found


def fill_text(text, known, path, strict=True):
    """``text`` with each placeholder replaced by its fact. A placeholder
    whose fact the profile leaves out stops the build (``strict``) or, in a
    draft or a scheduled post, stays as it is."""
    if not isinstance(text, str) or "{" not in text:
        return text

    def one(match):
        value = known[match.group(1)]
        if value is None:
            if not strict:
                return match.group(0)
            raise ContentError(path, "{%s}" % match.group(1),
                               f"the profile has no {PLACEHOLDERS[match.group(1)][1]} "
                               "to fill this in with: add it to practice.yaml or "
                               "reword the text")
        return value
    return NAME.sub(one, text)


_loaded = {}  # (profile path, mtime, build mode) -> values


def _facts(settings):
    """The placeholders' texts from the profile ``settings`` name (loaded
    once per change of the file)."""
    import os

    from .core.profile import load_profile

    path = os.path.join(settings["PATH"], settings.get("PRACTICE_PROFILE", "practice.yaml"))
    mode = settings.get("BUILD_MODE", "development")
    key = (path, os.stat(path).st_mtime_ns, mode)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = values(load_profile(os.path.relpath(path), mode))
    return _loaded[key]


def _unpublished(metadata):
    if str(metadata.get("status", "")).lower() == "draft":
        return True
    from .drafts import _now

    date = metadata.get("date")
    return hasattr(date, "tzinfo") and date > _now(date)


def fill_read(settings, source_path, content, metadata):
    """Fill the placeholders in what a reader returns (its public ``read``):
    the body, ``Summary`` and the outline (``toc_html``). Called by the
    project's readers (markup.TocMarkdownReader, readers), so the filled
    text is what Pelican's reader cache keeps (its key covers the facts,
    ``cache_facts``)."""
    from .core.files import display_path

    known = _facts(settings)
    path, strict = display_path(source_path), not _unpublished(metadata)
    content = fill_text(content, known, path, strict)
    for key in ("summary", "toc_html"):
        if metadata.get(key):
            metadata[key] = fill_text(metadata[key], known, path, strict)
    return content, metadata


def cache_facts(settings):
    """What the filled text depends on, for the reader cache's key."""
    try:
        return sorted(_facts(settings).items())
    except Exception:  # the profile's own error is reported where it is loaded
        return None
