"""Small practice sites from a profile the test writes (see ``profile``) and
a few pages, with the project's real theme, plugin and settings. Tests that
need particular facts (a country, an offer, an FAQ) build one of these
instead of relying on the demo's content. (``fixturesite`` is the other
kind: the demo's pages and profile with the test's own articles.)"""

import copy
import shutil

import yaml

from conftest import ROOT, run_build


def profile(country="US", states=("IL",), crisis=None, **extra):
    """A valid practice.yaml (as a dict) for a practice in ``country``."""
    regions = list(states) if states else []
    data = {
        "name": "Fixture Practice",
        "description": "A practice the tests made up.",
        "timezone": {"US": "America/Chicago", "GB": "Europe/London", "CA": "America/Toronto",
                     "FR": "Europe/Paris", "NL": "Europe/Amsterdam"}.get(country, "UTC"),
        "currency": {"US": "USD", "GB": "GBP", "CA": "CAD"}.get(country, "EUR"),
        "contact": {"email": "office@fixture-practice.test"},
        "office_hours": [{"days": ["Monday"], "opens": "09:00", "closes": "17:00"}],
        "service_area": {"country": country, **({"states": regions} if regions else {})},
        "clinicians": [{
            "name": "Sam Fixture", "credentials": "MA", "title": "Counselor",
            "licences": [{"state": code, "type": "Licensed Counselor", "number": f"F-{i}"}
                         for i, code in enumerate(regions or ["XX"])],
        }],
        "formats": [{"id": "video", "name": "Video", "description": "By video.", "fee": 100,
                     "reply": "Live"}],
        "eligibility": {
            "questions": [{
                "id": "safety", "text": "Are you in danger right now?",
                "options": [{"label": "Yes", "next": "crisis", "safety": True},
                            {"label": "No", "next": "ok"}]}],
            "outcomes": [
                {"name": "crisis", "title": "Get help now", "text": "Call now.", "crisis": True},
                {"name": "ok", "title": "You can ask", "text": "Ask for a session.",
                 "links": [{"text": "Ask", "url": "/intake/"}]},
            ],
        },
        "intake": {"reply_time": "within two days", "fields": [
            {"name": "email", "label": "Email", "type": "email", "required": True},
            {"name": "not_emergency", "label": "Not for emergencies.", "type": "acknowledgement",
             "required": True, "link": {"text": "Crisis lines", "url": "/crisis/"}},
        ]},
    }
    if crisis is not None:
        data["crisis"] = crisis
    data.update(copy.deepcopy(extra))
    return data


PAGES = {
    "crisis.md": "Title: Crisis\nSlug: crisis\nPractice: crisis\n\n"
                 "If you are in danger, call {emergency_number}. These lines are for people "
                 "in {country_name}.\n",
    "intake.md": "Title: Ask for a session\nSlug: intake\nTemplate: intake\n\nThe form.\n",
    "eligibility.md": "Title: Check\nSlug: eligibility\nTemplate: eligibility\n\nThe check.\n",
}


def write_site(dest, data, pages=None, articles=None, offers=None):
    """A project folder at ``dest`` with this profile and these pages."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("theme", "plugins", "tools"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, dest / name)
    content = dest / "content"
    for folder in ("pages", "articles", "images", "offers"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (content / "practice.yaml").write_text(
        data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    for name, text in {**PAGES, **(pages or {})}.items():
        (content / "pages" / name).write_text(text)
    for name, text in (articles or {}).items():
        (content / "articles" / name).write_text(text)
    for name, text in (offers or {}).items():
        (content / "offers" / name).write_text(text)
    return dest


def build_site(dest, data, settings="pelicanconf.py", **files):
    """Write and build a fixture site; returns (project, output, CompletedProcess)."""
    project = write_site(dest, data, **files)
    out = project / "output"
    return project, out, run_build(settings, out, cwd=project)
