"""Vietnam's 54 official ethnic groups (codes of Quyết định 121-TCTK/PPCĐ, 1979) and the spellings people type.

The official names are those Treem stores (model choices use them: changing one needs a migration). Other names
come from the "tên gọi khác" column of the GSO list (QĐ 1019/QĐ-TCTK, 2008) and common spellings; a name the GSO
lists under two groups (Xá, Miên, Lao, Tri …) is left out rather than guessed.
"""

from __future__ import annotations

import re

from treem.core.errors import CleanError, Message, gettext_noop
from treem.core.text import fold

__all__ = [
    "ETHNIC_GROUPS",
    "OFFICIAL_NAMES",
    "VARIANTS",
    "clean_ethnicity",
    "ethnicity_code",
    "ethnicity_name",
]

ETHNIC_GROUPS: list[tuple[str, str]] = [
    ("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Hoa"), ("05", "Khmer"), ("06", "Mường"), ("07", "Nùng"),
    ("08", "Mông"), ("09", "Dao"), ("10", "Gia Rai"), ("11", "Ngái"), ("12", "Ê Đê"), ("13", "Ba Na"),
    ("14", "Xơ Đăng"), ("15", "Sán Chay"), ("16", "Cơ Ho"), ("17", "Chăm"), ("18", "Sán Dìu"), ("19", "Hrê"),
    ("20", "Mnông"), ("21", "Ra Glai"), ("22", "Xtiêng"), ("23", "Bru - Vân Kiều"), ("24", "Thổ"), ("25", "Giáy"),
    ("26", "Cơ Tu"), ("27", "Gié Triêng"), ("28", "Mạ"), ("29", "Khơ Mú"), ("30", "Co"), ("31", "Tà Ôi"),
    ("32", "Chơ Ro"), ("33", "Kháng"), ("34", "Xinh Mun"), ("35", "Hà Nhì"), ("36", "Chu Ru"), ("37", "Lào"),
    ("38", "La Chí"), ("39", "La Ha"), ("40", "Phù Lá"), ("41", "La Hủ"), ("42", "Lự"), ("43", "Lô Lô"),
    ("44", "Chứt"), ("45", "Mảng"), ("46", "Pà Thẻn"), ("47", "Cờ Lao"), ("48", "Cống"), ("49", "Bố Y"),
    ("50", "Si La"), ("51", "Pu Péo"), ("52", "Brâu"), ("53", "Ơ Đu"), ("54", "Rơ Măm"),
]  # fmt: skip

OFFICIAL_NAMES: tuple[str, ...] = tuple(name for _code, name in ETHNIC_GROUPS)

