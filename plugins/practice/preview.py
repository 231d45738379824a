"""The preview's quick pass: after a save, the pages of the saved files first.

`make serve` rebuilds the whole preview after every save (``practice.tools.watch``).
Before that full rebuild, when every saved file is an article or a page the
previous build read, it runs a quick pass with the setting
``PREVIEW_QUICK_SOURCES`` (the saved files' paths): Pelican reads every file
as usual (from its reader cache, so only the saved ones are read afresh) and
every check runs, but the writer (a ``Writer`` subclass returned on Pelican's
``get_writer`` signal) writes only the pages of the saved files, and nothing is
indexed for search. The open page can then show the edit at once; the full
rebuild that follows brings the listings, topics and search up to date.

After every build, ``pages_of`` maps each article's and page's source file
to the files written for it, which tells the watcher whether a quick pass can
serve a save. Development previews only: a publish build never sets
``PREVIEW_QUICK_SOURCES``.
"""

import os

from pelican.writers import Writer

SETTING = "PREVIEW_QUICK_SOURCES"


class _State:
    selected = None  # output names the quick pass writes
    pages_of = {}  # source file (absolute) -> output names, of the last build


def quick_sources(settings):
    """The saved files of a quick pass (absolute paths), or None for a full build."""
    sources = settings.get(SETTING)
    if not sources:
        return None
    return {os.path.abspath(path) for path in sources}


def pages_of():
    """Each source file of the last build (absolute) and the output names written for it."""
    return dict(_State.pages_of)


def _items(generators):
    for generator in generators:
        for name in ("articles", "translations", "drafts", "drafts_translations",
                     "pages", "hidden_pages", "draft_pages", "hidden_translations",
                     "draft_translations"):
            yield from getattr(generator, name, None) or ()


def on_all_generators_finalized(generators):
    found = {}
    for item in _items(generators):
        source, save_as = getattr(item, "source_path", None), getattr(item, "save_as", None)
        if source and save_as:
            found.setdefault(os.path.abspath(source), []).append(save_as)
    _State.pages_of = found
    settings = generators[0].settings if generators else {}
    sources = quick_sources(settings)
    _State.selected = None if sources is None else {
        name for source in sources for name in found.get(source, [])}


def written_only():
    """The output names a quick pass writes (None in a full build)."""
    return None if _State.selected is None else set(_State.selected)


class QuickWriter(Writer):
    """Pelican's writer, writing only the quick pass's pages."""

    def write_file(self, name, *args, **kwargs):
        if _State.selected is not None and name not in _State.selected:
            return None
        return super().write_file(name, *args, **kwargs)

    def write_feed(self, *args, **kwargs):
        if _State.selected is not None:
            return None
        return super().write_feed(*args, **kwargs)


def get_writer(pelican):
    """A quick pass gets the selective writer; a full build Pelican's own.
    (Pelican asks once the context is made, after ``all_generators_finalized``.)"""
    return QuickWriter if quick_sources(pelican.settings) is not None else None
