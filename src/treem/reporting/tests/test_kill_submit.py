"""The server killed with SIGKILL in the middle of a report's submission leaves the report as it was; after a restart
the same submission goes through.

A real `treem serve` against a database of its own (treem.core.tests.faults); its process kills itself right after
the submission's audit row was written, inside the submission's transaction (the report already marked submitted,
its step written), before the commit.
"""

from __future__ import annotations

from pathlib import Path

from treem.audit.models import AuditEvent
from treem.core.tests.faults import COMMUNE_OFFICER, SESSION_OF, Database, Harness, Server, fault_database
from treem.reporting.models import Report, ReportStep

__all__ = ["fault_database"]

SETUP = (
    SESSION_OF
    + COMMUNE_OFFICER
    + """
from treem.reporting import services
from treem.reporting.definitions import sync
from treem.reporting.models import ReportType

sync()
cycle = services.open_cycle(report_type=ReportType.objects.get(code="six_month"), period="2025S1")
report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
codes = [s["code"] for s in report.cycle.report_type.sections()]
services.save_text(report=report, actor=officer, narratives={c: f"Nội dung {c}" for c in codes})
OUT = {"report": report.pk, "session": session_of(officer)}
"""
)
AUDIT = AuditEvent._meta.db_table
STEPS = ReportStep._meta.db_table
REPORTS = Report._meta.db_table


def state(database: Database, pk: int) -> tuple[object, ...]:
    columns = "status, submitted_at, first_submitted_at, added_sections"
    report = database.query(f"SELECT {columns} FROM {REPORTS} WHERE id = {pk}")  # noqa: S608
    steps = database.count(STEPS, f"report_id = {pk}")
    audit = database.count(AUDIT)
    return (*report[0], steps, audit)


def test_kill_during_submission_leaves_the_report_unsubmitted(fault_database: Database, tmp_path: Path) -> None:
    harness = Harness(fault_database, tmp_path, fault_sql=rf'^INSERT INTO "{AUDIT}"')
    made = harness.python(SETUP)
    pk, session = made["report"], made["session"]
    before = state(fault_database, pk)
    assert before[0] == "draft"
    with Server(harness) as server:
        assert server.get(f"/reports/{pk}/", session)[0] == 200
        harness.arm()
        try:
            server.post(f"/reports/{pk}/submit/", {}, session)
        except OSError:
            pass  # the connection dropped with the process: expected
        else:
            raise AssertionError("the server answered; the fault did not fire: " + harness.log("server.log"))
        assert harness.fired, "the server process was not killed at the audit write"
    fault_database.settle()
    assert state(fault_database, pk) == before  # not submitted, no step, no audit row: nothing of the transaction

    harness.disarm()
    with Server(harness) as server:  # the server started again: the same submission succeeds
        status, _body = server.post(f"/reports/{pk}/submit/", {}, session)
        assert status == 302, harness.log("server.log")
    after = state(fault_database, pk)
    assert after[0] == "submitted" and after[1] is not None
    assert after[-2:] == (before[-2] + 1, before[-1] + 1)  # one step, one audit row
    assert fault_database.count(STEPS, f"report_id = {pk} AND action = 'submitted'") == 1
