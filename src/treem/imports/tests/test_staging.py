"""The commit stores the dry run's staged rows instead of reading and cleaning the file again, and trusts them only
while the file, what cleaning depends on and the registry are as the dry run saw them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem.core.ids import make_personal_id
from treem.imports import commit as commit_module
from treem.imports import pipeline, staging
from treem.imports.lease import Lease, progress_path
from treem.imports.models import ImportJob, JobStatus
from treem.imports.services import import_commit, import_validate, job_create
from treem.imports.tests.test_pipeline import FAMILY, officer, row, write_xlsx
from treem.registry import services as registry
from treem.registry.models import Child, Circumstance, Guardianship, Household, Person
from treem.units.services import village_add

__all__ = ["officer"]
pytestmark = pytest.mark.django_db

MESSY = [
    *FAMILY,
    row(4, "Giàng Thị Dính", "31/02/2014"),  # no such day: an error
    row(5, "VÀNG THỊ MỶ", "03/04/2014", mother="Vàng Thị Pàng", hh="KH-02", groups="h"),
    row(6, "Vàng Thị Mỷ", "03/04/2014"),  # the same child again: a duplicate in the file
    row(7, "Hầu A Chứ", "12/12/2012", "Nam", village="Bản Nậm Ngập", father="Hầu A Lử"),  # a new village
    row(8, "Thào Thị Sếnh", "2011", pid=make_personal_id("012", dt.date(2011, 6, 1), "F", 8), groups="d"),
]


def check(tree: Any, officer: Any, tmp_path: Path, rows: list[list[object]] = MESSY) -> ImportJob:
    path = write_xlsx(tmp_path / "ds.xlsx", rows)
    return import_validate(job_create(actor=officer, unit=tree.commune, path=path, original_name=path.name))


@pytest.fixture
def cleaned(monkeypatch) -> list[int]:  # noqa: ANN001
    """The source rows cleaned from here on."""
    rows: list[int] = []
    clean_row = pipeline.clean_row

    def counting(source_row: int, *args: Any) -> Any:
        rows.append(source_row)
        return clean_row(source_row, *args)

    monkeypatch.setattr(pipeline, "clean_row", counting)
    return rows


def snapshot() -> dict[str, Any]:
    return {
        "children": sorted(
            Child.objects.values_list(
                "full_name",
                "date_of_birth",
                "dob_precision",
                "sex",
                "ethnicity",
                "personal_id",
                "village__name",
                "household__code",
                "household__head_name",
                "name_key",
                "search_text",
                "unit_path",
            )
        ),  # fmt: skip
        "households": sorted(Household.objects.values_list("code", "head_name", "village__name", "unit_path")),
        "people": sorted(Person.objects.values_list("full_name", "sex", "household__code")),
        "links": sorted(Guardianship.objects.values_list("child__full_name", "person__full_name", "relation")),
        "groups": sorted(Circumstance.objects.values_list("child__full_name", "type__code", "valid_from", "valid_to")),
        "history": [m.history.count() for m in (Child, Household, Person, Guardianship, Circumstance)],
    }


class _Undo(Exception):
    pass


def commit_and_undo(job: ImportJob, officer: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Commit the job, note what it stored, and roll it back."""
    try:
        with transaction.atomic():
            done = import_commit(ImportJob.objects.get(pk=job.pk), actor=officer)
            seen = (done.result, snapshot())
            raise _Undo
    except _Undo:
        pass
    return seen


def test_the_commit_does_not_clean_the_rows_again(tree, officer, tmp_path: Path, cleaned: list[int]) -> None:  # noqa: ANN001
    job = check(tree, officer, tmp_path)
    assert len(cleaned) == len(MESSY)
    assert job.counts["error"] == 1 and job.counts["duplicate"] == 1
    cleaned.clear()
    job = import_commit(job, actor=officer)
    assert cleaned == []  # not one row cleaned again
    assert job.status == JobStatus.COMMITTED
    assert job.result["children_created"] == 6
    assert (job.result["rows_skipped_error"], job.result["rows_skipped_duplicate"]) == (1, 1)
    assert job.result["villages_created"] == 1


