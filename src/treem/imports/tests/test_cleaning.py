"""Import-level cleaners: text repair (Unicode, TCVN3, VNI, UTF-8 mojibake), sex, special groups, whole rows.

The core cleaners (names, dates, IDs, ethnicity) have their own property tests in treem.core.tests; here the
properties are about what an import does with any cell: it is cleaned or it is a row message, never a crash.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from viparse.normalize.encodings import CHARMAPS

from treem.core.errors import CleanError, Message
from treem.core.ids import make_personal_id
from treem.core.repair import looks_unicode, plausible_syllable, repair_text, syllable_score
from treem.core.text import nfc
from treem.imports.cleaning import (
    SPECIAL_LETTERS,
    RowContext,
    clean_row,
    clean_sex,
    clean_special_groups,
    detect_column_encoding,
    unit_keys,
    village_key,
)
from treem.imports.mapping import FIELDS

TODAY = dt.date(2026, 6, 1)
ROW_STATUSES = {"ok", "warning", "error"}


# --- strategies: Vietnamese names built from syllables ---------------------------------------------------------

INITIALS = ["", "b", "c", "ch", "d", "đ", "g", "h", "kh", "l", "m", "n", "ng", "nh", "p", "ph", "s", "t", "th", "tr",
            "v", "x"]  # fmt: skip
# (vowel group, index of the vowel that carries the tone, finals it takes)
NUCLEI = [
    ("a", 0, ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]), ("ă", 0, ["c", "m", "n", "ng", "p", "t"]),
    ("â", 0, ["c", "m", "n", "ng", "p", "t", "u", "y"]), ("e", 0, ["", "c", "m", "n", "ng", "o", "p", "t"]),
    ("ê", 0, ["", "ch", "m", "n", "nh", "p", "t", "u"]), ("i", 0, ["", "ch", "m", "n", "nh", "p", "t", "u"]),
    ("o", 0, ["", "c", "i", "m", "n", "ng", "p", "t"]), ("ô", 0, ["", "c", "i", "m", "n", "ng", "p", "t"]),
    ("ơ", 0, ["", "i", "m", "n", "p", "t"]), ("u", 0, ["", "a", "c", "i", "m", "n", "ng", "p", "t"]),
    ("ư", 0, ["", "a", "c", "i", "ng", "t", "u"]), ("y", 0, [""]), ("ai", 0, [""]), ("ao", 0, [""]),
    ("oa", 1, ["", "c", "i", "n", "ng", "nh", "t"]), ("uy", 1, ["", "n", "nh", "t"]),
    ("iê", 1, ["c", "m", "n", "ng", "p", "t", "u"]), ("uô", 1, ["c", "i", "m", "n", "ng", "t"]),
    ("ươ", 1, ["c", "i", "m", "n", "ng", "p", "t"]), ("uyê", 2, ["n", "t"]),
]  # fmt: skip
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


@st.composite
def syllables(draw: st.DrawFn) -> str:
    initial = draw(st.sampled_from(INITIALS))
    group, toned, finals = draw(st.sampled_from(NUCLEI))
    final = draw(st.sampled_from(finals))
    tone = draw(st.sampled_from(TONES))
    vowels = group[:toned] + unicodedata.normalize("NFC", group[toned] + tone) + group[toned + 1 :]
    return unicodedata.normalize("NFC", initial + vowels + final)


def _capitalise(word: str, upper_ok: set[str] | None) -> str:
    first = word[0].upper()
    if upper_ok is not None and first not in upper_ok:
        return word  # the legacy font cannot write that capital: keep the syllable lower case
    return first + word[1:]


def _upper(letter: str, upper_ok: set[str] | None) -> str:
    return letter.upper() if upper_ok is None or letter.upper() in upper_ok else letter


def names(upper_ok: set[str] | None = None, *, all_caps: bool = False) -> st.SearchStrategy[str]:
    """Full names of 2–4 syllables, capitalised as people write them (or in capitals, as some lists are)."""

    def build(words: list[str]) -> str:
        if all_caps:
            return " ".join("".join(_upper(c, upper_ok) for c in w) for w in words)
        return " ".join(_capitalise(w, upper_ok) for w in words)

    return st.lists(syllables(), min_size=2, max_size=4).map(build)


def _inverse(encoding: str) -> dict[str, str]:
    """Unicode letter → its legacy-font form, from viparse's own conversion table read backwards."""
    table: dict[str, str] = {}
    for legacy, letter in CHARMAPS[encoding].pairs:
        table.setdefault(letter, legacy)
    return table


