"""Parsing eligibility rules: any data in gives a rule or a ValidationError, never another exception; a parsed rule
written back as data parses to the same rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treem.support.rules import ANY, Rule, parse_rule, parse_rules

GROUPS = frozenset(["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o"])
RISKS = frozenset({"violence", "exploitation", "dropout"})

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 40) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
keys = st.sampled_from(["label_vi", "label_en", "groups", "risk", "poverty", "min_age", "max_age", "other"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, json_values | st.lists(st.sampled_from(sorted(GROUPS)), max_size=3), max_size=6))
def test_anything_parses_or_is_refused_with_a_message(data):
    try:
        rule = parse_rule(data, groups=GROUPS, risks=RISKS)
    except ValidationError as exc:
        messages = exc.messages
        assert messages and all(m.strip() for m in messages)  # noqa: PT017 - any data: either outcome is right
    else:
        assert isinstance(rule, Rule) and rule.min_age <= rule.max_age


codes = st.one_of(st.just(ANY), st.lists(st.sampled_from(sorted(GROUPS)), min_size=1, max_size=4))
ages = st.integers(0, 17)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    label=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s),
    groups=st.none() | codes,
    risk=st.none() | st.just(ANY) | st.lists(st.sampled_from(sorted(RISKS)), min_size=1),
    poverty=st.none() | st.just(ANY) | st.sampled_from([["poor"], ["poor", "near_poor"], ["near_poor"]]),
    lo=ages, hi=ages,
)  # fmt: skip
def test_a_rule_written_back_parses_to_the_same_rule(label, groups, risk, poverty, lo, hi):
    data: dict = {"label_vi": label, "min_age": min(lo, hi), "max_age": max(lo, hi)}
    for name, value in (("groups", groups), ("risk", risk), ("poverty", poverty)):
        if value is not None:
            data[name] = value
    rule = parse_rule(data, groups=GROUPS, risks=RISKS)
    assert parse_rule(rule.as_data(), groups=GROUPS, risks=RISKS) == rule


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "không rỗng"),
        ({"label_vi": "x"}, "không rỗng"),
        ([{"groups": ["a"]}], "Tiêu chí 1: .*label_vi"),
        ([{"label_vi": "x"}, {"label_vi": "y", "groups": ["q"]}], "Tiêu chí 2: .*q"),
        ([{"label_vi": "x", "min_age": 10, "max_age": 5}], "Tuổi tối thiểu"),
        ([{"label_vi": "x", "max_age": 30}], "0 đến 17"),
        ([{"label_vi": "x", "colour": "red"}], "colour"),
        ([{"label_vi": "x", "poverty": ["rich"]}], "rich"),
    ],
)
def test_wrong_rules_name_the_rule_and_the_problem(data, message):
    with pytest.raises(ValidationError, match=message):
        parse_rules(data, groups=GROUPS, risks=RISKS)


def test_conditions():
    rule = parse_rule({"label_vi": "x", "groups": ["a", "b"], "poverty": ANY, "min_age": 6}, groups=GROUPS)
    assert rule.matches(age=6, groups=["b"], risks=[], poverty="near_poor")
    assert not rule.matches(age=5, groups=["b"], risks=[], poverty="poor")
    assert not rule.matches(age=6, groups=["c"], risks=[], poverty="poor")
    assert not rule.matches(age=6, groups=["a"], risks=[], poverty=None)
    any_group = parse_rule({"label_vi": "x", "groups": ANY})
    assert any_group.matches(age=15, groups=["o"], risks=[], poverty=None)
    assert not any_group.matches(age=15, groups=[], risks=["violence"], poverty=None)
    assert not any_group.matches(age=16, groups=["o"], risks=[], poverty=None)  # under 16 unless it says otherwise
