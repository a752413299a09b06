"""A commune's injury list imported through the ordinary import: rows matched to registered children (or proposed as
new children), the kinds, places and outcomes read from the words communes write, rows the registry cannot take
refused in the preview, a drowning death recorded once; the list imported again adds nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from treem.imports.services import import_commit
from treem.registry import services as registry
from treem.registry.models import Child, ChildStatus, Incident

from .test_special_circumstances import check, messages_of, run, workbook

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thôn", "Ngày bị tai nạn", "Loại tai nạn", "Nơi xảy ra",
          "Hậu quả"]  # fmt: skip
ROWS: list[list[Any]] = [
    [1, "Sùng Thị Sua", "02/05/2013", "Nữ", "Hon", "14/06/2025", "Đuối nước", "Suối", "Trạm y tế"],
    [2, "Lò Văn Tâm", "09/01/2015", "Nam", "Hon", dt.datetime(2025, 8, 3), "Tai nạn giao thông", "Đường",
     "Bệnh viện"],
    [3, "Vàng Thị Pà", "12/07/2015", "Nữ", "Hon", "20/07/2025", "bị ma nhập", "Nhà", "Tự chữa tại nhà"],
    [4, "Giàng A Chư", "01/01/2014", "Nam", "Hon", "05/07/2025", "Chó cắn", "Nương", ""],
    [5, "Thào A Tủa", "09/09/2012", "Nam", "Lầm", "21/07/2025", "chết đuối", "Ao", "Tử vong"],
    [6, "Lù Thị Dính", "03/03/2016", "Nữ", "Hon", "07/2025", "Bỏng", "", "Tại nhà"],
]  # fmt: skip


def test_the_injury_list_is_matched_and_recorded(tree, officer, child, tmp_path: Path) -> None:  # noqa: ANN001
    path = workbook(tmp_path / "tntt.xlsx", HEADER, ROWS)
    job = check(tree.commune, path, officer)
    fields = ["injury_date", "injury_kind", "injury_place", "injury_outcome"]
    assert [job.mapping[str(i)] for i in range(5, 9)] == fields
    assert job.counts["error"] == 2 and job.counts["update"] == 1  # Sua is registered: matched
    assert "Tai nạn: loại: Không đọc được loại tai nạn, thương tích 'bị ma nhập'" in messages_of(job, 6)
    assert "Tai nạn: hậu quả: Chưa ghi" in messages_of(job, 7)
    assert "Tai nạn: nơi xảy ra: Chưa ghi" in messages_of(job, 9)  # Dính: no place (other), only the month

    job = import_commit(job, actor=officer)
    assert (job.result["incidents_created"], job.result["children_created"]) == (4, 3)
    sua = Incident.objects.get(child=child)
    assert (sua.kind.code, sua.occurred_on, sua.place, sua.outcome) == (
        "drowning", dt.date(2025, 6, 14), "water", "health_station"
    )  # fmt: skip
    assert Incident.objects.get(child__full_name="Lò Văn Tâm").kind.code == "traffic"  # a new child, proposed
    assert Incident.objects.get(child__full_name="Lù Thị Dính").occurred_on == dt.date(2025, 7, 1)
    tua = Child.objects.get(full_name="Thào A Tủa")
    assert (tua.status, tua.status_date, tua.death_cause) == (ChildStatus.DECEASED, dt.date(2025, 7, 21), "injury")
    assert not tua.residences.filter(left_on=None).exists()
    version = sua.history.get()
    assert (version.history_user, version.history_change_reason) == (officer, f"Nhập từ tệp tntt.xlsx (#{job.pk})")

    again = run(tree.commune, workbook(tmp_path / "tntt2.xlsx", HEADER, ROWS), officer)
    assert again.result["incidents_kept"] == 4 and not again.result.get("incidents_created")
    assert Incident.objects.count() == 4
    assert Child.objects.filter(status=ChildStatus.DECEASED).count() == 1  # the death counts once


def test_a_row_the_registry_cannot_take_is_refused_in_the_preview(tree, officer, child, tmp_path: Path) -> None:  # noqa: ANN001
    registry.child_set_status(
        actor=officer, child=child, status=ChildStatus.DECEASED, on=dt.date(2025, 5, 1), death_cause="illness"
    )
    rows = [[1, "Sùng Thị Sua", "02/05/2013", "Nữ", "Hon", "14/06/2025", "Đuối nước", "Suối", "Tử vong"]]
    job = check(tree.commune, workbook(tmp_path / "late.xlsx", HEADER, rows), officer)
    assert job.counts["error"] == 1
    assert "Trẻ đã được ghi là mất trước ngày này" in messages_of(job, 4)