TCVN3 = _inverse("tcvn3")
VNI = _inverse("vni")
ASCII_UPPER = {chr(c) for c in range(ord("A"), ord("Z") + 1)}
# TCVN3 has no capital toned letters (a .VnTimeH font draws lower-case bytes in capitals): only plain capitals.
TCVN3_UPPER = ASCII_UPPER | {c for c in TCVN3 if c.isupper()}
VNI_UPPER = ASCII_UPPER | {c for c in VNI if c.isupper()}


def encode_legacy(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFC", text))


def encodable(text: str, table: dict[str, str]) -> bool:
    return all(c.isascii() or c in table for c in text)


# --- repair_text -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "encoding", "expected"),
    [
        ("Nguyễn Thị Hương", None, ("Nguyễn Thị Hương", None)),
        ("NguyÔn ThÞ H\xad¬ng", None, ("Nguyễn Thị Hương", "tcvn3")),
        ("NguyÔn ThÞ H\xad¬ng", "tcvn3", ("Nguyễn Thị Hương", "tcvn3")),
        ("Nguyeãn Thò Höông", None, ("Nguyễn Thị Hương", "vni")),  # not read as TCVN3 ("Nguyeón Thũ Hửụng")
        ("Nguyeãn Thò Höông", "vni", ("Nguyễn Thị Hương", "vni")),
        ("Sïng A P¸o", "tcvn3", ("Sùng A Páo", "tcvn3")),
        ("Suøng A Paùo", None, ("Sùng A Páo", "vni")),
        ("Nguyá»…n Thá»‹ HÆ°Æ¡ng", None, ("Nguyễn Thị Hương", "utf8")),
        ("VÅ©", None, ("Vũ", "utf8")),  # too short for ftfy: undone exactly
        ("Lê Văn Đức", "tcvn3", ("Lê Văn Đức", "kept")),  # a Unicode row in a TCVN3 column is not converted again
        ("Sùng A Páo", "tcvn3", ("Sùng A Páo", "kept")),
        ("Hoàng Thị Thuỷ", "vni", ("Hoàng Thị Thuỷ", "kept")),  # VNI would read "oà" as "ồ"
        ("Nguyễn Thị Hương", "tcvn3", ("Nguyễn Thị Hương", None)),  # nothing a TCVN3 reading would change
        ("Hélène", None, ("Hélène", None)),  # French, not a legacy encoding
        ("  Lò   Văn\u00a0Sinh ", None, ("Lò Văn Sinh", None)),
        ("ASCII only", "tcvn3", ("ASCII only", None)),
    ],
)
def test_repair_text_examples(raw: str, encoding: str | None, expected: tuple[str, str | None]) -> None:
    assert repair_text(raw, encoding) == expected


@given(names() | names(all_caps=True), st.sampled_from([None, "tcvn3", "vni"]), st.sampled_from(["NFC", "NFD"]))
def test_unicode_vietnamese_is_returned_unchanged(name: str, encoding: str | None, form: str) -> None:
    """Unicode text is never converted, in no column, in NFC or NFD: at most it is flagged as kept."""
    text, repair = repair_text(unicodedata.normalize(form, name), encoding)
    assert text == nfc(name)
    assert repair in ((None, "kept") if encoding else (None,))


def assert_cell_reading(legacy: str, name: str, *, other: str) -> None:
    """A cell read without its column's verdict is the name, or left alone, or, when the cell is genuinely
    ambiguous ("UÕ" is VNI for "Ũ" and TCVN3 for "Uế"), the other encoding's reading that makes at least as much
    sense; it never becomes something less plausible than the name."""
    text, repair = repair_text(legacy)
    if text == nfc(name) or (repair is None and text == nfc(legacy)):
        return
    assert repair == other
    assert syllable_score(text) >= syllable_score(nfc(name))


