"""A stored import queues a matching run over the children it stored, against candidates from the whole registry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import xlsxwriter
from django.db import connection
from django.test.utils import CaptureQueriesContext

from treem.imports.models import ImportJob
from treem.imports.services import import_commit, import_validate, job_create
from treem.matching import engine, runs
from treem.matching.models import MatchCandidate, MatchRun, Merge, RunSource
from treem.registry import services as registry
from treem.registry.models import Child
from treem.units.models import Unit

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Họ tên cha"]


def workbook(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, values in enumerate([header, *rows]):
        for col, value in enumerate(values):
            sheet.write_string(r, col, value)
    book.close()
    return path


def imported(unit: Unit, path: Path, capture) -> ImportJob:  # noqa: ANN001
    """The file stored into `unit` the way the import page does, the callbacks after the commit run (the task
    backend of the tests runs the queued matching run at once)."""
    job = import_validate(job_create(actor=None, unit=unit, path=path, original_name=path.name))
    with capture(execute=True):
        import_commit(job)
    return job


def pair(a: Child, b: Child) -> MatchCandidate | None:
    lo, hi = sorted((a.pk, b.pk))
    return MatchCandidate.objects.filter(child_a_id=lo, child_b_id=hi).first()


def test_committing_an_import_starts_a_matching_run(tree, tmp_path, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    imported(tree.commune, workbook(tmp_path / "ds.xlsx", [["Sùng Thị Sua", "02/05/2013", "Nữ", ""]]),
             django_capture_on_commit_callbacks)  # fmt: skip
    run = MatchRun.objects.get(unit=tree.commune)
    assert run.source == RunSource.IMPORT and run.status == "done"
    assert run.child_ids == list(Child.objects.values_list("pk", flat=True))  # the child it stored, nothing else


def test_a_child_imported_in_another_commune_is_paired_with_its_first_record(
    tree,
    child,
    tmp_path,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    """A child who moved and was registered again by the new commune's list is exactly the duplicate to find."""
    imported(tree.sibling, workbook(tmp_path / "moved.xlsx", [["Sùng Thị Sua", "02/05/2013", "Nữ", "Sùng A Páo"]]),
             django_capture_on_commit_callbacks)  # fmt: skip
    new = Child.objects.get(commune=tree.sibling)
    candidate = pair(child, new)
    assert candidate is not None and candidate.status == "pending"
    assert candidate.run.source == RunSource.IMPORT and candidate.run.records == 2
    assert not Merge.objects.exists()  # no ID on the new record: a person decides


