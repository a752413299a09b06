from __future__ import annotations

from treem.registry.tests.conftest import child, household, sibling_child

__all__ = ["child", "household", "sibling_child"]
