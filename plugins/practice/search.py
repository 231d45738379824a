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

from .errors import ContentError

INDEX_DIR = "pagefind"
# Inside indexed pages, leave out what would only clutter the excerpts: the
# "#" links beside headings, the byline and the category line above titles.
EXCLUDE = [".heading-anchor", ".byline", ".kicker"]


# Pagefind holds every page it indexes in memory until it writes the index
# (about 0.2 MB a page): a site of thousands of articles is indexed in parts
# of at most SEARCH_INDEX_PART_PAGES pages, each its own bundle, and the
# search page merges them (Pagefind's mergeIndex). parts.json lists the
# parts after the first, relative to /pagefind/.
PART_PAGES = 1000
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


def index_site(output_path, settings, pages=None):
    """Index the site with Pagefind; returns the number of pages indexed.

    ``pages``: the written files of articles and pages (the only ones with
    searchable content); Pagefind reads just those, through a folder of hard
    links, rather than every listing page too. Without it, Pagefind reads
    the whole folder and skips pages that have no ``data-pagefind-body``.
    """
    output_path = os.path.abspath(output_path)
    language = settings.get("DEFAULT_LANG", "en")
    part_size = int(settings.get("SEARCH_INDEX_PART_PAGES") or PART_PAGES)
    bundle = os.path.join(output_path, INDEX_DIR)
    files = sorted(pages) if pages is not None else None
    try:
        if files is None:
            count = asyncio.run(_index(output_path, bundle, language))
            parts = []
        else:
            count, parts = 0, []
            for n, start in enumerate(range(0, len(files), part_size), 1):
                name = "" if n == 1 else f"part-{n}/"
                scratch = tempfile.mkdtemp(prefix=".search-", dir=os.path.dirname(output_path))
                try:
                    _link_tree(files[start:start + part_size], output_path, scratch)
                    count += asyncio.run(_index(scratch, os.path.join(bundle, name), language))
                finally:
                    shutil.rmtree(scratch, ignore_errors=True)
                if name:
                    parts.append(name)
    except Exception as exc:  # the Pagefind binary is a separate program
        raise ContentError("output", "search",
                           f"Pagefind could not index the site: {exc}") from None
    with open(os.path.join(bundle, PARTS_FILE), "w", encoding="utf-8") as f:
        json.dump(parts, f)
    return count
