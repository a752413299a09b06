"""Every translated string is one `makemessages` can find: gettext functions are imported under names xgettext knows.

An alias such as `gettext_lazy as _lazy` hides its strings from the catalogue, so they stay English in the Vietnamese
UI while every test that runs in English passes.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
# The names Django's makemessages extracts (its --keyword list plus xgettext's defaults for Python).
EXTRACTED = {
    "_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
    "npgettext", "npgettext_lazy",
}  # fmt: skip


def _hidden_aliases() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    name = alias.asname or alias.name
                    if alias.name in EXTRACTED and name not in EXTRACTED:
                        found.append(f"{path.relative_to(SRC)}: {alias.name} as {name}")
    return found


def test_gettext_is_imported_only_under_names_makemessages_extracts() -> None:
    assert _hidden_aliases() == []
