"""Start a new article as a draft: ``make newpost TITLE="How to ..."``.

Writes ``content/articles/<slug>.md`` with the metadata every article needs
(Title, Date, Reviewed, Category, Tags, Slug, Summary, Status: draft) and a
few lines to replace, then prints the file's path. It never overwrites a
file, and refuses a title whose slug another article already uses.

The draft shows in ``make serve``, marked "Draft"; delete the ``Status:
draft`` line when it is ready to publish.

Usage: python -m practice.tools.newpost "How to prepare for a first session"
       (or TITLE=..., and optionally CATEGORY=... and TAGS=..., in the environment)
"""

import argparse
import collections
import datetime
import os
import re
import sys
import zoneinfo

METADATA_LINE = re.compile(r"^([A-Za-z_]+):\s*(.*)$")

BODY = """\
Start with two or three short sentences that tell the reader what this
article will give them.

## A first heading

Write in short sentences and everyday words. Run `make lint` to see the
reading level of every article; aim for US grade 9 or below.
"""


def read_metadata(path):
    """The metadata block at the top of a Markdown file (lower-case keys)."""
    meta = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            match = METADATA_LINE.match(line.rstrip("\n"))
            if not match:
                break
            meta[match.group(1).lower()] = match.group(2).strip()
    return meta


def existing_articles(folder):
    for root, _dirs, files in os.walk(folder):
        for name in sorted(files):
            if name.endswith((".md", ".markdown")):
                path = os.path.join(root, name)
                yield path, read_metadata(path)


def practice_timezone(settings):
    """The practice's time zone: ``timezone`` in content/practice.yaml (the
    build sets TIMEZONE from it; the settings file does not have it)."""
    from practice.core.errors import ContentError
    from practice.core.yamlfile import read_yaml

    path = os.path.join(settings["PATH"], settings.get("PRACTICE_PROFILE") or "practice.yaml")
    try:
        return zoneinfo.ZoneInfo(read_yaml(path)["timezone"])
    except (ContentError, TypeError, KeyError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        return zoneinfo.ZoneInfo("UTC")


def usual_category(articles, default):
    """The category most articles use, so a new post starts in familiar company."""
    counts = collections.Counter(meta["category"] for _p, meta in articles if meta.get("category"))
    if not counts:
        return default
    best = max(counts.values())
    return sorted(name for name, count in counts.items() if count == best)[0]


def new_post(title, settings_file="pelicanconf.py", category=None, tags="", now=None):
    """Create the draft; returns its path. Raises ValueError with a message to show."""
    from pelican.settings import read_settings
    from pelican.utils import slugify

    title = " ".join((title or "").split())
    if not title:
        raise ValueError('give the post a title: make newpost TITLE="How to prepare for a first session"')
    settings = read_settings(settings_file)
    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        raise ValueError(f"{title!r} has no letters or digits to make a file name from")

    folder = os.path.join(settings["PATH"], settings["ARTICLE_PATHS"][0])
    path = os.path.relpath(os.path.join(folder, f"{slug}.md"))
    if os.path.exists(path):
        raise ValueError(f"{path} already exists; choose another title or edit that file")
    articles = list(existing_articles(folder))
    for other, meta in articles:
        if meta.get("slug") == slug:
            raise ValueError(f"{os.path.relpath(other)} already uses the slug {slug!r}; "
                             "choose another title")

    zone = zoneinfo.ZoneInfo(settings["TIMEZONE"]) if settings.get("TIMEZONE") else practice_timezone(settings)
    now = (now or datetime.datetime.now(zone)).astimezone(zone)
    category = " ".join((category or "").split()) or usual_category(
        articles, settings.get("DEFAULT_CATEGORY") or "Articles")
    text = (
        f"Title: {title}\n"
        f"Date: {now:%Y-%m-%d %H:%M}\n"
        f"Reviewed: {now:%Y-%m-%d}\n"
        f"Category: {category}\n"
        f"Tags: {tags.strip()}\n"
        f"Slug: {slug}\n"
        f"Summary: \n"
        f"Status: draft\n"
        f"\n{BODY}"
    )
    os.makedirs(folder, exist_ok=True)
    # "x": create, and fail rather than overwrite if the file appeared meanwhile.
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("title", nargs="?", default=os.environ.get("TITLE", ""))
    parser.add_argument("--category", default=os.environ.get("CATEGORY", ""))
    parser.add_argument("--tags", default=os.environ.get("TAGS", ""))
    parser.add_argument("--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    try:
        path = new_post(args.title, args.settings, args.category, args.tags)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(path)
    print("Draft created: it shows in `make serve`, marked Draft. Fill in Summary and Tags;"
          " delete the `Status: draft` line when it is ready to publish.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
