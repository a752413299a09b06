"""Clean one row of an import: repair text, standardise values, validate, and say what is wrong (translated).

Each cleaner returns a value or raises CleanError; `clean_row` turns those into row statuses (ok / warning / error)
with messages that name the column. Cleaners never guess silently: every repair that changes meaning is a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import viparse

from treem.core.dates import age_on, check_date_range, format_vn, parse_partial_date, today_vn
from treem.core.errors import CleanError, Message, gettext_noop
from treem.core.ethnicity import clean_ethnicity
from treem.core.ids import check_personal_id, normalize_personal_id
from treem.core.repair import LEGACY_ENCODINGS, repair_text
from treem.core.text import NOTE_MAX_LENGTH, canonical_tones, clean_name, fold, place_keys
from treem.registry.models import CHILD_AGE_LIMIT, YOUNG_PERSON_AGE_LIMIT

from . import incidents
from .groups import LETTER_FIELDS, SPECIAL_LETTERS, GroupVocabulary, fixture_vocabulary, parse_mark

__all__ = ["SPECIAL_LETTERS", "RowContext", "RowResult", "clean_row", "clean_sex", "clean_special_groups"]

MAX_TEXT = 300
_SEX_WORDS = {
    "M": {"nam", "trai", "m", "male", "be trai", "tre trai", "con trai", "1"},
    "F": {"nu", "gai", "f", "female", "be gai", "tre gai", "con gai", "0", "2"},
}
_SEX_BY_WORD = {w: s for s, words in _SEX_WORDS.items() for w in words}
MARKUP = re.compile("[<>]")  # a village name with markup in it is refused, never stored


COLUMN_MAJORITY = 0.6
COLUMN_MIN_CELLS = 20


def detect_column_encoding(samples: list[str]) -> str | None:
    """'tcvn3' or 'vni' when a column's text was typed in a legacy font (judged on the column, not a cell).

    viparse judges by letter frequencies, which needs prose; a column of names is too little for it (its TCVN3 and
    VISCII readings of a names column score alike). So each non-ASCII cell also votes with its own reading (see
    repair_text): Unicode, or the legacy encoding that makes the most sense of it. An encoding that wins at least
    60% of at least 20 cells, and more than Unicode does, is the column's; with fewer cells, each is judged alone."""
    cells = [unicodedata.normalize("NFC", s) for s in samples if s and not s.isascii()]
    if not cells:
        return None
    detected = viparse.detect_text_encoding(" ".join(cells)[:20_000])
    if detected in LEGACY_ENCODINGS:
        return detected
    if len(cells) < COLUMN_MIN_CELLS:  # too few to judge a column: each cell is judged (and reported) alone
        return None
    votes = Counter(repair_text(cell)[1] for cell in cells)  # each cell's own reading, as if alone
    best = max(LEGACY_ENCODINGS, key=lambda name: votes[name])
    if votes[best] >= COLUMN_MAJORITY * len(cells) and votes[best] > votes[None]:
        return best
    return None


def clean_sex(value: str) -> str:
    key = fold(value).strip(" .")
    if key in _SEX_BY_WORD:
        return _SEX_BY_WORD[key]
    raise CleanError(
        "sex_unknown", Message(gettext_noop("Cannot read the sex %(value)s (write Nam or Nữ)"), value=repr(value))
    )


def clean_special_groups(value: str, vocabulary: GroupVocabulary | None = None) -> list[str]:
    """'a; d', 'nhóm a, đ', 'Khuyết tật và mồ côi cả cha và mẹ' -> ['a', 'd'] style law letters (đ kept distinct);
    see `groups`."""
    return (vocabulary or fixture_vocabulary()).parse(value)


def _outcome(function: Any, maxsize: int) -> Any:
    """`function` memoised as (value, None) or (None, CleanError): cells repeat (sexes, dates, villages, parents'
    names), so each distinct value is cleaned once per process. Errors are returned, never re-raised, so one
    exception object is not raised again and again."""

    def call(*args: Any) -> tuple[Any, CleanError | None]:
        try:
            return function(*args), None
        except CleanError as exc:
            return None, exc

    cached = functools.lru_cache(maxsize=maxsize, typed=True)(call)  # typed: True, 1 and 1.0 are different cells

    def outcome(*args: Any) -> tuple[Any, CleanError | None]:
        try:
            return cached(*args)
        except TypeError:  # an unhashable value (only a program passes one): cleaned, not cached
            return call(*args)

    return outcome


