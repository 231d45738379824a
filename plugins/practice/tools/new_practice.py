"""`make new-practice`: turn the demo into the start of your own practice's site.

    python -m practice.tools.new_practice [--content content] [--examples docs/examples]

- keeps the theme, the plugin, the settings and the pages (their text is
  yours to rewrite);
- moves the demo's articles and offers, and the pages that only exist for an
  offer (an offer's ``Link:``), to docs/examples/ (articles/, offers/,
  pages/), to read and copy from;
- moves the demo's content/practice.yaml to docs/examples/practice.yaml and
  puts a commented template in its place (practice/tools/new-practice/practice.yaml),
  every value to fill in marked FILL IN (a moved file's ``$schema=`` line is
  rewritten to name the same schema from its new folder);
- turns links from the pages to what was moved into plain text, so the site
  builds at once: run `make serve` and fill in the profile.

It refuses to run twice (when docs/examples/ already holds a practice.yaml)
and changes nothing when it refuses.
"""

import argparse
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "new-practice", "practice.yaml")
CONTENT_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown", ".rst", ".html", ".htm")

# [label]({filename}path) and Pelican's older |filename| spelling.
_LINK = re.compile(r"\[([^\]]+)\]\((?:\{filename\}|\|filename\|)([^)#\s]+)(#[^)\s]*)?\)")
_META_LINK = re.compile(r"^(Link|Terms):\s*(.+?)\s*$", re.M | re.I)


# The editor's JSON Schema, named on a file's first line relative to the file.
_SCHEMA_LINE = re.compile(r"^(#\s*yaml-language-server:\s*\$schema=)(\S+)(.*)$", re.M)


def move(src, dst):
    """Move ``src`` to ``dst``; a relative ``$schema=`` path on its first
    line is rewritten so that it still names the same schema file."""
    shutil.move(src, dst)
    try:
        with open(dst, encoding="utf-8") as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return
    first, sep, rest = text.partition("\n")
    match = _SCHEMA_LINE.match(first)
    if not match or "://" in match.group(2) or os.path.isabs(match.group(2)):
        return
    schema = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(src)), match.group(2)))
    moved = os.path.relpath(schema, os.path.dirname(os.path.abspath(dst))).replace(os.sep, "/")
    with open(dst, "w", encoding="utf-8") as f:
        f.write(match.group(1) + moved + match.group(3) + sep + rest)


class Refused(Exception):
    """make new-practice will not run; the message is one line."""


def linked_file(value, here, content):
    """The content file a {filename} path names (relative to ``here``, or to
    content/ when it starts with /)."""
    base = content if value.startswith("/") else here
    return os.path.normpath(os.path.join(base, value.lstrip("/")))


def unlink(text, page_dir, content, removed):
    """``text`` with every {filename} link to a file in ``removed`` made
    plain text (the link's words stay)."""
    def replace(match):
        target = linked_file(match.group(2), page_dir, content)
        return match.group(1) if target in removed else match.group(0)
    return _LINK.sub(replace, text)


def content_files(folder):
    for dirpath, _, names in os.walk(folder):
        for name in sorted(names):
            if name.endswith(CONTENT_EXTENSIONS):
                yield os.path.normpath(os.path.join(dirpath, name))


def offer_pages(offers, content, pages):
    """Pages named by an offer's Link: (a page that exists for the offer)."""
    found = set()
    for offer in content_files(offers):
        with open(offer, encoding="utf-8") as f:
            head = f.read().split("\n\n", 1)[0]
        for field, value in _META_LINK.findall(head):
            if field.lower() != "link":
                continue
            value = value.replace("{filename}", "").replace("|filename|", "")
            target = linked_file(value, os.path.dirname(offer), content)
            if target.startswith(pages + os.sep) and os.path.exists(target):
                found.add(target)
            else:  # a slug: the page file whose name or Slug is that
                for page in content_files(pages):
                    if os.path.splitext(os.path.basename(page))[0] == value.strip("/"):
                        found.add(page)
    return found


def new_practice(content="content", examples=os.path.join("docs", "examples")):
    """Returns a list of lines saying what was done; raises Refused (one
    line) when it will not run."""
    content = os.path.normpath(content)
    articles = os.path.join(content, "articles")
    offers = os.path.join(content, "offers")
    pages = os.path.join(content, "pages")
    profile = os.path.join(content, "practice.yaml")
    if os.path.exists(os.path.join(examples, "practice.yaml")):
        raise Refused(f"{examples}/practice.yaml: already there: "
                         "make new-practice has been run (nothing was changed)")
    for needed in (profile, pages):
        if not os.path.exists(needed):
            raise Refused(f"{needed}: not found: run make new-practice in the "
                             "project's folder (nothing was changed)")

    moves = []  # (from, to)
    for folder, name in ((articles, "articles"), (offers, "offers")):
        for path in content_files(folder):
            moves.append((path, os.path.join(examples, name, os.path.relpath(path, folder))))
    for path in sorted(offer_pages(offers, content, pages)):
        moves.append((path, os.path.join(examples, "pages", os.path.relpath(path, pages))))
    removed = {src for src, _ in moves}

    done = []
    for src, dst in moves:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        move(src, dst)
    if moves:
        done.append(f"moved {len(moves)} demo article, offer and offer-page files to {examples}/")
    os.makedirs(examples, exist_ok=True)
    move(profile, os.path.join(examples, "practice.yaml"))
    shutil.copy(TEMPLATE, profile)
    done.append(f"{profile}: a template to fill in (the demo's is in {examples}/practice.yaml)")
    changed = 0
    for page in content_files(pages):
        with open(page, encoding="utf-8") as f:
            text = f.read()
        new = unlink(text, os.path.dirname(page), content, removed)
        if new != text:
            with open(page, "w", encoding="utf-8") as f:
                f.write(new)
            changed += 1
    if changed:
        done.append(f"{changed} page(s): links to the moved demo files are now plain text")
    with open(os.path.join(examples, "README.md"), "w", encoding="utf-8") as f:
        f.write(EXAMPLES_README)
    return done


EXAMPLES_README = """# Examples from the demo practice

`make new-practice` moved the demo's content here, to read and copy from:

- `articles/`: finished articles with all their metadata (see
  [writing.md](../writing.md)); copy one into `content/articles/` to start
  from it;
- `offers/` and `pages/`: a special offer and the page it links to (see
  [offers.md](../offers.md));
- `practice.yaml`: the demo practice's filled-in profile (see
  [profile.md](../profile.md)).

Nothing here is built into the site.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default="content")
    parser.add_argument("--examples", default=os.path.join("docs", "examples"))
    args = parser.parse_args(argv)
    try:
        lines = new_practice(args.content, args.examples)
    except Refused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    print("next: fill in content/practice.yaml (every FILL IN), rewrite the pages in "
          "content/pages/, then make serve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
