"""Corrections of the official unit list: dated, with their document, applied by an administrator, kept by
`treem units load`, and undone for past dates by the code table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from treem.accounts.tests.helpers import login
from treem.audit.models import Action, AuditEvent
from treem.matching.models import MatchRun
from treem.registry.models import Household
from treem.units import source
from treem.units.models import CorrectionKind, Level, Structure, Unit, UnitCorrection
from treem.units.selectors import code_table_on, unit_code_on, unit_name_on
from treem.units.services import CorrectionError, correction_record, corrections_apply, unit_correct, units_load
from treem.units.tests.factories import build_tree

DOC = "QĐ 19/2025/QĐ-TTg (sửa đổi)"
JULY = dt.date(2025, 7, 1)
AUGUST = dt.date(2025, 8, 15)


def _correct(unit: Unit, kind: str, value: str, on: dt.date = AUGUST) -> UnitCorrection:
    return unit_correct(unit=unit, kind=kind, new_value=value, effective_date=on, source_document=DOC)


@pytest.mark.django_db
def test_a_new_code_keeps_the_path_and_answers_the_old_code_before_its_date() -> None:
    t = build_tree()
    path = t.commune.path
    c = _correct(t.commune, CorrectionKind.RECODE, "03431")
    t.commune.refresh_from_db()
    assert (t.commune.code, t.commune.path) == ("03431", path)  # stored paths of records stay valid
    assert (c.old_value, c.new_value, c.source_document, c.is_applied) == ("03430", "03431", DOC, True)
    assert unit_code_on(t.commune, JULY) == "03430"
    assert unit_code_on(t.commune, AUGUST) == "03431"
    assert code_table_on(JULY)[t.commune.pk].code == "03430"
    assert code_table_on(AUGUST)[t.commune.pk].code == "03431"


@pytest.mark.django_db
def test_code_table_on_a_date_undoes_later_renames_recodes_and_moves() -> None:
    t = build_tree()
    _correct(t.province, CorrectionKind.RECODE, "13", dt.date(2025, 9, 1))
    _correct(t.sibling, CorrectionKind.RENAME, "xã  Ba Chẽ", dt.date(2025, 8, 1))
    _correct(t.sibling, CorrectionKind.REPARENT, "75", dt.date(2025, 10, 1))
    t.sibling.refresh_from_db()
    assert (t.sibling.name, t.sibling.short_name, t.sibling.unit_type) == ("Xã Ba Chẽ", "Ba Chẽ", "Xã")
    assert unit_name_on(t.sibling, JULY) == "Xã Bình Lư"
    july, august, september, october = (code_table_on(dt.date(2025, m, 15)) for m in (7, 8, 9, 10))
    row = t.sibling.pk
    assert (july[row].name, july[row].parent_code) == ("Xã Bình Lư", "12")
    assert (august[row].name, august[row].parent_code) == ("Xã Ba Chẽ", "12")
    assert september[row].parent_code == "13"  # the province's new code, before the move
    assert october[row].parent_code == "75"
    assert village_free(july)


def village_free(table: dict[int, object]) -> bool:
    return not Unit.objects.filter(pk__in=table, is_local=True).exists()


@pytest.mark.django_db
def test_a_new_parent_moves_the_subtree_and_the_records_stored_under_it() -> None:
    t = build_tree()
    old = t.commune.path
    event = AuditEvent.objects.create(
        unit_path=t.village.path, action=Action.VIEW, target_type="child", target_id="1", actor_name="x"
    )
    logged_at = event.unit_path
    run = MatchRun.objects.create(unit=t.commune, unit_path=t.village.path)  # any record stored under the unit
    household = Household.objects.create(commune=t.commune, village=t.village, unit_path=t.village.path)
    _correct(t.commune, CorrectionKind.REPARENT, "75")
    t.commune.refresh_from_db()
    t.village.refresh_from_db()
    assert t.commune.parent == t.other_province
    assert t.commune.path == f"{t.other_province.path}03430."
    assert t.village.path.startswith(t.commune.path)
    assert t.village.full_path == "Tỉnh Đồng Nai > Xã Khun Há > Bản Hon"
    assert MatchRun.objects.get(pk=run.pk).unit_path == t.village.path
    assert AuditEvent.objects.get(pk=event.pk).unit_path == logged_at  # the append-only log is never rewritten
    assert Household.objects.get(pk=household.pk).unit_path == t.village.path
    assert household.history.get().unit_path == logged_at  # a history row keeps the place it recorded
    assert not Unit.objects.filter(path__startswith=old).exists()


@pytest.mark.django_db
def test_two_units_can_exchange_codes_in_one_apply() -> None:
    t = build_tree()
    a = correction_record(unit=t.commune, kind=CorrectionKind.RECODE, new_value="03412", effective_date=AUGUST,
                          source_document=DOC)  # fmt: skip
    b = correction_record(unit=t.sibling, kind=CorrectionKind.RECODE, new_value="03430", effective_date=AUGUST,
                          source_document=DOC)  # fmt: skip
    with pytest.raises(CorrectionError):  # alone, the code is taken
        corrections_apply(corrections=[a])
    corrections_apply(corrections=[a, b])
    t.commune.refresh_from_db()
    t.sibling.refresh_from_db()
    assert (t.commune.code, t.sibling.code) == ("03412", "03430")


@pytest.mark.django_db
def test_apply_refuses_stale_future_and_repeated_corrections() -> None:
    t = build_tree()
    stale = correction_record(unit=t.commune, kind=CorrectionKind.RENAME, new_value="Xã A", effective_date=AUGUST,
                              source_document=DOC)  # fmt: skip
    _correct(t.commune, CorrectionKind.RENAME, "Xã B")
    with pytest.raises(CorrectionError, match="Xã Khun Há.*Xã B"):  # expected, found
        corrections_apply(corrections=[stale])
    future = correction_record(unit=t.commune, kind=CorrectionKind.RECODE, new_value="09999",
                               effective_date=dt.date.today() + dt.timedelta(days=2), source_document=DOC)  # fmt: skip
    with pytest.raises(CorrectionError):
        corrections_apply(corrections=[future])
    done = UnitCorrection.objects.applied().get()
    with pytest.raises(CorrectionError):
        corrections_apply(corrections=[done])
    with pytest.raises(CorrectionError):  # no document, no correction
        correction_record(unit=t.commune, kind=CorrectionKind.RENAME, new_value="Xã C", effective_date=AUGUST,
                          source_document="  ")  # fmt: skip
    with pytest.raises(CorrectionError):  # local villages are not in the official list
        correction_record(unit=t.village, kind=CorrectionKind.RENAME, new_value="Bản C", effective_date=AUGUST,
                          source_document=DOC)  # fmt: skip


@pytest.mark.django_db
def test_correct_command_records_and_applies(capsys: pytest.CaptureFixture[str]) -> None:
    t = build_tree()
    call_command("units", "correct", "03430", "--recode", "03431", "--effective", "2025-08-15", "--source", DOC)
    line = capsys.readouterr().out.strip()
    assert line.startswith("recode\t03430\t03431\t15/08/2025\t" + DOC)
    c = UnitCorrection.objects.get()
    assert c.is_applied and c.recorded_by_name.endswith("(command line)")
    call_command("units", "correct", "03431", "--rename", "Xã Ba Chẽ", "--effective", "2025-08-20", "--source", DOC)
    t.commune.refresh_from_db()
    assert (t.commune.code, t.commune.name) == ("03431", "Xã Ba Chẽ")
    with pytest.raises(CommandError, match="no current unit"):
        call_command("units", "correct", "03430", "--parent", "75", "--effective", "2025-08-15", "--source", DOC)
    with pytest.raises(CommandError):
        call_command("units", "correct", "03431", "--parent", "03412", "--effective", "2025-08-15", "--source", DOC)


@pytest.mark.django_db
def test_admin_records_a_correction_and_applies_it_with_the_action(client) -> None:  # noqa: ANN001
    t = build_tree()
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-unused-1")
    login(client, admin)
    add = reverse("admin:units_unitcorrection_add")
    form = {"unit": t.commune.pk, "kind": "rename", "new_value": "Xã Ba Chẽ", "effective_date": "2025-08-15",
            "source_document": DOC}  # fmt: skip
    assert client.post(add, form).status_code == 302
    c = UnitCorrection.objects.get()
    assert (c.old_value, c.recorded_by, c.is_applied) == ("Xã Khun Há", admin, False)
    assert client.post(add, {**form, "new_value": "Xã Khun Há"}).status_code == 200  # nothing to correct
    changelist = reverse("admin:units_unitcorrection_changelist")
    client.post(changelist, {"action": "apply_corrections", "_selected_action": [c.pk]})
    c.refresh_from_db()
    t.commune.refresh_from_db()
    assert (c.is_applied, c.applied_by, t.commune.name) == (True, admin, "Xã Ba Chẽ")


# --- The loader keeps corrections -----------------------------------------------------------------------------


def _records() -> Iterator[source.UnitRecord]:
    c = Structure.CURRENT
    yield source.UnitRecord(c, Level.NATION, "VN", "Việt Nam", "Việt Nam", "Quốc gia", None)
    yield source.UnitRecord(c, Level.PROVINCE, "22", "Tỉnh Quảng Ninh", "Quảng Ninh", "Tỉnh", "VN")
    yield source.UnitRecord(c, Level.PROVINCE, "24", "Tỉnh Bắc Ninh", "Bắc Ninh", "Tỉnh", "VN")
    yield source.UnitRecord(c, Level.COMMUNE, "07150", "Xã Ba Che", "Ba Che", "Xã", "22")
    yield source.UnitRecord(c, Level.COMMUNE, "07160", "Xã Lương Minh", "Lương Minh", "Xã", "22")
    yield source.UnitRecord(c, Level.COMMUNE, "07170", "Xã Đồn Đạc", "Đồn Đạc", "Xã", "22")


def _former() -> Iterator[source.UnitRecord]:
    f = Structure.FORMER
    yield source.UnitRecord(f, Level.PROVINCE, "22", "Tỉnh Quảng Ninh", "Quảng Ninh", "Tỉnh", None)
    yield source.UnitRecord(f, Level.DISTRICT, "202", "Huyện Ba Chẽ", "Ba Chẽ", "Huyện", "22")
    yield source.UnitRecord(f, Level.COMMUNE, "07153", "Thị trấn Ba Chẽ", "Ba Chẽ", "Thị trấn", "202")


def _successions() -> Iterator[source.SuccessionRecord]:
    yield source.SuccessionRecord("07153", "07150", False, True)


@pytest.fixture
def small_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "current_units", _records)
    monkeypatch.setattr(source, "former_units", _former)
    monkeypatch.setattr(source, "successions", _successions)


@pytest.mark.django_db
def test_reloading_never_undoes_a_correction(small_source: None) -> None:
    units_load()
    ba_che = Unit.objects.get(structure=Structure.CURRENT, code="07150")
    _correct(ba_che, CorrectionKind.RENAME, "Xã Ba Chẽ")
    _correct(ba_che, CorrectionKind.RECODE, "07151")
    _correct(ba_che, CorrectionKind.REPARENT, "24")
    # Two communes exchanging codes, as the two packages disagree on.
    luong, don = (Unit.objects.get(structure=Structure.CURRENT, code=c) for c in ("07160", "07170"))
    corrections_apply(corrections=[
        correction_record(unit=luong, kind="recode", new_value="07170", effective_date=JULY, source_document=DOC),
        correction_record(unit=don, kind="recode", new_value="07160", effective_date=JULY, source_document=DOC),
    ])  # fmt: skip
    before = list(Unit.objects.values_list("pk", "code", "name", "parent_id", "path", "full_path"))
    again = units_load()
    assert (again.created, again.updated, again.successions_created, again.successions_removed) == (0, 0, 0, 0)
    assert list(Unit.objects.values_list("pk", "code", "name", "parent_id", "path", "full_path")) == before
    ba_che.refresh_from_db()
    assert (ba_che.code, ba_che.name, ba_che.parent.code) == ("07151", "Xã Ba Chẽ", "24")
    assert ba_che.predecessors.get().former.name == "Thị trấn Ba Chẽ"
    assert Unit.objects.get(pk=luong.pk).code == "07170"
    assert Unit.objects.get(pk=don.pk).code == "07160"