@given(names(TCVN3_UPPER) | names(TCVN3_UPPER, all_caps=True))
def test_tcvn3_round_trip(name: str) -> None:
    assume(encodable(name, TCVN3))
    legacy = encode_legacy(name, TCVN3)
    assume(legacy.isascii() or not looks_unicode(legacy))  # "Lý A Só" is "Lý A Sã" in TCVN3: valid Unicode too
    assert repair_text(legacy, "tcvn3")[0] == nfc(name)
    assert_cell_reading(legacy, name, other="vni")


@given(names(VNI_UPPER) | names(VNI_UPPER, all_caps=True))
def test_vni_round_trip(name: str) -> None:
    assume(encodable(name, VNI))
    legacy = encode_legacy(name, VNI)
    assume(legacy.isascii() or not looks_unicode(legacy))
    assert repair_text(legacy, "vni")[0] == nfc(name)
    assert_cell_reading(legacy, name, other="tcvn3")


@given(names() | names(all_caps=True))
def test_utf8_mojibake_is_repaired(name: str) -> None:
    """UTF-8 bytes shown as Windows-1252 (Excel opening a UTF-8 CSV) come back as the name."""
    assume(not name.isascii())
    mojibake = name.encode("utf-8").decode("sloppy-windows-1252")
    assert repair_text(mojibake) == (nfc(name), "utf8")


@given(names(), st.sampled_from(["replace", "ignore"]))
def test_lossy_mojibake_never_raises(name: str, errors: str) -> None:
    """Bytes cp1252 does not define are lost for good: the cell is returned as text, repaired when possible."""
    mojibake = name.encode("utf-8").decode("cp1252", errors=errors)
    text, repair = repair_text(mojibake)
    assert isinstance(text, str)
    assert repair in (None, "utf8", "tcvn3", "vni")


@given(st.text(max_size=60), st.sampled_from([None, "tcvn3", "vni"]))
def test_repair_text_any_text(raw: str, encoding: str | None) -> None:
    text, repair = repair_text(raw, encoding)
    assert text == nfc(text)
    assert repair in (None, "kept", "utf8", "tcvn3", "vni")
    if repair in ("utf8", "tcvn3", "vni") and encoding is None:
        assert repair_text(text) == (text, None)  # a repaired cell is never converted a second time


@pytest.mark.parametrize(
    ("word", "plausible"),
    [("Nguyễn", True), ("Giường", True), ("Quyền", True), ("Khuya", True), ("Páo", True), ("H", True),
     ("Nguyeón", False), ("Hửụng", False), ("Vaên", False), ("Hélène", False)],
)  # fmt: skip
def test_plausible_syllable(word: str, plausible: bool) -> None:
    assert plausible_syllable(word) is plausible


NAMES = ["Sùng Thị Sua", "Vàng Thị Mỷ", "Lò Văn Minh", "Hoàng Văn Đức", "Nguyễn Thị Hương", "Giàng A Páo",
         "Lý Thị Dung", "Thào Seo Chứ", "Đặng Thị Hoa", "Lầu Thị Dua", "Trần Quang Tuấn", "Tẩn Thị Mẩy"]  # fmt: skip


@pytest.mark.parametrize(
    ("cells", "encoding"),
    [
        ([encode_legacy(n, TCVN3) for n in NAMES * 2], "tcvn3"),
        ([encode_legacy(n, VNI) for n in NAMES * 2], "vni"),
        (NAMES * 2, None),
        ([encode_legacy(n, TCVN3) for n in NAMES[:9] * 2] + NAMES[9:] * 2, "tcvn3"),  # some typed later in Unicode
        ([encode_legacy(n, TCVN3) for n in NAMES[:3] * 2] + NAMES[3:] * 2, None),  # a few cells: judged per cell
        ([encode_legacy(n, TCVN3) for n in NAMES], None),  # 12 cells are too few to judge a column
        (["Nguyen Van A", "", "Lo Thi B"] * 10, None),
        ([], None),
    ],
)
def test_detect_column_encoding_of_names(cells: list[str], encoding: str | None) -> None:
    """A column of names is too short for letter frequencies: the cells vote."""
    assert detect_column_encoding(cells) == encoding