def test_staged_and_cleaned_again_store_the_same(tree, officer, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    job = check(tree, officer, tmp_path)
    staged = commit_and_undo(job, officer)
    monkeypatch.setattr(staging, "plan", lambda *args, **kwargs: None)  # as before: clean the file again
    again = commit_and_undo(job, officer)
    assert staged == again
    assert staged[0]["children_created"] == 6 and len(staged[1]["children"]) == 6


def test_a_child_registered_after_the_check_is_updated_not_added(
    tree, officer, tmp_path: Path, cleaned: list[int]
) -> None:  # noqa: ANN001
    job = check(tree, officer, tmp_path)
    assert job.counts.get("update", 0) == 0
    house = registry.household_create(actor=officer, commune=tree.commune, head_name="Lò Văn Tâm")
    minh = registry.child_register(
        actor=officer, household=house, data=registry.ChildInput("Lò Văn Minh", "M", dt.date(2016, 1, 1))
    )
    registry.child_register(  # a day off Mỷ's date: row 5 is now a near duplicate of her
        actor=officer, household=house, data=registry.ChildInput("Vàng Thị Mỷ", "F", dt.date(2014, 4, 4))
    )
    cleaned.clear()
    job = import_commit(job, actor=officer)
    assert cleaned == []  # matched against the registry again, not cleaned again
    assert job.result["children_updated"] == 1 and job.result["children_created"] == 4
    assert Child.objects.filter(full_name="Lò Văn Minh").get() == minh
    assert (job.result["rows_skipped_error"], job.result["rows_skipped_duplicate"]) == (1, 2)


@pytest.mark.parametrize("change", ["village", "file", "day"])
def test_staged_rows_are_not_trusted_when_what_they_were_cleaned_with_changed(
    tree, officer, tmp_path: Path, cleaned: list[int], monkeypatch, change: str
) -> None:  # noqa: ANN001
    job = check(tree, officer, tmp_path)
    if change == "village":  # row 7's village now exists: it is no longer new (no warning, nothing to create)
        village_add(commune=tree.commune, name="Nậm Ngập", unit_type="Bản")
    elif change == "file":
        write_xlsx(Path(job.file.path), FAMILY[:1])
    else:
        monkeypatch.setattr(pipeline, "today_vn", lambda: dt.date.today() + dt.timedelta(days=1))
    cleaned.clear()
    job = import_commit(job, actor=officer)
    assert cleaned != []  # the file was cleaned again
    if change == "village":
        assert job.result["villages_created"] == 0 and job.result["children_created"] == 6
    elif change == "file":
        assert job.result["children_created"] == 1
    else:
        assert job.result["children_created"] == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is the PostgreSQL path; SQLite inserts rows")
def test_postgresql_stores_the_rows_and_their_history_with_copy(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    job = check(tree, officer, tmp_path)
    with CaptureQueriesContext(connection) as queries:
        job = import_commit(job, actor=officer)
    tables = [m._meta.db_table for m in (Child, Household, Person, Guardianship, Circumstance)]
    tables += [m.history.model._meta.db_table for m in (Child, Household, Person, Guardianship, Circumstance)]
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT INTO")]
    assert not [sql for sql in inserts if any(f'"{table}"' in sql.split("(")[0] for table in tables)]
    assert any("nextval(pg_get_serial_sequence" in q["sql"] for q in queries.captured_queries)
    assert job.result["children_created"] == Child.objects.count() == 6
    for model in (Child, Household, Person, Guardianship, Circumstance):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0, model
    sua = Child.objects.get(full_name="Sùng Thị Sua")
    assert sua.history.get().history_user == officer and sua.search_text.startswith(" sung thi sua")
    assert job.status == JobStatus.COMMITTED


@pytest.mark.django_db(transaction=True)  # PostgreSQL: the lease's second connection sees committed rows only
def test_the_page_counts_the_rows_stored_while_the_commit_runs(
    client, tree, officer, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    monkeypatch.setattr(commit_module, "CHUNK", 2)
    job = check(tree, officer, tmp_path)
    client.force_login(officer)
    seen: list[str] = []
    progress = Lease.progress

    def polled(lease: Lease, done: int) -> None:  # the page polls while the commit writes
        progress(lease, done)
        page = client.get(reverse("imports:status", args=[job.pk])).text
        seen.append(re.search(r'data-testid="job-progress">(\d+)%</progress>\s*<span[^>]*>([^<]*)<', page).groups())

    monkeypatch.setattr(Lease, "progress", polled)
    import_commit(job, actor=officer)
    assert seen == [("33", "2 trên khoảng 6 dòng"), ("67", "4 trên khoảng 6 dòng"), ("100", "6 trên khoảng 6 dòng")]
    assert not progress_path(job.pk).exists()
    assert ImportJob.objects.get(pk=job.pk).processed_rows == len(MESSY)
