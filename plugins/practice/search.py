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

import json
import os
import shutil
import subprocess
import tempfile

from .background import command as at_lower_priority
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


def _index(site_path, bundle_path, language):
    """Run Pagefind's command line over ``site_path``: the binary of the
    pinned ``pagefind-bin`` package (its ``get_executable``), the program
    ``python -m pagefind`` runs, started directly so that each part does not
    start a Python first (0.1 s of CPU, and more on a busy machine).

    It runs at a lower priority than the build (``practice.background``).
    The command exits once every file of the bundle is on disk. (Pagefind's
    Python API stops its service as soon as it answers that the files are
    written; on a busy machine a bundle was then seen cut short.)
    """
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", site_path, "--output-path", bundle_path,
               "--force-language", language, "--silent"]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    done = subprocess.run(at_lower_priority(command), capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}")
        raise RuntimeError(last.splitlines()[-1])


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
    """
    if pages is None:
        try:
            _index(os.path.abspath(output_path), os.path.join(
                os.path.abspath(output_path), INDEX_DIR), settings.get("DEFAULT_LANG", "en"))
        except Exception as exc:  # the Pagefind binary is a separate program
            raise ContentError("output", "search",
                               f"Pagefind could not index the site: {exc}") from None
        _write_parts(os.path.join(output_path, INDEX_DIR), [])
        return 1
    indexer = PartIndexer(output_path, settings, background=False)
    for path in sorted(pages):
        indexer.add(path)
    return indexer.finish()


class PartIndexer:
    """Pagefind fed the pages as they are written, a part at a time.

    Each time ``SEARCH_INDEX_PART_PAGES`` pages have been added (the written
    files of articles and pages, in the order Pelican writes them), that
    part is indexed, by default on a thread of its own while Pelican renders
    the next pages (Pagefind is a separate program: it runs on the other
    core); :meth:`finish` indexes the rest and waits for every part.

    With the development cache on, each part's bundle is kept under the
    cache folder by a fingerprint of its files: a rebuild after one edit
    indexes only the part that holds the edited page.
    """

    def __init__(self, output_path, settings, background=True):
        self.output_path = os.path.abspath(output_path)
        self.language = settings.get("DEFAULT_LANG", "en")
        self.part_size = int(settings.get("SEARCH_INDEX_PART_PAGES") or PART_PAGES)
        self.bundle = os.path.join(self.output_path, INDEX_DIR)
        self.cache = search_cache(settings) if settings.get("CACHE_CONTENT") else None
        self.reuse = bool(self.cache and settings.get("LOAD_CONTENT_CACHE"))
        self.group, self.parts, self.jobs = [], [], []
        self.pool = None
        if background:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind")

    def add(self, path):
        self.group.append(path)
        if len(self.group) >= self.part_size:
            self._submit()

    def _submit(self):
        n = len(self.parts) + 1
        name = "" if n == 1 else f"part-{n}/"
        self.parts.append(name)
        group, self.group = self.group, []
        self.jobs.append(self.pool.submit(self._index_part, group, name) if self.pool
                         else (group, name))

    def _index_part(self, group, name):
        """Index one part (or copy it from the cache); returns (fresh, cache key)."""
        target = os.path.join(self.bundle, name)
        key = _fingerprint(group, self.output_path, self.language) if self.cache else None
        stored = os.path.join(self.cache, key) if self.cache else None
        if self.reuse and os.path.isdir(stored):
            shutil.copytree(stored, target, dirs_exist_ok=True)
            return 0, key
        scratch = tempfile.mkdtemp(prefix=".search-", dir=os.path.dirname(self.output_path))
        try:
            _link_tree(group, self.output_path, scratch)
            _index(scratch, target, self.language)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if self.cache:
            _store(target, stored, part=bool(name))
        return 1, key

    def flush(self):
        """Start indexing the pages added so far, now, as a part of its own
        (called once the last article and page is written, so that Pagefind
        runs while the rest of the build does; a page added after it goes
        into one more part)."""
        if self.group:
            self._submit()

    def finish(self):
        """Index what is left and wait for every part; returns the number of
        parts indexed afresh. A failure of Pagefind is one ``ContentError``."""
        try:
            if self.group or not self.parts:
                self._submit()
            done = [job.result() if self.pool else self._index_part(*job) for job in self.jobs]
        except Exception as exc:  # the Pagefind binary is a separate program
            raise ContentError("output", "search",
                               f"Pagefind could not index the site: {exc}") from None
        finally:
            self.close()
        kept = {key for _fresh, key in done}
        if self.cache and os.path.isdir(self.cache):
            for old in os.listdir(self.cache):  # keep only what this build used
                if old not in kept:
                    shutil.rmtree(os.path.join(self.cache, old), ignore_errors=True)
        _write_parts(self.bundle, [name for name in self.parts if name])
        return sum(fresh for fresh, _key in done)

    def close(self):
        """Stop taking parts (a build that failed); a part under way finishes."""
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _write_parts(bundle, parts):
    os.makedirs(bundle, exist_ok=True)
    with open(os.path.join(bundle, PARTS_FILE), "w", encoding="utf-8") as f:
        json.dump(parts, f)


def _store(target, stored, part):
    """Copy a freshly written bundle into the cache (the first part shares
    its folder with the other parts' subfolders: those are left out)."""
    tmp = stored + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    ignore = None if part else shutil.ignore_patterns("part-*", PARTS_FILE)
    shutil.copytree(target, tmp, ignore=ignore)
    shutil.rmtree(stored, ignore_errors=True)
    os.replace(tmp, stored)