# --- clean_sex, clean_special_groups ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Nam", "M"), ("nam", "M"), ("NAM", "M"), ("Trai", "M"), ("M", "M"), ("male", "M"), ("1", "M"), ("Nam.", "M"),
     ("Nữ", "F"), ("nu", "F"), ("NỮ", "F"), ("Gái", "F"), ("bé gái", "F"), ("F", "F"), ("0", "F"), ("2", "F")],
)  # fmt: skip
def test_clean_sex(raw: str, expected: str) -> None:
    assert clean_sex(raw) == expected


@pytest.mark.parametrize("raw", ["", "x", "nam nu", "?", "khác"])
def test_clean_sex_unknown(raw: str) -> None:
    with pytest.raises(CleanError) as info:
        clean_sex(raw)
    assert info.value.code == "sex_unknown"
    assert "Nam hoặc Nữ" in info.value.message


@given(st.text(max_size=30))
def test_clean_sex_any_text(raw: str) -> None:
    try:
        sex = clean_sex(raw)
    except CleanError as exc:
        code = exc.code
    else:
        code = sex
    assert code in ("M", "F", "sex_unknown")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a", ["a"]), ("a; d", ["a", "d"]), ("a,d", ["a", "d"]), ("nhóm a, đ", ["a", "đ"]), ("A / B", ["a", "b"]),
     ("điểm h", ["h"]), ("a;a", ["a"]), ("(a).", ["a"]), ("", [])],
)  # fmt: skip
def test_clean_special_groups(raw: str, expected: list[str]) -> None:
    assert clean_special_groups(raw) == expected


@pytest.mark.parametrize("raw", ["z", "a; p", "nhóm 1"])
def test_clean_special_groups_unknown(raw: str) -> None:
    with pytest.raises(CleanError) as info:
        clean_special_groups(raw)
    assert info.value.code == "group_unknown"


@given(st.lists(st.sampled_from(SPECIAL_LETTERS), max_size=6), st.sampled_from(["; ", ",", " / ", " "]))
def test_clean_special_groups_round_trip(letters: list[str], sep: str) -> None:
    assert clean_special_groups(sep.join(letters)) == list(dict.fromkeys(letters))


@given(st.text(max_size=30))
def test_clean_special_groups_any_text(raw: str) -> None:
    try:
        groups = clean_special_groups(raw)
    except CleanError as exc:
        groups, code = [], exc.code
    else:
        code = "ok"
    assert code in ("ok", "group_unknown")
    assert set(groups) <= set(SPECIAL_LETTERS)
    assert len(groups) == len(set(groups))


# --- clean_row ---------------------------------------------------------------------------------------------------


def context(**kwargs: object) -> RowContext:
    commune_keys = unit_keys("Xã Khun Há") | unit_keys("Xã Nậm Ban") | {"03430"}
    villages = {k: name for name in ("Bản Hon", "Bản Lầm") for k in unit_keys(name)}
    return RowContext("Xã Khun Há", commune_keys, villages, today=TODAY, **kwargs)  # type: ignore[arg-type]


GOOD = {"full_name": "sùng thị  SUA", "date_of_birth": "02/05/2013", "sex": "Nữ"}
PID = make_personal_id("012", dt.date(2013, 5, 2), "F", 123)


