"""Write the article pages on two cores.

After reading, most of a build (and nearly all of a rebuild) is rendering
templates: every article, tag, category and archive page. Pelican does it
in one process. Here the article generator's output step runs in two
processes forked from the same state: both walk the same sequence of
writes, and each renders every other one. The order of Pelican's writes is
deterministic (both processes hold identical data), so every page is
written exactly once. Feeds are written by the main process only. Pelican's
``content_written`` signal (which the sitemap and the privacy guard listen
to) fires in the process that wrote the file; the child's are sent back and
fired again in the main process, with the same article or page.

``READ_PROCESSES`` (see ``prefetch``) also governs this: 1 turns it off.
Sites with fewer than ``MIN_ARTICLES`` articles are written the ordinary way.
"""

import json
import os
import sys
import traceback

from .prefetch import workers

MIN_ARTICLES = 48


class _Share:
    """Wraps a writer's write_file so that only this process's share is written."""

    def __init__(self, writer, mine, feeds):
        self.writer = writer
        self.mine = mine
        self.count = 0
        self.original_file = writer.write_file
        self.original_feed = writer.write_feed
        writer.write_file = self.write_file
        if not feeds:
            writer.write_feed = lambda *args, **kwargs: None

    def write_file(self, *args, **kwargs):
        index = self.count
        self.count += 1
        if index % 2 == self.mine:
            return self.original_file(*args, **kwargs)
        return None

    def restore(self):
        self.writer.write_file = self.original_file
        self.writer.write_feed = self.original_feed


def _replay_key(context):
    item = (context or {}).get("article") or (context or {}).get("page")
    if item is None:
        return None
    kind = "article" if (context or {}).get("article") is item else "page"
    return [kind, getattr(item, "source_path", None), getattr(item, "lang", None)]


def parallel_output(generator, original):
    """Replaces ``generator.generate_output``."""
    from pelican import signals

    def generate_output(writer):
        if workers(generator.settings) < 2 or len(generator.articles) < MIN_ARTICLES:
            return original(writer)
        sys.stdout.flush()
        sys.stderr.flush()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child renders the odd writes
            os.close(read_end)
            code = 0
            try:
                written = []
                signals.content_written.connect(
                    lambda path, context=None: written.append([path, _replay_key(context)]),
                    weak=False)
                _Share(writer, mine=1, feeds=False)
                original(writer)
                with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
                    json.dump(written, pipe)
            except BaseException:  # a template error: shown, and the build fails
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(write_end)
        share = _Share(writer, mine=0, feeds=True)
        try:
            result = original(writer)
        finally:
            share.restore()
            with os.fdopen(read_end, encoding="utf-8") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("writing the article pages failed in the second process (see above)")
        items = {}
        for group in ("articles", "translations", "hidden_articles", "hidden_translations",
                      "drafts", "drafts_translations"):
            for item in getattr(generator, group, []) or []:
                items[("article", item.source_path, item.lang)] = item
        for path, key in json.loads(data or "[]"):
            item = items.get(tuple(key)) if key else None
            context = {"article": item} if item is not None else {}
            signals.content_written.send(path, context=context)
        return result

    return generate_output
