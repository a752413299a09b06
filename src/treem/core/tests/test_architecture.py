"""The apps depend one way (core <- units <- accounts <- audit <- registry <- imports, matching, cases <- ... <- demo
<- config): no upward import and no cycle, not even an import inside a function."""

from __future__ import annotations

from pathlib import Path

import pytest

from treem.core.architecture import RANK, Violation, import_edges, violations

TREEM = Path(__file__).resolve().parents[2]


def test_the_apps_of_treem_depend_one_way() -> None:
    found = violations(TREEM)
    assert found == [], "\n".join(map(str, found))


def test_every_app_has_its_place_in_the_layering() -> None:
    apps = {p.name for p in TREEM.iterdir() if (p / "__init__.py").exists()}
    assert apps <= set(RANK), sorted(apps - set(RANK))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "treem"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for app in {name.split("/")[0] for name in files}:
        (root / app / "__init__.py").touch()
    return root


def test_an_upward_import_is_reported_even_inside_a_function(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "core/dates.py": "def f():\n    from treem.registry.models import Child\n    return Child\n",
        "registry/models.py": "from treem.core import dates\n",
    })  # fmt: skip
    assert Violation("upward", "core", "registry", "core/dates.py") in violations(root)
    assert Violation("cycle", "core", "registry", "core/dates.py") in violations(root)


@pytest.mark.parametrize(
    "statement",
    [
        "import treem.cases.models",
        "from treem.cases import selectors",
        "from treem import cases",
        "from ..cases import x",
    ],
)
def test_every_form_of_import_counts(tmp_path: Path, statement: str) -> None:
    root = _tree(tmp_path, {"registry/views.py": statement + "\n", "cases/__init__.py": ""})
    assert import_edges(root) == {("registry", "cases"): {"registry/views.py"}}
    assert [v.kind for v in violations(root)] == ["upward"]


def test_downward_imports_and_tests_are_fine(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "cases/panels.py": "from treem.registry.panels import Panel\nfrom . import selectors\n",
        "registry/panels.py": "from treem.accounts.web import AuthedRequest\n",
        "registry/tests/test_x.py": "from treem.cases import panels\n",
        "accounts/web.py": "",
    })  # fmt: skip
    assert violations(root) == []


def test_an_app_outside_the_layering_is_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"gadgets/x.py": "from treem.core import text\n", "core/text.py": ""})
    assert [v.kind for v in violations(root)] == ["unknown app"]