@pytest.mark.parametrize(
    ("raw", "status", "values", "message"),
    [
        (GOOD, "ok", {"full_name": "Sùng Thị Sua", "date_of_birth": dt.date(2013, 5, 2), "sex": "F"}, ""),
        ({**GOOD, "date_of_birth": dt.datetime(2013, 5, 2, 0, 0)}, "ok", {"date_of_birth": dt.date(2013, 5, 2)}, ""),
        ({**GOOD, "date_of_birth": 41396.0}, "ok", {"date_of_birth": dt.date(2013, 5, 2)}, ""),  # Excel serial
        ({**GOOD, "date_of_birth": "2013"}, "warning", {"dob_precision": "year"}, "Chỉ có tháng/năm sinh"),
        ({**GOOD, "date_of_birth": "ngày 2 tháng 5 năm 2013"}, "ok", {"date_of_birth": dt.date(2013, 5, 2)}, ""),
        ({**GOOD, "date_of_birth": "31/02/2013"}, "error", {}, "Ngày không tồn tại"),
        ({**GOOD, "date_of_birth": "02/05/2027"}, "error", {}, "tương lai"),
        ({**GOOD, "date_of_birth": "01/01/2008"}, "error", {}, "không còn là trẻ em"),
        ({**GOOD, "date_of_birth": "01/01/2009"}, "warning", {}, "người chưa thành niên"),
        ({**GOOD, "date_of_birth": None}, "error", {}, "Ngày sinh: Chưa ghi"),
        ({**GOOD, "full_name": ""}, "error", {}, "Họ và tên: Chưa ghi"),
        ({**GOOD, "full_name": "=cmd|' /C calc'!A0"}, "error", {}, "công thức"),
        ({**GOOD, "full_name": "@SUM(A1)"}, "error", {}, "công thức"),
        ({**GOOD, "full_name": "Sua" * 200}, "error", {}, "Ô quá dài"),
        ({**GOOD, "full_name": "Sùng Thị 2"}, "error", {}, "chữ số"),
        ({**GOOD, "sex": "?"}, "error", {}, "Không hiểu giới tính"),
        ({**GOOD, "sex": None}, "error", {}, "Giới tính: Chưa ghi"),
        ({**GOOD, "sex": None, "personal_id": PID}, "warning", {"sex": "F", "personal_id": PID}, "lấy theo số"),
        ({**GOOD, "personal_id": int(PID)}, "ok", {"personal_id": PID}, ""),  # a number cell lost the leading 0
        ({**GOOD, "personal_id": float(PID)}, "ok", {"personal_id": PID}, ""),
        ({**GOOD, "personal_id": "0123"}, "warning", {}, "không lưu số này"),
        ({**GOOD, "ethnicity": "H'Mông"}, "ok", {"ethnicity": "Mông"}, ""),
        ({**GOOD, "ethnicity": "Martian"}, "warning", {}, "bỏ trống khi lưu"),
        ({**GOOD, "village": "BẢN HON"}, "ok", {"village": "Bản Hon"}, ""),
        ({**GOOD, "village": "ban lam"}, "ok", {"village": "Bản Lầm"}, ""),
        ({**GOOD, "village": "B¶n LÇm"}, "warning", {"village": "Bản Lầm"}, "TCVN3"),  # the one cell in TCVN3
        ({**GOOD, "village": "Lầm"}, "ok", {"village": "Bản Lầm"}, ""),
        ({**GOOD, "village": "Bản Mới"}, "warning", {"village": "Bản Mới", "new_village": True}, "Thôn/bản mới"),
        ({**GOOD, "commune": "Xã Khun Há"}, "ok", {}, ""),
        ({**GOOD, "commune": "khun ha"}, "ok", {}, ""),
        ({**GOOD, "commune": "Nậm Ban"}, "ok", {}, ""),  # the former commune
        ({**GOOD, "commune_code": "03430"}, "ok", {}, ""),
        ({**GOOD, "commune": "Xã Bình Lư"}, "error", {}, "không phải Xã Khun Há"),
        ({**GOOD, "special_groups": "a; đ"}, "ok", {"special_groups": ["a", "đ"]}, ""),
        ({**GOOD, "special_groups": "z"}, "error", {}, "Điều 10"),
        ({**GOOD, "guardian_name": "SÙNG A PÁO"}, "ok", {"guardian_name": "Sùng A Páo"}, ""),
        ({**GOOD, "guardian_name": "123"}, "warning", {}, "Người chăm sóc/giám hộ"),
        ({**GOOD, "phone": "+84 912 345 678"}, "ok", {"phone": "+84 912 345 678"}, ""),
        ({**GOOD, "household_code": 17.0}, "ok", {"household_code": "17"}, ""),
        ({**GOOD, "full_name": 12.0}, "error", {}, "không phải số"),
        ({**GOOD, "full_name": math.nan}, "error", {}, "không phải số"),
        ({**GOOD, "full_name": True}, "error", {}, "không phải số"),
        ({**GOOD, "mother_name": 0}, "warning", {}, "Họ tên mẹ: Phải ghi họ tên bằng chữ"),
        ({**GOOD, "date_of_birth": 10**5000}, "error", {}, "không phải là ngày tháng"),
        ({**GOOD, "personal_id": 10**5000}, "warning", {}, "không lưu số này"),
        ({**GOOD, "date_of_birth": True}, "error", {}, "đúng/sai"),
        ({**GOOD, "date_of_birth": dt.time(8, 30)}, "error", {}, "Ngày tháng không hợp lệ"),
    ],
)
def test_clean_row(raw: dict, status: str, values: dict, message: str) -> None:
    result = clean_row(7, raw, context())
    assert result.status == status, result.message_text()
    assert values.items() <= result.values.items()
    assert message in result.message_text()
    if status == "ok":
        assert not result.messages


