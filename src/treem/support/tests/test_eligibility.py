"""Who a programme's rules put on a list: each rule kind, the date boundaries, moving away, case data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from treem.support.models import Programme, ProgrammeKind
from treem.support.selectors import eligible

D = dt.date


def names(programme: Programme, unit, on: dt.date) -> dict[str, tuple[str, str]]:  # noqa: ANN001
    return {c.child.full_name[-1]: (";".join(c.groups), c.reason) for c in eligible(programme, unit, on)}


def programme(rules: list[dict], code: str = "p") -> Programme:
    return Programme.objects.create(code=code, name_vi=code, kind=ProgrammeKind.GIFT, rules=rules)


@pytest.fixture
def gift(db) -> Programme:  # noqa: ANN001
    return Programme.objects.get(code="gift-special")  # shipped by the migration


def test_gift_special_lists_the_children_in_any_group_who_lived_there_that_day(gift, tree, kids):
    found = names(gift, tree.commune, D(2025, 6, 1))
    assert set(found) == {"A", "B", "F", "I"}  # E's group ended on 31/03, D and G are in no group, H lives elsewhere
    assert found["A"] == ("a;d", "Trẻ em có hoàn cảnh đặc biệt (nhóm a–o), dưới 16 tuổi")
    assert found["I"][0] == ""  # eligible by an abuse-related group, which a list never names (case data)
    assert set(names(gift, tree.village, D(2025, 6, 1))) == {"A", "B", "F"}  # a village: that village only
    assert set(names(gift, tree.sibling, D(2025, 6, 1))) == {"H"}
    assert set(names(gift, tree.province, D(2025, 6, 1))) == {"A", "B", "F", "I", "H"}


def test_date_boundaries_of_age_groups_and_moves(gift, tree, kids):
    assert "B" in names(gift, tree.commune, D(2025, 6, 30))
    assert "B" not in names(gift, tree.commune, D(2025, 7, 1))  # 16 that day: no longer a child
    assert "E" in names(gift, tree.commune, D(2025, 3, 31))  # the group's last day is included
    assert "E" not in names(gift, tree.commune, D(2025, 4, 1))
    assert "F" in names(gift, tree.commune, D(2025, 9, 30))
    assert "F" not in names(gift, tree.commune, D(2025, 10, 1))  # moved away that day
    assert "I" not in names(gift, tree.commune, D(2024, 5, 4))


def test_each_rule_kind(tree, kids):
    groups = programme([{"label_vi": "Nhóm a–c", "groups": ["a", "b", "c"]}], "groups")
    assert set(names(groups, tree.commune, D(2025, 1, 1))) == {"A", "B", "E", "F"}
    poor = programme([{"label_vi": "Hộ nghèo", "poverty": ["poor"]}], "poor")
    assert names(poor, tree.commune, D(2025, 1, 1)) == {"D": ("", "Hộ nghèo")}
    assert names(poor, tree.commune, D(2023, 12, 31)) == {}  # poor from 2024 only
    risk = programme([{"label_vi": "Lao động giúp gia đình", "risk": ["exploitation"]}], "risk")
    assert set(names(risk, tree.commune, D(2025, 1, 1))) == {"G"}
    assert names(risk, tree.commune, D(2024, 12, 31)) == {}
    young = programme([{"label_vi": "Dưới 6 tuổi", "max_age": 5}], "young")
    assert set(names(young, tree.commune, D(2025, 6, 1))) == {"D"}  # born 2020-05-05: 5 that day
    assert set(names(young, tree.commune, D(2026, 5, 4))) == {"D"}
    assert names(young, tree.commune, D(2026, 5, 5)) == {}  # D turns 6 that day
    teen = programme([{"label_vi": "Từ 11 tuổi", "min_age": 11}], "teen")
    assert set(names(teen, tree.commune, D(2025, 6, 1))) == {"B", "E", "I"}


def test_the_first_rule_that_matches_is_the_reason(tree, kids):
    p = programme([
        {"label_vi": "Mồ côi", "groups": ["a"]},
        {"label_vi": "Khuyết tật", "groups": ["d"]},
        {"label_vi": "Hộ nghèo dưới 6 tuổi", "poverty": "any", "max_age": 5},
    ], "several")  # fmt: skip
    found = names(p, tree.commune, D(2025, 6, 1))
    assert found == {"A": ("a;d", "Mồ côi"), "F": ("a", "Mồ côi"), "D": ("", "Hộ nghèo dưới 6 tuổi")}


def test_the_reason_never_names_a_group_the_list_may_not_show(tree, kids):
    p = programme([
        {"label_vi": "Trẻ em bị xâm hại", "groups": ["i"]},
        {"label_vi": "Trẻ em có hoàn cảnh đặc biệt", "groups": "any"},
    ], "harmed")  # fmt: skip
    p.name_vi = "Hỗ trợ trẻ em"
    p.save()
    found = names(p, tree.commune, D(2025, 6, 1))
    # I is eligible by the abuse-related group only (case data): the list gives the programme, not the rule's label
    assert found["I"] == ("", "Hỗ trợ trẻ em")
    assert found["A"] == ("a;d", "Trẻ em có hoàn cảnh đặc biệt")


def test_rules_are_checked(db):
    p = Programme(code="bad", name_vi="x", kind=ProgrammeKind.GIFT, rules=[{"label_vi": "x", "groups": ["z"]}])
    with pytest.raises(ValidationError, match="z"):
        p.full_clean()
