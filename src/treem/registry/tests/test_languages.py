"""Validation messages follow the page's language: English msgids, Vietnamese translations."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

BAD_CHILD = {"full_name": "Giàng 3", "sex": "F", "date_of_birth": "31/02/2019", "dob_precision": "day",
             "ethnicity": "Mông", "personal_id": "12345"}  # fmt: skip


def post_bad_child(client, officer, household, language: str, **changes: str):  # noqa: ANN001, ANN201
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("registry:child_create", args=[household.pk]), {**BAD_CHILD, **changes})
    assert response.status_code == 200
    return response.context["form"].errors


def test_the_english_page_shows_english_validation_messages(client, officer, household) -> None:  # noqa: ANN001
    errors = post_bad_child(client, officer, household, "en")
    assert errors["personal_id"][0] == "A personal ID must have 12 digits (got 5)"
    assert errors["date_of_birth"][0].startswith("The date does not exist: 31/02/2019")
    assert errors["full_name"][0].startswith("The full name has characters that are not allowed")
    far = post_bad_child(client, officer, household, "en", date_of_birth="01/01/0001")
    assert far["date_of_birth"] == ["The date must be between 01/01/1900 and 31/12/2100"]


def test_the_vietnamese_page_shows_vietnamese_validation_messages(client, officer, household) -> None:  # noqa: ANN001
    errors = post_bad_child(client, officer, household, "vi")
    assert errors["personal_id"][0] == "Số định danh phải có 12 chữ số (nhận được 5)"
    assert errors["date_of_birth"][0].startswith("Ngày không tồn tại: 31/02/2019")
    assert errors["full_name"][0].startswith("Họ và tên có ký tự không hợp lệ")
    far = post_bad_child(client, officer, household, "vi", date_of_birth="01/01/0001")
    assert far["date_of_birth"] == ["Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2100"]