def test_clean_row_legacy_column_converts_without_a_warning_per_cell() -> None:
    result = clean_row(3, {**GOOD, "full_name": "Sïng ThÞ Sua"}, context(encodings={"full_name": "tcvn3"}))
    assert (result.status, result.values["full_name"]) == ("ok", "Sùng Thị Sua")


def test_clean_row_unicode_cell_in_a_legacy_column_is_kept_with_a_warning() -> None:
    result = clean_row(3, {**GOOD, "full_name": "Sùng A Páo"}, context(encodings={"full_name": "tcvn3"}))
    assert result.values["full_name"] == "Sùng A Páo"
    assert result.status == "warning"
    assert "đã là Unicode" in result.message_text()


def test_new_villages_are_proposed_once_per_spelling() -> None:
    ctx = context()
    first = clean_row(2, {**GOOD, "village": "Bản Mới"}, ctx)
    second = clean_row(3, {**GOOD, "village": "BẢN MỚI"}, ctx)
    assert first.values["village"] == second.values["village"] == "Bản Mới"
    third = clean_row(4, {**GOOD, "village": "moi"}, ctx)
    assert third.values["village"] == "Bản Mới"
    assert set(ctx.new_villages.values()) == {"Bản Mới"}
    assert village_key("Bản Mới") in ctx.new_villages


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(),
    st.dates(),
    st.sampled_from(["Nam", "Nữ", "02/05/2013", "2013", PID, "=1+1", "+84912", "Bản Hon", "x" * 400, "Mông"]),
    st.sampled_from([10**5000, -(10**400), 2**64, -(2**63) - 1]),  # more digits than str() will print
)
field_names = st.sampled_from([*FIELDS, "unknown_field"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(field_names, cell_values, max_size=len(FIELDS) + 1), st.sampled_from([None, "tcvn3", "vni"]))
def test_clean_row_never_raises(raw: dict, encoding: str | None) -> None:
    ctx = context(encodings=dict.fromkeys(("full_name", "guardian_name", "village"), encoding))
    result = clean_row(5, raw, ctx)
    assert result.status in ROW_STATUSES
    assert (result.status == "ok") == (not result.messages)
    if result.status != "error":
        assert result.values["full_name"]
        assert result.values["sex"] in ("M", "F")
        assert isinstance(result.values["date_of_birth"], dt.date)
    for column, message in result.messages:
        assert column in FIELDS
        assert isinstance(message, Message)
        assert str(message)


@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers())
def test_clean_row_numbers_in_any_column(number: float) -> None:
    raw = dict.fromkeys(FIELDS, number)
    result = clean_row(9, raw, context())
    assert result.status in ROW_STATUSES
    if isinstance(number, float) and not math.isfinite(number):
        assert result.status == "error"


@pytest.mark.parametrize("village", ["<b>Bản Hon</b>", "Bản <script>", "Bản > Hon"])
def test_a_village_name_with_markup_is_refused(village: str) -> None:
    result = clean_row(5, {"full_name": "Sùng A Dế", "date_of_birth": "05/03/2016", "sex": "Nam", "village": village},
                       context())  # fmt: skip
    assert result.status == "error" and "village" not in result.values
    assert "Tên thôn/bản không được chứa ký tự < hoặc >" in result.message_text()


def test_a_note_longer_than_the_limit_is_refused() -> None:
    row = {"full_name": "Sùng A Dế", "date_of_birth": "05/03/2016", "sex": "Nam"}
    assert clean_row(5, {**row, "note": "x" * 4000}, context()).values["note"] == "x" * 4000
    result = clean_row(5, {**row, "note": "x" * 4001}, context())
    assert result.status == "error" and "Ô quá dài (4001 ký tự)" in result.message_text()
