"""`treem assessments verdict --unit CODE --year Y`: exactly `total<TAB>threshold<TAB>verdict` and a newline."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from treem.assessments.models import Category

from .conftest import score_all

pytestmark = pytest.mark.django_db


def _verdict(code: str, year: int) -> str:
    out = StringIO()
    call_command("assessments", "verdict", "--unit", code, "--year", str(year), stdout=out)
    return out.getvalue()


def test_verdict_prints_total_threshold_and_verdict(tree, draft) -> None:  # noqa: ANN001
    score_all(draft, {"1.1": 25, "2.1": 25, "3.1": 25})
    assert _verdict(tree.commune.code, 2025) == "850\t850\trecognised\n"
    draft.category = Category.objects.get(code="urban_ward")
    draft.save()
    assert _verdict(tree.commune.code, 2025) == "850\t900\tnot_recognised\n"


def test_verdict_with_a_zero_criterion_is_not_recognised(tree, draft) -> None:  # noqa: ANN001
    score_all(draft, {"11.1": 0})
    assert _verdict(tree.commune.code, 2025) == "925\t850\tnot_recognised\n"


def test_verdict_is_incomplete_while_an_item_has_no_score(tree, draft) -> None:  # noqa: ANN001
    score_all(draft, {"4.1": None})
    assert _verdict(tree.commune.code, 2025) == "925\t850\tincomplete\n"


def test_verdict_of_a_commune_without_an_assessment_is_an_error(tree, draft) -> None:  # noqa: ANN001
    with pytest.raises(CommandError, match="no assessment"):
        _verdict(tree.commune.code, 2024)
    with pytest.raises(CommandError, match="no commune"):
        _verdict(tree.province.code, 2025)


def test_load_keeps_an_administrators_points_unless_update(db) -> None:  # noqa: ANN001
    from treem.assessments.models import Item

    Item.objects.filter(code="1.1").update(max_points=80)
    call_command("assessments", "load", stdout=StringIO())
    assert Item.objects.get(code="1.1").max_points == 80
    call_command("assessments", "load", "--update", stdout=StringIO())
    assert Item.objects.get(code="1.1").max_points == 75
