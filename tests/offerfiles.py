"""Writing offers with dates relative to now into a scratch project copy, so
that no test depends on today's date."""

import datetime

UTC = datetime.timezone.utc


def now_minute():
    return datetime.datetime.now(UTC).replace(second=0, microsecond=0)


def stamp(moment):
    """``2026-11-01 09:00 +00:00``: a form an author may write."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M +00:00")


def write_offer(project, name, starts, ends, text="Ask us about it.", title=None,
                link="{filename}/pages/first-session-offer.md", **fields):
    """Write content/offers/NAME.md; ``fields`` are further metadata
    (``Placement="articles"``); a value of None leaves the field out."""
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
