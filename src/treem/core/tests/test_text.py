"""Tests for treem.core.text (no Django needed)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treem.core.errors import CleanError
from treem.core.text import canonical_tones, clean_name, fold, fold_uncached, name_case, nfc

VIETNAMESE_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE_LETTERS = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()
vietnamese_text = st.text(alphabet=VIETNAMESE_LETTERS + " \t\u00a0-", max_size=40)
any_text = st.text(max_size=60)


# --- nfc ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Nguyễn   Văn  A ", "Nguyễn Văn A"),
        ("Lò\u00a0Thị\tMai\n", "Lò Thị Mai"),
        ("a\u200bb\ufeff", "ab"),
        ("\u00d0ỗ V\u0103n", "Đỗ Văn"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_nfc_examples(raw: str, expected: str) -> None:
    assert nfc(raw) == expected


def test_nfc_composes_decomposed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    assert len(decomposed) == 21
    assert nfc(decomposed) == "Nguyễn Thị Hương"
    assert len(nfc(decomposed)) == 16


@given(any_text)
def test_nfc_idempotent_and_normalised(s: str) -> None:
    once = nfc(s)
    assert nfc(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip()
    assert "  " not in once


# --- fold --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Bản Giang", "ban giang"),
        ("Nguyễn Văn A", "nguyen van a"),
        ("ĐẶNG   Thị\u00a0Hà", "dang thi ha"),
        ("Ðồng Nai", "dong nai"),  # eth from legacy converters
        ("Xã Tả Lèng, huyện Tam Đường", "xa ta leng, huyen tam duong"),
        ("Ｈà Ｎội", "ha noi"),  # full-width letters
    ],
)
def test_fold_examples(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize(("old", "new"), [("Thanh Hoá", "Thanh Hóa"), ("Hoà Bình", "Hòa Bình"), ("Thuý", "Thúy")])
def test_fold_ignores_tone_placement(old: str, new: str) -> None:
    assert fold(old) == fold(new)


def test_fold_nfd_input() -> None:
    assert fold(unicodedata.normalize("NFD", "Nguyễn Thị Hương")) == "nguyen thi huong"


@given(
    st.one_of(any_text, vietnamese_text, st.text(alphabet=" \u0301\u0300\u02d8\u00a0\u200ba\u1e9eßǅ˘¨ﬀ", max_size=20))
)
def test_fold_word_by_word_is_fold_of_the_whole_text(s: str) -> None:
    """`fold` folds each word on its own (cached): the same key as folding the whole text at once."""
    assert fold(s) == fold_uncached(s)


@given(any_text)
def test_fold_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(vietnamese_text)
def test_fold_vietnamese_is_ascii(s: str) -> None:
    folded = fold(s)
    assert folded.isascii()
    assert folded == folded.lower()


@given(vietnamese_text)
def test_fold_ignores_case_and_normal_form(s: str) -> None:
    assert fold(s.upper()) == fold(s.lower()) == fold(unicodedata.normalize("NFD", s))


# --- canonical_tones ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hoà", "Hòa"),
        ("Thuý", "Thúy"),
        ("Khoẻ", "Khỏe"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Xã Chiêm Hoá", "Xã Chiêm Hóa"),
        ("xoè", "xòe"),
        ("hoạ sĩ", "họa sĩ"),
        ("toả", "tỏa"),
        ("hoã", "hõa"),
        ("Thuỳ", "Thùy"),
        ("Nguỵ", "Ngụy"),
        ("luỹ", "lũy"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("UỶ", "ỦY"),
        ("hoà,", "hòa,"),
        ("Hoà-Bình", "Hòa-Bình"),
        # left alone: closed syllables, triphthongs, qu-, already canonical
        ("hoàng", "hoàng"),
        ("ngoài", "ngoài"),
        ("thuyền", "thuyền"),
        ("khuya", "khuya"),
        ("khuỷu", "khuỷu"),
        ("Quý", "Quý"),
        ("quỳnh", "quỳnh"),
        ("QUỶ", "QUỶ"),
        ("Huỳnh", "Huỳnh"),
        ("Hòa", "Hòa"),
        ("quà", "quà"),
        ("mùa", "mùa"),
        ("", ""),
    ],
)
def test_canonical_tones_examples(raw: str, expected: str) -> None:
    assert canonical_tones(raw) == expected


def test_canonical_tones_decomposed_input() -> None:
    assert canonical_tones(unicodedata.normalize("NFD", "Thanh Hoá")) == "Thanh Hóa"


def test_canonical_tones_keeps_whitespace() -> None:
    assert canonical_tones("  Hoà  Bình ") == "  Hòa  Bình "


@given(any_text)
def test_canonical_tones_idempotent_and_fold_preserving(s: str) -> None:
    once = canonical_tones(s)
    assert canonical_tones(once) == once
    assert fold(once) == fold(s)


@given(vietnamese_text)
def test_canonical_tones_vietnamese(s: str) -> None:
    once = canonical_tones(s)
    assert canonical_tones(once) == once
    assert fold(once) == fold(s)
    assert len(once) == len(unicodedata.normalize("NFC", s))


# --- name_case / clean_name --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NGUYỄN VĂN AN", "Nguyễn Văn An"),
        ("lò thị  mai", "Lò Thị Mai"),
        ("đặng đình đức", "Đặng Đình Đức"),
        ("ĐỖ THỊ ÁNH", "Đỗ Thị Ánh"),
        ("h'mông", "H'Mông"),
        ("H'HEN NIÊ", "H'Hen Niê"),
        ("y bih", "Y Bih"),
        ("giàng a-páo", "Giàng A-Páo"),
        ("  hoàng\u00a0thị  ", "Hoàng Thị"),
        ("", ""),
    ],
)
def test_name_case_examples(raw: str, expected: str) -> None:
    assert name_case(raw) == expected


def test_name_case_returns_nfc() -> None:
    assert name_case(unicodedata.normalize("NFD", "nguyễn thị hương")) == "Nguyễn Thị Hương"


@given(any_text)
def test_name_case_idempotent(s: str) -> None:
    once = name_case(s)
    assert name_case(once) == once
    assert unicodedata.is_normalized("NFC", once)


@given(vietnamese_text)
def test_name_case_keeps_folded_letters(s: str) -> None:
    assert fold(name_case(s)) == fold(s)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  NGUYỄN   văn an ", "Nguyễn Văn An"),
        ("h’mông", "H'Mông"),
        ("Lò\u00a0Thị Mai", "Lò Thị Mai"),
        (unicodedata.normalize("NFD", "Trần Thị Thuý"), "Trần Thị Thuý"),
    ],
)
def test_clean_name_ok(raw: str, expected: str) -> None:
    assert clean_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "name_empty"),
        ("", "name_empty"),
        ("  \u00a0 ", "name_empty"),
        ("Nguyễn Văn 2", "name_digits"),
        ("Lò Thị ½", "name_digits"),
        ("Nguyễn@Văn", "name_chars"),
        ("Trần, Thị", "name_chars"),
        ("- '", "name_no_letters"),
        ("A" * 101, "name_too_long"),
        (123, "name_type"),
    ],
)
def test_clean_name_rejects(raw: object, code: str) -> None:
    with pytest.raises(CleanError) as info:
        clean_name(raw)  # type: ignore[arg-type]
    assert info.value.code == code
    assert info.value.message  # Vietnamese text for the user


def test_clean_name_message_names_the_problem() -> None:
    with pytest.raises(CleanError) as info:
        clean_name("Nguyễn Văn 2")
    assert "'2'" in info.value.message
    assert "chữ số" in info.value.message


@given(any_text)
def test_clean_name_raises_only_clean_error(s: str) -> None:
    try:
        cleaned = clean_name(s)
    except CleanError as exc:
        error: CleanError | None = exc
    else:
        error = None
        assert cleaned
        assert clean_name(cleaned) == cleaned
    assert error is None or error.code.startswith("name_")


@given(any_text)
def test_text_functions_never_raise(s: str) -> None:
    nfc(s)
    fold(s)
    canonical_tones(s)
    name_case(s)


# --- CleanError --------------------------------------------------------------------------------------------------


def test_clean_error_fields_and_pickling() -> None:
    import pickle

    err = CleanError("id_length", "Số định danh phải có 12 chữ số (nhận được 10)")
    assert isinstance(err, ValueError)
    assert str(err) == err.message
    assert err.code == "id_length"
    clone = pickle.loads(pickle.dumps(err))  # noqa: S301 - our own object
    assert clone == err
    assert clone.code == "id_length"
    assert "id_length" in repr(err)
