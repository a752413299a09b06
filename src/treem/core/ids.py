"""Vietnamese 12-digit personal ID numbers (số định danh cá nhân / CCCD): normalise, check, decode, make.

Layout (NĐ 137/2015 Art. 13; TT 07/2016/TT-BCA): digits 1–3 the code of the province of birth registration
("0" + the former two-digit province code), digit 4 century and sex (0/1 male/female born 1900–1999, 2/3 born
2000–2099, 4/5 2100–2199 …), digits 5–6 the last two digits of the birth year, digits 7–12 random.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple

from treem.core.dates import today_vn
from treem.core.errors import CleanError

__all__ = [
    "ID_LENGTH",
    "PROVINCE_BIRTH_CODES",
    "PersonalIdInfo",
    "check_personal_id",
    "decode_personal_id",
    "make_personal_id",
    "normalize_personal_id",
]

ID_LENGTH = 12
Sex = Literal["M", "F"]

# Code of the province of birth registration: "0" + the former two-digit province code (the 63 provinces before
# 1 July 2025). IDs issued before the 2025 merger keep these codes, so the table is not updated for the 34 provinces.
PROVINCE_BIRTH_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình",
    "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng", "033": "Hưng Yên",
    "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình", "038": "Thanh Hóa",
    "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum", "064": "Gia Lai",
    "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước", "072": "Tây Ninh",
    "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang", "094": "Sóc Trăng",
    "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

FIRST_CENTURY = 1900  # digit 4 = 0 or 1
LAST_YEAR = FIRST_CENTURY + 5 * 100 - 1  # digit 4 = 8 or 9: born 2300–2399

# Separators people and spreadsheets put inside an ID: spaces (incl. NBSP), dots, dashes, underscores, slashes.
_SEPARATORS = re.compile(r"[\s._/\-‐‑‒–—−]+")
# Excel's text prefix and quotes around a pasted value.
_QUOTES = "'\"‘’“”`"
# A number written by a spreadsheet export: "12345678901.0" or "1.2345678901E+10".
_FLOAT_TEXT = re.compile(r"^\d+\.0+$")
_SCIENTIFIC = re.compile(r"^(\d+(?:[.,]\d+)?)[eE]\+?(\d+)$")


class PersonalIdInfo(NamedTuple):
    """What the first six digits of an ID say."""

    province_code: str
    province_name: str | None  # None when the code is not in PROVINCE_BIRTH_CODES
    sex: Sex
    birth_year: int


def _from_number(raw: int | float) -> str:
    if isinstance(raw, float):
        if not math.isfinite(raw) or raw != int(raw):
            raise CleanError("id_not_digits", f"Số định danh chỉ gồm chữ số, không phải số thập phân: {raw!r}")
        raw = int(raw)
    if raw < 0:
        raise CleanError("id_not_digits", f"Số định danh chỉ gồm chữ số: {raw}")
    text = str(raw)
    # A number cell drops the leading zeros: 038… shows 11 digits, 001… (Hà Nội) 10.
    return text.zfill(ID_LENGTH) if ID_LENGTH - 2 <= len(text) < ID_LENGTH else text


def _from_scientific(text: str, match: re.Match[str]) -> str:
    mantissa, exponent = match[1].replace(",", "."), int(match[2])
    significant = len(mantissa.replace(".", "").lstrip("0"))
    try:
        value = Decimal(mantissa).scaleb(exponent)
    except InvalidOperation:  # pragma: no cover - the regex only lets valid numbers through
        value = Decimal(0)
    if exponent > 2 * ID_LENGTH or value != value.to_integral_value() or significant < len(str(int(value))):
        raise CleanError(
            "id_scientific",
            f"Số định danh bị Excel đổi sang dạng số mũ và đã mất chữ số ({text}); hãy định dạng cột là Văn bản",
        )
    return _from_number(int(value))


def normalize_personal_id(raw: str | int | float | None) -> str | None:
    """Twelve digits as text, or None when empty; raise :class:`CleanError` when it cannot be an ID.

    Spaces, dots, dashes and Excel's leading apostrophe are removed; full-width digits become ASCII. Numbers from
    a spreadsheet get their leading zeros back (``38215001234 → "038215001234"``,
    ``12345678901.0 → "012345678901"``), as does a 10- or 11-digit text that does not start with 0.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise CleanError("id_type", "Số định danh không hợp lệ (giá trị đúng/sai)")
    if isinstance(raw, int | float):
        text = _from_number(raw)
    elif isinstance(raw, str):
        text = "".join(unicodedata.normalize("NFKC", raw).split()).strip(_QUOTES)
        if _FLOAT_TEXT.match(text):
            text = _from_number(int(text.split(".")[0]))
        elif match := _SCIENTIFIC.match(text):
            text = _from_scientific(text, match)
        else:
            text = _SEPARATORS.sub("", text)
    else:
        raise CleanError("id_type", f"Số định danh không hợp lệ (kiểu {type(raw).__name__})")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise CleanError("id_not_digits", f"Số định danh chỉ gồm chữ số: {text[:30]!r}")
    if ID_LENGTH - 2 <= len(text) < ID_LENGTH and not text.startswith("0"):
        text = text.zfill(ID_LENGTH)  # typed into a number cell, the leading zeros were lost
    if len(text) != ID_LENGTH:
        raise CleanError("id_length", f"Số định danh phải có {ID_LENGTH} chữ số (nhận được {len(text)})")
    return text


