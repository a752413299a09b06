"""A commune's list of injured children (danh sách trẻ em bị tai nạn, thương tích), read by the ordinary import.

Four columns beside the child's own (name, date of birth, sex…): the date of the injury, its kind (drowning,
traffic, fall… — the kinds are data, `IncidentKind`, read by their name, code or the words communes write,
`IncidentKind.synonyms`), where it happened and the outcome. A row is matched to a registered child like any row of
an import (ID number, or name and date of birth in the commune); a child not in the registry is proposed as a new
child, as in any import. Words are compared without case or diacritics; every cell must be understood (a word that
names nothing is a row error naming it, fixed in the error workbook and imported again).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from treem.core.errors import CleanError, Message, gettext_noop
from treem.core.text import fold

FIELDS = ("injury_date", "injury_kind", "injury_place", "injury_outcome")

# Where it happened and what came of it: folded words -> the registry's codes (`IncidentPlace`, `IncidentOutcome`).
PLACES: dict[str, tuple[str, ...]] = {
    "home": ("nha", "tai nha", "o nha", "trong nha", "gia dinh", "tai gia dinh", "home"),
    "school": ("truong", "truong hoc", "tai truong", "o truong", "lop hoc", "school"),
    "water": ("song", "ho", "ao", "suoi", "bien", "song suoi", "ao ho", "song ho", "ao ho song suoi",
              "song ho ao suoi", "vung nuoc", "duoi nuoc", "ho nuoc", "mo nuoc", "dap", "water"),
    "road": ("duong", "duong giao thong", "tren duong", "duong di", "duong lang", "quoc lo", "road"),
    "workplace": ("noi lam viec", "xuong", "nuong", "nuong ray", "ray", "noi lao dong", "workplace"),
    "other": ("khac", "noi khac", "other"),
}  # fmt: skip
OUTCOMES: dict[str, tuple[str, ...]] = {
    "home_care": ("tu chua tai nha", "tai nha", "dieu tri tai nha", "so cuu tai nha", "cham soc tai nha",
                  "nhe", "khoi", "home_care"),
    "health_station": ("tram y te", "tyt", "dieu tri tai tram y te", "tram y te xa", "y te xa", "health_station"),
    "hospital": ("benh vien", "bv", "dieu tri tai benh vien", "nhap vien", "chuyen vien", "hospital"),
    "disability": ("khuyet tat", "tan tat", "de lai khuyet tat", "thuong tat", "di chung", "disability"),
    "death": ("tu vong", "chet", "da mat", "mat", "death"),
}  # fmt: skip


@dataclass(frozen=True, eq=False)
class KindVocabulary:
    """The words of every kind of injury, folded -> its code."""

    words: dict[str, str]

    def parse(self, value: str) -> str:
        key = " ".join(fold(value).replace(",", " ").split())
        for prefix in ("tai nan ", "bi "):  # "tai nạn đuối nước", "bị chó cắn"
            if key not in self.words and key.startswith(prefix):
                key = key.removeprefix(prefix)
        if key in self.words:
            return self.words[key]
        raise CleanError(
            "injury_kind_unknown",
            Message(gettext_noop("Cannot read the kind of injury %(value)s"), value=repr(value)),
        )


def _build(rows: Iterable[tuple[str, str, str, Iterable[str]]]) -> KindVocabulary:
    words: dict[str, str] = {}
    for code, name_vi, name_en, synonyms in rows:
        for word in (code, name_vi, name_en, *synonyms):
            words.setdefault(" ".join(fold(word).split()), code)
    return KindVocabulary(words)


def kind_vocabulary() -> KindVocabulary:
    """The active kinds of injury as the database holds them."""
    from treem.registry.models import IncidentKind  # noqa: PLC0415 - the cleaners need no DB

    rows = IncidentKind.objects.filter(is_active=True).values_list("code", "name_vi", "name_en", "synonyms")
    return _build((c, vi, en, tuple(s or ())) for c, vi, en, s in rows)


@functools.cache
def fixture_kind_vocabulary() -> KindVocabulary:
    """The kinds the fixture ships (for code without a database)."""
    from treem.registry.reference import INCIDENT_KINDS  # noqa: PLC0415

    rows = json.loads(INCIDENT_KINDS.read_text(encoding="utf-8"))
    return _build((r["code"], r["name_vi"], r["name_en"], tuple(r.get("synonyms", ()))) for r in rows)


def _lookup(table: dict[str, tuple[str, ...]], value: str) -> str | None:
    key = " ".join(fold(value).replace(",", " ").split())
    return next((code for code, words in table.items() if key in words or key == code), None)


def parse_place(value: str) -> str:
    code = _lookup(PLACES, value)
    if code is None:
        raise CleanError(
            "injury_place_unknown",
            Message(gettext_noop("Cannot read where it happened: %(value)s (home, school, river or pond, road…)"),
                    value=repr(value)),
        )  # fmt: skip
    return code


def parse_outcome(value: str) -> str:
    code = _lookup(OUTCOMES, value)
    if code is None:
        raise CleanError(
            "injury_outcome_unknown",
            Message(gettext_noop("Cannot read the outcome %(value)s (at home, health station, hospital, disability, "
                                 "death)"), value=repr(value)),
        )  # fmt: skip
    return code


def given(raw: dict[str, Any]) -> bool:
    """Whether a row says anything about an injury."""
    return any(raw.get(name) not in (None, "") for name in FIELDS)


def check_date(day: dt.date, precision: str, dob: dt.date | None, today: dt.date) -> Message | None:
    """What is wrong with an injury's date (a month alone is kept, on its first day, with a warning elsewhere)."""
    if precision == "year":
        return Message(gettext_noop("Write at least the month of the injury"))
    if day > today:
        return Message(gettext_noop("The date of the injury is in the future"))
    if dob is not None and day < dob:
        return Message(gettext_noop("The date of the injury is before the date of birth"))
    return None


def check_injuries(rows: list[Any]) -> None:
    """Rows that give an injury of a registered child: refused when the registry cannot take it (a date after the
    child's recorded death, or a second death), so the preview and the error workbook show it before saving. An
    injury the child already has (same date and kind: the list imported again) is no problem: it is kept."""
    from treem.registry.models import Child, Incident  # noqa: PLC0415 - the cleaners need no DB
    from treem.registry.services import incident_problem  # noqa: PLC0415

    wanted = [r for r in rows if r.status in ("ok", "warning") and r.values.get("injury_date")]
    ids = {r.values["existing_child_id"] for r in wanted if r.values.get("existing_child_id")}
    if not ids:
        return
    children = Child.objects.only("pk", "status", "status_date", "death_cause").in_bulk(ids)
    known = set(Incident.objects.filter(child_id__in=ids).values_list("child_id", "occurred_on", "kind__code"))
    for r in wanted:
        child = children.get(r.values.get("existing_child_id"))
        if child is None or (child.pk, r.values["injury_date"], r.values.get("injury_kind")) in known:
            continue
        problem = incident_problem(child, r.values["injury_date"], r.values.get("injury_outcome", ""))
        if problem is not None:
            r.fail("injury_outcome" if r.values.get("injury_outcome") == "death" else "injury_date", Message(problem))