_name_outcome = _outcome(clean_name, 32_768)
_sex_outcome = _outcome(clean_sex, 4096)
_ethnicity_outcome = _outcome(clean_ethnicity, 4096)
_groups_outcome = _outcome(lambda text, vocabulary: tuple(vocabulary.parse(text)), 4096)
_mark_outcome = _outcome(parse_mark, 1024)


def _parse_in_range(value: Any, today: dt.date) -> tuple[dt.date, Any]:
    parsed = parse_partial_date(value, today=today)
    check_date_range(parsed[0])
    return parsed


_date_outcome = _outcome(_parse_in_range, 32_768)


@dataclass
class RowContext:
    """What cleaning a row needs to know beyond the row: the commune, its villages, the date, column encodings."""

    commune_name: str
    commune_keys: set[str]  # folded names and codes that mean this commune (current and former)
    villages: dict[str, str]  # folded, tone-canonical village name -> village display name
    encodings: dict[str, str | None] = field(default_factory=dict)  # field -> legacy encoding of its column
    today: dt.date = field(default_factory=today_vn)
    new_villages: dict[str, str] = field(default_factory=dict)
    groups: GroupVocabulary = field(default_factory=fixture_vocabulary)  # the special-circumstance groups' words
    kinds: incidents.KindVocabulary = field(default_factory=incidents.fixture_kind_vocabulary)  # kinds of injury


def village_key(name: str) -> str:
    return fold(canonical_tones(name))


@functools.lru_cache(maxsize=8192)
def unit_keys(name: str) -> frozenset[str]:
    """Keys a unit name matches by: folded, tone-canonical, with and without its type word ("Xã", "Bản"…)."""
    return place_keys(name)


@dataclass
class RowResult:
    source_row: int
    status: str = "ok"
    values: dict[str, Any] = field(default_factory=dict)
    messages: list[tuple[str, Message]] = field(default_factory=list)  # (field, message), translated when shown
    # what the cleaners changed, as they changed it: (field, cell before, value after, why), shown by the preview
    changes: list[tuple[str, str, str, Message]] = field(default_factory=list)
    # the status cleaning and the in-file duplicate check gave, before the registry was consulted (see `staging`)
    cleaned_status: str = ""

    def warn(self, column: str, message: Message) -> None:
        self.messages.append((column, message))
        if self.status == "ok":
            self.status = "warning"

    def fail(self, column: str, message: Message) -> None:
        self.messages.append((column, message))
        self.status = "error"

    def changed(self, column: str, before: Any, after: str, why: Message) -> None:
        shown = str(int(before)) if isinstance(before, float) and before.is_integer() else str(before)
        if shown != after:
            self.changes.append((column, shown, after, why))

    def message_text(self) -> str:
        """The messages in the active language: "Ngày sinh: Chưa ghi; Giới tính: …"."""
        from .mapping import message_text  # noqa: PLC0415 - the labels need Django, the cleaners do not

        return message_text(self.messages)

    def messages_json(self) -> list[list[Any]]:
        """The messages as stored in ImportIssue.messages: [[field, {"msgid": …, "params": …}], …]."""
        return [[column, message.to_json()] for column, message in self.messages]

    def changes_json(self) -> list[list[Any]]:
        """The changes as stored in ImportIssue.changes: [[field, before, after, {"msgid": …}], …]."""
        return [[column, before, after, why.to_json()] for column, before, after, why in self.changes]


NOT_GIVEN = Message(gettext_noop("Not given"))
RECASED = Message(gettext_noop("capitals and spaces corrected"))
ID_ZERO = Message(gettext_noop("the leading zero the spreadsheet dropped, put back"))
ID_DIGITS = Message(gettext_noop("written as 12 digits"))
VILLAGE_LISTED = Message(gettext_noop("the commune's village of this name"))
ETHNICITY_LISTED = Message(gettext_noop("the name in the list of ethnic groups"))
_REPAIR_LABELS = {
    "tcvn3": Message(gettext_noop("the TCVN3 font (.Vn…)")),
    "vni": Message(gettext_noop("the VNI font")),
    "utf8": Message(gettext_noop("a UTF-8 encoding error")),
}


def _formula_like(text: str, name: str) -> bool:
    """Text a spreadsheet would run as a formula: "=…", "+…" (not a +84 phone number), "@…", and "-…" except in a
    note, where a dash starts a list item."""
    if text.startswith(("=", "@")) or (text.startswith("+") and not text.startswith("+84")):
        return True
    return text.startswith("-") and name != "note"


