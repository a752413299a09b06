"""Runs over the registry, decisions, merges and their undo (real services, real database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.matching import engine, runs, selectors, services
from treem.matching.models import CandidateStatus, MatchCandidate, MatchRun, Merge
from treem.registry import services as registry
from treem.registry.models import Child, Circumstance, Guardianship
from treem.registry.services import merge as registry_merge
from treem.registry.tests.conftest import special

pytestmark = pytest.mark.django_db


def run_for(unit) -> MatchRun:  # noqa: ANN001
    return runs.execute_run(MatchRun.objects.create(unit=unit, unit_path=unit.path))


def pair_of(a: Child, b: Child) -> MatchCandidate:
    lo, hi = sorted((a.pk, b.pk))
    return MatchCandidate.objects.get(child_a_id=lo, child_b_id=hi)


def rows_of(child: Child) -> set[tuple[str, int]]:
    guardians = {("guardian", pk) for pk in Guardianship.objects.filter(child=child).values_list("pk", flat=True)}
    return guardians | {
        ("circumstance", pk) for pk in Circumstance.objects.filter(child=child).values_list("pk", flat=True)
    }


def state(child: Child) -> dict:
    child.refresh_from_db()
    values = services.snapshot(child)
    values.pop("updated_at")  # "when it was last saved" is not part of the record
    return values


def test_a_run_queues_the_duplicate_and_never_the_twin(tree, child, twice, twin) -> None:  # noqa: ANN001
    run = run_for(tree.commune)
    assert run.status == "done" and run.records == 3
    candidate = pair_of(child, twice)
    assert candidate.status == CandidateStatus.PENDING and candidate.probability >= engine.REVIEW
    assert candidate.features["date_of_birth"] == "exact" and candidate.features["twin_guard"] is False
    assert not MatchCandidate.objects.filter(child_a__in=[twin], child_b__in=[twin]).exists()
    assert MatchCandidate.objects.count() == 1
    assert Merge.objects.count() == 0  # no ID on the second entry: a person decides


def test_decisions_are_remembered(tree, officer, child, twice) -> None:  # noqa: ANN001
    run_for(tree.commune)
    candidate = services.decide(actor=officer, candidate=pair_of(child, twice), decision=CandidateStatus.DIFFERENT)
    assert candidate.decided_by == officer and candidate.decided_at is not None
    run = run_for(tree.commune)
    assert run.pairs_found == 1 and run.new_pairs == 0
    assert pair_of(child, twice).status == CandidateStatus.DIFFERENT
    assert not selectors.queue_for_user(officer).exists()
    services.decide(actor=officer, candidate=candidate, decision=CandidateStatus.UNSURE)
    run_for(tree.commune)
    assert pair_of(child, twice).status == CandidateStatus.UNSURE


def test_merge_moves_guardians_circumstances_and_everything_else(officer, child, twice) -> None:  # noqa: ANN001
    grandmother = registry.guardian_add(
        actor=officer, child=twice, guardian=registry.GuardianInput("Vàng Thị Dợ", "grandparent")
    )
    group = registry.circumstance_add(actor=officer, child=twice, type=special("h"), valid_from=dt.date(2024, 3, 1))
    shared_father = Guardianship.objects.get(child=twice, person__full_name="Sùng A Páo")
    merge = services.merge_children(actor=officer, survivor=child, other=twice, chosen_values={"ethnicity": "Mông"})
    grandmother.refresh_from_db()
    group.refresh_from_db()
    shared_father.refresh_from_db()
    assert grandmother.child_id == child.pk and group.child_id == child.pk
    assert shared_father.child_id == twice.pk  # the survivor already has this father: his copy stays behind
    assert sorted(m[0] for m in merge.moved) == ["registry.circumstance", "registry.guardianship"]
    assert Child.objects.get(pk=twice.pk).merged_into_id == child.pk
    reason = child.history.order_by("-history_id").first().history_change_reason
    assert reason == services.REASON_MERGE.format(other=twice.pk, survivor=child.pk)
    assert group.history.order_by("-history_id").first().history_change_reason == reason
    assert " vang " in Child.objects.get(pk=child.pk).search_text + " "


def test_a_pair_with_a_record_merged_away_leaves_the_queue(tree, officer, child, twice) -> None:  # noqa: ANN001
    run_for(tree.commune)
    candidate = pair_of(child, twice)
    assert list(selectors.queue_for_user(officer)) == [candidate]
    services.merge_children(actor=officer, survivor=child, other=twice)  # not through this pair
    assert not selectors.queue_for_user(officer).exists()
    assert selectors.queue_counts(officer)[CandidateStatus.PENDING] == 0


def test_undo_restores_both_records_exactly(officer, child, twice) -> None:  # noqa: ANN001
    registry.circumstance_add(actor=officer, child=twice, type=special("h"), valid_from=dt.date(2024, 3, 1))
    before = (state(child), state(twice), rows_of(child), rows_of(twice))
    # The second entry survives and takes the first one's ID and spelling: the ID has to change hands.
    merge = services.merge_children(
        actor=officer, survivor=twice, other=child,
        chosen_values={"personal_id": child.personal_id, "full_name": child.full_name, "ethnicity": "Mông"},
    )  # fmt: skip
    twice.refresh_from_db()
    assert twice.personal_id == "012313000123" and twice.full_name == "Sùng Thị Sua"
    assert Child.objects.get(pk=child.pk).personal_id is None
    services.undo_merge(actor=officer, merge=merge)
    assert (state(child), state(twice), rows_of(child), rows_of(twice)) == before
    merge.refresh_from_db()
    assert merge.undone_by == officer and Child.objects.get(pk=child.pk).merged_into_id is None
    assert twice.history.order_by("-history_id").first().history_change_reason.startswith("Hoàn tác gộp")


def test_undo_is_refused_once_the_record_was_edited_again(officer, child, twice) -> None:  # noqa: ANN001
    merge = services.merge_children(actor=officer, survivor=child, other=twice)
    registry.child_update(actor=officer, child=Child.objects.get(pk=child.pk), note="đã xác minh")
    with pytest.raises(ValidationError):
        services.undo_merge(actor=officer, merge=merge)


def test_decide_merge_then_undo_leaves_the_pair_for_a_person(tree, officer, child, twice) -> None:  # noqa: ANN001
    run_for(tree.commune)
    candidate = services.decide(actor=officer, candidate=pair_of(child, twice), decision=CandidateStatus.MERGED,
                                keep=child, chosen_values={"full_name": "Sùng Thị Sua"})  # fmt: skip
    assert candidate.status == CandidateStatus.MERGED
    services.undo_merge(actor=officer, merge=selectors.active_merge(candidate))
    assert pair_of(child, twice).status == CandidateStatus.UNSURE
    run_for(tree.commune)
    assert pair_of(child, twice).status == CandidateStatus.UNSURE and Merge.objects.filter(undone_at=None).count() == 0


def test_only_officers_who_may_edit_both_records_decide(officer, sibling_officer, viewer, child, twice) -> None:  # noqa: ANN001
    for someone in (sibling_officer, viewer):
        with pytest.raises(PermissionDenied):
            services.merge_children(actor=someone, survivor=child, other=twice)
    with pytest.raises(PermissionDenied):
        services.merge_children(actor=None, survivor=child, other=twice)  # only the matcher itself acts alone


def test_twins_are_never_merged_automatically(tree, child, twin) -> None:  # noqa: ANN001
    run = run_for(tree.commune)
    assert run.auto_merged == 0 and not Merge.objects.exists() and not MatchCandidate.objects.exists()
    # Even if the engine were asked to merge them, the run only merges what the engine marks "merge".
    scored = engine.score_pair(*[engine.Record(str(c.pk), c.full_name, c.date_of_birth.isoformat(), c.sex,
                                               personal_id=c.personal_id, guardian_name="Sùng A Páo",
                                               household_code="h1") for c in (child, twin)])  # fmt: skip
    assert scored.twin_guard and scored.decision == ""


def test_an_automatic_merge_says_so_in_the_history(tree, child, twice) -> None:  # noqa: ANN001
    run = MatchRun.objects.create(unit=tree.commune, unit_path=tree.commune.path)
    pair = engine.Pair(str(child.pk), str(twice.pk), 0.999, engine.MERGE, {"personal_id": "exact"}, False, True)
    new, merged = runs.store_pairs(run, [pair])
    assert (new, merged) == (1, 1)
    merge = Merge.objects.get()
    assert merge.automatic and merge.merged_by is None and merge.survivor_id == child.pk
    assert merge.chosen_values == {}  # the survivor lacked nothing the other had
    reason = Child.objects.get(pk=child.pk).history.order_by("-history_id").first().history_change_reason
    assert reason.startswith("Tự động gộp hồ sơ trùng")
    assert Child.objects.get(pk=twice.pk).history.order_by("-history_id").first().history_change_reason == (
        registry_merge.REASON_MERGED_AWAY.format(survivor=child.pk)
    )
    assert run_for(tree.commune).records == 1  # the merged-away record is left out of later runs
