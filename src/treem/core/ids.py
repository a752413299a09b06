"""Vietnamese 12-digit personal ID numbers (số định danh cá nhân / CCCD): normalise, check, decode, make.

Layout (NĐ 70/2024/NĐ-CP detailing Luật Căn cước 2023, in force 01/07/2024, which replaced NĐ 137/2015 and kept
its structure of the number): digits 1–3 the code of the province of birth registration ("0" + the former
two-digit province code) or of the country where a birth was registered abroad, digit 4 century and sex (0/1
male/female born 1900–1999, 2/3 born 2000–2099, 4/5 2100–2199 …), digits 5–6 the last two digits of the birth
year, digits 7–12 random.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple

from treem.core.dates import today_vn
from treem.core.errors import CleanError, Message, gettext_noop

__all__ = [
    "ID_LENGTH",
    "NON_PROVINCE_BIRTH_CODES",
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

# Codes in digits 1–3 that are not a province: births registered abroad (the number then carries the code of the
# country of registration). The reference notes used for Treem do not give the code(s) the Ministry of Public
# Security uses, so none is listed: add each one here, with its source, once checked against the official table.
# A code listed here is not reported as a province that does not exist.
NON_PROVINCE_BIRTH_CODES: dict[str, str] = {}

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
    registered_abroad: bool = False  # the code is in NON_PROVINCE_BIRTH_CODES


def _from_number(raw: int | float) -> str:
    if isinstance(raw, float):
        if not math.isfinite(raw) or raw != int(raw):
            raise CleanError(
                "id_not_digits",
                Message(
                    gettext_noop("A personal ID has digits only, not a decimal number: %(value)s"), value=repr(raw)
                ),
            )
        raw = int(raw)
    if raw < 0:
        raise CleanError("id_not_digits", Message(gettext_noop("A personal ID has digits only: %(value)s"), value=raw))
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
            Message(
                gettext_noop(
                    "Excel turned the personal ID into an exponent and lost digits (%(value)s); format the column "
                    "as Text"
                ),
                value=text,
            ),
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
        raise CleanError("id_type", Message(gettext_noop("Invalid personal ID (a true/false value)")))
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
        raise CleanError(
            "id_type", Message(gettext_noop("Invalid personal ID (type %(type)s)"), type=type(raw).__name__)
        )
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise CleanError(
            "id_not_digits", Message(gettext_noop("A personal ID has digits only: %(value)s"), value=repr(text[:30]))
        )
    if ID_LENGTH - 2 <= len(text) < ID_LENGTH and not text.startswith("0"):
        text = text.zfill(ID_LENGTH)  # typed into a number cell, the leading zeros were lost
    if len(text) != ID_LENGTH:
        raise CleanError(
            "id_length",
            Message(
                gettext_noop("A personal ID must have %(length)s digits (got %(got)s)"), length=ID_LENGTH, got=len(text)
            ),
        )
    return text


def _sex(value: str | None) -> Sex | None:
    if not isinstance(value, str):
        return None
    upper = value.strip().upper()
    return upper if upper in ("M", "F") else None  # type: ignore[return-value]


def decode_personal_id(pid: str) -> PersonalIdInfo:
    """Province, sex and birth year encoded in a normalised 12-digit ID; CleanError if it is not 12 digits."""
    if not (isinstance(pid, str) and len(pid) == ID_LENGTH and pid.isascii() and pid.isdigit()):
        raise CleanError(
            "id_format", Message(gettext_noop("A personal ID must have exactly %(length)s digits"), length=ID_LENGTH)
        )
    digit = int(pid[3])
    return PersonalIdInfo(
        province_code=pid[:3],
        province_name=PROVINCE_BIRTH_CODES.get(pid[:3]),
        sex="F" if digit % 2 else "M",
        birth_year=FIRST_CENTURY + (digit // 2) * 100 + int(pid[4:6]),
        registered_abroad=pid[:3] in NON_PROVINCE_BIRTH_CODES,
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
    if info.province_name is None and not info.registered_abroad:
        problems.append(
            CleanError(
                "id_province",
                Message(
                    gettext_noop(
                        "The code of the province of birth registration %(code)s (the first 3 digits) does not exist"
                    ),
                    code=info.province_code,
                ),
            )
        )
    if info.birth_year > (today or today_vn()).year:
        problems.append(
            CleanError(
                "id_future",
                Message(
                    gettext_noop("Digits 4–6 of the personal ID give the birth year %(year)s, in the future"),
                    year=info.birth_year,
                ),
            )
        )
    wanted_sex = _sex(sex)
    if wanted_sex is not None and wanted_sex != info.sex:
        if info.sex == "F":
            msgid = gettext_noop("The 4th digit of the personal ID (%(digit)s) is a female's, but the sex is male")
        else:
            msgid = gettext_noop("The 4th digit of the personal ID (%(digit)s) is a male's, but the sex is female")
        problems.append(CleanError("id_sex", Message(msgid, digit=pid[3])))
    if date_of_birth is not None:
        born = date_of_birth.year
        if info.birth_year // 100 != born // 100:
            problems.append(
                CleanError(
                    "id_century",
                    Message(
                        gettext_noop(
                            "The 4th digit of the personal ID (%(digit)s) is for births in %(first)s–%(last)s, but "
                            "the birth year is %(year)s"
                        ),
                        digit=pid[3],
                        first=info.birth_year // 100 * 100,
                        last=info.birth_year // 100 * 100 + 99,
                        year=born,
                    ),  # fmt: skip
                )
            )
        if info.birth_year % 100 != born % 100:
            problems.append(
                CleanError(
                    "id_year",
                    Message(
                        gettext_noop("Digits 5–6 of the personal ID (%(digits)s) do not match the birth year %(year)s"),
                        digits=pid[4:6],
                        year=born,
                    ),
                )  # fmt: skip
            )
    return problems


def make_personal_id(province_code: str, date_of_birth: dt.date, sex: str, serial: int) -> str:
    """A well-formed ID for demo data and tests: ``make_personal_id("038", date(2015, 3, 5), "F", 1234)``.

    ``province_code`` may be the 3-digit code or the former 2-digit province code ("38"); ``serial`` fills
    the last six digits (0–999999).
    """
    code = str(province_code).strip().zfill(3)
    if code not in PROVINCE_BIRTH_CODES:
        raise CleanError(
            "id_province",
            Message(
                gettext_noop("The code of the province of birth registration %(code)s does not exist"),
                code=province_code,
            ),
        )
    person_sex = _sex(sex)
    if person_sex is None:
        raise CleanError(
            "sex_invalid",
            Message(gettext_noop("The sex must be M (male) or F (female), not %(value)s"), value=repr(sex)),
        )
    year = date_of_birth.year
    if not FIRST_CENTURY <= year <= LAST_YEAR:
        raise CleanError(
            "id_century",
            Message(
                gettext_noop("A personal ID encodes birth years %(first)s–%(last)s only, not %(year)s"),
                first=FIRST_CENTURY,
                last=LAST_YEAR,
                year=year,
            ),  # fmt: skip
        )
    if not 0 <= serial <= 999_999:
        raise CleanError(
            "id_serial", Message(gettext_noop("The last six digits must be 0 to 999999, not %(value)s"), value=serial)
        )
    century_digit = (year // 100 - FIRST_CENTURY // 100) * 2 + (person_sex == "F")
    return f"{code}{century_digit}{year % 100:02d}{serial:06d}"
