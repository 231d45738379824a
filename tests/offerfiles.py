"""Offers of the tests' own, dated around a fixed moment (the build's clock,
``OFFERS_NOW``, and the browser's), so that no test depends on today's date
or on the demo's offer."""

import datetime

UTC = datetime.timezone.utc

# The moment every offer test builds and browses at.
FIXED_NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def now_minute():
    """The tests' clock: the fixed moment (kept as a function for the callers)."""
    return FIXED_NOW


def stamp(moment):
    """``2026-11-01 09:00 +00:00``: a form an author may write."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M +00:00")


def fixed_clock_settings(project, base="pelicanconf.py", now=FIXED_NOW):
    """A settings file in ``project`` that builds ``base`` at the fixed moment; its name."""
    name = "fixed-" + base
    (project / name).write_text(
        f"from {base[:-3]} import *  # noqa: F401,F403\n"
        f"OFFERS_NOW = {stamp(now)!r}\n")
    return name


# The page the tests' offers link to by default (written by write_offer),
# so that no offer test needs a page of the demo's made for its offer.
OFFER_PAGE = "an-offer-page-of-the-tests"


def write_offer_page(project):
    path = project / "content" / "pages" / f"{OFFER_PAGE}.md"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Title: An offer page of the tests\nSlug: {OFFER_PAGE}\n"
                        "Summary: What the tests' offers link to.\n\n"
                        "The details of an offer the tests made up.\n", encoding="utf-8")
    return path


def write_offer(project, name, starts, ends, text="Ask us about it.", title=None,
                link=f"{{filename}}/pages/{OFFER_PAGE}.md", **fields):
    """Write content/offers/NAME.md; ``fields`` are further metadata
    (``Placement="articles"``); a value of None leaves the field out. The
    default link is a page of the tests' own (written if missing)."""
    if link == f"{{filename}}/pages/{OFFER_PAGE}.md":
        write_offer_page(project)
    meta = {"Title": title if title is not None else name.replace("-", " ").capitalize(),
            "Starts": stamp(starts) if isinstance(starts, datetime.datetime) else starts,
            "Ends": stamp(ends) if isinstance(ends, datetime.datetime) else ends,
            "Link": link}
    meta.update(fields)
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    path = project / "content" / "offers" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n\n" + text + "\n", encoding="utf-8")
    return path


def clear_offers(project):
    for path in (project / "content" / "offers").glob("*.md"):
        path.unlink()
