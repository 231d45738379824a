"""Read Markdown files on every core before Pelican asks for them.

Pelican reads content one file at a time, and Markdown plus typogrify are
most of a build. When a generator starts, this module renders the files it
is about to read (those not already in the reader cache) in a pool of worker
processes and puts the results into Pelican's reader cache; Pelican then
finds each file ready. The result is exactly what Pelican's own read would
give: the workers run the same reader (``markup.TocMarkdownReader.render``)
and the metadata is processed here, in the main process, with Pelican's
processors. A file that fails in a worker is simply left for Pelican to read
again, so its error is reported the usual way.

``READ_PROCESSES`` sets the number of workers (default: one per core); 1 or
0 turns this off. Small sites (fewer than ``MIN_FILES`` files to read) are
read the ordinary way: starting workers would cost more than it saves.
"""

import multiprocessing
import os

from pelican.readers import _filter_discardable_metadata

from .markup import TocMarkdownReader

MIN_FILES = 48
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")

_worker = {}


def _render(path):
    """In a worker: the costly part of reading one file, or None on failure."""
    reader = _worker.get("reader")
    if reader is None:
        reader = _worker["reader"] = TocMarkdownReader(_worker["settings"])
    try:
        return path, reader.render(path)
    except Exception:  # reported by Pelican when it reads the file itself
        return path, None


def _files(generator, kind):
    settings = generator.settings
    if kind == "article":
        paths, exclude = settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]
    else:
        paths, exclude = settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"]
    for f in generator.get_files(paths, exclude=exclude, extensions=MARKDOWN_EXTENSIONS):
        yield os.path.abspath(os.path.join(generator.path, f))


def workers(settings):
    value = settings.get("READ_PROCESSES")
    if value is None:
        return os.cpu_count() or 1
    return int(value)


def prefetch(generator, kind):
    """Fill the generator's reader cache for the files it will read."""
    settings = generator.settings
    count = workers(settings)
    readers = generator.readers
    if count < 2 or not readers._cache_data_policy:
        return 0
    todo = [p for p in _files(generator, kind) if readers.get_cached_data(p, None) is None]
    if len(todo) < MIN_FILES:
        return 0
    _worker.clear()
    _worker["settings"] = settings
    parent = TocMarkdownReader(settings)
    done = 0
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=min(count, len(todo))) as pool:
        chunk = max(1, min(32, len(todo) // (count * 8)))
        for path, rendered in pool.imap_unordered(_render, todo, chunksize=chunk):
            if rendered is None:
                continue
            parent._source_path = path
            try:
                content, metadata = parent.finish(rendered)
            except Exception:  # e.g. a date that does not parse: Pelican reports it
                continue
            readers.cache_data(path, (content, _filter_discardable_metadata(metadata)))
            done += 1
    _worker.clear()
    return done
