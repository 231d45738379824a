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
import os

from .errors import ContentError

INDEX_DIR = "pagefind"
# Inside indexed pages, leave out what would only clutter the excerpts: the
# "#" links beside headings, the byline and the category line above titles.
EXCLUDE = [".heading-anchor", ".byline", ".kicker"]


async def _index(output_path, language):
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=os.path.join(output_path, INDEX_DIR),
                         force_language=language, exclude_selectors=EXCLUDE)
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(output_path)
    return result


def index_site(output_path, settings):
    """Index ``output_path`` with Pagefind; returns the number of pages indexed."""
    output_path = os.path.abspath(output_path)
    try:
        result = asyncio.run(_index(output_path, settings.get("DEFAULT_LANG", "en")))
    except Exception as exc:  # the Pagefind binary is a separate program
        raise ContentError("output", "search",
                           f"Pagefind could not index the site: {exc}") from None
    return int((result or {}).get("page_count", 0))
