"""The import services end to end: check, preview, commit, re-import; villages, former communes, duplicates."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from treem.accounts import roles
from treem.core.ids import make_personal_id
from treem.imports import commit as commit_module
from treem.imports.mapping import issue_messages
from treem.imports.models import ColumnMapping, ImportJob, JobStatus
from treem.imports.outputs import PREVIEW_COLUMNS
from treem.imports.pipeline import clean_rows
from treem.imports.services import import_commit, import_validate, job_create, job_set_mapping
from treem.registry import services as registry
from treem.registry.models import Child, Circumstance, Guardianship, Household, Person
from treem.units.models import Level, Structure, Succession, Unit
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh", "Họ tên cha", "Họ tên mẹ",
          "Thôn", "Xã", "Mã hộ", "Hoàn cảnh đặc biệt"]  # fmt: skip
PID_SUA = make_personal_id("012", dt.date(2013, 5, 2), "F", 123)
PID_PAO = make_personal_id("012", dt.date(2015, 1, 20), "M", 456)


def row(n: int, name: str, dob: object, sex: str = "Nữ", **extra: object) -> list[object]:
    cells = {"eth": "Mông", "pid": "", "father": "", "mother": "", "village": "Bản Hon", "commune": "", "hh": "",
             "groups": ""} | extra  # fmt: skip
    return [n, name, dob, sex, cells["eth"], cells["pid"], cells["father"], cells["mother"], cells["village"],
            cells["commune"], cells["hh"], cells["groups"]]  # fmt: skip


FAMILY = [
    row(1, "SÙNG THỊ  SUA", "02/05/2013", pid=PID_SUA, father="Sùng A Páo", mother="Vàng Thị Mỷ", hh="KH-01",
        groups="a; d"),
    row(2, "Sùng A Páo", "20/01/2015", "Nam", pid=PID_PAO, father="Sùng A Páo", mother="Vàng Thị Mỷ", hh="KH-01"),
    row(3, "Lò Văn Minh", "2016", "Nam", eth="Thái", father="Lò Văn Tâm", village="Bản Lầm"),
]  # fmt: skip


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, ["DANH SÁCH TRẺ EM XÃ KHUN HÁ"])
    sheet.write_row(2, 0, header)
    for r, values in enumerate(rows, start=3):
        sheet.write_row(r, 0, values)
    book.close()
    return path


def run(unit: Unit, path: Path, actor: object = None) -> ImportJob:
    job = import_validate(job_create(actor=actor, unit=unit, path=path, original_name=path.name))
    return import_commit(job, actor=actor)


@pytest.fixture
def officer(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_OFFICER, tree.commune)


@pytest.mark.parametrize("chunk", [2000, 1])  # 1: the siblings' household was stored by an earlier chunk
def test_commit_stores_children_households_guardians_and_groups(
    tree, officer, tmp_path: Path, monkeypatch, chunk: int
) -> None:  # noqa: ANN001
    monkeypatch.setattr(commit_module, "CHUNK", chunk)
    job = run(tree.commune, write_xlsx(tmp_path / "ds.xlsx", FAMILY), officer)
    assert job.status == JobStatus.COMMITTED
    assert job.header_row == 3
    # Minh: only the year of birth; Sua's groups have no start date (they start on the day of the import)
    assert job.counts == {"ok": 2, "warning": 1, "groups_start_on_import": 1}
    assert job.total_rows == 3
    assert job.result["children_created"] == 3
    assert job.result["households_created"] == 2  # KH-01 for the siblings, Lò Văn Tâm's for Minh
    sua = Child.objects.get(personal_id=PID_SUA)
    assert (sua.full_name, sua.date_of_birth, sua.sex, sua.ethnicity) == (
        "Sùng Thị Sua",
        dt.date(2013, 5, 2),
        "F",
        "Mông",
    )
    assert sua.village == tree.village
    assert sua.household == Child.objects.get(personal_id=PID_PAO).household
    assert sua.household.code == "KH-01"
    assert "sung a pao" in Child.objects.get(personal_id=PID_PAO).search_text  # the head of the household
    minh = Child.objects.get(full_name="Lò Văn Minh")
    assert (minh.date_of_birth, minh.dob_precision, minh.village) == (dt.date(2016, 1, 1), "year", tree.sibling_village)
    assert set(Person.objects.values_list("full_name", flat=True)) == {"Sùng A Páo", "Vàng Thị Mỷ", "Lò Văn Tâm"}
    assert Guardianship.objects.filter(child=sua).count() == 2
    assert sorted(Circumstance.objects.filter(child=sua).values_list("type__code", flat=True)) == ["a", "d"]
    # every stored row has its "created" version, with who, when and why (the registry's audit trail)
    version = sua.history.get()
    assert version.history_type == "+"
    assert version.history_user == officer
    assert version.history_change_reason == f"Nhập từ tệp ds.xlsx (#{job.pk})"
    for name in ("full_name", "date_of_birth", "personal_id", "household_id", "village_id", "created_at", "sex"):
        assert getattr(version, name) == getattr(sua, name), name
    for model in (Child, Household, Person, Guardianship, Circumstance):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0, model
    assert sua.created_by == officer
    with pytest.raises(ValidationError):
        import_commit(job, actor=officer)  # a job is saved once


def test_reimport_updates_instead_of_duplicating(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    run(tree.commune, write_xlsx(tmp_path / "v1.xlsx", FAMILY), officer)
    ids = set(Child.objects.values_list("pk", flat=True))
    changed = [
        row(1, "Sùng Thị Sua", "02/05/2013", pid=PID_SUA, eth="Dao"),  # same ID: updated
        row(2, "Sùng A Páo", "20/01/2015", "Nam", pid=PID_PAO),
        row(3, "LÒ VĂN MINH", "2016", "Nam", eth="Thái", pid=make_personal_id("012", dt.date(2016, 3, 1), "M", 7)),
    ]  # Minh: same name and date, now with an ID
    job = run(tree.commune, write_xlsx(tmp_path / "v2.xlsx", changed), officer)
    assert job.result["children_created"] == 0
    assert job.result["children_updated"] == 3
    assert set(Child.objects.values_list("pk", flat=True)) == ids
    assert Child.objects.get(personal_id=PID_SUA).ethnicity == "Dao"
    assert Child.objects.get(full_name="Lò Văn Minh").personal_id.startswith("012")
    assert Household.objects.count() == 2


def test_duplicates_in_the_file_and_in_other_communes(tree, officer, make_user, tmp_path: Path) -> None:  # noqa: ANN001
    other = make_user(roles.COMMUNE_OFFICER, tree.sibling)
    house = registry.household_create(actor=other, commune=tree.sibling, head_name="Lò Văn Tâm")
    registry.child_register(
        actor=other,
        household=house,
        data=registry.ChildInput("Lò Thị Sua", "F", dt.date(2014, 1, 9), personal_id=PID_SUA),
    )
    rows = [
        row(1, "Sùng Thị Sua", "02/05/2013", pid=PID_SUA),  # the ID is a child of Xã Bình Lư
        row(2, "Vàng Thị Mỷ", "03/04/2014"),
        row(3, "VÀNG THỊ MỶ", "03/04/2014"),  # the same child twice in the file
        row(4, "Vàng Thị Mỷ", "04/03/2014"),  # day and month swapped: not the same key, a new child
    ]
    job = import_validate(job_create(actor=officer, unit=tree.commune, path=write_xlsx(tmp_path / "d.xlsx", rows),
                                     original_name="d.xlsx"))  # fmt: skip
    statuses = {r.source_row: (r.status, r.message_text()) for r, _v in clean_rows(job)}
    assert statuses[4][0] == "duplicate"
    assert "Xã Bình Lư" in statuses[4][1]
    assert statuses[5][0] == "ok"
    assert statuses[6] == ("duplicate", "Họ và tên: Trùng với dòng 5 của tệp")
    assert statuses[7][0] == "ok"
    job = import_commit(job, actor=officer)
    assert job.result["rows_skipped_duplicate"] == 2
    assert Child.objects.filter(commune=tree.commune).count() == 2


def test_the_commit_decides_as_the_dry_run_did(tree, officer, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Rows stored earlier in the same commit are not the registry the dry run checked against: a later row of the
    file is neither turned into an update of them nor held back as their near-duplicate."""
    monkeypatch.setattr(commit_module, "CHUNK", 1)
    monkeypatch.setattr("treem.imports.pipeline.BATCH", 1)
    rows = [
        row(1, "Vàng Thị Mỷ", "03/04/2014"),
        row(2, "Vàng Thị Mỷ", "03/04/2014", pid=make_personal_id("012", dt.date(2014, 4, 3), "F", 9)),  # ID now
        row(3, "Vàng Thị Mỷ", "04/04/2014"),  # a day later: a near-duplicate only of a registry child
    ]
    job = import_validate(job_create(actor=officer, unit=tree.commune, original_name="s.xlsx",
                                     path=write_xlsx(tmp_path / "s.xlsx", rows)))  # fmt: skip
    assert job.counts == {"ok": 3}
    job = import_commit(job, actor=officer)
    assert (job.result["children_created"], job.result["children_updated"]) == (3, 0)
    assert job.result["rows_skipped_duplicate"] == 0


