"""Special-circumstance groups as communes write them: the group-word parser, the x marks, the group headers and
the dates of a group's period (properties over any input; the vocabulary the fixtures ship)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treem.core.dates import format_vn
from treem.core.errors import CleanError
from treem.core.text import fold
from treem.imports.cleaning import RowContext, clean_row, unit_keys
from treem.imports.groups import (
    FIELD_OF_LETTER,
    LETTER_FIELDS,
    SPECIAL_LETTERS,
    build_vocabulary,
    fixture_vocabulary,
    parse_mark,
    vocabulary,
)
from treem.imports.mapping import FIELD_LABELS_VI, FIELDS, guess_field, guess_mapping
from treem.imports.tests.test_cleaning import TCVN3, encode_legacy
from treem.registry.reference import FIXTURE, circumstance_synonyms

VOCABULARY = fixture_vocabulary()
TYPES = json.loads(FIXTURE.read_text(encoding="utf-8"))["special"]
NAMES = {t["code"]: t["name_vi"] for t in TYPES}
SYNONYMS = circumstance_synonyms()["special"]
CONFIDENTIAL = {t["code"] for t in TYPES if t.get("confidential")}
TODAY = dt.date(2026, 6, 1)


def forms_of(code: str) -> list[str]:
    """Every way the vocabulary says a commune may write a group."""
    return [code, f"Nhóm {code}", f"điểm {code}", code.upper(), NAMES[code], *SYNONYMS[code]]


WRITTEN = st.sampled_from(SPECIAL_LETTERS).flatmap(
    lambda code: st.tuples(st.just(code), st.sampled_from(forms_of(code)))
)
SEPARATORS = st.sampled_from([", ", ",", "; ", ";", " và ", "\n", " + ", " / ", " - "])


# --- the parser --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("a", ["a"]), ("Nhóm d", ["d"]), ("đ", ["đ"]), ("Đ", ["đ"]), ("dd", ["đ"]), ("nhóm đ", ["đ"]),
        ("d", ["d"]), ("điểm h", ["h"]), ("(a).", ["a"]), ("A / B", ["a", "b"]),
        ("Mồ côi cả cha và mẹ", ["a"]), ("Mồ côi cả cha lẫn mẹ", ["a"]), ("Khuyết tật", ["d"]),
        ("Bị bỏ rơi", ["b"]), ("Nhiễm HIV/AIDS", ["đ"]), ("Bỏ học kiếm sống", ["h"]), ("Không nơi nương tựa", ["c"]),
        ("Trẻ em mồ côi cả cha và mẹ", ["a"]), ("TRẺ EM KHUYẾT TẬT", ["d"]), ("trẻ em bị bỏ rơi", ["b"]),
        ("Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở", ["h"]),
        ("Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo, hộ cận nghèo", ["n"]),
        ("mo coi ca cha va me", ["a"]), ("khuyet tat", ["d"]), ("nhiem hiv", ["đ"]),
        ("Khuyết tật; Nhiễm HIV/AIDS", ["d", "đ"]), ("a, d", ["a", "d"]), ("a và đ", ["a", "đ"]),
        ("Khuyết tật và mồ côi cả cha và mẹ", ["d", "a"]), ("Khuyết tật\nBỏ học kiếm sống", ["d", "h"]),
        ("a. Trẻ em mồ côi cả cha và mẹ", ["a"]), ("d, Khuyết tật nặng", ["d"]),
        ("điểm a khoản 1 Điều 10 Luật Trẻ em", ["a"]), ("Bị xâm hại tình dục", ["l"]),
        ("", []), ("Không", []), ("-", []), ("Nhóm", []),
    ],
)  # fmt: skip
def test_the_words_communes_write(cell: str, codes: list[str]) -> None:
    assert VOCABULARY.parse(cell) == codes


@pytest.mark.parametrize(
    ("cell", "named"),
    [("z", "'z'"), ("a; p", "'p'"), ("nhóm 1", "'1'"), ("Mồ côi cha", "'Mồ côi cha'"), ("Khuyết tật, xyz", "'xyz'"),
     ("Có nguy cơ bị bạo lực", "'Có nguy cơ'"), ("mồ côi cha, hộ nghèo", "'mồ côi cha', 'hộ nghèo'")],
)  # fmt: skip
def test_an_unknown_word_is_an_error_naming_it(cell: str, named: str) -> None:
    with pytest.raises(CleanError) as info:
        VOCABULARY.parse(cell)
    assert info.value.code == "group_unknown"
    assert named in info.value.message
    assert "Điều 10" in info.value.message  # the Vietnamese message says where the letters come from


def test_every_word_of_the_vocabulary_names_its_own_group_and_no_other() -> None:
    seen: dict[tuple[str, ...], str] = {}
    for code in SPECIAL_LETTERS:
        for form in forms_of(code):
            assert VOCABULARY.parse(form) == [code], form
        for words in (NAMES[code], *SYNONYMS[code]):  # the words (the letters d and đ fold alike)
            key = tuple(fold(words).split())
            assert seen.setdefault(key, code) == code, f"{words!r} names {seen[key]} and {code}"


@given(st.lists(WRITTEN, min_size=1, max_size=6), st.data())
def test_several_groups_in_one_cell_in_any_form(written: list[tuple[str, str]], data: st.DataObject) -> None:
    """Any groups, each in any form, with any separators: the groups in order, each once."""
    cell = written[0][1]
    for _code, form in written[1:]:
        cell += data.draw(SEPARATORS) + form
    assert VOCABULARY.parse(cell) == list(dict.fromkeys(code for code, _form in written))


@given(st.lists(WRITTEN, min_size=1, max_size=4))
def test_case_and_diacritics_do_not_matter(written: list[tuple[str, str]]) -> None:
    """Upper case, lower case, and (but for the letter đ, which is not d) without any diacritics."""
    cell = "; ".join(form for _code, form in written)
    codes = list(dict.fromkeys(code for code, _form in written))
    assert VOCABULARY.parse(cell.upper()) == VOCABULARY.parse(cell.lower()) == codes
    if not any(form.lower() == "đ" or form.lower().endswith(" đ") for _code, form in written):
        assert VOCABULARY.parse(fold(cell)) == codes


@given(st.text(max_size=60))
def test_any_text_is_groups_or_an_error(cell: str) -> None:
    try:
        codes, outcome = VOCABULARY.parse(cell), "ok"
    except CleanError as exc:
        codes, outcome = [], exc.code
    assert outcome in ("ok", "group_unknown", "group_ambiguous")
    assert set(codes) <= set(SPECIAL_LETTERS)
    assert len(codes) == len(set(codes))


@given(WRITTEN, st.from_regex(r"[qwxzf]{2,6}", fullmatch=True))
def test_an_unknown_word_beside_known_ones_is_named(written: tuple[str, str], word: str) -> None:
    with pytest.raises(CleanError) as info:
        VOCABULARY.parse(f"{written[1]}, {word}")
    assert repr(word) in info.value.message


def test_a_phrase_two_groups_share_is_ambiguous() -> None:
    groups = build_vocabulary(
        (("a", "Mồ côi cả cha và mẹ", ("Mồ côi",), False), ("c", "Không nơi nương tựa", ("mồ côi",), False))
    )
    with pytest.raises(CleanError) as info:
        groups.parse("Mồ côi")
    assert info.value.code == "group_ambiguous"
    assert groups.parse("a") == ["a"]


@pytest.mark.django_db
def test_the_vocabulary_is_data_an_administrator_extends() -> None:
    from treem.registry.models import CircumstanceType

    d = CircumstanceType.objects.get(kind="special", code="d")
    assert "Khuyết tật" in d.synonyms  # seeded by the migration
    with pytest.raises(CleanError):
        vocabulary().parse("Tật nguyền")
    d.synonyms = [*d.synonyms, "Tật nguyền"]
    d.save()
    assert vocabulary().parse("tat nguyen; HIV") == ["d", "đ"]
    assert vocabulary().confidential == frozenset(CONFIDENTIAL) == {"i", "k", "l", "m"}
    CircumstanceType.objects.filter(kind="special", code="o").update(is_active=False)
    with pytest.raises(CleanError):
        vocabulary().parse("o")


# --- the x columns -----------------------------------------------------------------------------------------------


@given(st.sampled_from(["x", "X", " x ", "x.", "✓", "✔", "có", "Có", "CO", "v", 1, 1.0, True]))
def test_a_mark_puts_the_child_in_the_group(cell: object) -> None:
    assert parse_mark(cell) is True


@given(st.sampled_from([None, "", " ", "0", 0, 0.0, False, "không", "Không", "-"]))
def test_an_empty_cell_does_not(cell: object) -> None:
    assert parse_mark(cell) is False


@given(st.text(max_size=10) | st.integers() | st.floats(allow_nan=True))
def test_any_other_cell_is_an_error_naming_it(cell: object) -> None:
    try:
        outcome, message = str(parse_mark(cell)), ""
    except CleanError as exc:
        outcome, message = exc.code, exc.message
    assert outcome in ("True", "False", "mark_unknown")
    if outcome == "mark_unknown":
        assert repr(str(cell)[:40]) in message


@pytest.mark.parametrize(
    ("header", "field"),
    [("a", "group_a"), ("Nhóm a", "group_a"), ("a. Mồ côi cả cha và mẹ", "group_a"), ("Khuyết tật", "group_d"),
     ("Nhóm d", "group_d"), ("Nhóm đ", "group_dd"), ("đ", "group_dd"), ("Nhiễm HIV/AIDS", "group_dd"),
     ("Bị bỏ rơi (đánh dấu x)", "group_b"), ("Bỏ học kiếm sống", "group_h"), ("Trẻ em bị xâm hại tình dục", "group_l"),
     ("Hoàn cảnh đặc biệt", "special_groups"), ("Thuộc nhóm HCĐB", "special_groups"),
     ("Từ ngày", "group_from"), ("Ngày bắt đầu", "group_from"), ("Thời điểm rơi vào hoàn cảnh đặc biệt", "group_from"),
     ("Thời điểm rơi vào HCĐB (ngày/tháng/năm)", "group_from"), ("Đến ngày", "group_to"),
     ("Ngày kết thúc", "group_to"), ("Ngày thoát khỏi", "group_to"), ("Ngày thoát khỏi hoàn cảnh đặc biệt", "group_to"),
     ("Họ và tên", "full_name"), ("Ngày sinh", "date_of_birth"), ("Bố", "father_name"), ("Thôn", "village"),
     ("Nhóm", None), ("Khuyết tật và HIV", None)],
)  # fmt: skip
def test_headers(header: str, field: str | None) -> None:
    assert guess_field(header) == field


def test_every_group_has_its_x_column() -> None:
    assert set(LETTER_FIELDS.values()) == set(SPECIAL_LETTERS)
    assert all(FIELD_OF_LETTER[c] in FIELDS and FIELD_LABELS_VI[FIELD_OF_LETTER[c]] for c in SPECIAL_LETTERS)
    headers = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", *(NAMES[c] for c in SPECIAL_LETTERS), "Từ ngày"]
    mapping = guess_mapping(headers)
    assert [mapping[i] for i in range(4, 4 + len(SPECIAL_LETTERS))] == [FIELD_OF_LETTER[c] for c in SPECIAL_LETTERS]
    assert mapping[len(headers) - 1] == "group_from"


# --- rows: groups and their dates --------------------------------------------------------------------------------


def context() -> RowContext:
    return RowContext("Xã Khun Há", unit_keys("Xã Khun Há"), {}, today=TODAY)


DOB = dt.date(2013, 5, 2)
CHILD = {"full_name": "Sùng Thị Sua", "date_of_birth": format_vn(DOB), "sex": "Nữ"}


def clean(**cells: object):  # noqa: ANN201
    return clean_row(5, {**CHILD, **cells}, context())


def test_groups_from_words_and_x_columns_together() -> None:
    r = clean(special_groups="Khuyết tật", group_a="x", group_dd="", group_h="X", group_from="01/03/2020")
    assert r.status == "ok", r.message_text()
    assert r.values["special_groups"] == ["d", "a", "h"]
    assert r.values["group_from"] == dt.date(2020, 3, 1)
    assert "group_to" not in r.values


def test_a_legacy_font_cell_is_repaired_before_it_is_read() -> None:
    r = clean(special_groups=encode_legacy("Khuyết tật", TCVN3))
    assert r.values["special_groups"] == ["d"]
    assert "TCVN3" in r.message_text()


@pytest.mark.parametrize("cells", [{"special_groups": "Bị xâm hại tình dục"}, {"group_l": "x"}, {"group_i": "x"},
                                   {"special_groups": "a, k"}])  # fmt: skip
def test_a_case_data_group_is_refused(cells: dict[str, str]) -> None:
    r = clean(**cells)
    assert r.status == "error"
    assert "vụ việc" in r.message_text()  # it is recorded from a child protection case


def test_an_unknown_word_or_mark_is_a_row_error() -> None:
    r = clean(special_groups="Khuyết tật, mồ côi cha")
    assert r.status == "error" and "'mồ côi cha'" in r.message_text()
    r = clean(group_d="?")
    assert r.status == "error" and "'?'" in r.message_text() and "Nhóm d" in r.message_text()


@given(
    st.sampled_from(["special_groups", "group_d"]),
    st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    st.sampled_from([format_vn, dt.date.isoformat, lambda d: d]),
)
def test_the_dates_of_a_period(
    column: str, start: dt.date | None, end: dt.date | None, written: object
) -> None:  # fmt: skip
    """A period is kept as written when it can be one; otherwise the row has an error on the date's column."""
    cells = {column: "d" if column == "special_groups" else "x"}
    if start:
        cells["group_from"] = written(start)  # type: ignore[operator]
    if end:
        cells["group_to"] = written(end)  # type: ignore[operator]
    r = clean(**cells)
    problems = {c for c, _m in r.messages}
    effective_start = start or TODAY  # without a start date the period starts on the day of the import
    start_ok = start is None or DOB <= start <= TODAY
    end_ok = end is None or end >= effective_start
    assert r.values["special_groups"] == ["d"]
    assert ("group_from" in problems) == (not start_ok)
    if start_ok:
        assert ("group_to" in problems) == (not end_ok)
    assert (r.status == "ok") == (start_ok and end_ok)
    if start_ok:
        assert r.values.get("group_from") == start
    if start_ok and end_ok:
        assert r.values.get("group_to") == end


