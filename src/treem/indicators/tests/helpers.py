"""Helpers for tests of other apps too."""

from __future__ import annotations


def enter_injuries_by_hand() -> None:
    """The injury figures as they were shipped before they were computed (entered, by sex): an install may keep them
    so (an administrator's definition stays), and the tests of entered figures use them as their example."""
    from treem.indicators.models import Indicator

    Indicator.objects.filter(code__in=["child_injuries", "child_injury_deaths"]).update(
        source="entered", numerator="", disaggregations=[["sex"]]
    )
