"""The build step: read every file of the written site and stop the build on
anything that would load from another origin, run code the site did not
ship, or send the visitor elsewhere unasked."""

import hashlib
import json
import os

from ..core.errors import ContentError
from . import elements, scripts
from .css import stylesheet_urls
from .elements import FOREIGN, UNMARKED, Finding, Rules

KINDS = {".html": "html", ".htm": "html", ".css": "css", ".js": "js", ".mjs": "js", ".svg": "svg"}


def findings(kind, data, rules):
    """Every :class:`Finding` in one file's content (``str`` or ``bytes``)."""
    if kind == "svg":
        return elements.svg_findings(data if isinstance(data, bytes) else data.encode("utf-8"), rules)
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if kind == "html":
        return elements.html_findings(text, rules)
    found = []
    if kind == "css":
        for url in stylesheet_urls(text):
            elements._url(url, "url()", lambda *f: found.append(Finding(*f)), rules, stylesheet=True)
    elif kind == "js":
        for url in scripts.js_urls(text):
            elements._url(url, "script", lambda *f: found.append(Finding(*f)), rules)
    return found


def scan_text(kind, text, allowed=(), own=()):
    """Resources from other origins in one file: a list of (where, url)."""
    return [(f.where, f.value) for f in findings(kind, text, Rules(allowed, own, links=False))
            if f.problem == FOREIGN]


def site_files(output_path, exempt=(), keep=()):
    """(path, kind) of every HTML, CSS, JavaScript and SVG file in the built site.

    ``exempt``: folders of the site (relative, such as ``"pagefind"``) that
    another program writes while the guard reads, and that are left out;
    ``keep``: files (relative paths) read even there, such as the files
    Pelican wrote or copied into such a folder.
    """
    exempt = {os.path.normpath(os.path.join(output_path, folder)) for folder in exempt}
    kept = {os.path.normpath(os.path.join(output_path, rel)) for rel in keep}
    for root, dirs, files in os.walk(output_path):
        dirs.sort()
        if exempt:
            for name in list(dirs):
                folder = os.path.join(root, name)
                if folder in exempt:
                    dirs.remove(name)
                    yield from _kept_in(folder, kept)
        for name in sorted(files):
            kind = KINDS.get(os.path.splitext(name)[1].lower())
            if kind:
                yield os.path.join(root, name), kind


def _kept_in(folder, kept):
    for path in sorted(kept):
        kind = KINDS.get(os.path.splitext(path)[1].lower())
        if kind and path.startswith(folder + os.sep) and os.path.isfile(path):
            yield path, kind


def _relative(path, output_path):
    return os.path.relpath(path, output_path).replace(os.sep, "/")


def scan_output(output_path, allowed=(), own=()):
    """Every foreign resource in the built site: a list of (file, where, url)."""
    found = []
    for path, kind in site_files(output_path):
        with open(path, "rb") as f:
            data = f.read()
        for where, url in scan_text(kind, data, allowed, own):
            found.append((_relative(path, output_path), where, url))
    return found


UNMARKED_WHERE = "<a href> to another site without rel=\"noopener noreferrer\""


class ForeignResourceError(ContentError):
    """What the guard found: one line per finding (a finding repeated on many
    pages, as a template's would be, is one line)."""

    def __init__(self, found, sources=None, allowed=()):
        sources = sources or {}
        self.lines = []
        allowed_text = ", ".join(allowed) or "none"
        # A template or settings mistake shows on every page: name it once,
        # with the page it is on and how many more. A mistake in one
        # article, page or image names that content file.
        grouped = {}
        for item in found:
            file, where, value = item[:3]
            problem = item[3] if len(item) > 3 else FOREIGN
            grouped.setdefault((where, value, problem), []).append(file)
        for (where, value, problem), files in grouped.items():
            named_sources = {sources.get(f) for f in files}
            if len(named_sources) == 1 and None not in named_sources:
                named = named_sources.pop()
                written = f" (written to output/{files[0]})"
            else:
                first = next((f for f in files if f not in sources), files[0])
                named = f"output/{first}"
                rest = len(files) - 1
                written = (f" (and on {rest} more page{'s' if rest > 1 else ''}: "
                           "in a template or a setting?)") if rest else ""
            if problem == UNMARKED:
                self.lines.append(
                    f"{named}: {UNMARKED_WHERE}: {value}{written}; add rel=\"noopener noreferrer\" "
                    "so the other site is not told which page the visitor came from")
            elif problem == FOREIGN:
                self.lines.append(
                    f"{named}: {where}: {value} loads from another origin{written}; the site "
                    f"loads nothing from other websites (allowed origins: {allowed_text})")
            else:
                self.lines.append(f"{named}: {where}: {value}{written}; {problem}")
        first_file = found[0][0] if found else "output"
        super().__init__(sources.get(first_file, f"output/{first_file}"), "privacy",
                         f"{len(found)} finding(s) of the privacy guard")