@pytest.mark.parametrize(
    ("cells", "start", "end", "message"),
    [({"group_from": "03/2020"}, dt.date(2020, 3, 1), None, "01/03/2020"),
     ({"group_from": "2020", "group_to": "02/2024"}, dt.date(2020, 1, 1), dt.date(2024, 2, 29), "29/02/2024"),
     ({"group_from": 43891.0}, dt.date(2020, 3, 1), None, ""),  # an Excel date serial
     ({"group_from": dt.datetime(2020, 3, 1, 0, 0)}, dt.date(2020, 3, 1), None, "")],
)  # fmt: skip
def test_partial_and_typed_dates(cells: dict, start: dt.date, end: dt.date | None, message: str) -> None:
    r = clean(special_groups="d", **cells)
    assert r.status in ("ok", "warning")
    assert (r.values.get("group_from"), r.values.get("group_to")) == (start, end)
    assert message in r.message_text()


def test_dates_without_a_group_are_not_saved() -> None:
    r = clean(group_from="01/03/2020")
    assert r.status == "warning" and "special_groups" not in r.values and "group_from" not in r.values


@pytest.mark.parametrize(
    ("cells", "text"),
    [({"group_from": "31/02/2020"}, "Ngày không tồn tại"), ({"group_from": "01/01/2010"}, "trước ngày sinh"),
     ({"group_from": "01/01/2027"}, "tương lai"), ({"group_from": "01/03/2021", "group_to": "01/03/2020"}, "trước"),
     ({"group_to": "01/03/2020"}, "ngày bắt đầu")],
)  # fmt: skip
def test_impossible_periods(cells: dict, text: str) -> None:
    r = clean(special_groups="d", **cells)
    assert r.status == "error"
    assert text in r.message_text()
