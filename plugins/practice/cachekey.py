"""Keys for caches that cannot go stale.

A cache may only hand back what the current code would produce. Its key
covers everything that shapes the cached output:

- the source of the modules that compute it, and of every module of the same
  package they import (found by reading their import statements, so a helper
  moved into another module is still covered);
- the versions of the installed packages they use (``distributions``);
- the Python version (caches are pickles or JSON written by this code);
- any settings that matter (``extra``, compared by ``repr``).

A change to any of them gives a new key and so a new folder; the folders of
older keys are deleted by :func:`keyed_path`. Nothing here imports Pelican.

    from practice.cachekey import fingerprint, keyed_path
    key = fingerprint(["practice.privacy"], ["selectolax", "tinycss2"])
    path = keyed_path(cache_root, "guard", key)   # cache_root/guard-<key>/
"""

import ast
import functools
import hashlib
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version

KEY_LENGTH = 16


def _package_root(name):
    """(top-level package name, its folder) for a module name."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise ImportError(f"no module named {name!r}")
    path = os.path.abspath(spec.origin)
    depth = len(name.split(".")) - (0 if spec.submodule_search_locations is not None else 1)
    folder = os.path.dirname(path)
    for _ in range(depth):
        folder = os.path.dirname(folder)
    top = name.split(".")[0]
    return top, os.path.join(folder, top), path


def _file_of(root, parts):
    """The file of module ``parts`` (a list of names below the top package), or None."""
    base = os.path.join(root, *parts)
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    return None


def _parts_of(root, path):
    rel = os.path.relpath(path, root)[:-len(".py")].split(os.sep)
    return rel[:-1] if rel[-1] == "__init__" else rel


class _Memo:
    """What each source file imports, remembered between builds by the hash
    of its bytes (:func:`remember_imports_in`): parsing the package's modules
    is most of the time a key takes in a fresh process. An entry is what
    Python's parser found in those exact bytes, so it cannot go stale; which
    files the imports name is worked out afresh every time."""

    path = None  # the memo file, or None: parse every file (once per process)
    entries = None  # sha256 of a file's bytes -> its import statements
    changed = False


MEMO_ENTRIES = 400  # the most recently used are kept


def remember_imports_in(folder):
    """Keep the parsed import statements in ``folder/imports.json`` (the
    plugin's cache folder; None: only for the life of the process)."""
    path = os.path.join(folder, "imports.json") if folder else None
    if path != _Memo.path:
        _Memo.path, _Memo.entries, _Memo.changed = path, None, False


def _memo():
    if _Memo.entries is None:
        _Memo.entries = {}
        if _Memo.path:
            try:
                with open(_Memo.path, encoding="utf-8") as f:
                    found = json.load(f)
                if isinstance(found, dict):
                    _Memo.entries = found
            except (OSError, ValueError):
                pass  # absent or unreadable: parsed afresh, written again
    return _Memo.entries


def _save_memo():
    if not (_Memo.path and _Memo.changed):
        return
    entries = _Memo.entries
    keep = dict(list(entries.items())[-MEMO_ENTRIES:])
    folder, name = os.path.dirname(_Memo.path) or ".", None
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", delete=False,
                                         dir=folder, prefix=".imports-") as f:
            name = f.name
            json.dump(keep, f)
        os.replace(name, _Memo.path)
        _Memo.changed = False
    except OSError:  # a read-only or full cache folder: parsed again next time
        if name is not None and os.path.exists(name):
            os.unlink(name)


def _well_formed(statements):
    def one(st):
        if not isinstance(st, list) or not st:
            return False
        if st[0] == "import":
            return len(st) == 2 and isinstance(st[1], str)
        return (st[0] == "from" and len(st) == 4 and isinstance(st[1], int)
                and isinstance(st[2], str) and isinstance(st[3], list)
                and all(isinstance(name, str) for name in st[3]))

    return isinstance(statements, list) and all(one(st) for st in statements)


