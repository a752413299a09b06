"""The server killed with SIGKILL in the middle of a merge leaves both children as they were; after a restart the
same merge goes through.

A real `treem serve` against a database of its own (treem.core.tests.faults). The officer confirms the merge of a
duplicate pair on the pair's page; the server process kills itself right after the merge's record was inserted,
the last write of the merge's transaction: by then the other child's guardianships and circumstance were moved to
the survivor, the other child marked merged into it, both histories and the audit row written.
"""

from __future__ import annotations

from pathlib import Path

from treem.audit.models import AuditEvent
from treem.core.tests.faults import COMMUNE_OFFICER, HOUSEHOLD, SESSION_OF, Database, Harness, Server, fault_database
from treem.matching.models import MatchCandidate, Merge
from treem.registry.models import Child, Circumstance, Guardianship

__all__ = ["fault_database"]

SETUP = (
    SESSION_OF
    + COMMUNE_OFFICER
    + HOUSEHOLD
    + """
from treem.matching import runs
from treem.matching.models import MatchCandidate, MatchRun
from treem.registry.models import CircumstanceType
child = registry.child_register(
    actor=officer, household=household,
    data=registry.ChildInput(full_name="Sùng Thị Sua", sex="F", date_of_birth=dt.date(2013, 5, 2), ethnicity="Mông",
                             personal_id="012313000123"),
    guardians=[registry.GuardianInput("Sùng A Páo", "father"), registry.GuardianInput("Vàng Thị Mỷ", "mother")],
)
twice = registry.child_register(
    actor=officer, household=household,
    data=registry.ChildInput(full_name="Sung Thi Sua", sex="F", date_of_birth=dt.date(2013, 5, 2), ethnicity=""),
    guardians=[registry.GuardianInput("Sung A Pao", "father"), registry.GuardianInput("Sùng A Chứ", "grandparent")],
)
special = CircumstanceType.objects.get(kind="special", code="h")
registry.circumstance_add(actor=officer, child=twice, type=special, valid_from=dt.date(2024, 3, 1))
runs.execute_run(MatchRun.objects.create(unit=tree.commune, unit_path=tree.commune.path))
candidate = MatchCandidate.objects.get()
OUT = {"candidate": candidate.pk, "child": child.pk, "twice": twice.pk, "session": session_of(officer)}
"""
)
CHILDREN = Child._meta.db_table
AUDIT = AuditEvent._meta.db_table
MERGES = Merge._meta.db_table


def state(database: Database, a: int, b: int) -> dict[str, object]:
    """Both children and every row that a merge moves or writes."""
    both = f"{a}, {b}"
    return {
        "children": database.query(
            f"SELECT id, full_name, personal_id, ethnicity, merged_into_id FROM {CHILDREN} WHERE id IN ({both}) ORDER BY id"  # noqa: S608, E501
        ),
        "guardianships": database.query(
            f"SELECT id, child_id FROM {Guardianship._meta.db_table} ORDER BY id"  # noqa: S608
        ),
        "circumstances": database.query(
            f"SELECT id, child_id FROM {Circumstance._meta.db_table} ORDER BY id"  # noqa: S608
        ),
        "candidate": database.query(f"SELECT status, decided_at FROM {MatchCandidate._meta.db_table}"),  # noqa: S608
        "merges": database.count(MERGES),
        "history": database.count(Child.history.model._meta.db_table),
        "audit": database.count(AUDIT),
    }


def test_kill_during_merge_leaves_both_children_as_they_were(fault_database: Database, tmp_path: Path) -> None:
    harness = Harness(fault_database, tmp_path, fault_sql=rf'^INSERT INTO "{MERGES}"')
    made = harness.python(SETUP)
    child, twice, session = made["child"], made["twice"], made["session"]
    before = state(fault_database, child, twice)
    assert [row[1] for row in before["circumstances"]] == [twice]
    assert twice in [row[1] for row in before["guardianships"]]
    url = f"/matching/pairs/{made['candidate']}/"
    keep = "a" if fault_database.scalar(f"SELECT child_a_id FROM {MatchCandidate._meta.db_table}") == child else "b"  # noqa: S608
    confirm = {"decision": "merged", "keep": keep, "confirmed": "1"}
    with Server(harness) as server:
        assert server.get(url, session)[0] == 200
        harness.arm()
        try:
            server.post(url, confirm, session)
        except OSError:
            pass  # the connection dropped with the process: expected
        else:
            raise AssertionError("the server answered; the fault did not fire: " + harness.log("server.log"))
        assert harness.fired, "the server process was not killed at the merge's record"
    fault_database.settle()
    assert state(fault_database, child, twice) == before  # nothing half-moved, not merged, no record of it

    harness.disarm()
    with Server(harness) as server:  # the server started again: the same merge succeeds
        status, _body = server.post(url, confirm, session)
        assert status == 302, harness.log("server.log")
    after = state(fault_database, child, twice)
    assert after["merges"] == 1
    assert [row[4] for row in after["children"]] == [None, child]  # the second entry merged into the first
    assert [row[1] for row in after["circumstances"]] == [child]
    moved = {row[0] for row in before["guardianships"] if row[1] == twice} - {
        row[0] for row in after["guardianships"] if row[1] == twice
    }
    assert moved and all(row[1] == child for row in after["guardianships"] if row[0] in moved)  # the grandparent
    assert after["candidate"][0][0] == "merged"
