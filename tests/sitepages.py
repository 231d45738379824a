"""Helpers for reading the built site in tests."""

import json
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def html_files(site):
    return sorted(p for p in Path(site).rglob("*.html"))


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def metadata(path):
    """The metadata block of a content Markdown file, as a lower-cased dict."""
    meta = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    if "slug" not in meta and meta.get("title"):
        # Without a Slug, Pelican makes one of the title (SLUGIFY_SOURCE).
        from pelican.settings import DEFAULT_CONFIG
        from pelican.utils import slugify

        meta["slug"] = slugify(meta["title"], regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    return meta


def jsonld(doc):
    return [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