def test_pairs_among_the_old_children_are_not_examined_again(
    tree,
    child,
    twice,
    tmp_path,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    """`child` and `twice` are an undecided duplicate pair already in the registry: an import of someone else into
    their commune leaves them to the next full run (it neither creates nor changes their pair)."""
    imported(tree.commune, workbook(tmp_path / "other.xlsx", [["Lò Văn Tâm", "09/01/2014", "Nam", "Lò Văn Páo"]]),
             django_capture_on_commit_callbacks)  # fmt: skip
    run = MatchRun.objects.get(source=RunSource.IMPORT)
    assert run.status == "done" and run.records == 1
    assert not MatchCandidate.objects.exists()


def test_an_existing_pending_pair_is_left_as_it_was(
    tree,
    child,
    twice,
    tmp_path,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    full = runs.execute_run(MatchRun.objects.create(unit=tree.commune, unit_path=tree.commune.path))
    before = MatchCandidate.objects.get()
    imported(tree.commune, workbook(tmp_path / "other.xlsx", [["Lò Văn Tâm", "09/01/2014", "Nam", ""]]),
             django_capture_on_commit_callbacks)  # fmt: skip
    after = MatchCandidate.objects.get()
    assert after.run_id == full.pk and after.updated_at == before.updated_at


def test_the_twin_sister_imported_elsewhere_is_never_suggested(
    tree,
    child,
    tmp_path,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    imported(tree.sibling, workbook(tmp_path / "twin.xlsx", [["Sùng Thị Mỷ", "02/05/2013", "Nữ", "Sùng A Páo"]]),
             django_capture_on_commit_callbacks)  # fmt: skip
    run = MatchRun.objects.get(source=RunSource.IMPORT)
    assert run.status == "done" and run.records == 2  # the sister was a candidate (same father, same day) …
    assert not MatchCandidate.objects.exists() and not Merge.objects.exists()  # … and the twin guard held


def test_an_id_one_digit_off_is_queued_for_review_never_merged_alone(
    tree,
    child,
    tmp_path,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    """The ID re-typed with its last digit wrong: found by the ID lookups across communes, all but certain, and
    still left to a person (the system merges alone only with the same valid ID on both records)."""
    row = ["Sùng Thị Sua", "02/05/2013", "Nữ", "Sùng A Páo", "012313000124"]
    path = workbook(tmp_path / "typo.xlsx", [row], [*HEADER, "Số định danh"])
    imported(tree.sibling, path, django_capture_on_commit_callbacks)
    new = Child.objects.get(commune=tree.sibling)
    assert new.personal_id == "012313000124"
    candidate = pair(child, new)
    assert candidate is not None and candidate.status == "pending" and candidate.probability >= engine.AUTO_MERGE
    assert candidate.features["personal_id"] == "one_digit"
    assert not Merge.objects.exists()


GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Nam"]
FAMILY = ["Đào", "Tạ", "Lý", "Mai", "Cao", "Hà", "Kiều", "Lưu", "Mạc", "Ninh"]


def unrelated(tree, officer, sibling_officer, n: int) -> None:  # noqa: ANN001
    """`n` children who share no blocking key with the imported one: other names, other days, half of them in the
    import's own commune."""
    for i in range(n):
        commune, actor = (tree.commune, officer) if i % 2 else (tree.sibling, sibling_officer)
        h = registry.household_create(actor=actor, commune=commune, head_name=f"{FAMILY[i % 10]} Văn Bố")
        registry.child_register(
            actor=actor, household=h,
            data=registry.ChildInput(full_name=f"{FAMILY[i % 10]} Văn {GIVEN[i // 10 % 10]}", sex="M",
                                     date_of_birth=dt.date(2005, 1, 1) + dt.timedelta(days=3 * i)),
        )  # fmt: skip


def _examine(tree, child: Child) -> tuple[int, int]:  # noqa: ANN001
    """(records prepared, queries) of an after-import run over `child` alone."""
    run = MatchRun.objects.create(unit=tree.commune, unit_path=tree.commune.path, source=RunSource.IMPORT,
                                  child_ids=[child.pk])  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        run = runs.execute_run(run)
    assert run.status == "done"
    return run.records, len(queries)


def test_the_cost_of_the_run_does_not_grow_with_the_registry(tree, officer, sibling_officer) -> None:  # noqa: ANN001
    h = registry.household_create(actor=officer, commune=tree.commune, head_name="Sùng A Páo")
    new = registry.child_register(
        actor=officer, household=h,
        data=registry.ChildInput(full_name="Sùng Thị Sua", sex="F", date_of_birth=dt.date(2013, 5, 2)),
        guardians=[registry.GuardianInput("Sùng A Páo", "father")],
    )  # fmt: skip
    unrelated(tree, officer, sibling_officer, 10)
    small = _examine(tree, new)
    unrelated(tree, officer, sibling_officer, 100)
    assert Child.objects.count() == 111
    assert _examine(tree, new) == small
    assert small[0] == 1  # only the imported child: none of the others shares a blocking key with it


def _plans(sqls: list[str]) -> list[str]:
    out = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")  # a table this small is read whole otherwise: ask for the plan
        for sql in sqls:  # that the lookups have when the registry is large (an index, or a scan of the table)
            cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql)
            out.append(
                "\n".join(str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor.fetchall())
            )
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_seqscan")
    return out


def test_the_candidates_are_looked_up_in_indexes_never_by_a_scan_of_the_children(child, twice) -> None:  # noqa: ANN001
    from treem.matching import nearby

    record = engine_record(child)
    with CaptureQueriesContext(connection) as queries:
        found = nearby.candidate_ids(nearby.keys_of([record], {record.record_id: child.name_key}))
    assert twice.pk in found
    lookups = [q["sql"] for q in queries.captured_queries if "registry_child" in q["sql"]]
    assert len(lookups) == 3  # the ids; namesakes, given name and day, guardian and day; the commune
    for plan in _plans(lookups):
        if connection.vendor == "sqlite":  # every table searched through an index (a SCAN only of a sub-select)
            assert [line for line in plan.splitlines() if re.match(r"SCAN (?!s\d+$)", line)] == [], plan
            assert "SEARCH registry_child USING" in plan.replace('"', ""), plan
        else:
            assert "Seq Scan" not in plan, plan


def engine_record(child: Child):  # noqa: ANN201
    return next(runs.child_records(Child.objects.filter(pk=child.pk)))
