"""Headers communes write → Treem fields: header keys, guesses, the mapping of a header row, its score."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treem.imports.mapping import (
    FIELD_HEADERS,
    FIELD_LABELS_VI,
    FIELDS,
    REQUIRED_FIELDS,
    guess_field,
    guess_mapping,
    header_key,
    header_score,
)
from treem.imports.outputs import MESSAGE_HEADER, STATUS_HEADER, TEMPLATE_FIELDS


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Họ và tên", "ho va ten"),
        ("  HỌ   VÀ TÊN  ", "ho va ten"),
        ("Ngày, tháng, năm sinh (dd/mm/yyyy)", "ngay thang nam sinh"),
        ("Số CCCD/ĐDCN", "so cccd ddcn"),
        ("Thôn/Bản/Tổ dân phố", "thon ban to dan pho"),
        ("Giới\ntính", "gioi tinh"),
        ("Dân tộc (*)", "dan toc"),
        ("Người chăm sóc/giám hộ", "nguoi cham soc giam ho"),
        ("", ""),
        ("(ghi chú)", ""),
    ],
)
def test_header_key(label: str, key: str) -> None:
    assert header_key(label) == key


@given(st.text(max_size=60))
def test_header_key_any_text(label: str) -> None:
    key = header_key(label)
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", key)
    assert header_key(key) == key


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Họ và tên", "full_name"), ("HỌ TÊN TRẺ", "full_name"), ("Họ và tên trẻ em", "full_name"),
        ("Ngày sinh", "date_of_birth"), ("Ngày, tháng, năm sinh", "date_of_birth"), ("Năm sinh", "date_of_birth"),
        ("NS", "date_of_birth"), ("Giới tính", "sex"), ("Nam/Nữ", "sex"), ("GT", "sex"), ("Dân tộc", "ethnicity"),
        ("Số định danh cá nhân", "personal_id"), ("Số CCCD", "personal_id"), ("Mã định danh", "personal_id"),
        ("Họ tên cha", "father_name"), ("Họ tên mẹ", "mother_name"), ("Họ tên người giám hộ", "guardian_name"),
        ("Họ tên cha mẹ/người chăm sóc", "guardian_name"), ("Thôn", "village"), ("Thôn/Bản", "village"),
        ("Tổ dân phố", "village"), ("Xã/Phường", "commune"), ("Mã xã", "commune_code"), ("Mã hộ", "household_code"),
        ("Chủ hộ", "head_name"), ("Địa chỉ thường trú", "address"), ("Hoàn cảnh đặc biệt", "special_groups"),
        ("Thuộc nhóm HCĐB", "special_groups"), ("SĐT", "phone"), ("Ghi chú", "note"),
        ("Thôn (Địa chỉ)", "village"), ("Họ tên cha (Cha mẹ)", "father_name"),  # two-row headers, see readers
        ("date_of_birth", "date_of_birth"), ("Full name", "full_name"),
        ("STT", None), ("TT", None), ("Số thứ tự", None), ("", None), ("Cột 7", None), (STATUS_HEADER, None),
        (MESSAGE_HEADER, None), ("Trường học", None),
    ],
)  # fmt: skip
def test_guess_field(label: str, field: str | None) -> None:
    assert guess_field(label) == field


@pytest.mark.parametrize("field", FIELDS)
def test_every_label_treem_writes_is_read_back(field: str) -> None:
    """The template and the error workbook use FIELD_LABELS_VI: re-importing them maps every column."""
    label = FIELD_LABELS_VI[field]
    assert guess_field(label) == field
    assert guess_field(label.upper()) == field
    assert guess_field(label.lower()) == field


@pytest.mark.parametrize(("field", "variant"), [(f, v) for f, variants in FIELD_HEADERS.items() for v in variants])
def test_every_variant_means_its_field(field: str, variant: str) -> None:
    assert guess_field(variant) == field


@given(st.text(max_size=60))
def test_guess_field_any_text(label: str) -> None:
    field = guess_field(label)
    assert field is None or field in FIELDS
    assert guess_field(label.upper()) == guess_field(label.lower()) or not label.isascii()


@pytest.mark.parametrize(
    ("labels", "remembered", "expected"),
    [
        (["STT", "Họ và tên", "Ngày sinh", "Giới tính"], None, {1: "full_name", 2: "date_of_birth", 3: "sex"}),
        (["Họ và tên", "Họ tên", "Ngày sinh"], None, {0: "full_name", 2: "date_of_birth"}),  # leftmost wins
        (["Tên bé", "Ngày sinh"], {"ten be": "full_name"}, {0: "full_name", 1: "date_of_birth"}),  # remembered
        (
            ["Họ và tên", "Tên gọi khác"],
            {"ho va ten": "note", "ten goi khac": "full_name"},
            {0: "note", 1: "full_name"},
        ),
        (["Họ và tên", "X"], {"x": "not_a_field"}, {0: "full_name"}),  # a stale remembered field is ignored
        ([], None, {}),
        (["", "", ""], None, {}),
    ],
)
def test_guess_mapping(labels: list[str], remembered: dict[str, str] | None, expected: dict[int, str]) -> None:
    assert guess_mapping(labels, remembered) == expected


@given(st.lists(st.sampled_from([*FIELD_LABELS_VI.values(), "STT", "", "Cột lạ", "Họ tên"]), max_size=20))
def test_guess_mapping_takes_each_field_once(labels: list[str]) -> None:
    mapping = guess_mapping(labels)
    assert len(set(mapping.values())) == len(mapping)
    assert all(0 <= i < len(labels) for i in mapping)
    for i, field in mapping.items():  # the leftmost column that means a field gets it
        assert all(guess_field(labels[j]) != field for j in range(i))


@pytest.mark.parametrize(
    ("labels", "score"),
    [
        (["Họ và tên", "Ngày sinh", "Giới tính"], 3 + 3 + 2),
        (["Họ và tên", "Ghi chú"], 2 + 3),
        (["Dân tộc", "Thôn"], 2),
        (["Họ và tên"], 0),  # one recognised column is not a header
        (["DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT"], 0),
        (["Sùng Thị Sua", "02/05/2013", "Nữ", "Mông"], 0),  # a data row
        ([FIELD_LABELS_VI[f] for f in TEMPLATE_FIELDS], len(TEMPLATE_FIELDS) + 5),
    ],
)
def test_header_score(labels: list[str], score: int) -> None:
    assert header_score(labels) == score


def test_required_fields_are_fields() -> None:
    assert set(REQUIRED_FIELDS) <= set(FIELDS)
