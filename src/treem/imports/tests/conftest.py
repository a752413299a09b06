from __future__ import annotations

from treem.registry.tests.conftest import child, household

__all__ = ["child", "household"]
