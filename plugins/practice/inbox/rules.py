"""The request form's rules: the same code the build uses, not a copy.

The fields, their checks and the public key come from the practice profile
through the project's own loader; a no-JavaScript post is checked with
:func:`check_submission`, exactly as the page's script checks it.
"""

from practice.core.errors import ContentError
from practice.core.intake import check_submission  # noqa: F401  (the inbox's one rule check)
from practice.core.profile import load_profile


class ProfileProblem(Exception):
    """The profile cannot be loaded: its one ``file: field: message`` line."""


def load_form(path):
    """``{"fields", "public_key", "practice_name"}`` from the profile at ``path``."""
    try:
        profile = load_profile(path)
    except ContentError as exc:
        raise ProfileProblem(exc.line()) from None
    except FileNotFoundError:
        raise ProfileProblem(f"{path}: no practice profile there (set INBOX_PROFILE)") from None
    intake = profile["intake"]
    contact = profile.get("contact") or {}
    return {"fields": intake["fields"], "public_key": intake.get("public_key"),
            "practice_name": profile["name"],
            "contact": {"email": contact.get("email"), "phone": contact.get("phone"),
                        "phone_href": contact.get("phone_href")}}