# Other names and spellings -> official name. Matching ignores case, diacritics, spaces, hyphens and apostrophes,
# so "Gia-rai", "GIA RAI" and "Giarai" need no entry here.
VARIANTS: dict[str, str] = {
    # 01–09
    "Việt": "Kinh", "Kinh (Việt)": "Kinh", "Người Việt": "Kinh",
    "Ngạn": "Tày", "Phén": "Tày", "Thù Lao": "Tày", "Pa Dí": "Tày",
    "Thái Đen": "Thái", "Thái Trắng": "Thái", "Thái Đỏ": "Thái", "Tày Đăm": "Thái", "Tày Khao": "Thái",
    "Tày Mười": "Thái", "Tày Thanh": "Thái", "Mán Thanh": "Thái", "Hàng Tổng": "Thái", "Tày Mường": "Thái",
    "Pa Thay": "Thái", "Thổ Đà Bắc": "Thái",
    "Hán": "Hoa", "Người Hoa": "Hoa", "Triều Châu": "Hoa", "Phúc Kiến": "Hoa", "Quảng Đông": "Hoa",
    "Hải Nam": "Hoa", "Xạ Phạng": "Hoa", "Minh Hương": "Hoa",
    "Khơ me": "Khmer", "Khơ-me": "Khmer", "Khơ Me Krôm": "Khmer", "Khmer Krôm": "Khmer", "Khmer Krom": "Khmer",
    "Việt gốc Miên": "Khmer", "Cur": "Khmer", "Cul": "Khmer",
    "Mol": "Mường", "Mual": "Mường", "Mọi Bi": "Mường", "Ao Tá": "Mường", "Âu Tá": "Mường",
    "Nùng Xuồng": "Nùng", "Nùng Giang": "Nùng", "Nùng An": "Nùng", "Nùng Inh": "Nùng", "Nùng Phàn Slinh": "Nùng",
    "Nùng Cháo": "Nùng", "Nùng Lòi": "Nùng", "Quy Rin": "Nùng", "Khèn Lài": "Nùng",
    "H'Mông": "Mông", "Hmông": "Mông", "HMông": "Mông", "H'mông (Mèo)": "Mông", "Hmong": "Mông", "Mong": "Mông",
    "Mèo": "Mông", "Mẹo": "Mông", "Mèo Xanh": "Mông", "Mèo Đỏ": "Mông", "Mèo Đen": "Mông", "Mèo Hoa": "Mông",
    "Ná Mẻo": "Mông", "Mông Trắng": "Mông", "Mông Hoa": "Mông", "Mông Đen": "Mông", "Mông Xanh": "Mông",
    "Mông Đỏ": "Mông", "Mông Đơ": "Mông", "Mông Lềnh": "Mông", "H'Mông Trắng": "Mông", "H'Mông Hoa": "Mông",
    "Mán": "Dao", "Dao Đỏ": "Dao", "Dao Tiền": "Dao", "Dao Quần Chẹt": "Dao", "Dao Quần Trắng": "Dao",
    "Dao Lô Gang": "Dao", "Dao Thanh Y": "Dao", "Dao Lan Tẻn": "Dao", "Dao Áo Dài": "Dao", "Dao Thanh Phán": "Dao",
    "Quần Chẹt": "Dao", "Lan Tẻn": "Dao", "Kìm Miền": "Dao", "Kìm Mùn": "Dao",
    # 10–19
    "Giơ Rai": "Gia Rai", "Jrai": "Gia Rai", "Jarai": "Gia Rai", "Chơ Rai": "Gia Rai", "Tơ Buăn": "Gia Rai",
    "Sán Ngái": "Ngái", "Khách Gia": "Ngái",
    "Êđê": "Ê Đê", "Edê": "Ê Đê", "Ra Đê": "Ê Đê", "Rhadé": "Ê Đê", "Rade": "Ê Đê",
    "Bahnar": "Ba Na", "Gơ Lar": "Ba Na", "Tơ Lô": "Ba Na", "Giơ Lâng": "Ba Na", "Rơ Ngao": "Ba Na",
    "Sedang": "Xơ Đăng", "Xê Đăng": "Xơ Đăng", "Xơ Teng": "Xơ Đăng", "Ca Dong": "Xơ Đăng", "Mơ Nâm": "Xơ Đăng",
    "Hà Lăng": "Xơ Đăng", "Tơ Đra": "Xơ Đăng",
    "Cao Lan": "Sán Chay", "Sán Chỉ": "Sán Chay", "Cao Lan - Sán Chỉ": "Sán Chay", "Mán Cao Lan": "Sán Chay",
    "Hờn Bạn": "Sán Chay",
    "K'Ho": "Cơ Ho", "Koho": "Cơ Ho", "Xrê": "Cơ Ho", "Nốp": "Cơ Ho", "Cơ Don": "Cơ Ho", "Lạch": "Cơ Ho",
    "Tơ Ring": "Cơ Ho",
    "Chàm": "Chăm", "Chiêm Thành": "Chăm", "Chăm Hroi": "Chăm", "Hroi": "Chăm", "Chăm Pa": "Chăm",
    "Sán Dẻo": "Sán Dìu", "Trại Đất": "Sán Dìu", "Mán Quần Cộc": "Sán Dìu",
    "H'Rê": "Hrê", "Chăm Rê": "Hrê", "Chom": "Hrê",
    # 20–29
    "M'Nông": "Mnông", "Mơ Nông": "Mnông", "Pnông": "Mnông", "Mnông Gar": "Mnông", "Mnông Nông": "Mnông",
    "Mnông Prê": "Mnông", "Bu Đâng": "Mnông", "Biat": "Mnông",
    "Ra Clây": "Ra Glai", "La Oang": "Ra Glai",
    "Stiêng": "Xtiêng", "X'Tiêng": "Xtiêng", "Xa Điêng": "Xtiêng",
    "Bru": "Bru - Vân Kiều", "Vân Kiều": "Bru - Vân Kiều", "Măng Coong": "Bru - Vân Kiều", "Khùa": "Bru - Vân Kiều",
    "Đan Lai": "Thổ", "Ly Hà": "Thổ", "Tày Poọng": "Thổ",
    "Nhắng": "Giáy", "Dẩng": "Giáy", "Pầu Thìn": "Giáy", "Cùi Chu": "Giáy", "Giáy (Nhắng)": "Giáy",
    "Katu": "Cơ Tu", "Ca Tu": "Cơ Tu",
    "Giẻ Triêng": "Gié Triêng", "Giẻ": "Gié Triêng", "Gié": "Gié Triêng", "Triêng": "Gié Triêng", "Ve": "Gié Triêng",
    "La Ve": "Gié Triêng", "Bnoong": "Gié Triêng",
    "Châu Mạ": "Mạ", "Mạ Ngăn": "Mạ", "Mạ Xốp": "Mạ", "Mạ Tô": "Mạ", "Mạ Krung": "Mạ",
    "Khmu": "Khơ Mú", "Kmhmu": "Khơ Mú", "Xá Cẩu": "Khơ Mú", "Tày Hạy": "Khơ Mú",
    # 30–39
    "Cor": "Co", "Col": "Co", "Cùa": "Co",
    "Pa Cô": "Tà Ôi", "Pacoh": "Tà Ôi", "Pa Hi": "Tà Ôi", "Tôi Ôi": "Tà Ôi",
    "Châu Ro": "Chơ Ro", "Dơ Ro": "Chơ Ro",
    "Puộc": "Xinh Mun",
    "Hani": "Hà Nhì", "U Ni": "Hà Nhì", "Xá U Ni": "Hà Nhì", "Hà Nhì Già": "Hà Nhì",
    "Chơ Ru": "Chu Ru",
    "Lào Bốc": "Lào", "Lào Nọi": "Lào",
    "Cù Tê": "La Chí", "La Quả": "La Chí",
    "Khlá Phlạo": "La Ha",
    # 40–54
    "Xá Phó": "Phù Lá", "Bồ Khô Pạ": "Phù Lá", "Mú Dí Pạ": "Phù Lá",
    "Lahu": "La Hủ", "Khù Xung": "La Hủ", "Cò Xung": "La Hủ", "Khả Quy": "La Hủ",
    "Lữ": "Lự", "Nhuồn": "Lự", "Duồn": "Lự",
    "Mun Di": "Lô Lô", "Mùn Di": "Lô Lô",
    "Rục": "Chứt", "Sách": "Chứt", "Mày": "Chứt", "Arem": "Chứt", "Mã Liềng": "Chứt",
    "Mảng Ư": "Mảng",
    "Pà Hưng": "Pà Thẻn",
    "Cơ Lao": "Cờ Lao",
    "Xá Xeng": "Cống", "Xá Cống": "Cống", "Mấng Nhé": "Cống",
    "Chủng Chá": "Bố Y", "Trọng Gia": "Bố Y", "Tu Dí": "Bố Y", "Tu Din": "Bố Y",
    "Cú Dé Xử": "Si La", "Khả Pẻ": "Si La",
    "Ka Pèo": "Pu Péo", "Pu Piéo": "Pu Péo",
    "Brao": "Brâu",
    "Tày Hạt": "Ơ Đu",
}  # fmt: skip