def _sex(value: str | None) -> Sex | None:
    if not isinstance(value, str):
        return None
    upper = value.strip().upper()
    return upper if upper in ("M", "F") else None  # type: ignore[return-value]


def decode_personal_id(pid: str) -> PersonalIdInfo:
    """Province, sex and birth year encoded in a normalised 12-digit ID; CleanError if it is not 12 digits."""
    if not (isinstance(pid, str) and len(pid) == ID_LENGTH and pid.isascii() and pid.isdigit()):
        raise CleanError("id_format", f"Số định danh phải gồm đúng {ID_LENGTH} chữ số")
    digit = int(pid[3])
    return PersonalIdInfo(
        province_code=pid[:3],
        province_name=PROVINCE_BIRTH_CODES.get(pid[:3]),
        sex="F" if digit % 2 else "M",
        birth_year=FIRST_CENTURY + (digit // 2) * 100 + int(pid[4:6]),
    )


def check_personal_id(
    pid: str,
    *,
    date_of_birth: dt.date | None = None,
    sex: str | None = None,
    today: dt.date | None = None,
) -> list[CleanError]:
    """The problems of a normalised ID, alone and against the person's date of birth and sex; [] if consistent.

    Checks the province code, that the encoded birth year is not in the future (``today`` defaults to the date in
    Vietnam), and, when given, the century/sex digit against ``sex`` ("M"/"F"; other values are ignored) and the
    century and year digits against ``date_of_birth``.
    """
    try:
        info = decode_personal_id(pid)
    except CleanError as exc:
        return [exc]
    problems: list[CleanError] = []
    if info.province_name is None:
        problems.append(
            CleanError(
                "id_province", f"Mã tỉnh nơi đăng ký khai sinh {info.province_code} (3 chữ số đầu) không tồn tại"
            )
        )
    if info.birth_year > (today or today_vn()).year:
        problems.append(
            CleanError("id_future", f"Chữ số 4–6 của số định danh cho năm sinh {info.birth_year}, ở tương lai")
        )
    wanted_sex = _sex(sex)
    if wanted_sex is not None and wanted_sex != info.sex:
        id_sex, person_sex = ("nữ", "nam") if info.sex == "F" else ("nam", "nữ")
        problems.append(
            CleanError(
                "id_sex", f"Chữ số thứ 4 của số định danh ({pid[3]}) là của {id_sex}, nhưng giới tính là {person_sex}"
            )
        )
    if date_of_birth is not None:
        born = date_of_birth.year
        if info.birth_year // 100 != born // 100:
            problems.append(
                CleanError(
                    "id_century",
                    f"Chữ số thứ 4 của số định danh ({pid[3]}) là thế kỷ sinh {info.birth_year // 100 * 100}–"
                    f"{info.birth_year // 100 * 100 + 99}, nhưng năm sinh là {born}",
                )
            )
        if info.birth_year % 100 != born % 100:
            problems.append(
                CleanError("id_year", f"Chữ số 5–6 của số định danh ({pid[4:6]}) không khớp năm sinh {born}")
            )
    return problems


def make_personal_id(province_code: str, date_of_birth: dt.date, sex: str, serial: int) -> str:
    """A well-formed ID for demo data and tests: ``make_personal_id("038", date(2015, 3, 5), "F", 1234)``.

    ``province_code`` may be the 3-digit code or the former 2-digit province code ("38"); ``serial`` fills
    the last six digits (0–999999).
    """
    code = str(province_code).strip().zfill(3)
    if code not in PROVINCE_BIRTH_CODES:
        raise CleanError("id_province", f"Mã tỉnh nơi đăng ký khai sinh {province_code} không tồn tại")
    person_sex = _sex(sex)
    if person_sex is None:
        raise CleanError("sex_invalid", f"Giới tính phải là M (nam) hoặc F (nữ), không phải {sex!r}")
    year = date_of_birth.year
    if not FIRST_CENTURY <= year <= LAST_YEAR:
        raise CleanError(
            "id_century", f"Số định danh chỉ mã hóa năm sinh {FIRST_CENTURY}–{LAST_YEAR}, không phải {year}"
        )
    if not 0 <= serial <= 999_999:
        raise CleanError("id_serial", f"Sáu chữ số cuối phải từ 0 đến 999999, không phải {serial}")
    century_digit = (year // 100 - FIRST_CENTURY // 100) * 2 + (person_sex == "F")
    return f"{code}{century_digit}{year % 100:02d}{serial:06d}"
