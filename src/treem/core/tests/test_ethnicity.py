"""Tests for treem.core.ethnicity (no Django needed)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treem.core.errors import CleanError
from treem.core.ethnicity import (
    ETHNIC_GROUPS,
    OFFICIAL_NAMES,
    VARIANTS,
    clean_ethnicity,
    ethnicity_code,
    ethnicity_name,
)
from treem.core.text import fold


def test_the_54_groups() -> None:
    assert len(ETHNIC_GROUPS) == 54
    assert [code for code, _name in ETHNIC_GROUPS] == [f"{n:02d}" for n in range(1, 55)]
    assert len(set(OFFICIAL_NAMES)) == 54
    assert tuple(name for _code, name in ETHNIC_GROUPS) == OFFICIAL_NAMES


def test_group_47_is_spelt_co_lao_with_the_grave_accent_as_in_the_official_list() -> None:
    """QĐ 121-TCTK/PPCĐ (1979), Danh mục các dân tộc Việt Nam: group 47 is "Cờ Lao" (not "Cơ Lao")."""
    assert ethnicity_name("47") == "Cờ Lao"
    assert clean_ethnicity("Cơ Lao") == "Cờ Lao"
    assert ethnicity_code("Cờ Lao") == "47"


@pytest.mark.parametrize(
    ("code", "name"),
    [("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Hoa"), ("05", "Khmer"), ("06", "Mường"), ("07", "Nùng"),
     ("08", "Mông"), ("09", "Dao"), ("35", "Hà Nhì"), ("42", "Lự"), ("45", "Mảng"), ("48", "Cống"), ("50", "Si La"),
     ("54", "Rơ Măm")],
)  # fmt: skip
def test_codes_of_the_1979_list(code: str, name: str) -> None:
    assert ethnicity_code(name) == code
    assert ethnicity_name(code) == name


def test_official_names_are_nfc_and_fold_apart() -> None:
    assert all(unicodedata.is_normalized("NFC", name) for name in OFFICIAL_NAMES)
    keys = {fold(name).replace(" ", "").replace("-", "") for name in OFFICIAL_NAMES}
    assert len(keys) == 54


@pytest.mark.parametrize(("code", "name"), ETHNIC_GROUPS)
def test_every_official_name_maps_to_itself(code: str, name: str) -> None:
    assert clean_ethnicity(name) == name
    assert clean_ethnicity(name.upper()) == name
    assert clean_ethnicity(name.lower()) == name
    assert clean_ethnicity(fold(name)) == name
    assert clean_ethnicity(unicodedata.normalize("NFD", name)) == name
    assert clean_ethnicity(f"  dân tộc {name} ") == name
    assert clean_ethnicity(name.replace(" ", "-")) == name
    assert ethnicity_code(name) == code
    assert ethnicity_name(int(code)) == name


@pytest.mark.parametrize(("variant", "name"), sorted(VARIANTS.items()))
def test_every_variant_maps_to_its_group(variant: str, name: str) -> None:
    assert name in OFFICIAL_NAMES
    assert clean_ethnicity(variant) == name
    assert clean_ethnicity(fold(variant)) == name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("H'Mông", "Mông"),
        ("H’mông", "Mông"),
        ("Hmông", "Mông"),
        ("HMông", "Mông"),
        ("HMONG", "Mông"),
        ("Mèo", "Mông"),
        ("Mong", "Mông"),
        ("Mông (H'Mông)", "Mông"),
        ("Khơ me", "Khmer"),
        ("Khơ-Me", "Khmer"),
        ("khmer", "Khmer"),
        ("Thai", "Thái"),
        ("Thái đen", "Thái"),
        ("Kinh (Việt)", "Kinh"),
        ("Việt", "Kinh"),
        ("người Kinh", "Kinh"),
        ("DT: Tày", "Tày"),
        ("Hà nhì", "Hà Nhì"),
        ("hanhi", "Hà Nhì"),
        ("Dao đỏ", "Dao"),
        ("Dao tiền", "Dao"),
        ("Giáy (Nhắng)", "Giáy"),
        ("Nhắng", "Giáy"),
        ("Gia-rai", "Gia Rai"),
        ("Jrai", "Gia Rai"),
        ("Ê-đê", "Ê Đê"),
        ("Êđê", "Ê Đê"),
        ("Ba-na", "Ba Na"),
        ("Xơ-đăng", "Xơ Đăng"),
        ("Cơ-ho", "Cơ Ho"),
        ("K'Ho", "Cơ Ho"),
        ("Ra-glai", "Ra Glai"),
        ("Raglai", "Ra Glai"),
        ("X'tiêng", "Xtiêng"),
        ("Bru-Vân Kiều", "Bru - Vân Kiều"),
        ("Vân Kiều", "Bru - Vân Kiều"),
        ("Cơ-tu", "Cơ Tu"),
        ("Gié-Triêng", "Gié Triêng"),
        ("Khơ-mú", "Khơ Mú"),
        ("Tà-ôi", "Tà Ôi"),
        ("Chơ-ro", "Chơ Ro"),
        ("Xinh-mun", "Xinh Mun"),
        ("Chu-ru", "Chu Ru"),
        ("Cơ Lao", "Cờ Lao"),
        ("Co Lao", "Cờ Lao"),
        ("Ơ-đu", "Ơ Đu"),
        ("Rơ-măm", "Rơ Măm"),
        ("Lao", "Lào"),
        ("Lô lô", "Lô Lô"),
        ("Pà thẻn", "Pà Thẻn"),
        ("Mnông", "Mnông"),
        ("M'Nông", "Mnông"),
        ("Mông", "Mông"),  # Mông and Mnông stay apart
    ],
)
def test_variants_and_spellings(raw: str, expected: str) -> None:
    assert clean_ethnicity(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"), [(None, "ethnicity_empty"), ("", "ethnicity_empty"), ("  - ", "ethnicity_empty")]
)
def test_empty(raw: object, code: str) -> None:
    with pytest.raises(CleanError) as info:
        clean_ethnicity(raw)
    assert info.value.code == code


@pytest.mark.parametrize("raw", ["Xá", "Pháp", "Kinh/Tày", "Khác", "Người nước ngoài", "12"])
def test_unknown(raw: str) -> None:
    with pytest.raises(CleanError) as info:
        clean_ethnicity(raw)
    assert info.value.code == "ethnicity_unknown"
    assert info.value.message.startswith("Dân tộc không có trong danh mục 54 dân tộc:")
    assert raw in info.value.message


def test_ethnicity_code_of_unknown_raises() -> None:
    with pytest.raises(CleanError):
        ethnicity_code("Pháp")


@pytest.mark.parametrize("code", ["00", "55", "abc", "", 0, 100])
def test_ethnicity_name_unknown_code(code: object) -> None:
    with pytest.raises(CleanError) as info:
        ethnicity_name(code)  # type: ignore[arg-type]
    assert info.value.code == "ethnicity_code"


@given(st.text(max_size=40))
def test_clean_ethnicity_raises_only_clean_error(raw: str) -> None:
    try:
        name = clean_ethnicity(raw)
    except CleanError as exc:
        error: CleanError | None = exc
    else:
        error = None
        assert name in OFFICIAL_NAMES
        assert clean_ethnicity(name) == name
    assert error is None or error.code in {"ethnicity_empty", "ethnicity_unknown"}


@given(st.sampled_from(OFFICIAL_NAMES), st.sampled_from(["", " ", "-", "'", "  "]))
def test_separators_do_not_matter(name: str, sep: str) -> None:
    assert clean_ethnicity(sep.join(name.split(" "))) == name
