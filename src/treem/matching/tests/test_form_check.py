"""The child form checks for likely duplicates before saving: the matcher's own scoring over the children the user
may see, plus the same personal ID; "this is a different child" saves and the duplicate queue remembers the pair."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from treem.matching import runs
from treem.matching.models import CandidateStatus, MatchCandidate, MatchRun
from treem.matching.selectors import queue_for_user
from treem.registry import duplicates
from treem.registry import services as registry
from treem.registry.models import Child

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def sua(tree, officer):  # noqa: ANN001, ANN201
    """Lý Thị Sua, in her household of Bản Hon."""
    home = registry.household_create(actor=officer, commune=tree.commune, village=tree.village, head_name="Lý A Chứ")
    return registry.child_register(
        actor=officer, household=home,
        data=registry.ChildInput(full_name="Lý Thị Sua", sex="F", date_of_birth=dt.date(2012, 7, 15), ethnicity="Mông"),
        guardians=[registry.GuardianInput("Lý A Chứ", "father")],
    )  # fmt: skip


@pytest.fixture
def other_household(tree, officer):  # noqa: ANN001, ANN201
    return registry.household_create(
        actor=officer, commune=tree.commune, village=tree.sibling_village, head_name="Vàng A Sính"
    )


def new_child(**values: str) -> dict[str, str]:
    data = {
        "full_name": "Ly Thi Sua", "sex": "F", "date_of_birth": "15/07/2012", "dob_precision": "day",
        "ethnicity": "Mông", "personal_id": "", "birth_registered": "unknown", "school_status": "", "disability": "",
        "nutrition": "",
        "father_name": "", "mother_name": "", "caregiver_name": "", "caregiver_relation": "",
    }  # fmt: skip
    return {**data, **values}


def test_a_likely_duplicate_typed_by_hand_is_caught(client, officer, sua, other_household) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(reverse("registry:child_create", args=[other_household.pk]), new_child())
    assert response.status_code == 200
    assert not Child.objects.filter(full_name="Ly Thi Sua").exists()
    text = response.text
    assert 'data-testid="likely-duplicates"' in text
    assert "Lý Thị Sua" in text and "15/07/2012" in text
    assert reverse("registry:child_detail", args=[sua.pk]) in text  # open the existing child
    assert 'data-testid="save-different"' in text  # or: this is a different child
    assert [d.child.pk for d in response.context["likely"]] == [sua.pk]


def test_a_different_child_is_saved_and_the_queue_never_proposes_the_pair(
    client, officer, tree, sua, other_household
) -> None:  # noqa: ANN001, E501
    login(client, officer)
    url = reverse("registry:child_create", args=[other_household.pk])
    response = client.post(url, new_child(different="1", different_from=str(sua.pk)))
    assert response.status_code == 302
    other = Child.objects.get(full_name="Ly Thi Sua")
    pair = MatchCandidate.objects.get()
    assert (pair.child_a_id, pair.child_b_id) == (sua.pk, other.pk)
    assert pair.status == CandidateStatus.DIFFERENT and pair.decided_by == officer
    runs.execute_run(MatchRun.objects.create(unit=tree.commune, unit_path=tree.commune.path))
    assert MatchCandidate.objects.get().status == CandidateStatus.DIFFERENT
    assert not queue_for_user(officer).exists()


def test_different_covers_only_the_records_that_were_shown(client, officer, sua, other_household) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(reverse("registry:child_create", args=[other_household.pk]), new_child(different="1"))
    assert response.status_code == 200  # Lý Thị Sua was never shown for this entry: the warning comes first
    assert not Child.objects.filter(full_name="Ly Thi Sua").exists()


def test_the_same_personal_id_is_caught_and_cannot_be_called_different(client, officer, child, other_household) -> None:  # noqa: ANN001
    login(client, officer)
    data = new_child(full_name="Vàng Thị Dợ", date_of_birth="02/05/2013", personal_id="012313000123")
    response = client.post(reverse("registry:child_create", args=[other_household.pk]), data)
    assert response.status_code == 200
    [likely] = response.context["likely"]
    assert likely.child == child and likely.same_id
    assert 'data-testid="same-id"' in response.text
    assert 'data-testid="save-different"' not in response.text


def test_the_check_sees_only_what_the_user_may_see(client, tree, sibling_officer, sua) -> None:  # noqa: ANN001
    home = registry.household_create(actor=sibling_officer, commune=tree.sibling, head_name="Lò Văn Tâm")
    login(client, sibling_officer)
    response = client.post(reverse("registry:child_create", args=[home.pk]), new_child())
    assert response.status_code == 302  # Lý Thị Sua lives in another commune: nothing about her is shown
    assert Child.objects.filter(full_name="Ly Thi Sua", commune=tree.sibling).exists()


def test_an_unrelated_child_is_saved_at_once(client, officer, sua, other_household) -> None:  # noqa: ANN001
    login(client, officer)
    data = new_child(full_name="Vàng A Lử", sex="M", date_of_birth="01/02/2019")
    assert client.post(reverse("registry:child_create", args=[other_household.pk]), data).status_code == 302


def _edit(child: Child, **values: str) -> dict[str, str]:
    data = {
        "full_name": child.full_name, "sex": child.sex, "date_of_birth": child.date_of_birth.strftime("%d/%m/%Y"),
        "dob_precision": "day", "ethnicity": child.ethnicity or "Mông", "personal_id": child.personal_id or "",
        "birth_registered": "unknown", "school_status": "", "disability": "", "nutrition": "", "note": "",
    }  # fmt: skip
    return {**data, **values}


def test_the_edit_form_checks_too_and_remembers(client, officer, sua, other_household) -> None:  # noqa: ANN001
    mai = registry.child_register(
        actor=officer, household=other_household,
        data=registry.ChildInput(full_name="Ly Thi Mai", sex="F", date_of_birth=dt.date(2012, 7, 15)),
    )  # fmt: skip
    login(client, officer)
    url = reverse("registry:child_edit", args=[mai.pk])
    response = client.post(url, _edit(mai, full_name="Ly Thi Sua"))
    assert response.status_code == 200
    assert [d.child.pk for d in response.context["likely"]] == [sua.pk]
    assert Child.objects.get(pk=mai.pk).full_name == "Ly Thi Mai"
    response = client.post(url, _edit(mai, full_name="Ly Thi Sua", different="1", different_from=str(sua.pk)))
    assert response.status_code == 302
    assert Child.objects.get(pk=mai.pk).full_name == "Ly Thi Sua"
    assert MatchCandidate.objects.get().status == CandidateStatus.DIFFERENT
    # remembered: a later edit of what identifies her (checked again) is not warned about the same pair again
    assert client.post(url, _edit(Child.objects.get(pk=mai.pk), date_of_birth="16/07/2012")).status_code == 302


def test_an_edit_that_leaves_name_date_and_id_alone_is_not_checked(client, officer, sua, other_household) -> None:  # noqa: ANN001
    twin = registry.child_register(
        actor=officer, household=other_household,
        data=registry.ChildInput(full_name="Ly Thi Sua", sex="F", date_of_birth=dt.date(2012, 7, 15)),
    )  # fmt: skip
    login(client, officer)
    response = client.post(reverse("registry:child_edit", args=[twin.pk]), _edit(twin, note="học lớp 6"))
    assert response.status_code == 302


def test_without_a_checker_the_registry_saves_as_before(client, officer, sua, other_household, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(duplicates, "_checkers", [])
    login(client, officer)
    assert client.post(reverse("registry:child_create", args=[other_household.pk]), new_child()).status_code == 302


def test_an_id_on_a_record_out_of_scope_is_refused_without_showing_it(client, tree, sibling_officer, child) -> None:  # noqa: ANN001
    home = registry.household_create(actor=sibling_officer, commune=tree.sibling, head_name="Lò Văn Tâm")
    login(client, sibling_officer)
    data = new_child(full_name="Lò Thị Dợ", date_of_birth="02/05/2013", personal_id="012313000123")
    response = client.post(reverse("registry:child_create", args=[home.pk]), data)
    assert response.status_code == 200
    assert response.context["likely"] == []  # the record is not the sibling officer's to see
    assert "Số định danh này đã có trong hồ sơ của một trẻ khác." in response.text
    assert "Sùng Thị Sua" not in response.text
