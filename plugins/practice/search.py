"""Site search with Pagefind, run as the last step of every build.

Pagefind reads the written pages and writes a static index into
``output/pagefind/``: the search page loads it from our own site, so a
search never leaves the visitor's browser for anyone else's server.

Only articles and practice pages are indexed: their templates mark the main
content with ``data-pagefind-body`` and Pagefind then skips every page
without it (the home page, tag, category and archive listings, the search
page itself, the 404 page). Parts that repeat on every article (the care
note, related articles) carry ``data-pagefind-ignore``.
"""

import asyncio
import json
import os
import shutil
import tempfile

from .core.errors import ContentError

INDEX_DIR = "pagefind"
# Inside indexed pages, leave out what would only clutter the excerpts: the
# "#" links beside headings, the byline and the category line above titles.
EXCLUDE = [".heading-anchor", ".byline", ".kicker"]


# Pagefind holds every page it indexes in memory until it writes the index
# (about 0.2 MB a page): a site of thousands of articles is indexed in parts
# of at most SEARCH_INDEX_PART_PAGES pages, each its own bundle, and the
# search page merges them (Pagefind's mergeIndex). parts.json lists the
# parts after the first, relative to /pagefind/.
PART_PAGES = 250
PARTS_FILE = "parts.json"


async def _index(site_path, bundle_path, language):
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=bundle_path, force_language=language,
                         exclude_selectors=EXCLUDE)
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(site_path)
    return int((result or {}).get("page_count", 0))


def _link_tree(files, output_path, dest):
    """A folder that looks like the site but holds only ``files`` (hard links)."""
    for path in files:
        target = os.path.join(dest, os.path.relpath(path, output_path))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)


def _fingerprint(files, output_path, language):
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(repr((version("pagefind-bin"), language, EXCLUDE)).encode())
    for path in files:
        digest.update(os.path.relpath(path, output_path).encode() + b"\0")
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:20]


def search_cache(settings):
    """The folder of cached index parts, keyed on this module's code and
    Pagefind's version (each part inside is keyed on its pages)."""
    from . import cachekey

    root = settings.get("PRACTICE_CACHE_ROOT", settings["CACHE_PATH"])
    key = cachekey.fingerprint([__name__], ["pagefind", "pagefind-bin"])
    return cachekey.keyed_path(root, "search", key)


def index_site(output_path, settings, pages=None):
    """Index the site with Pagefind; returns the number of parts indexed afresh.

    ``pages``: the written files of articles and pages (the only ones with
    searchable content); Pagefind reads just those, through a folder of hard
    links, rather than every listing page too. Without it, Pagefind reads
    the whole folder and skips pages that have no ``data-pagefind-body``.

    With the development cache on, each part's bundle is kept under the
    cache folder by a fingerprint of its files: a rebuild after one edit
    indexes only the part that holds the edited page.
    """
    output_path = os.path.abspath(output_path)
    language = settings.get("DEFAULT_LANG", "en")
    part_size = int(settings.get("SEARCH_INDEX_PART_PAGES") or PART_PAGES)
    bundle = os.path.join(output_path, INDEX_DIR)
    cache = search_cache(settings) if settings.get("CACHE_CONTENT") else None
    reuse = cache and settings.get("LOAD_CONTENT_CACHE")
    fresh, parts, kept = 0, [], set()
    try:
        if pages is None:
            asyncio.run(_index(output_path, bundle, language))
            fresh = 1
        else:
            files = sorted(pages)
            for n, start in enumerate(range(0, max(len(files), 1), part_size), 1):
                name = "" if n == 1 else f"part-{n}/"
                group = files[start:start + part_size]
                target = os.path.join(bundle, name)
                key = _fingerprint(group, output_path, language) if cache else None
                stored = os.path.join(cache, key) if cache else None
                if reuse and os.path.isdir(stored):
                    shutil.copytree(stored, target, dirs_exist_ok=True)
                else:
                    scratch = tempfile.mkdtemp(prefix=".search-", dir=os.path.dirname(output_path))
                    try:
                        _link_tree(group, output_path, scratch)
                        asyncio.run(_index(scratch, target, language))
                    finally:
                        shutil.rmtree(scratch, ignore_errors=True)
                    fresh += 1
                    if cache:
                        _store(target, stored, part=bool(name))
                if cache:
                    kept.add(key)
                if name:
                    parts.append(name)
    except Exception as exc:  # the Pagefind binary is a separate program
        raise ContentError("output", "search",
                           f"Pagefind could not index the site: {exc}") from None
    if cache and os.path.isdir(cache):
        for old in os.listdir(cache):  # keep only what this build used
            if old not in kept:
                shutil.rmtree(os.path.join(cache, old), ignore_errors=True)
    with open(os.path.join(bundle, PARTS_FILE), "w", encoding="utf-8") as f:
        json.dump(parts, f)
    return fresh


def _store(target, stored, part):
    """Copy a freshly written bundle into the cache (the first part shares
    its folder with the other parts' subfolders: those are left out)."""
    tmp = stored + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    ignore = None if part else shutil.ignore_patterns("part-*", PARTS_FILE)
    shutil.copytree(target, tmp, ignore=ignore)
    shutil.rmtree(stored, ignore_errors=True)
    os.replace(tmp, stored)
