"""The import graph points one way: api → casework → matching / resources_catalog → storage.

Walks every module's imports (the syntax tree, so imports inside functions count too) and
fails on an arrow against the layering, naming the file and the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Which first-party packages each package may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "storage": set(),
    "matching": set(),
    "places": set(),
    "resources_catalog": {"storage", "places"},
    "casework": {"storage", "matching", "resources_catalog", "places"},
    "consultation": {"storage", "matching", "resources_catalog", "casework", "places"},
    "development": {"storage", "matching", "resources_catalog", "casework", "places"},
    "api": {
        "storage",
        "matching",
        "resources_catalog",
        "casework",
        "places",
        "consultation",
        "development",
    },
}
# Alembic's env.py registers every domain's models, and migrations may read them.
EXEMPT: set[Path] = set()
EXEMPT_DIRS = (Path("storage/migrations"),)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _violations() -> list[str]:
    bad = []
    for package, allowed in ALLOWED.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if rel in EXEMPT or any(rel.is_relative_to(d) for d in EXEMPT_DIRS):
                continue
            for line, module in _imports(path):
                top = module.split(".")[0]
                if top in ALLOWED and top != package and top not in allowed:
                    bad.append(f"{rel}:{line} imports {module} ({package} → {top})")
    return bad


def test_imports_follow_the_layers() -> None:
    assert _violations() == []


def test_every_first_party_package_has_a_layer() -> None:
    packages = {
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in {"tests", "notebooks", "scripts", "docs"}
    }
    assert packages <= set(ALLOWED), f"add a layer for {sorted(packages - set(ALLOWED))}"


def test_the_walker_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from api.app import create_app\n", encoding="utf-8")
    assert (2, "api.app") in _imports(module)
