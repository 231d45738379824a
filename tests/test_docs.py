"""The documentation a therapist reads: a short README that leads into docs/,
and every relative link between them (files and #anchors) leads somewhere.

Links are found by rendering each file with Python-Markdown (so examples in
code blocks and code spans are not mistaken for links); anchors are the
heading slugs GitHub and most Markdown viewers make."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def doc_files():
    """README and docs/, but not the content examples `make new-practice`
    moves to docs/examples/ (Pelican content, whose links are {filename}
    links for the build)."""
    examples = DOCS / "examples"
    return [README, *sorted(p for p in DOCS.rglob("*.md")
                            if examples not in p.parents or p.parent == examples)]


class _Collector(HTMLParser):
    """Hrefs and heading texts of rendered Markdown."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.headings = [], []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href") is not None:
            self.hrefs.append(dict(attrs)["href"])
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)


def parse(path):
    collector = _Collector()
    collector.feed(markdown.markdown(path.read_text(encoding="utf-8"),
                                     extensions=["extra"]))
    return collector


def github_slug(text):
    """The anchor GitHub gives a heading: lower case, punctuation dropped,
    each space a hyphen."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    seen, result = {}, set()
    for heading in parse(path).headings:
        slug = github_slug(heading)
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        result.add(slug if n == 0 else f"{slug}-{n}")
    return result


def relative_links(path):
    for href in parse(path).hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue  # another website, or mailto:
        yield href, parts


def broken_links(path):
    problems = []
    for href, parts in relative_links(path):
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if ROOT not in target.parents and target != ROOT:
            problems.append(f"{href}: leads outside the project")
            continue
        if not target.exists():
            problems.append(f"{href}: {target.relative_to(ROOT)} does not exist")
            continue
        if parts.fragment:
            if target.suffix != ".md":
                problems.append(f"{href}: an anchor into a file that is not Markdown")
            elif unquote(parts.fragment) not in anchors(target):
                problems.append(f"{href}: no heading '#{parts.fragment}' in "
                                f"{target.relative_to(ROOT)}")
    return problems


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path):
    assert broken_links(path) == []


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines; move detail to docs/"


def test_readme_leads_to_every_topic():
    linked = {(README.parent / unquote(parts.path)).resolve()
              for _, parts in relative_links(README) if parts.path}
    missing = [p.name for p in sorted(DOCS.glob("*.md")) if p.resolve() not in linked]
    assert missing == [], f"docs not linked from README.md: {missing}"


def test_readme_names_the_two_commands_and_the_live_addresses():
    text = README.read_text(encoding="utf-8")
    for needle in ("make serve", "make test", "SITEURL", "COMMENTS_URL", "intake.endpoint"):
        assert needle in text, needle


def test_the_checker_finds_a_broken_anchor_and_a_missing_file(tmp_path, monkeypatch):
    """The link check itself can fail."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "a.md").write_text("# Top\n\n## Two words\n\n[ok](#two-words) "
                                   "[bad](#three-words) [gone](b.md) `[code](c.md)`\n")
    assert broken_links(tmp_path / "a.md") == [
        "#three-words: no heading '#three-words' in a.md",
        "b.md: b.md does not exist",
    ]
