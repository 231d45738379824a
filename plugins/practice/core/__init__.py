"""The practice's facts and rules, without Pelican.

Everything a page, the request inbox or an editor's schema needs to know
about the practice is decided here: the profile (``content/practice.yaml``),
the eligibility check, the request form's fields and how a submission is
checked, and the offers with their schedule. Every mistake is one
:class:`ContentError` line (``FILE: FIELD: message``).

Nothing in this package imports Pelican, Markdown or the build's speed-ups.
"""

from .errors import ContentError

__all__ = ["ContentError"]