def _text(raw: dict[str, Any], name: str, ctx: RowContext, result: RowResult) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    if len(text) > (NOTE_MAX_LENGTH if name == "note" else MAX_TEXT):
        result.fail(name, Message(gettext_noop("The cell is too long (%(length)s characters)"), length=len(text)))
        return ""
    column_encoding = ctx.encodings.get(name)
    fixed, repair = repair_text(text, column_encoding)
    if isinstance(value, str) and _formula_like(fixed, name):  # checked after spaces and tabs are dropped
        result.fail(
            name, Message(gettext_noop("The cell holds a formula or starts with an odd character; write the value"))
        )
        return ""
    if repair == "kept" and column_encoding is not None:  # kept: the column is in a legacy font
        kept = gettext_noop("The column uses %(font)s but this cell is already Unicode; kept %(value)s")
        result.warn(name, Message(kept, font=_REPAIR_LABELS[column_encoding], value=repr(fixed)))
    elif repair is not None and column_encoding is None:
        converted = gettext_noop("Converted %(font)s to Unicode: %(value)s")
        result.warn(name, Message(converted, font=_REPAIR_LABELS[repair], value=repr(fixed)))
    if repair in _REPAIR_LABELS:
        result.changed(name, text, fixed, Message(gettext_noop("converted from %(font)s"), font=_REPAIR_LABELS[repair]))
    return fixed


_INT_BOUND = 2**63


def _bounded(value: Any) -> Any:
    """Integers a spreadsheet cannot hold (a program's, not a reader's) as floats, which every cleaner handles."""
    if type(value) is int and not -_INT_BOUND <= value < _INT_BOUND:
        return float(value) if value.bit_length() < 1024 else (math.inf if value > 0 else -math.inf)
    return value


def _clean_person(raw: dict[str, Any], name: str, ctx: RowContext, result: RowResult, *, required: bool) -> str:
    if isinstance(raw.get(name), bool | int | float):  # a number cell ("nan", "True") is never a name
        (result.fail if required else result.warn)(
            name,
            Message(gettext_noop("Write the full name in letters, not the number %(value)s"), value=repr(raw[name])),
        )
        return ""
    text = _text(raw, name, ctx, result)
    if not text:
        if required:
            result.fail(name, NOT_GIVEN)
        return ""
    cleaned, error = _name_outcome(text)
    if error is not None:
        (result.fail if required else result.warn)(name, error.text)
        return ""
    _merge_change(result, name, text, cleaned, RECASED)
    return cleaned


def _merge_change(result: RowResult, name: str, before: str, after: str, why: Message) -> None:
    """A second change of a cell already changed (a name converted from a font, then recased) extends the first."""
    last = result.changes[-1] if result.changes else None
    if last is not None and last[0] == name and last[2] == before:
        if after != before:
            result.changes[-1] = (name, last[1], after, Message(gettext_noop("%(first)s; %(then)s"), first=last[3],
                                                                  then=why))  # fmt: skip
        return
    result.changed(name, before, after, why)


