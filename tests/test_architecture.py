"""The shape of the code: a core without Pelican, no import cycles, no
sys.path edits (the project is an installed package)."""

import ast
import subprocess
import sys
from pathlib import Path

import practice

PACKAGE = Path(practice.__file__).resolve().parent
ROOT = PACKAGE.parent.parent

# Run in a fresh interpreter where importing Pelican, Markdown or the
# build's speed-ups fails as if they were not installed.
BLOCKED_IMPORT = """
import importlib.abc, sys

BLOCKED = ("pelican", "markdown", "typogrify", "smartypants", "jinja2",
           "practice.plugin", "practice.markup", "practice.prefetch", "practice.parallel")

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in BLOCKED or name.startswith(tuple(b + "." for b in BLOCKED)):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)")
        return None

sys.meta_path.insert(0, Block())
"""


def core_modules():
    return sorted("practice.core." + p.stem for p in (PACKAGE / "core").glob("*.py")
                  if p.stem != "__init__")


def test_the_core_imports_and_loads_the_profile_without_pelican(tmp_path):
    code = BLOCKED_IMPORT + f"""
import importlib
for name in {["practice.core"] + core_modules()!r}:
    importlib.import_module(name)
from practice.core.profile import load_profile
profile = load_profile({str(ROOT / "content" / "practice.yaml")!r})
assert profile["name"]
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pelican", "markdown", "jinja2"))
assert not loaded, loaded
print("ok", len({core_modules()!r}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")


def test_the_blocker_itself_works(tmp_path):
    """Without this, the test above would pass with a blocker that blocks nothing."""
    result = subprocess.run([sys.executable, "-c", BLOCKED_IMPORT + "import practice.plugin"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0 and "blocked" in result.stderr


def module_name(path):
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path):
    """Modules of the package that ``path`` imports, anywhere in the file
    (an import inside a function is still a dependency)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # `from . import x` / `from .core import profile` import submodules.
            found.update(f"{target}.{a.name}" for a in node.names)
    return found


def import_graph():
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        # A module's own parent packages are imported before it, always:
        # `from . import x` names them without depending on them.
        ancestors = {name.rsplit(".", i)[0] for i in range(1, name.count(".") + 1)}
        graph[name] = {m for m in imports_of(path)
                       if m in modules and m != name and m not in ancestors}
    return graph


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_among_the_plugin_modules():
    graph = import_graph()
    assert "practice.core.profile" in graph and graph["practice.core.profile"]
    assert cycles(graph) == []


def test_the_core_imports_nothing_of_the_pelican_side():
    graph = import_graph()
    for name, deps in graph.items():
        if name.startswith("practice.core"):
            outside = {d for d in deps if not d.startswith("practice.core")}
            assert not outside, f"{name} imports {outside}"


def test_no_sys_path_edits_in_tools_tests_or_plugins():
    offenders = []
    for folder in (PACKAGE, ROOT / "tests", ROOT / "tools"):
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Attribute) and node.attr == "path"
                        and isinstance(node.value, ast.Name) and node.value.id == "sys"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                # Settings files written by tests, as text.
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and "sys.path" in node.value and path != Path(__file__).resolve():
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} (text)")
    assert offenders == []