# ---- the clean-file cache ------------------------------------------------------


# The packages whose versions decide what the guard sees.
PARSERS = ("selectolax", "tinycss2", "webencodings", "defusedxml")
CODE = (__package__, __package__ + ".worker", __package__.rsplit(".", 1)[0] + ".privacy")
_FINGERPRINT = []


def fingerprint():
    """What a clean-file cache entry depends on besides the file and the
    allowlist: the guard's own code (every module of this package and what
    they import, and ``privacy``, which computes the allowlist it is run
    with) and the versions of its parsers. A change to any of them makes
    every file be read again."""
    if not _FINGERPRINT:
        from .. import cachekey

        _FINGERPRINT.append(cachekey.fingerprint(CODE, PARSERS))
    return _FINGERPRINT[0]


def load_clean(cache_file):
    """The keys of the files the clean-file cache lists (none without it)."""
    return _load(cache_file) if cache_file else set()


def _load(cache_file):
    try:
        with open(cache_file, encoding="utf-8") as f:
            return set(json.load(f))
    except (OSError, ValueError, TypeError):
        return set()


def _save(cache_file, keys):
    os.makedirs(os.path.dirname(cache_file) or ".", exist_ok=True)
    with open(cache_file + ".tmp", "w", encoding="utf-8") as f:
        json.dump(sorted(keys), f)
    os.replace(cache_file + ".tmp", cache_file)


def _policy(code, allowed, own):
    return repr((code, sorted(allowed), sorted(own))).encode()


def _file_key(policy, data):
    return hashlib.sha256(policy + data).hexdigest()


def scan_files(paths, allowed=(), own=(), code=None, clean=(), known=None):
    """Read ``paths`` (files of the written site) as :func:`check_output` does.

    Returns ``{(kind, key): findings}`` for each file, ``key`` being the
    file's key in the clean-file cache and ``findings`` a list of
    ``(where, value, problem)``; files whose key is in ``clean`` (the keys
    the clean-file cache holds, :func:`load_clean`) are not parsed, nor are
    files whose ``(kind, key)`` is already in ``known`` (a dict the results
    are added to: the same bytes read under another name, such as a theme
    file read from the theme before Pelican copies it). :func:`check_output`
    takes the result as ``known`` and reads only the files written since (or
    changed after).
    The build runs this in a worker process while Pelican writes the pages
    (``practice.alongside``).
    """
    rules = Rules(allowed, own)
    code = fingerprint() if code is None else code
    policy = _policy(code, allowed, own)
    known = {} if known is None else known
    for path in paths:
        kind = KINDS.get(os.path.splitext(path)[1].lower())
        if not kind:
            continue
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue  # gone again: check_output reads what is there at the end
        key = _file_key(policy, data)
        if (kind, key) not in known:
            known[(kind, key)] = [] if key in clean else [tuple(f) for f in findings(kind, data, rules)]
    return known


def check_output(output_path, allowed=(), own=(), sources=None, cache_file=None,
                 load_cache=False, save_cache=False, code=None, known=None, exempt=()):
    """Stop the build (:class:`ForeignResourceError`) on any finding in the site.

    ``cache_file`` keeps the keys of files found clean, so a rebuild reads
    every file but parses only what changed. A key covers the file's bytes,
    the allowlist it was checked against and ``code`` (by default
    :func:`fingerprint`: the guard's code and parser versions). ``known``:
    what :func:`scan_files` found in files as they were written; a file
    whose bytes are still those is not parsed again. ``exempt``: folders
    another program is writing meanwhile (the search index, whose bundle
    ``tests/test_search.py`` checks); a file of ``sources`` there, one
    Pelican wrote or copied, is read all the same.
    """
    rules = Rules(allowed, own)
    code = fingerprint() if code is None else code
    policy = _policy(code, allowed, own)
    clean = _load(cache_file) if cache_file and load_cache else set()
    known = known or {}
    seen, found = set(), []
    for path, kind in site_files(output_path, exempt, keep=sources or ()):
        with open(path, "rb") as f:
            data = f.read()
        key = _file_key(policy, data)
        if key in clean:
            seen.add(key)
            continue
        here = known.get((kind, key))
        if here is None:
            here = findings(kind, data, rules)
        if here:
            rel = _relative(path, output_path)
            found.extend((rel, *f) for f in here)
        else:
            seen.add(key)
    if found:
        raise ForeignResourceError(found, sources, allowed)
    if cache_file and save_cache:
        _save(cache_file, seen)
    return seen