def test_near_duplicate_in_the_registry_is_held_back(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    run(tree.commune, write_xlsx(tmp_path / "a.xlsx", [row(1, "Vàng Thị Mỷ", "03/04/2014")]), officer)
    path = write_xlsx(tmp_path / "b.xlsx", [row(1, "Vàng Thị Mỷ", "04/04/2014")])
    job = import_validate(job_create(actor=officer, unit=tree.commune, original_name="b.xlsx", path=path))
    assert job.counts == {"duplicate": 1}
    assert "Có thể trùng với trẻ đã có: Vàng Thị Mỷ, sinh 03/04/2014" in issue_messages(job.issues.get().messages)[0][1]


def test_former_commune_names_are_accepted_through_the_succession_map(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    former = make_unit(None, Level.COMMUNE, "03433", "Xã Nậm Ban", "Xã", structure=Structure.FORMER)
    Succession.objects.create(former=former, current=tree.commune, effective_date=dt.date(2025, 7, 1))
    rows = [
        row(1, "Sùng Thị Sua", "02/05/2013", commune="Xã Nậm Ban"),
        row(2, "Sùng Thị Dua", "02/05/2013", commune="nậm ban"),
        row(3, "Sùng Thị Mua", "02/05/2013", commune="03433"),
        row(4, "Sùng Thị Chua", "02/05/2013", commune="Khun Há"),
        row(5, "Sùng Thị Pua", "02/05/2013", commune="Xã Bình Lư"),
    ]
    job = import_validate(job_create(actor=officer, unit=tree.commune, original_name="x.xlsx",
                                     path=write_xlsx(tmp_path / "x.xlsx", rows)))  # fmt: skip
    assert job.counts == {"ok": 4, "error": 1}
    assert (
        "'Xã Bình Lư' không phải Xã Khun Há (kể cả tên trước sắp xếp)"
        in issue_messages(job.issues.get(status="error").messages)[0][1]
    )


def test_new_village_is_a_warning_and_is_created_on_commit(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    rows = [
        row(1, "Sùng Thị Sua", "02/05/2013", village="Bản Nậm Ngập"),
        row(2, "Sùng Thị Dua", "02/05/2014", village="BẢN NẬM NGẬP"),
        row(3, "Sùng Thị Mua", "02/05/2015", village="nam ngap"),
    ]
    job = import_validate(job_create(actor=officer, unit=tree.commune, original_name="v.xlsx",
                                     path=write_xlsx(tmp_path / "v.xlsx", rows)))  # fmt: skip
    assert job.counts == {"warning": 3}
    assert all(
        "Thôn/bản mới 'Bản Nậm Ngập' sẽ được tạo khi lưu" in issue_messages(i.messages)[0][1] for i in job.issues.all()
    )
    assert not Unit.objects.filter(name="Bản Nậm Ngập").exists()  # the check creates nothing
    job = import_commit(job, actor=officer)
    assert job.result["villages_created"] == 1
    village = Unit.objects.get(parent=tree.commune, level=Level.VILLAGE, name="Bản Nậm Ngập")
    assert (village.unit_type, village.is_local) == ("Bản", True)
    assert set(Child.objects.values_list("village", flat=True)) == {village.pk}
    assert all(c.unit_path.startswith(village.path) for c in Child.objects.all())


@pytest.mark.parametrize(
    "spelling", ["BẢN HON", "bản hon", "Ban Hon", "Hon", "hon", "Bản  Hon ", "B¶n Hon", "Baûn Hon", "Báº£n Hon"]
)
def test_known_village_matches_across_case_diacritics_and_encoding(
    tree, officer, tmp_path: Path, spelling: str
) -> None:  # noqa: ANN001
    job = run(tree.commune, write_xlsx(tmp_path / "k.xlsx", [row(1, "Sùng Thị Sua", "02/05/2013", village=spelling)]))
    assert job.result["villages_created"] == 0
    assert Child.objects.get().village == tree.village
    assert Unit.objects.filter(parent=tree.commune, level=Level.VILLAGE).count() == 2


def test_legacy_font_column_is_converted_on_import(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    """A whole name column typed in .VnTime (TCVN3): detected on the column, converted without a warning per row."""
    names = ["Sïng ThÞ Sua", "Vµng ThÞ Mû", "Lß V¨n Minh", "Hoµng V¨n §øc", "NguyÔn ThÞ H\xad¬ng"]
    rows = [row(i, name, f"0{i}/05/2013") for i, name in enumerate(names, start=1)]
    run(tree.commune, write_xlsx(tmp_path / "tcvn3.xlsx", rows), officer)
    assert sorted(Child.objects.values_list("full_name", flat=True)) == sorted(
        ["Sùng Thị Sua", "Vàng Thị Mỷ", "Lò Văn Minh", "Hoàng Văn Đức", "Nguyễn Thị Hương"]
    )


def test_preview_csv_columns_and_values(tree, tmp_path: Path) -> None:  # noqa: ANN001
    rows = [
        row(1, "sùng thị sua", dt.datetime(2013, 5, 2), pid=int(PID_SUA), father="SÙNG A PÁO"),  # ID as a number
        row(2, "Sùng A Páo", "20-01-2015", "nam", pid=PID_PAO, mother="Vàng Thị Mỷ", village="Bản Mới"),
        row(3, "Lò Văn Minh", "31/02/2016", "Nam"),
    ]
    preview = tmp_path / "preview.csv"
    out = io.StringIO()
    call_command("import", str(write_xlsx(tmp_path / "p.xlsx", rows)), unit=tree.commune.code, dry_run=True,
                 preview=preview, stdout=out)  # fmt: skip
    assert "dry run: nothing stored" in out.getvalue()
    assert Child.objects.count() == 0
    text = preview.read_text(encoding="utf-8")
    assert (
        text.splitlines()[0]
        == "source_row,status,message,full_name,date_of_birth,sex,ethnicity,personal_id,guardian_name,village"
    )
    lines = list(csv.DictReader(io.StringIO(text)))
    assert tuple(lines[0]) == PREVIEW_COLUMNS
    assert lines[0] == {
        "source_row": "4", "status": "ok", "message": "", "full_name": "Sùng Thị Sua", "date_of_birth": "2013-05-02",
        "sex": "F", "ethnicity": "Mông", "personal_id": PID_SUA, "guardian_name": "Sùng A Páo", "village": "Bản Hon",
    }  # fmt: skip
    assert len(lines[0]["personal_id"]) == 12 and lines[0]["personal_id"].startswith("0")
    assert lines[1] | {"message": ""} == {
        "source_row": "5", "status": "warning", "message": "", "full_name": "Sùng A Páo", "date_of_birth": "2015-01-20",
        "sex": "M", "ethnicity": "Mông", "personal_id": PID_PAO, "guardian_name": "Vàng Thị Mỷ", "village": "Bản Mới",
    }  # fmt: skip
    assert lines[1]["message"] == "Thôn/Bản/Tổ dân phố: Thôn/bản mới 'Bản Mới' sẽ được tạo khi lưu"
    assert (lines[2]["status"], lines[2]["date_of_birth"], lines[2]["sex"]) == ("error", "", "M")
    assert lines[2]["message"].startswith("Ngày sinh: Ngày không tồn tại: 31/02/2016")


def test_a_failure_during_the_commit_stores_nothing(tree, officer, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(commit_module, "CHUNK", 1)  # several batches are written before the failure

    def fail(self: object, created: object) -> None:
        if Child.objects.count() >= 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(commit_module.Writer, "_write_circumstances", fail)
    job = import_validate(job_create(actor=officer, unit=tree.commune, original_name="f.xlsx",
                                     path=write_xlsx(tmp_path / "f.xlsx", FAMILY)))  # fmt: skip
    with pytest.raises(RuntimeError):
        import_commit(job, actor=officer)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message
    assert Child.objects.count() == Household.objects.count() == Person.objects.count() == 0
    assert Child.history.count() == 0


def test_mapping_choices_are_remembered_for_the_commune(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    header = ["Tên bé", "Ngày sinh", "Giới tính"]
    path = write_xlsx(tmp_path / "m.xlsx", [["Sùng Thị Sua", "02/05/2013", "Nữ"]], header)
    job = job_create(actor=officer, unit=tree.commune, path=path, original_name="m.xlsx")
    assert job.mapping == {"1": "date_of_birth", "2": "sex"}
    with pytest.raises(ValidationError):
        import_validate(job)  # the name column is not mapped
    job_set_mapping(actor=officer, job=job, mapping={0: "full_name", 1: "date_of_birth", 2: "sex"})
    assert ColumnMapping.objects.filter(unit=tree.commune, header_key="ten be", field="full_name").exists()
    again = job_create(actor=officer, unit=tree.commune, path=path, original_name="m.xlsx")
    assert again.mapping == {"0": "full_name", "1": "date_of_birth", "2": "sex"}
    assert import_validate(again).counts == {"ok": 1}


def test_only_officers_in_scope_import_and_only_into_a_commune(tree, make_user, tmp_path: Path) -> None:  # noqa: ANN001
    path = write_xlsx(tmp_path / "s.xlsx", FAMILY)
    outsider = make_user(roles.COMMUNE_OFFICER, tree.sibling)
    with pytest.raises(PermissionDenied):
        job_create(actor=outsider, unit=tree.commune, path=path, original_name="s.xlsx")
    with pytest.raises(ValidationError):
        job_create(actor=None, unit=tree.province, path=path, original_name="s.xlsx")
    assert not ImportJob.objects.exists()
