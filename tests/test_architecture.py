"""The architecture's rules, checked on every run (ARCHITECTURE.md explains them).

- the import layers and bans of pyproject.toml's ``[tool.importlinter]`` contracts hold;
- only the store has SQL in it (and the reader of the Arabic dictionary's SQLite file);
- each third-party library's private internals are touched in exactly one module;
- no module over 500 lines, no function over cyclomatic complexity 25;
- ARCHITECTURE.md names every module, and every module says what it is for.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import archive

PACKAGE = ROOT / "archive"
MAX_LINES = 500
MAX_COMPLEXITY = 25

#: The one module allowed to touch each library's private internals (names with a leading "_"
#: that our own code does not define), and why.
PRIVATE_ACCESS = {
    "archive/index/whoosh_internals.py": "whoosh: posting blocks, length and value columns read in one piece",
    "archive/ingest/languages/detect.py": "langdetect: a seeded detector restricted to a script's languages",
    "archive/ingest/sources/warc.py": "warcio: its iterator's warnings silenced (they break the progress line)",
    "archive/importer/run.py": "concurrent.futures: a pool's processes terminated when an import stops at once",
}
#: Modules besides archive/store/ that hold SQL, and why.
SQL_ELSEWHERE = {
    "archive/lang/dictionary.py": "reads the Arabic dictionary Arramooz ships as a SQLite file (read-only)",
}
#: Underscore names of the standard library that are public API.
PUBLIC_UNDERSCORE = {"_exit", "_asdict", "_replace", "_fields", "_make", "_field_defaults", "_missing_"}

_SQL = re.compile(
    r"\b(?:SELECT\b[\s\S]+\bFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+"
    r"(?:TABLE|INDEX)|DROP\s+TABLE|ALTER\s+TABLE|PRAGMA\s+\w+|BEGIN\s+IMMEDIATE)\b"
)


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_import_contracts_hold() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "importlinter.cli"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout


def test_only_the_store_has_sql() -> None:
    found = []
    for path in modules():
        if path.is_relative_to(PACKAGE / "store") or rel(path) in SQL_ELSEWHERE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                      and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and _SQL.search(node.value)):
                found.append(f"{rel(path)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "SQL outside archive/store:\n" + "\n".join(found)


def _own_names() -> set[str]:
    """Every name our own code defines: functions, classes, attributes it assigns, arguments."""
    names: set[str] = set()
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return names


def _imported_modules(tree: ast.AST) -> set[str]:
    """Names bound to other libraries' modules or objects by absolute imports."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.update(a.asname or a.name for a in node.names)
    return names


def _foreign_private_uses(path: Path, own: set[str]) -> list[str]:
    """``x._name`` (and ``getattr(x, "_name")``, ``from lib import _name``) where ``_name`` is not ours,
    and assignments to another library's module attributes (monkeypatching)."""
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = _imported_modules(tree)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name)
                and node.value.id in imported):
            out.append(f"{node.lineno}: sets {node.value.id}.{node.attr}")
        name = None
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr")
              and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):
            name = node.args[1].value if isinstance(node.args[1].value, str) else None
        elif isinstance(node, ast.ImportFrom) and not node.level:
            out += [f"{node.lineno}: from {node.module} import {a.name}" for a in node.names if a.name.startswith("_")]
            continue
        if (name and name.startswith("_") and not name.startswith("__") and name not in own
                and name not in PUBLIC_UNDERSCORE):
            out.append(f"{node.lineno}: {name}")
    return out


def _private_overrides() -> dict[str, list[str]]:
    """Methods of our classes that override a private method of a third-party base class."""
    out: dict[str, list[str]] = {}
    for info in pkgutil.walk_packages(archive.__path__, "archive."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            foreign = [b for b in cls.__mro__[1:] if not b.__module__.startswith(("archive", "builtins"))]
            for name, value in vars(cls).items():
                if (name.startswith("_") and not name.startswith("__") and callable(value)
                        and any(name in vars(b) for b in foreign)):
                    out.setdefault(rel(Path(inspect.getfile(module))), []).append(f"{cls.__name__}.{name}")
    return out


def test_third_party_internals_are_touched_in_one_module_each() -> None:
    own = _own_names()
    touching = {rel(p): uses for p in modules() if (uses := _foreign_private_uses(p, own))}
    for path, names in _private_overrides().items():
        touching.setdefault(path, []).extend(f"overrides {n}" for n in names)
    unexpected = {p: uses for p, uses in touching.items() if p not in PRIVATE_ACCESS}
    assert not unexpected, f"third-party internals outside the modules allowed to touch them: {unexpected}"
    assert set(touching) == set(PRIVATE_ACCESS), f"allowed but touching nothing: {set(PRIVATE_ACCESS) - set(touching)}"
    libraries = [why.split(":")[0] for why in PRIVATE_ACCESS.values()]
    assert len(libraries) == len(set(libraries)), "one module per library"


def test_no_module_over_500_lines_and_no_function_over_complexity_25() -> None:
    radon = pytest.importorskip("radon.complexity")
    sizes = {rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in modules()}
    big = [f"{name}: {n} lines" for name, n in sizes.items() if n > MAX_LINES]
    complex_ = []
    for path in modules():
        for block in radon.cc_visit(path.read_text(encoding="utf-8")):
            for b in [block, *getattr(block, "methods", []), *getattr(block, "closures", [])]:
                if b.complexity > MAX_COMPLEXITY:
                    complex_.append(f"{rel(path)}: {b.name} {b.complexity}")
    assert not big and not complex_, big + complex_


def test_architecture_md_names_every_module_and_every_module_has_a_docstring() -> None:
    doc = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for path in modules():
        name = rel(path)
        if path.name == "__main__.py":
            continue
        shown = name.removesuffix("/__init__.py") + "/" if path.name == "__init__.py" else name
        if shown.removeprefix("archive/") not in doc and name not in doc:
            missing.append(name)
    assert not missing, f"not in ARCHITECTURE.md: {missing}"
    undocumented = [rel(p) for p in modules() if p.name != "__main__.py"
                    and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert not undocumented, f"modules without a docstring: {undocumented}"


def test_the_version_is_written_once() -> None:
    setup = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert "version = attr: archive.settings.VERSION" in setup
    from archive.settings import VERSION

    assert archive.__version__ == VERSION
