"""ID verification (Đề án 06) by file: the list to verify, the police's answers applied with history, the registry
list's "ID not yet verified" filter."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from treem.api.idcheck import COLUMNS, Answer, Outcome, apply_answers
from treem.audit.models import AuditEvent
from treem.core.dates import today_vn
from treem.registry import services

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def brother(household, officer):  # noqa: ANN001, ANN201
    return services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name="Sùng A Tú", sex="M", date_of_birth=dt.date(2016, 2, 1)),
    )  # fmt: skip


def _answers_csv(rows: list[list[str]]) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return SimpleUploadedFile("ket-qua.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def test_the_list_to_verify_is_a_workbook_of_the_scope(client, officer, child, brother, sibling_child) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("api_idcheck:export", args=["xlsx"]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert tuple(rows[0]) == COLUMNS
    assert sorted(r[1] for r in rows[1:]) == ["Sùng A Tú", "Sùng Thị Sua"]  # not the sibling commune's child
    assert AuditEvent.objects.filter(target_type="id_verification", action="export").count() == 1


def test_the_police_answers_are_applied_with_history(client, officer, child, brother, sibling_child) -> None:  # noqa: ANN001
    login(client, officer)
    upload = _answers_csv([
        [str(child.pk), child.full_name, "02/05/2013", "Nữ", child.personal_id, "", "", "Đúng", "", ""],
        [str(brother.pk), brother.full_name, "01/02/2016", "Nam", "", "", "", "sửa", "012216000777", ""],
        [str(sibling_child.pk), "Lò Thị Sua", "", "", "", "", "", "không thấy", "", ""],  # not in scope
    ])  # fmt: skip
    response = client.post(reverse("api_idcheck:import"), {"file": upload})
    assert response.status_code == 200
    applied = response.context["applied"]
    assert (applied.verified, applied.corrected, applied.not_found) == (1, 1, 0)
    assert len(applied.problems) == 1  # the sibling commune's child is not found in this scope
    child.refresh_from_db()
    brother.refresh_from_db()
    assert child.id_verified_on == today_vn()
    assert (brother.personal_id, brother.id_verified_on) == ("012216000777", today_vn())
    history = brother.history.order_by("history_date")
    assert history.last().personal_id == "012216000777"
    assert history.last().history_user == officer
    sibling_child.refresh_from_db()
    assert sibling_child.id_verified_on is None
    listing = client.get(reverse("registry:child_list"), {"id_unverified": "1"})
    assert child.full_name not in listing.text


def test_a_correction_inconsistent_with_the_child_is_not_applied(officer, brother) -> None:  # noqa: ANN001
    applied = apply_answers(actor=officer, answers=[Answer(brother.pk, Outcome.CORRECTED, "012313000999")])
    assert applied.corrected == 0
    assert len(applied.problems) == 1  # a girl's number born in 2013 for a boy born in 2016
    brother.refresh_from_db()
    assert brother.personal_id is None


def test_an_unreadable_file_says_which_row(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    upload = _answers_csv([[str(child.pk), child.full_name, "", "", "", "", "", "có lẽ", "", ""]])
    response = client.post(reverse("api_idcheck:import"), {"file": upload})
    assert response.status_code == 400
    assert "có lẽ" in response.text
    child.refresh_from_db()
    assert child.id_verified_on is None


def test_the_unverified_filter_of_the_registry_list(client, officer, child, brother) -> None:  # noqa: ANN001
    login(client, officer)
    listing = client.get(reverse("registry:child_list"), {"id_unverified": "1"})
    assert child.full_name in listing.text  # has an ID, not verified
    assert brother.full_name not in listing.text  # has no ID at all: the "without personal ID" filter
    api = client.get("/api/children", {"id_unverified": "true"})
    assert [c["id"] for c in api.json()["items"]] == [child.pk]


def test_the_page_needs_the_edit_capability(client, viewer) -> None:  # noqa: ANN001
    login(client, viewer)
    assert client.get(reverse("api_idcheck:page")).status_code == 403


def test_the_list_as_csv_reads_back(client, officer, child, tmp_path) -> None:  # noqa: ANN001
    from treem.api.idcheck import FileVerifier

    login(client, officer)
    response = client.get(reverse("api_idcheck:export", args=["csv"]))
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    rows[1][7] = "Đúng"  # the police's answer, written into the file Treem gave out
    returned = tmp_path / "tra-lai.csv"
    with returned.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    assert FileVerifier().answers(returned) == [Answer(child.pk, Outcome.VERIFIED)]


def test_a_verified_id_changed_by_hand_is_no_longer_verified(officer, child) -> None:  # noqa: ANN001
    apply_answers(actor=officer, answers=[Answer(child.pk, Outcome.VERIFIED)])
    child.refresh_from_db()
    assert child.id_verified_on == today_vn()
    services.child_update(actor=officer, child=child, note="Đã đi học lại")  # another change keeps it
    assert child.id_verified_on == today_vn()
    services.child_update(actor=officer, child=child, personal_id="012313000456")
    child.refresh_from_db()
    assert child.id_verified_on is None


def test_an_answer_about_a_number_changed_since_the_list_is_not_applied(client, officer, child, brother) -> None:  # noqa: ANN001
    """The police answered about the number in the file; a record whose number is no longer that one (changed by
    hand since, or a mistyped Treem code naming another child) is listed as a problem, not marked or overwritten."""
    login(client, officer)
    sent = child.personal_id
    services.child_update(actor=officer, child=child, personal_id="012313000456")
    upload = _answers_csv([
        [str(child.pk), child.full_name, "02/05/2013", "Nữ", sent, "", "", "Đúng", "", ""],
        [str(brother.pk), child.full_name, "02/05/2013", "Nữ", sent, "", "", "sửa", "012216000778", ""],
    ])  # fmt: skip
    response = client.post(reverse("api_idcheck:import"), {"file": upload})
    assert response.status_code == 200
    applied = response.context["applied"]
    assert (applied.verified, applied.corrected, len(applied.problems)) == (0, 0, 2)
    child.refresh_from_db()
    brother.refresh_from_db()
    assert (child.personal_id, child.id_verified_on) == ("012313000456", None)
    assert (brother.personal_id, brother.id_verified_on) == (None, None)


def test_every_answer_is_kept_per_child_not_found_too(officer, child, brother, viewer) -> None:  # noqa: ANN001
    from treem.registry.models import IdCheck

    applied = apply_answers(actor=officer, answers=[
        Answer(child.pk, Outcome.VERIFIED, asked=child.personal_id),
        Answer(brother.pk, Outcome.NOT_FOUND, note="không có trong CSDL"),
    ])  # fmt: skip
    assert (applied.verified, applied.not_found, applied.problems) == (1, 1, [])
    kept = {c.child_id: (c.outcome, c.personal_id, c.note, c.checked_on) for c in IdCheck.objects.all()}
    assert kept == {
        child.pk: ("verified", "012313000123", "", today_vn()),
        brother.pk: ("not_found", "", "không có trong CSDL", today_vn()),
    }
    # Someone who may only read the registry has no answer applied, and none kept.
    refused = apply_answers(actor=viewer, answers=[Answer(brother.pk, Outcome.NOT_FOUND)])
    assert (refused.not_found, len(refused.problems)) == (0, 1)
    assert IdCheck.objects.count() == 2
