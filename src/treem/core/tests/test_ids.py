"""Tests for treem.core.ids (no Django needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treem.core.errors import CleanError
from treem.core.ids import (
    PROVINCE_BIRTH_CODES,
    PersonalIdInfo,
    check_personal_id,
    decode_personal_id,
    make_personal_id,
    normalize_personal_id,
)

TODAY = dt.date(2026, 11, 23)
province_codes = st.sampled_from(sorted(PROVINCE_BIRTH_CODES))
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["M", "F"])
serials = st.integers(min_value=0, max_value=999_999)


def codes(problems: list[CleanError]) -> list[str]:
    return [p.code for p in problems]


# --- the code table ----------------------------------------------------------------------------------------------


def test_province_table_has_the_63_former_provinces() -> None:
    assert len(PROVINCE_BIRTH_CODES) == 63
    assert len(set(PROVINCE_BIRTH_CODES.values())) == 63
    assert all(len(code) == 3 and code.isdigit() and code.startswith("0") for code in PROVINCE_BIRTH_CODES)


@pytest.mark.parametrize(
    ("code", "name"),
    [("001", "Hà Nội"), ("012", "Lai Châu"), ("033", "Hưng Yên"), ("038", "Thanh Hóa"), ("075", "Đồng Nai"),
     ("079", "Hồ Chí Minh"), ("096", "Cà Mau"), ("046", "Thừa Thiên Huế"), ("077", "Bà Rịa - Vũng Tàu")],
)  # fmt: skip
def test_known_province_codes(code: str, name: str) -> None:
    assert PROVINCE_BIRTH_CODES[code] == name


@pytest.mark.parametrize("code", ["000", "003", "005", "013", "050", "097", "099"])
def test_unused_codes_are_absent(code: str) -> None:
    assert code not in PROVINCE_BIRTH_CODES


# --- normalize_personal_id ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("038215001234", "038215001234"),
        (" 038 215 001 234 ", "038215001234"),
        ("038.215.001.234", "038215001234"),
        ("038-215-001-234", "038215001234"),
        ("038\u00a0215\u00a0001\u00a0234", "038215001234"),
        ("'038215001234", "038215001234"),  # Excel's text prefix
        ("０３８２１５００１２３４", "038215001234"),  # full-width digits
        (38215001234, "038215001234"),  # number cell: 11 digits
        (38215001234.0, "038215001234"),
        (12345678901.0, "012345678901"),
        (1215001234, "001215001234"),  # Hà Nội 001… as a number: 10 digits
        ("38215001234", "038215001234"),  # the same, exported to text
        ("1215001234", "001215001234"),
        ("38215001234.0", "038215001234"),  # CSV of a float cell
        ("3.8215001234E+10", "038215001234"),  # scientific notation with every digit
        (None, None),
        ("", None),
        ("   ", None),
        ("-", None),
    ],
)
def test_normalize_ok(raw: object, expected: str | None) -> None:
    assert normalize_personal_id(raw) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("12345", "id_length"),
        ("0912345678", "id_length"),  # a phone number keeps its leading 0: not padded
        ("0382150012345", "id_length"),
        (123456789, "id_length"),  # an old 9-digit CMND
        ("03821500123A", "id_not_digits"),
        ("CCCD 038215001234", "id_not_digits"),
        ("٠٣٨٢١٥٠٠١٢٣٤", "id_not_digits"),  # Arabic-Indic digits are not accepted
        (38215001234.5, "id_not_digits"),
        (float("nan"), "id_not_digits"),
        (float("inf"), "id_not_digits"),
        (-38215001234, "id_not_digits"),
        ("3.82150E+10", "id_scientific"),  # Excel lost digits: cannot be recovered
        ("1.23457E+11", "id_scientific"),
        (True, "id_type"),
        ([1, 2], "id_type"),
    ],
)
def test_normalize_rejects(raw: object, code: str) -> None:
    with pytest.raises(CleanError) as info:
        normalize_personal_id(raw)  # type: ignore[arg-type]
    assert info.value.code == code


def test_normalize_length_message() -> None:
    with pytest.raises(CleanError) as info:
        normalize_personal_id("0912345678")
    assert info.value.message == "Số định danh phải có 12 chữ số (nhận được 10)"


@given(st.text(max_size=30))
def test_normalize_raises_only_clean_error(raw: str) -> None:
    try:
        result = normalize_personal_id(raw)
    except CleanError as exc:
        error: CleanError | None = exc
    else:
        error = None
        assert result is None or (len(result) == 12 and result.isascii() and result.isdigit())
    assert error is None or error.code.startswith("id_")


@given(st.one_of(st.integers(), st.floats(), st.none()))
def test_normalize_numbers_raise_only_clean_error(raw: int | float | None) -> None:
    try:
        result = normalize_personal_id(raw)
    except CleanError:
        pass
    else:
        assert result is None or len(result) == 12


# --- decode / check ----------------------------------------------------------------------------------------------


def test_decode() -> None:
    assert decode_personal_id("038315001234") == PersonalIdInfo("038", "Thanh Hóa", "F", 2015)
    assert decode_personal_id("001087001234") == PersonalIdInfo("001", "Hà Nội", "M", 1987)
    assert decode_personal_id("099415000000").province_name is None
    assert decode_personal_id("012599000000").birth_year == 2199


@pytest.mark.parametrize("pid", ["", "03831500123", "0383150012345", "03831500123X", 38315001234])
def test_decode_rejects_non_normalised(pid: object) -> None:
    with pytest.raises(CleanError):
        decode_personal_id(pid)  # type: ignore[arg-type]


def test_check_consistent_id() -> None:
    pid = "038315001234"  # Thanh Hóa, female, born 2015
    assert check_personal_id(pid, date_of_birth=dt.date(2015, 3, 5), sex="F", today=TODAY) == []
    assert check_personal_id(pid, today=TODAY) == []
    assert check_personal_id(pid, sex="f", today=TODAY) == []


def test_check_reports_each_problem() -> None:
    problems = check_personal_id("012215000001", date_of_birth=dt.date(2019, 3, 5), sex="F", today=TODAY)
    assert codes(problems) == ["id_sex", "id_year"]
    assert "giới tính" in problems[0].message
    assert "năm sinh" in problems[1].message


def test_check_unknown_province() -> None:
    assert codes(check_personal_id("099315001234", today=TODAY)) == ["id_province"]
    assert "099" in check_personal_id("099315001234", today=TODAY)[0].message


def test_check_century() -> None:
    # digit 4 = 1: a girl born 1915, but the date of birth says 2015
    assert codes(check_personal_id("038115001234", date_of_birth=dt.date(2015, 1, 1), sex="F", today=TODAY)) == [
        "id_century"
    ]


def test_check_future_birth_year() -> None:
    assert codes(check_personal_id("038499001234", today=TODAY)) == ["id_future"]
    assert codes(check_personal_id("038330001234", today=TODAY)) == ["id_future"]  # 2030
    assert check_personal_id("038326001234", today=TODAY) == []  # 2026


def test_check_ignores_unknown_sex_values() -> None:
    assert check_personal_id("038315001234", sex="", today=TODAY) == []
    assert check_personal_id("038315001234", sex="X", today=TODAY) == []


def test_check_malformed_returns_a_problem() -> None:
    assert codes(check_personal_id("12345")) == ["id_format"]


def test_check_defaults_to_today_in_vietnam() -> None:
    assert check_personal_id("038315001234", date_of_birth=dt.date(2015, 3, 5), sex="F") == []


# --- make_personal_id --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("038", dt.date(2015, 3, 5), "F", 1234), "038315001234"),
        (("38", dt.date(2015, 3, 5), "M", 1234), "038215001234"),
        (("001", dt.date(1987, 1, 1), "M", 0), "001087000000"),
        (("096", dt.date(1999, 12, 31), "F", 999_999), "096199999999"),
        (("012", dt.date(2100, 1, 1), "F", 5), "012500000005"),
    ],
)
def test_make_examples(args: tuple, expected: str) -> None:
    assert make_personal_id(*args) == expected


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("099", dt.date(2015, 1, 1), "M", 1), "id_province"),
        (("038", dt.date(2015, 1, 1), "X", 1), "sex_invalid"),
        (("038", dt.date(1899, 12, 31), "M", 1), "id_century"),
        (("038", dt.date(2015, 1, 1), "M", 1_000_000), "id_serial"),
        (("038", dt.date(2015, 1, 1), "M", -1), "id_serial"),
    ],
)
def test_make_rejects(args: tuple, code: str) -> None:
    with pytest.raises(CleanError) as info:
        make_personal_id(*args)
    assert info.value.code == code


@given(province_codes, birth_dates, sexes, serials)
def test_make_then_check_is_clean(code: str, dob: dt.date, sex: str, serial: int) -> None:
    pid = make_personal_id(code, dob, sex, serial)
    assert len(pid) == 12
    assert normalize_personal_id(pid) == pid
    assert check_personal_id(pid, date_of_birth=dob, sex=sex, today=TODAY) == []
    info = decode_personal_id(pid)
    assert (info.province_code, info.sex, info.birth_year) == (code, sex, dob.year)


@given(province_codes, birth_dates, sexes, serials)
def test_spreadsheet_numbers_round_trip(code: str, dob: dt.date, sex: str, serial: int) -> None:
    pid = make_personal_id(code, dob, sex, serial)
    assert normalize_personal_id(int(pid)) == pid
    assert normalize_personal_id(float(int(pid))) == pid
    assert normalize_personal_id(str(int(pid))) == pid
    assert normalize_personal_id(f"{pid[:3]} {pid[3:6]} {pid[6:]}") == pid


@given(province_codes, birth_dates, sexes, serials)
def test_wrong_sex_is_reported(code: str, dob: dt.date, sex: str, serial: int) -> None:
    pid = make_personal_id(code, dob, sex, serial)
    other = "F" if sex == "M" else "M"
    assert codes(check_personal_id(pid, date_of_birth=dob, sex=other, today=TODAY)) == ["id_sex"]


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), birth_dates, sexes)
def test_check_any_twelve_digits(pid: str, dob: dt.date, sex: str) -> None:
    for problem in check_personal_id(pid, date_of_birth=dob, sex=sex, today=TODAY):
        assert isinstance(problem, CleanError)
        assert problem.code.startswith("id_")
        assert problem.message


# --- legal basis and births registered abroad ---------------------------------------------------------------------


def test_legal_reference_is_nd_70_2024_which_replaced_nd_137_2015() -> None:
    """NĐ 70/2024/NĐ-CP (detailing Luật Căn cước 2023) replaced NĐ 137/2015 on 01/07/2024."""
    import treem.core.ids as ids

    assert "NĐ 70/2024" in (ids.__doc__ or "")


def test_birth_registered_abroad_is_not_an_unknown_province(monkeypatch: pytest.MonkeyPatch) -> None:
    """NĐ 70/2024: digits 1–3 are the province *or the country* of birth registration. A code listed as a
    non-province code (registration abroad) is not reported as a province that does not exist."""
    import treem.core.ids as ids

    monkeypatch.setitem(ids.NON_PROVINCE_BIRTH_CODES, "999", "Đăng ký khai sinh ở nước ngoài")
    pid = "999" + "2" + "15" + "001234"
    assert "id_province" not in codes(check_personal_id(pid, today=TODAY))
    assert decode_personal_id(pid).registered_abroad
    assert not decode_personal_id("038215001234").registered_abroad
    # A code in neither table is still an error.
    assert "id_province" in codes(check_personal_id("998215001234", today=TODAY))


def test_non_province_codes_do_not_clash_with_province_codes() -> None:
    from treem.core.ids import NON_PROVINCE_BIRTH_CODES

    assert not set(NON_PROVINCE_BIRTH_CODES) & set(PROVINCE_BIRTH_CODES)
    assert all(len(code) == 3 and code.isdigit() for code in NON_PROVINCE_BIRTH_CODES)
