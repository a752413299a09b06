"""Eligibility rules of a support programme, as data (`Programme.rules`, a JSON list), parsed and checked here.

A rule is a JSON object; a child matches it when every condition it names holds on the list's date:

- `label_vi` (required), `label_en`: what the list says as the child's reason.
- `groups`: special-circumstance groups (law letters of Luật Trẻ em Art. 10, e.g. `["a", "b", "c"]`), or `"any"`.
- `risk`: risk flags (codes, e.g. `["exploitation"]`), or `"any"`.
- `poverty`: the household's status that day, `["poor"]` or `["poor", "near_poor"]`.
- `min_age`, `max_age`: completed years that day, both included; `max_age` is 15 unless given (a child is a
  person under 16, Luật Trẻ em Art. 1); a programme for young people of 16–17 says `max_age: 17`.

A child is eligible when at least one rule matches; the reason is the label of the first rule that does. A rule with
no condition besides the age matches every child of that age.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

ANY = "any"
POVERTY_STATUSES = ("poor", "near_poor")
DEFAULT_MAX_AGE = 15  # under 16: a child (Luật Trẻ em 2016, Art. 1)
AGE_CEILING = 17  # young people of 16–17 are the oldest the registry keeps
KEYS = frozenset({"label_vi", "label_en", "groups", "risk", "poverty", "min_age", "max_age"})
LABEL_MAX = 200


@dataclass(frozen=True, slots=True)
class Rule:
    label_vi: str
    label_en: str = ""
    groups: frozenset[str] | None = None  # None: no condition; empty: any group
    risk: frozenset[str] | None = None
    poverty: frozenset[str] | None = None
    min_age: int = 0
    max_age: int = DEFAULT_MAX_AGE

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "vi").startswith("en") and self.label_en else self.label_vi

    def matches(self, *, age: int, groups: Iterable[str], risks: Iterable[str], poverty: str | None) -> bool:
        if not self.min_age <= age <= self.max_age:
            return False
        if self.groups is not None and not _meets(self.groups, set(groups)):
            return False
        if self.risk is not None and not _meets(self.risk, set(risks)):
            return False
        return self.poverty is None or poverty in self.poverty

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label_vi": self.label_vi}
        if self.label_en:
            data["label_en"] = self.label_en
        for name in ("groups", "risk", "poverty"):
            value = getattr(self, name)
            if value is not None:
                data[name] = sorted(value) if value or name == "poverty" else ANY
        if self.min_age:
            data["min_age"] = self.min_age
        if self.max_age != DEFAULT_MAX_AGE:
            data["max_age"] = self.max_age
        return data


def _meets(wanted: frozenset[str], has: set[str]) -> bool:
    return bool(has) if not wanted else bool(wanted & has)


def _codes(value: Any, name: str, known: frozenset[str] | None) -> frozenset[str]:
    if value == ANY:
        return frozenset()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError(_('"%(name)s" must be "any" or a non-empty list of codes.') % {"name": name})
    codes = frozenset(v.strip() for v in value)
    unknown = sorted(codes - known) if known is not None else []
    if unknown:
        raise ValidationError(_('Unknown code in "%(name)s": %(codes)s.') % {"name": name, "codes": ", ".join(unknown)})
    return codes


def _age(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= AGE_CEILING:
        raise ValidationError(
            _('"%(name)s" must be a whole number from 0 to %(max)s.') % {"name": name, "max": AGE_CEILING}
        )
    return value


def parse_rule(data: Any, *, groups: frozenset[str] | None = None, risks: frozenset[str] | None = None) -> Rule:
    """One rule from its data; `groups`/`risks`: the codes that exist (None: not checked). ValidationError else."""
    if not isinstance(data, dict):
        raise ValidationError(_("A rule must be an object with a label and conditions."))
    unknown = sorted(str(k) for k in set(data) - KEYS)
    if unknown:
        raise ValidationError(_("Unknown condition in a rule: %(names)s.") % {"names": ", ".join(unknown)})
    label = data.get("label_vi")
    label_en = data.get("label_en", "")
    if not isinstance(label, str) or not label.strip() or len(label) > LABEL_MAX:
        raise ValidationError(_("A rule needs a Vietnamese label (label_vi) of at most %(n)s characters.") % {
            "n": LABEL_MAX})  # fmt: skip
    if not isinstance(label_en, str) or len(label_en) > LABEL_MAX:
        raise ValidationError(_("The English label (label_en) must be text of at most %(n)s characters.") % {
            "n": LABEL_MAX})  # fmt: skip
    poverty = None
    if "poverty" in data:
        poverty = _codes(data["poverty"], "poverty", frozenset(POVERTY_STATUSES))
        if not poverty:
            poverty = frozenset(POVERTY_STATUSES)
    rule = Rule(
        label_vi=label.strip(),
        label_en=label_en.strip(),
        groups=_codes(data["groups"], "groups", groups) if "groups" in data else None,
        risk=_codes(data["risk"], "risk", risks) if "risk" in data else None,
        poverty=poverty,
        min_age=_age(data.get("min_age", 0), "min_age"),
        max_age=_age(data.get("max_age", DEFAULT_MAX_AGE), "max_age"),
    )
    if rule.min_age > rule.max_age:
        raise ValidationError(_("A rule's minimum age is above its maximum age."))
    return rule


def parse_rules(data: Any, *, groups: frozenset[str] | None = None, risks: frozenset[str] | None = None) -> list[Rule]:
    """A programme's rules (a non-empty list). ValidationError naming the rule that is wrong."""
    if not isinstance(data, list) or not data:
        raise ValidationError(_("The eligibility rules must be a non-empty list of rules."))
    parsed = []
    for number, item in enumerate(data, start=1):
        try:
            parsed.append(parse_rule(item, groups=groups, risks=risks))
        except ValidationError as exc:
            raise ValidationError(
                _("Rule %(number)s: %(error)s") % {"number": number, "error": " ".join(exc.messages)}
            ) from exc
    return parsed


def first_match(
    rules: Iterable[Rule], *, age: int, groups: Iterable[str], risks: Iterable[str], poverty: str | None
) -> Rule | None:
    groups, risks = list(groups), list(risks)
    return next((r for r in rules if r.matches(age=age, groups=groups, risks=risks, poverty=poverty)), None)
