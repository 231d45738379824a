"""Markdown read on the machine's other core (``READ_WORKERS``, off by default).

Reading is most of a cold build: Markdown, typography and the project's
reader (``markup.TocMarkdownReader``) for every file, one after another in
Pelican's one process. With ``READ_WORKERS = 2`` (the number of processes
that read, the build's own included) the build starts a pool of worker
processes when the article and page generators start
(``article_generator_init``, ``page_generator_init``), asks each generator
for its files (its public ``get_files``) and gives the Markdown files to the
workers, last first, while Pelican itself reads from the first. When
Pelican asks the reader for a file, the reader takes a worker's result if
there is one (:func:`take`), and otherwise reads the file itself: the two
meet in the middle, and every file is read once.

A worker returns exactly what the reader returns in the build's own process
(the reader's ``(content, metadata)``, the pair Pelican's reader cache
pickles too). A file whose reading raised an error or logged anything is
read again by the build itself, so the error or message is the plain
build's, word for word. The prefetch is skipped when the content cache is
loaded (``LOAD_CONTENT_CACHE``: a rebuild reads only what changed) and on
systems without ``fork`` (each worker would import Pelican afresh).
The pool is shut down once every generator has read its files
(``all_generators_finalized``).
"""

import io
import logging
import os
import pickle

MARKDOWN = {"md", "markdown"}


class _Prefetch:
    pool = None
    pending = {}  # absolute path -> Future of a worker's reading
    settings = None  # the pickled settings the workers read with
    context = None  # which build the pool reads for (a rebuild has a new context)


def workers(settings):
    """How many worker processes ``READ_WORKERS`` asks for (0: off)."""
    value = settings.get("READ_WORKERS") or 1
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        from .core.settings import SettingsError

        raise SettingsError("READ_WORKERS", f"{value!r} is not a number of processes "
                            "(1 or unset: the build reads alone; 2: the build and one worker)")
    return value - 1


def start(settings, context):
    """Start the pool (on the first generator, before any other thread)."""
    if _Prefetch.context is context:
        return
    stop()  # a build that stopped before its end left its pool
    _Prefetch.context = context
    if not workers(settings) or settings.get("LOAD_CONTENT_CACHE"):
        return
    import multiprocessing  # only with READ_WORKERS
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return
    _Prefetch.pool = ProcessPoolExecutor(max_workers=workers(settings),
                                         mp_context=multiprocessing.get_context("fork"),
                                         initializer=_init_worker)
    _Prefetch.pool.submit(int)  # start the workers now, while nothing else runs


def prefetch(generator, paths_setting, excludes_setting):
    """Give the workers ``generator``'s Markdown files, last first."""
    if _Prefetch.pool is None:
        return
    settings = generator.settings
    if _Prefetch.settings is None:
        try:  # once per build, as the reading starts
            _Prefetch.settings = pickle.dumps(settings)
        except Exception:  # a setting that cannot be copied: read in one process
            stop()
            return
    files = generator.get_files(settings[paths_setting], exclude=settings[excludes_setting])
    # The reader Pelican uses for each kind of file (the project's, after
    # readers_init): the files of a reader that can read in a worker.
    readers = generator.readers.readers
    for name in reversed(list(files)):
        path = os.path.abspath(os.path.join(generator.path, name))
        reader = readers.get(path.rsplit(".", 1)[-1])
        if (path.rsplit(".", 1)[-1] in MARKDOWN and hasattr(reader, "read_here")
                and path not in _Prefetch.pending):
            _Prefetch.pending[path] = _Prefetch.pool.submit(
                _read, type(reader), _Prefetch.settings, path)


def on_article_generator_init(generator):
    prefetch(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def on_page_generator_init(generator):
    prefetch(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


class _Pickler(pickle.Pickler):
    """Pickles a reading without the reader's settings: the categories,
    tags and authors in the metadata refer to them, as in the build's own
    process, and get the build's reader's settings back (:class:`_Unpickler`)."""

    def __init__(self, file, settings):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.settings = settings

    def persistent_id(self, obj):
        return "settings" if obj is self.settings else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, settings):
        super().__init__(file)
        self.settings = settings

    def persistent_load(self, pid):
        if pid != "settings":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self.settings


def take(source_path, reader):
    """A worker's reading of ``source_path`` for ``reader`` (the build's
    reader of its kind of file): ``(content, metadata)``, or
    None when the build should read it itself (not prefetched, not started
    yet, or the worker could not read it cleanly)."""
    future = _Prefetch.pending.pop(os.path.abspath(source_path), None)
    if future is None or future.cancel():
        return None
    try:
        result = future.result()
    except Exception:  # a worker gone: read here
        return None
    return _Unpickler(io.BytesIO(result), reader.settings).load() if result is not None else None


def stop(*_args):
    """Shut the pool down (every generator has read its files)."""
    pool, _Prefetch.pool = _Prefetch.pool, None
    for future in _Prefetch.pending.values():
        future.cancel()
    _Prefetch.pending, _Prefetch.settings = {}, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


# ---- in the worker -------------------------------------------------------------


class _Worker:
    readers = {}  # (reader class, pickled settings) -> reader
    records = []


class _Collect(logging.Handler):
    def emit(self, record):
        _Worker.records.append(record)


def _init_worker():
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Collect(level=logging.INFO))
    root.setLevel(logging.INFO)


def _read(reader_class, settings_bytes, path):
    """Read one file as the build's reader would (``reader_class``'s
    ``read_here``); None if it raised or logged."""
    reader = _Worker.readers.get((reader_class, settings_bytes))
    if reader is None:
        reader = reader_class(pickle.loads(settings_bytes))
        _Worker.readers = {(reader_class, settings_bytes): reader}
    _Worker.records = []
    try:
        result = reader.read_here(path)
    except Exception:
        return None
    if _Worker.records:
        return None
    out = io.BytesIO()
    _Pickler(out, reader.settings).dump(result)
    return out.getvalue()