def clean_row(source_row: int, raw: dict[str, Any], ctx: RowContext) -> RowResult:
    """Clean and validate one data row given as {field: raw cell value}."""
    raw = {k: _bounded(v) for k, v in raw.items()}
    r = RowResult(source_row)
    v = r.values
    v["full_name"] = _clean_person(raw, "full_name", ctx, r, required=True)
    for person in ("guardian_name", "father_name", "mother_name", "head_name"):
        if raw.get(person) not in (None, ""):
            v[person] = _clean_person(raw, person, ctx, r, required=False)

    # date of birth: day first always; month/year-only dates are kept with their precision
    dob_raw = raw.get("date_of_birth")
    if dob_raw in (None, ""):
        r.fail("date_of_birth", NOT_GIVEN)
    else:
        text = dob_raw if not isinstance(dob_raw, str) else _text(raw, "date_of_birth", ctx, r)
        parsed, error = _date_outcome(text, ctx.today)
        if error is not None:
            r.fail("date_of_birth", error.text)
        else:
            dob, precision = parsed
            v["date_of_birth"], v["dob_precision"] = dob, str(precision)
            if dob > ctx.today:
                r.fail("date_of_birth", Message(gettext_noop("The date of birth is in the future")))
            else:
                age = age_on(dob, ctx.today)
                if age >= YOUNG_PERSON_AGE_LIMIT:
                    r.fail("date_of_birth", Message(gettext_noop("%(age)s years old: no longer a child"), age=age))
                elif age >= CHILD_AGE_LIMIT:
                    minor = gettext_noop("%(age)s years old: saved as a minor (16–17), not counted as a child")
                    r.warn("date_of_birth", Message(minor, age=age))
            if precision != "day":
                r.warn("date_of_birth", Message(gettext_noop("Only the month/year of birth is known")))

    sex_text = _text(raw, "sex", ctx, r)
    if sex_text:
        sex, error = _sex_outcome(sex_text)
        if error is not None:
            r.fail("sex", error.text)
        else:
            v["sex"] = sex

    eth = _text(raw, "ethnicity", ctx, r)
    if eth:
        ethnicity, error = _ethnicity_outcome(eth)
        if error is not None:
            r.warn("ethnicity", Message(gettext_noop("%(problem)s (left empty when saved)"), problem=error.text))
        else:
            v["ethnicity"] = ethnicity
            _merge_change(r, "ethnicity", eth, ethnicity, ETHNICITY_LISTED)

    pid_raw = raw.get("personal_id")
    if pid_raw not in (None, ""):
        try:
            text = pid_raw if not isinstance(pid_raw, str) else _text(raw, "personal_id", ctx, r)
            pid = normalize_personal_id(text)
        except CleanError as exc:
            r.warn("personal_id", Message(gettext_noop("%(problem)s (this number is not saved)"), problem=exc.text))
        else:
            if pid:
                zero_lost = not str(text).lstrip("'").startswith("0")
                r.changed("personal_id", text, pid, ID_ZERO if zero_lost else ID_DIGITS)
                exact_dob = v.get("date_of_birth") if v.get("dob_precision") == "day" else None
                for problem in check_personal_id(pid, date_of_birth=exact_dob, sex=v.get("sex")):
                    r.warn("personal_id", problem.text)
                v["personal_id"] = pid
    if "sex" not in v:
        if v.get("personal_id"):
            digit = int(v["personal_id"][3])
            v["sex"] = "F" if digit % 2 else "M"
            r.warn("sex", Message(gettext_noop("Not given; taken from the personal ID")))
        elif sex_text == "":
            r.fail("sex", NOT_GIVEN)

    commune = _text(raw, "commune", ctx, r) or _text(raw, "commune_code", ctx, r)
    if commune and not unit_keys(commune) & ctx.commune_keys:
        r.fail(
            "commune",
            Message(
                gettext_noop("%(value)s is not %(commune)s (nor its name before the reorganisation)"),
                value=repr(commune), commune=ctx.commune_name,
            ),
        )  # fmt: skip

    village = _text(raw, "village", ctx, r)
    if village and MARKUP.search(village):
        r.fail(
            "village", Message(gettext_noop("A village name may not contain < or >: %(value)s"), value=repr(village))
        )
    elif village:
        keys = unit_keys(village)
        known = next((ctx.villages[k] for k in keys if k in ctx.villages), None)
        if known:
            v["village"] = known
            _merge_change(r, "village", village, known, VILLAGE_LISTED)
        else:
            v["village"] = village
            v["new_village"] = True
            r.warn("village", Message(NEW_VILLAGE, name=repr(village)))
            name_new_village(r, ctx)

    _clean_groups(raw, ctx, r)
    if incidents.given(raw):
        _clean_injury(raw, ctx, r)
    for name in ("household_code", "address", "phone", "note"):
        text = _text(raw, name, ctx, r)
        if text:
            v[name] = text
    return r


NEW_VILLAGE = gettext_noop("New village %(name)s will be created when saved")


def name_new_village(result: RowResult, ctx: RowContext) -> None:
    """One proposal for all spellings of a new village: the first row (in file order) that names it names it for
    every later row. `result` is a row `clean_row` found in a new village, named as it spells it; rows cleaned in
    worker processes are named here again, in file order, by the process that merges them."""
    spelled = result.values["village"]
    keys = unit_keys(spelled)
    name = next((ctx.new_villages[k] for k in keys if k in ctx.new_villages), spelled)
    for k in keys:
        ctx.new_villages.setdefault(k, name)
    if name != spelled:
        result.values["village"] = name
        for i, (field_name, message) in enumerate(result.messages):
            if field_name == "village" and message.msgid == NEW_VILLAGE:
                result.messages[i] = (field_name, Message(NEW_VILLAGE, name=repr(name)))


def _cell_date(raw: dict[str, Any], name: str, ctx: RowContext, result: RowResult) -> tuple[dt.date, str] | None:
    """A date cell as (date, precision), or None when empty or unreadable (then the row has an error)."""
    value = raw.get(name)
    if value in (None, ""):
        return None
    text = value if not isinstance(value, str) else _text(raw, name, ctx, result)
    if text == "":
        return None
    parsed, error = _date_outcome(text, ctx.today)
    if error is not None:
        result.fail(name, error.text)
        return None
    return parsed[0], str(parsed[1])


def _period_end(day: dt.date, precision: str) -> dt.date:
    """The last day of the month or year a partial date stands for."""
    if precision == "year":
        return day.replace(month=12, day=31)
    if precision == "month":
        following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return day


