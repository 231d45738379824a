"""SITENAME, TIMEZONE and AUTHOR: Pelican settings the practice profile decides.

Pelican and its feeds read the site's name, time zone and default author
from SITENAME, TIMEZONE and AUTHOR. They are facts of the practice, so the
profile sets them at the start of every build (also each rebuild of `make
serve`): a change in practice.yaml shows in <title>, og:site_name, the
feeds and the article dates as everywhere else. A settings file that sets
one of them to something else stops the build with one line.
"""

from .core.errors import ContentError

SITE_SETTINGS = {
    # setting: (profile field, what it is, value when nobody set it)
    "SITENAME": ("name", "the practice's name", {"A Pelican Blog"}),
    "TIMEZONE": ("timezone", "the practice's time zone", set()),
    "AUTHOR": ("clinicians[0].name", "the default author of articles (the first clinician)", set()),
}
APPLIED = "PRACTICE_SITE_SETTINGS"  # what the last build set, kept in the settings


def site_settings(practice):
    """The settings the profile decides: SITENAME, TIMEZONE, AUTHOR."""
    return {
        "SITENAME": practice["name"],
        "TIMEZONE": practice["timezone"],
        "AUTHOR": practice["clinicians"][0]["name"],
    }


def apply_site_settings(settings, practice, path, context=None):
    """Set SITENAME, TIMEZONE and AUTHOR in ``settings`` (and ``context``, the
    generators' copy) from the profile at ``path``; a different value set in
    the settings file is a ContentError."""
    applied = settings.get(APPLIED) or {}
    values = site_settings(practice)
    for key, value in values.items():
        field, what, defaults = SITE_SETTINGS[key]
        current = settings.get(key)
        unset = current in (None, "") or current in defaults or current == applied.get(key)
        if not unset and current != value:
            raise ContentError(
                path, field,
                f"the settings also set {key} = {current!r}, which differs from {value!r}; "
                f"{what} is written only here: remove {key} from the settings file")
        settings[key] = value
        if context is not None:
            context[key] = value
    settings[APPLIED] = values
    if context is not None:
        context[APPLIED] = values