def _statements(path, source):
    """The file's import statements, as ``["import", name]`` and
    ``["from", level, module, [names]]`` (from the memo, or parsed)."""
    digest = hashlib.sha256(source).hexdigest()
    memo = _memo()
    found = memo.pop(digest, None)  # re-inserted last: the most recently used
    if not _well_formed(found):  # absent, or a memo edited by hand: parse
        found = []
        for node in ast.walk(ast.parse(source, filename=path)):
            if isinstance(node, ast.Import):
                found.extend(["import", alias.name] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                found.append(["from", node.level, node.module or "", [a.name for a in node.names]])
        _Memo.changed = True
    memo[digest] = found
    return found


def _imports(root, top, path):
    """Files of the package's own modules that ``path`` imports."""
    with open(path, "rb") as f:
        return _imports_of(root, top, path, f.read())


@functools.lru_cache(maxsize=None)
def _imports_of(root, top, path, source):
    """The same for the file's ``source`` (the caches' keys share most modules:
    each file is looked at once per process, and again only if it changed)."""
    own = _parts_of(root, path)
    package = own if path.endswith("__init__.py") else own[:-1]
    found = []
    for statement in _statements(path, source):
        if statement[0] == "import":
            names = statement[1].split(".")
            if names[0] == top and len(names) > 1:
                found.append(names[1:])
            continue
        _, level, module, imported = statement
        if level:
            base = package[:len(package) - (level - 1)] if level > 1 else list(package)
            target = base + (module.split(".") if module else [])
        elif module and module.split(".")[0] == top:
            target = module.split(".")[1:]
        else:
            continue
        # ``from . import privacy``: the names may be modules themselves;
        # otherwise they are names defined in the module ``target``.
        modules = [target + [name] for name in imported
                   if name != "*" and _file_of(root, target + [name])]
        found.extend(modules if len(modules) == len(imported) else modules + [target])
    return tuple(file for file in (_file_of(root, parts) for parts in found) if file)


def module_files(modules):
    """The source files of ``modules`` and of every module of their package they import."""
    seen = {}
    for name in modules:
        top, root, first = _package_root(name)
        todo = [first]
        while todo:
            path = todo.pop()
            if path in seen:
                continue
            seen[path] = (top, root)
            todo.extend(_imports(root, top, path))
    _save_memo()
    return {path: os.path.join(top, os.path.relpath(path, root))
            for path, (top, root) in seen.items()}


def fingerprint(modules=(), distributions=(), extra=None):
    """A short hex key of the modules' code, the packages' versions and ``extra``."""
    digest = hashlib.sha256()
    digest.update(f"python {sys.version_info[:3]}\0".encode())
    for path, label in sorted(module_files(modules).items(), key=lambda item: item[1]):
        digest.update(label.encode() + b"\0")
        with open(path, "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    for name in sorted(distributions):
        try:
            found = version(name)
        except PackageNotFoundError:
            found = "absent"
        digest.update(f"{name}=={found}\0".encode())
    digest.update(repr(extra).encode())
    return digest.hexdigest()[:KEY_LENGTH]


_LEGACY = re.compile(r"[0-9a-f]{12}")  # the reader cache's folders before kinds had names


def keyed_path(root, kind, key, folder=True):
    """``root/<kind>-<key>`` (a folder, created; or a file path when
    ``folder`` is false), after deleting every other ``<kind>-*`` in ``root``."""
    name = f"{kind}-{key}"
    os.makedirs(root, exist_ok=True)
    for entry in os.listdir(root):
        stale = (entry.startswith(kind + "-") and entry != name
                 and not entry.startswith(name + "."))
        if stale or _LEGACY.fullmatch(entry):
            path = os.path.join(root, entry)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
    path = os.path.join(root, name)
    if folder:
        os.makedirs(path, exist_ok=True)
    return path
