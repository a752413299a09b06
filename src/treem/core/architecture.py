"""The app layering of Treem, as data, and a checker of the import graph against it (no Django needed).

Dependencies point one way: an app imports apps of its rank or lower, never a higher one, and never in a cycle,
not even inside a function. Tests and migrations are left out.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from pathlib import Path

RANK: dict[str, int] = {
    "core": 0,
    "units": 1,
    "accounts": 2,
    "audit": 3,
    "registry": 4,
    "finance": 5, "directory": 5, "staff": 5,
    "imports": 5, "matching": 5, "cases": 5, "support": 5,
    "indicators": 6, "quality": 6,
    "reporting": 7, "plans": 7, "assessments": 7, "activities": 7,
    "api": 8, "dashboards": 8, "ui": 8,
    "demo": 9,
    "config": 10,
}  # fmt: skip


@dataclass(frozen=True, slots=True, order=True)
class Violation:
    kind: str  # "upward", "cycle" or "unknown app"
    importer: str
    imported: str
    where: str  # a file of the importer (for a cycle: of the first edge)

    def __str__(self) -> str:
        return f"{self.kind}: {self.importer} -> {self.imported} ({self.where})"


def _skipped(parts: tuple[str, ...]) -> bool:
    return "tests" in parts or "migrations" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def import_edges(root: Path, package: str = "treem") -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) -> the files of the importer, every `import`/`from` anywhere in a module."""
    edges: dict[tuple[str, str], set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or _skipped(parts):
            continue
        app = parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.ImportFrom):  # relative: resolved inside the package tree
                base = ".".join((package, *parts[: len(parts) - node.level], *filter(None, [node.module])))
                names = [base, *(f"{base}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                bits = name.split(".")
                if len(bits) >= 2 and bits[0] == package and bits[1] != app and (root / bits[1]).is_dir():
                    edges.setdefault((app, bits[1]), set()).add("/".join(parts))
    return edges


def violations(root: Path, rank: dict[str, int] | None = None) -> list[Violation]:
    """Every import against the layering in the app tree at `root`: upward, from or to an app the layering does
    not know, and every cycle."""
    rank = RANK if rank is None else rank
    edges = import_edges(root)
    found: set[Violation] = set()
    for (a, b), files in edges.items():
        where = min(files)
        if a not in rank or b not in rank:
            found.add(Violation("unknown app", a, b, where))
        elif rank[a] < rank[b]:
            found.add(Violation("upward", a, b, where))
    adjacent: dict[str, set[str]] = {}
    for a, b in edges:
        adjacent.setdefault(a, set()).add(b)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(adjacent.get(node, ()))
        return False

    for a, b in itertools.permutations(sorted(adjacent), 2):
        if a < b and b in adjacent[a] and reaches(b, a):
            found.add(Violation("cycle", a, b, min(edges[(a, b)])))
    return sorted(found)
