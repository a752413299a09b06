"""Tests for treem.core.dates (no Django needed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from treem.core.dates import (
    VN_TZ,
    YEAR_NUMBERS,
    DatePrecision,
    age_on,
    date_vn,
    excel_serial,
    format_partial,
    format_vn,
    parse_date,
    parse_partial_date,
    today_vn,
)
from treem.core.errors import CleanError

TODAY = dt.date(2026, 11, 23)
D = dt.date(2015, 3, 5)
dates_1900_2100 = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


# --- parse_date --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "05/03/2015",
        "5/3/2015",
        "05-03-2015",
        "5-3-2015",
        "05.03.2015",
        "05 / 03 / 2015",
        "05 03 2015",
        "2015-03-05",
        "2015-3-5",
        "2015/03/05",
        "05/03/15",
        "ngày 5 tháng 3 năm 2015",
        "Ngày 05 tháng 03 năm 2015",
        "NGÀY 5 THÁNG 3 NĂM 2015",
        "ngay 5 thang 3 nam 2015",
        "5 tháng 3, 2015",
        "Ngày 05/03/2015",
        "Sinh ngày: 05/03/2015",
        "05/03/2015 00:00:00",
        "2015-03-05 00:00:00",
        "2015-03-05T10:30:00Z",
        "2015-03-05T10:30:00+07:00",
        "05/03/2015 8h30",
        "０５/０３/２０１５",
        "\u00a005/03/2015\t",
        D,
        dt.datetime(2015, 3, 5, 23, 59),
        42068,  # Excel serial
        42068.75,  # serial with a time of day
        Decimal("42068"),
    ],
)
def test_parse_date_accepts(raw: object) -> None:
    assert parse_date(raw, today=TODAY) == D


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/03/87", dt.date(1987, 3, 5)),
        ("05/03/26", dt.date(2026, 3, 5)),
        ("23/11/26", dt.date(2026, 11, 23)),  # today is not in the future
        ("24/11/26", dt.date(1926, 11, 24)),  # tomorrow is: a century back
        ("01/01/00", dt.date(2000, 1, 1)),
        ("29/02/00", dt.date(2000, 2, 29)),
        ("29/02/24", dt.date(2024, 2, 29)),
        ("31/12/99", dt.date(1999, 12, 31)),
    ],
)
def test_two_digit_year_pivot(raw: str, expected: dt.date) -> None:
    assert parse_date(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (36526, dt.date(2000, 1, 1)),
        (42005, dt.date(2015, 1, 1)),
        (45658, dt.date(2025, 1, 1)),
        (2_958_465, dt.date(9999, 12, 31)),
    ],
)
def test_excel_serials(serial: int, expected: dt.date) -> None:
    assert parse_date(serial) == expected
    assert parse_date(float(serial)) == expected
    assert excel_serial(expected) == serial


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("31/02/2020", "date_invalid"),
        ("29/02/2019", "date_invalid"),
        ("29/02/1900", "date_invalid"),
        ("00/01/2015", "date_invalid"),
        ("15/13/2015", "date_invalid"),
        ("2015-02-30", "date_invalid"),
        ("01/01/0000", "date_invalid"),
        ("29/02/27", "date_invalid"),
        (60, "date_invalid"),  # Lotus' 29/02/1900
        ("", "date_empty"),
        ("   ", "date_empty"),
        (None, "date_empty"),
        ("hôm qua", "date_format"),
        ("03/05/2015/1", "date_format"),
        ("05/03-2015", "date_format"),  # mixed separators
        ("05/03/215", "date_format"),
        ("2015", "date_incomplete"),
        ("03/2015", "date_incomplete"),
        ("tháng 3 năm 2015", "date_incomplete"),
        (2015, "date_incomplete"),  # a year typed into a number cell
        (0, "date_serial"),
        (-5, "date_serial"),
        (3_000_000, "date_serial"),
        (float("nan"), "date_serial"),
        (float("inf"), "date_serial"),
        (True, "date_type"),
        ([2015, 3, 5], "date_type"),
    ],
)
def test_parse_date_rejects(raw: object, code: str) -> None:
    with pytest.raises(CleanError) as info:
        parse_date(raw, today=TODAY)
    assert info.value.code == code
    assert info.value.message


def test_impossible_date_message() -> None:
    with pytest.raises(CleanError) as info:
        parse_date("31/02/2020")
    assert info.value.message.startswith("Ngày không tồn tại: 31/02/2020")


def test_unreadable_date_message_suggests_the_format() -> None:
    with pytest.raises(CleanError) as info:
        parse_date("March 5th")
    assert "dd/mm/yyyy" in info.value.message


def test_day_first_always() -> None:
    assert parse_date("03/05/2015") == dt.date(2015, 5, 3)
    assert parse_date("12/01/2015") == dt.date(2015, 1, 12)
    with pytest.raises(CleanError):
        parse_date("05/13/2015")  # a US-style date is not guessed


@given(dates_1900_2100)
def test_format_vn_parses_back(d: dt.date) -> None:
    text = format_vn(d)
    assert len(text) == 10
    assert parse_date(text) == d


@given(dates_1900_2100)
def test_iso_round_trip(d: dt.date) -> None:
    assert parse_date(d.isoformat()) == d


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_excel_serial_round_trip(d: dt.date) -> None:
    serial = excel_serial(d)
    assume(serial not in YEAR_NUMBERS)  # 1800–2200 are years, so 1904-12-04 … 1906-01-08 cannot come as serials
    assert parse_date(serial) == d


def test_year_numbers_are_years_not_serials() -> None:
    assert parse_partial_date(1905) == (dt.date(1905, 1, 1), "year")
    assert parse_date(1799) == dt.date(1904, 12, 3)
    assert parse_date(2201) == dt.date(1906, 1, 9)


@given(dates_1900_2100)
def test_vietnamese_words_round_trip(d: dt.date) -> None:
    assert parse_date(f"ngày {d.day} tháng {d.month} năm {d.year}") == d


@given(st.text(max_size=40))
def test_arbitrary_text_raises_only_clean_error(raw: str) -> None:
    try:
        value, precision = parse_partial_date(raw, today=TODAY)
    except CleanError as exc:
        error: CleanError | None = exc
    else:
        error = None
        assert isinstance(value, dt.date)
        assert precision in {"day", "month", "year"}
    assert error is None or error.code.startswith("date_")


@given(st.one_of(st.integers(), st.floats()))
def test_arbitrary_numbers_raise_only_clean_error(raw: float) -> None:
    try:
        parse_date(raw)
    except CleanError as exc:
        error: CleanError | None = exc
    else:
        error = None
    assert error is None or error.code.startswith("date_")


# --- parse_partial_date ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("2015", dt.date(2015, 1, 1), "year"),
        ("năm 2015", dt.date(2015, 1, 1), "year"),
        (2015, dt.date(2015, 1, 1), "year"),
        (2015.0, dt.date(2015, 1, 1), "year"),
        ("03/2015", dt.date(2015, 3, 1), "month"),
        ("3/2015", dt.date(2015, 3, 1), "month"),
        ("03-2015", dt.date(2015, 3, 1), "month"),
        ("03.2015", dt.date(2015, 3, 1), "month"),
        ("2015-03", dt.date(2015, 3, 1), "month"),
        ("tháng 3/2015", dt.date(2015, 3, 1), "month"),
        ("tháng 3 năm 2015", dt.date(2015, 3, 1), "month"),
        ("Tháng 03, năm 2015", dt.date(2015, 3, 1), "month"),
        ("tháng 12 2015", dt.date(2015, 12, 1), "month"),
        ("05/03/2015", dt.date(2015, 3, 5), "day"),
        (D, D, "day"),
        (42068, D, "day"),
    ],
)
def test_parse_partial_date(raw: object, expected: dt.date, precision: str) -> None:
    value, got = parse_partial_date(raw, today=TODAY)
    assert value == expected
    assert got == precision
    assert isinstance(got, DatePrecision)


@pytest.mark.parametrize(("raw", "code"), [("13/2015", "date_invalid"), ("03/15", "date_format"), ("", "date_empty")])
def test_parse_partial_date_rejects(raw: str, code: str) -> None:
    with pytest.raises(CleanError) as info:
        parse_partial_date(raw, today=TODAY)
    assert info.value.code == code


@given(dates_1900_2100, st.sampled_from([DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]))
def test_format_partial_round_trip(d: dt.date, precision: DatePrecision) -> None:
    value, got = parse_partial_date(format_partial(d, precision))
    assert got == precision
    if precision == DatePrecision.DAY:
        assert value == d
    elif precision == DatePrecision.MONTH:
        assert value == d.replace(day=1)
    else:
        assert value == dt.date(d.year, 1, 1)


# --- age_on / format_vn / today_vn -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "on", "age"),
    [
        (dt.date(2015, 3, 5), dt.date(2015, 3, 5), 0),
        (dt.date(2015, 3, 5), dt.date(2016, 3, 4), 0),
        (dt.date(2015, 3, 5), dt.date(2016, 3, 5), 1),
        (dt.date(2010, 3, 5), dt.date(2026, 3, 4), 15),  # still a child (under 16)
        (dt.date(2010, 3, 5), dt.date(2026, 3, 5), 16),
        (dt.date(2012, 2, 29), dt.date(2013, 2, 28), 0),
        (dt.date(2012, 2, 29), dt.date(2013, 3, 1), 1),
        (dt.date(2012, 2, 29), dt.date(2016, 2, 29), 4),
        (dt.date(2015, 3, 5), dt.datetime(2016, 3, 5, 1, 0), 1),
    ],
)
def test_age_on(dob: dt.date, on: dt.date, age: int) -> None:
    assert age_on(dob, on) == age


def test_age_on_before_birth() -> None:
    with pytest.raises(CleanError) as info:
        age_on(dt.date(2015, 3, 5), dt.date(2015, 3, 4))
    assert info.value.code == "date_order"


@given(dates_1900_2100, st.integers(min_value=0, max_value=120))
def test_age_on_birthdays(dob: dt.date, years: int) -> None:
    try:
        birthday = dob.replace(year=dob.year + years)
    except ValueError:  # 29/02 in a common year
        birthday = dt.date(dob.year + years, 3, 1)
    assert age_on(dob, birthday) == years
    if years:
        assert age_on(dob, birthday - dt.timedelta(days=1)) == years - 1


@pytest.mark.parametrize(
    ("d", "text"),
    [(D, "05/03/2015"), (dt.date(1999, 12, 31), "31/12/1999"), (dt.date(2000, 1, 1), "01/01/2000")],
)
def test_format_vn(d: dt.date, text: str) -> None:
    assert format_vn(d) == text


def test_format_partial() -> None:
    assert format_partial(D, "day") == "05/03/2015"
    assert format_partial(D, "month") == "03/2015"
    assert format_partial(D, "year") == "2015"


def test_today_vn_is_a_date_near_utc_today() -> None:
    today = today_vn()
    utc = dt.datetime.now(dt.UTC).date()
    assert type(today) is dt.date
    assert abs((today - utc).days) <= 1


def test_excel_serial_before_1900() -> None:
    with pytest.raises(CleanError):
        excel_serial(dt.date(1899, 12, 31))


def test_date_vn_takes_the_date_in_vietnam() -> None:
    """03:41 on 05/03 in Vietnam is 20:41 on 04/03 in UTC: its date is 05/03, whichever zone it is written in."""
    moment = dt.datetime(2024, 3, 4, 20, 41, tzinfo=dt.UTC)
    assert date_vn(moment) == dt.date(2024, 3, 5)
    assert date_vn(moment.astimezone(VN_TZ)) == dt.date(2024, 3, 5)
    assert date_vn(dt.datetime(2024, 3, 4, 20, 41)) == dt.date(2024, 3, 4)  # noqa: DTZ001 - a naive cell as written


def test_an_aware_datetime_is_parsed_and_counted_on_its_vietnamese_date() -> None:
    moment = dt.datetime(2024, 3, 4, 20, 41, tzinfo=dt.UTC)
    assert parse_partial_date(moment) == (dt.date(2024, 3, 5), DatePrecision.DAY)
    assert age_on(dt.date(2015, 3, 5), moment) == 9


def test_date_precision_is_the_model_choices() -> None:
    assert DatePrecision.DAY == "day"
    from django.utils import translation

    assert [p.value for p in DatePrecision] == ["day", "month", "year", "estimated"]
    with translation.override("en"):
        assert [(v, str(label)) for v, label in DatePrecision.choices][-1] == ("estimated", "estimated age")
    with translation.override("vi"):
        assert str(DatePrecision.YEAR.label) != "year only"  # translated, on use