_PREFIX = re.compile(r"^(?:dan\s*toc|dt|nguoi|toc)\b[\s.:]*")
_NOT_WORD = re.compile(r"[\W_]+")
_PARENS = re.compile(r"[()\[\]]")


def _key(text: str) -> str:
    """Lookup key: folded, without a "dân tộc"/"người" prefix, without spaces, hyphens, apostrophes, dots."""
    return _NOT_WORD.sub("", _PREFIX.sub("", fold(text)))


def _build_index() -> dict[str, str]:
    index = {_key(name): name for name in OFFICIAL_NAMES}
    if len(index) != len(OFFICIAL_NAMES):
        raise RuntimeError("two official ethnic group names fold to the same key")
    for variant, name in VARIANTS.items():
        if name not in OFFICIAL_NAMES:
            raise RuntimeError(f"variant {variant!r} points to {name!r}, which is not an official name")
        index.setdefault(_key(variant), name)  # an official name always wins over another group's variant
    return index


_BY_KEY: dict[str, str] = _build_index()
_CODE_BY_NAME: dict[str, str] = {name: code for code, name in ETHNIC_GROUPS}
_NAME_BY_CODE: dict[str, str] = dict(ETHNIC_GROUPS)


def clean_ethnicity(raw: object) -> str:
    """The official name for what was typed: ``"H'Mông"``, ``"hmong"``, ``"Mèo"`` → ``"Mông"``; ``"Kinh (Việt)"`` →
    ``"Kinh"``; ``"dân tộc Tày"`` → ``"Tày"``. Raises :class:`CleanError` when empty or not one of the 54 groups.
    """
    text = "" if raw is None else " ".join(str(raw).split())
    if not _key(text):
        raise CleanError("ethnicity_empty", Message(gettext_noop("No ethnic group given")))
    candidates = [text, *(part for part in _PARENS.split(text) if part.strip())]
    for candidate in candidates:
        if name := _BY_KEY.get(_key(candidate)):
            return name
    raise CleanError(
        "ethnicity_unknown",
        Message(gettext_noop("Ethnic group not in the list of 54 ethnic groups: %(value)s"), value=repr(text[:60])),
    )


def ethnicity_code(name: str) -> str:
    """The two-digit code ("01"–"54") of an ethnic group, from its official name or any accepted spelling."""
    return _CODE_BY_NAME[clean_ethnicity(name)]


def ethnicity_name(code: str | int) -> str:
    """The official name for a code: ``ethnicity_name("08") == ethnicity_name(8) == "Mông"``."""
    key = str(code).strip().zfill(2)
    try:
        return _NAME_BY_CODE[key]
    except KeyError:
        raise CleanError(
            "ethnicity_code",
            Message(gettext_noop("Ethnic group code %(value)s is not in the list (01–54)"), value=repr(str(code)[:10])),
        ) from None