def _clean_groups(raw: dict[str, Any], ctx: RowContext, r: RowResult) -> None:
    """The special-circumstance groups of a row (a column of words or letters, and/or one column per group marked
    x) and the dates of their period. Case-data groups are refused; without a start date the period starts on the
    day the import is saved (the preview says so)."""
    found: list[tuple[str, str]] = []  # (group, the column that named it)
    text = _text(raw, "special_groups", ctx, r)
    if text:
        codes, error = _groups_outcome(text, ctx.groups)
        if error is not None:
            r.fail("special_groups", error.text)
        else:
            found += [(code, "special_groups") for code in codes]
    for name, code in LETTER_FIELDS.items():
        if name in raw:
            marked, error = _mark_outcome(raw[name])
            if error is not None:
                r.fail(name, error.text)
            elif marked and code in ctx.groups.letters:
                found.append((code, name))
            elif marked:  # a column of a group that was switched off
                inactive = gettext_noop("Group %(group)s is not in use: it cannot be imported")
                r.fail(name, Message(inactive, group=code))
    groups: list[str] = []
    for code, column in found:
        if code in ctx.groups.confidential:
            case_data = gettext_noop(
                "Group %(group)s (%(name)s) is case data: it is recorded from a child protection case, not imported "
                "from a file"
            )
            r.fail(column, Message(case_data, group=code, name=ctx.groups.names.get(code, "")))
        elif code not in groups:
            groups.append(code)

    start = _cell_date(raw, "group_from", ctx, r)
    end = _cell_date(raw, "group_to", ctx, r)
    if not groups:
        if (start or end) and not found:
            unsaved = Message(gettext_noop("No group is given: the dates are not saved"))
            r.warn("group_from" if start else "group_to", unsaved)
        return
    v = r.values
    v["special_groups"] = groups
    if start is not None:
        day, precision = start
        if precision != "day":
            only = gettext_noop("Only the month/year is known: the group starts on %(date)s")
            r.warn("group_from", Message(only, date=format_vn(day)))
        if day > ctx.today:
            r.fail("group_from", Message(gettext_noop("The start date is in the future")))
        elif v.get("date_of_birth") and day < v["date_of_birth"]:
            r.fail("group_from", Message(gettext_noop("The start date is before the date of birth")))
        else:
            v["group_from"] = day
    if end is not None:
        day, precision = end
        day = _period_end(day, precision)
        if precision != "day":
            only = gettext_noop("Only the month/year is known: the group ends on %(date)s")
            r.warn("group_to", Message(only, date=format_vn(day)))
        if start is not None and day < start[0]:
            r.fail("group_to", Message(gettext_noop("The end date is before the start date")))
        elif start is None and day < ctx.today:
            before = gettext_noop(
                "The end date is before the day of the import, on which a group without a start date starts: write "
                "the start date"
            )
            r.fail("group_to", Message(before))
        else:
            v["group_to"] = day


_kind_outcome = _outcome(lambda text, vocabulary: vocabulary.parse(text), 1024)
_place_outcome = _outcome(incidents.parse_place, 1024)
_injury_outcome = _outcome(incidents.parse_outcome, 1024)


def _clean_injury(raw: dict[str, Any], ctx: RowContext, r: RowResult) -> None:
    """An injury of the child (a commune's injury list): its date, kind and outcome are required, the place is
    "other" when not given (a warning); see `incidents`."""
    v = r.values
    date = _cell_date(raw, "injury_date", ctx, r)
    if date is None and raw.get("injury_date") in (None, ""):
        r.fail("injury_date", NOT_GIVEN)
    elif date is not None:
        day, precision = date
        problem = incidents.check_date(day, precision, v.get("date_of_birth"), ctx.today)
        if problem is not None:
            r.fail("injury_date", problem)
        else:
            if precision == "month":
                only = gettext_noop("Only the month is known: recorded on %(date)s")
                r.warn("injury_date", Message(only, date=format_vn(day)))
            v["injury_date"] = day
    for name, parse, ctx_arg in (
        ("injury_kind", _kind_outcome, True), ("injury_outcome", _injury_outcome, False),
        ("injury_place", _place_outcome, False),
    ):  # fmt: skip
        text = _text(raw, name, ctx, r)
        if not text:
            if name == "injury_place":
                v[name] = "other"
                r.warn(name, Message(gettext_noop("Not given: recorded as another place")))
            else:
                r.fail(name, NOT_GIVEN)
            continue
        value, error = parse(text, ctx.kinds) if ctx_arg else parse(text)
        if error is not None:
            r.fail(name, error.text)
        else:
            v[name] = value
