"""Completeness and timeliness of a cycle, the `treem reports status` contract, reminders sent once, the inbox."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from treem.reporting import reminders, selectors, services
from treem.reporting.models import NoticeKind, ReportNotice
from treem.reporting.tests.conftest import at as _at
from treem.reporting.tests.conftest import submit_on as _submit_on

pytestmark = pytest.mark.django_db


def test_completeness_counts(tree, cycle, progress, third) -> None:  # noqa: ANN001
    data = selectors.completeness(cycle, tree.province)
    by_code = {r.unit.code: r for r in data.rows}
    assert (by_code["03430"].status, by_code["03430"].timeliness) == ("approved", "on_time")
    assert (by_code["03412"].status, by_code["03412"].timeliness) == ("submitted", "late")
    assert (by_code["03433"].status, by_code["03433"].timeliness) == ("missing", "missing")
    t = data.totals
    assert (t.total, t.submitted, t.approved, t.late, t.missing, t.on_time) == (3, 2, 1, 1, 1, 1)
    assert [b.text for b in data.chart.bars] == ["1", "1", "0", "1", "1", "1"]


def test_a_returned_report_keeps_its_first_submission_for_timeliness(
    tree, cycle, progress, sibling_officer, province_officer
) -> None:  # noqa: ANN001
    _a, b = progress
    services.return_report(report=b, actor=province_officer, comment="Bổ sung")
    row = next(r for r in selectors.status_rows(cycle, tree.province) if r.unit == tree.sibling)
    assert (row.status, row.timeliness, row.submitted_at) == ("returned", "late", b.first_submitted_at)


def test_the_status_command_prints_the_contract(tree, cycle, progress, third) -> None:  # noqa: ANN001
    out = StringIO()
    call_command("reports", "status", "--cycle", "2025S1", "--unit", "12", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        "03412\tXã Bình Lư\tsubmitted\t2025-05-11T08:00:00+07:00\tlate",  # in Vietnam time
        "03430\tXã Khun Há\tapproved\t2025-05-10T23:00:00+07:00\ton_time",
        "03433\tXã Mường Tè\tmissing\t\tmissing",
        "total 3 submitted 2 approved 1 late 1 missing 1",
    ]
    for line in lines[:-1]:
        code, _name, status, at, timeliness = line.split("\t")
        assert status in {"draft", "submitted", "returned", "approved", "missing"}
        assert timeliness in {"on_time", "late", "missing"}
        assert at == "" or dt.datetime.fromisoformat(at)


def test_reminder_starts_counts_working_days_back() -> None:
    assert reminders.reminder_starts(dt.date(2025, 5, 10), 5) == dt.date(2025, 5, 5)  # a Saturday: Mon–Fri before
    # Tue 06/05/2025: Mon 05/05; 02/05 a day off (swapped for Sat 26/04, worked); 30/04 and 01/05 public holidays
    assert reminders.reminder_starts(dt.date(2025, 5, 6), 5) == dt.date(2025, 4, 25)
    assert reminders.reminder_starts(dt.date(2025, 11, 10), 3) == dt.date(2025, 11, 5)


def test_reminders_and_missed_notices_are_sent_once(
    tree, cycle, officer, sibling_officer, province_officer, settings
) -> None:  # noqa: ANN001
    officer.email, sibling_officer.email, province_officer.email = "kh@example.vn", "bl@example.vn", "t@example.vn"
    for u in (officer, sibling_officer, province_officer):
        u.save(update_fields=["email"])
    a = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    assert reminders.remind(today=dt.date(2025, 4, 20)) == []  # too early
    sent = reminders.remind(today=dt.date(2025, 5, 6))
    assert {(s.notice.unit, s.notice.kind) for s in sent} == {
        (tree.commune, NoticeKind.REMINDER), (tree.sibling, NoticeKind.REMINDER),
    }  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == ["bl@example.vn", "kh@example.vn"]
    assert reminders.remind(today=dt.date(2025, 5, 7)) == []  # each notice once
    _submit_on(a, officer, _at(dt.date(2025, 5, 9)))
    sent = reminders.remind(today=dt.date(2025, 5, 12))
    assert [(s.notice.unit, s.notice.kind) for s in sent] == [(tree.sibling, NoticeKind.MISSED)]
    assert sorted(sent[0].recipients) == ["bl@example.vn", "t@example.vn"]  # the reviewers above are told too
    # the province's own report is due on 20/05: reminded 5 working days before
    assert reminders.remind(today=dt.date(2025, 5, 12)) == []
    sent = reminders.remind(today=dt.date(2025, 5, 13))
    assert [(s.notice.unit, s.notice.kind, s.recipients) for s in sent] == [
        (tree.province, NoticeKind.REMINDER, ["t@example.vn"])
    ]
    out = StringIO()
    call_command("reports", "remind", "--today", "2025-05-14", stderr=out)
    assert out.getvalue().startswith("0 notices")
    assert ReportNotice.objects.count() == 4 and len(mail.outbox) == 4


def test_the_inbox_counts_reports_due_and_to_review(tree, officer, sibling_officer, province_officer, cycle) -> None:  # noqa: ANN001
    n = selectors.inbox_counts(officer, today=dt.date(2025, 5, 6))
    assert (n.due_soon, n.overdue, n.to_review) == (1, 0, 0)
    assert selectors.inbox_counts(officer, today=dt.date(2025, 4, 1)).due_soon == 0
    assert selectors.inbox_counts(officer, today=dt.date(2025, 5, 11)).overdue == 1
    report = services.start_report(cycle=cycle, unit=tree.sibling, actor=sibling_officer)
    _submit_on(report, sibling_officer, _at(dt.date(2025, 5, 9)))
    assert selectors.inbox_counts(province_officer, today=dt.date(2025, 5, 12)).to_review == 1
    assert selectors.inbox_counts(sibling_officer, today=dt.date(2025, 5, 12)).overdue == 0
    services.return_report(report=report, actor=province_officer, comment="Bổ sung")
    n = selectors.inbox_counts(sibling_officer, today=dt.date(2025, 5, 12))
    assert (n.returned, n.overdue) == (1, 0)  # submitted once: back for correction, not missing
    assert selectors.inbox_counts(province_officer, today=dt.date(2025, 5, 12)).to_review == 0


def test_the_home_page_inbox_has_the_reports_block(tree, officer, province_officer, cycle) -> None:  # noqa: ANN001
    from treem.ui.selectors import inbox

    box = inbox(officer)
    keys = {i.key for b in box.blocks if b.key == "reports" for i in b.items}
    assert keys == {"reports_overdue", "reports_due_soon", "reports_returned"}  # an officer reviews nothing
    assert box.count("reports_overdue") == 1  # 2025S1 was due on 10/05/2025
    assert inbox(province_officer).count("reports_to_review") == 0


def test_without_a_mail_server_the_notice_stays_in_the_inbox(tree, cycle, officer, settings) -> None:  # noqa: ANN001
    del settings.MAILERS
    officer.email = "kh@example.vn"
    officer.save(update_fields=["email"])
    sent = reminders.remind(today=dt.date(2025, 5, 6))
    assert [s.notice.unit for s in sent] == [tree.commune] and mail.outbox == []
    assert selectors.inbox_counts(officer, today=dt.date(2025, 5, 6)).due_soon == 1


def test_the_open_command_opens_a_cycle_once(report_types) -> None:  # noqa: ANN001
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("reports", "open", "--type", "annual", "--period", "2025", stdout=out)
    assert out.getvalue().strip() == "2025: Báo cáo công tác trẻ em năm (commune 2025-11-10, province 2025-11-25)"
    with pytest.raises(CommandError):
        call_command("reports", "open", "--type", "annual", "--period", "2025")
    with pytest.raises(CommandError):
        call_command("reports", "status", "--cycle", "2031S1", "--unit", "12")


def test_a_concurrent_run_past_the_check_does_not_send_twice(tree, cycle, officer) -> None:  # noqa: ANN001
    officer.email = "kh@example.vn"
    officer.save(update_fields=["email"])
    deadline = cycle.deadline_for(tree.commune.level)
    first = reminders._send(NoticeKind.REMINDER, cycle, tree.commune, deadline)
    again = reminders._send(NoticeKind.REMINDER, cycle, tree.commune, deadline)  # the unique key refuses it
    assert first is not None and again is None
    assert ReportNotice.objects.filter(unit=tree.commune).count() == 1 and len(mail.outbox) == 1


def test_the_inbox_counts_reports_on_the_day_it_is_asked_for(tree, officer, cycle) -> None:  # noqa: ANN001
    from treem.ui.selectors import inbox

    box = inbox(officer, now=_at(dt.date(2025, 5, 6)))  # inside the reminder lead of the 10/05/2025 deadline
    assert (box.count("reports_due_soon"), box.count("reports_overdue")) == (1, 0)
