"""The exchange between two Treem databases in one run: the test database (here) and a peer, a second database
migrated for the session (an in-memory SQLite), the peer's API answering through Django's test client while the
peer's connection stands in for the default one. Create, update, delete as a status, idempotent re-runs, and
conflicts listed, never silently overwritten."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.db.utils import ConnectionHandler
from django.test import Client

from treem.accounts import roles
from treem.accounts.models import Role
from treem.accounts.roles import roles_sync
from treem.accounts.tests.factories import UserFactory
from treem.api.models import SyncLink
from treem.api.sync import SyncError, pull, push
from treem.api.tokens import token_create
from treem.indicators.tests.helpers import enter_injuries_by_hand
from treem.registry import services
from treem.registry.models import Child, Circumstance, CircumstanceType, Household
from treem.units.tests.factories import build_tree

pytestmark = pytest.mark.django_db
REMOTE = "https://tinh.example.vn"
PEER = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})["default"]


@contextlib.contextmanager
def on_peer() -> Iterator[None]:
    """Everything inside reads and writes the peer's database."""
    default = connections["default"]
    connections["default"] = PEER
    try:
        yield
    finally:
        connections["default"] = default


@pytest.fixture(scope="session")
def peer_database(django_db_blocker) -> None:  # noqa: ANN001
    with django_db_blocker.unblock(), on_peer():
        call_command("migrate", verbosity=0, interactive=False)


@pytest.fixture
def peer(peer_database) -> Iterator[SimpleNamespace]:  # noqa: ANN001
    """The peer's data for one test, rolled back after it like the test database's."""
    with on_peer():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield _peer_data()
    finally:
        with on_peer():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _peer_data() -> SimpleNamespace:
    with on_peer():
        roles_sync()
        tree = build_tree()
        officer = UserFactory(role=Role.objects.get(code=roles.COMMUNE_OFFICER), unit=tree.commune)
        for n in range(3):  # the peer's ids differ from ours
            h = services.household_create(actor=officer, commune=tree.commune, head_name=f"Hộ có sẵn {n}")
        services.child_register(
            actor=officer, household=h, data=services.ChildInput(full_name="Trẻ có sẵn", sex="M"),
        )  # fmt: skip
        token = token_create(user=officer, days=1).clear
    return SimpleNamespace(tree=tree, officer=officer, token=token)


@pytest.fixture
def send(peer):  # noqa: ANN001, ANN201
    def call(method: str, path: str, params: dict | None, body: dict | None) -> tuple[int, object]:
        with on_peer():
            client = Client(headers={"Authorization": f"Bearer {peer.token}"})
            if method == "GET":
                response = client.get(f"/api{path}", params or {})
            else:
                response = client.post(f"/api{path}", json.dumps(body), content_type="application/json")
            return response.status_code, response.json()

    return call


@pytest.fixture
def here(tree, officer) -> SimpleNamespace:  # noqa: ANN001
    household = services.household_create(
        actor=officer, commune=tree.commune, village=tree.village, head_name="Giàng A Chư", code="HH-9"
    )
    child = services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name="Giàng Thị Mai", sex="F", date_of_birth=dt.date(2015, 3, 4)),
    )  # fmt: skip
    group = CircumstanceType.objects.get(kind="special", code="a")
    services.circumstance_add(actor=officer, child=child, type=group, valid_from=dt.date(2024, 1, 1), source="UBND")
    return SimpleNamespace(household=household, child=child)


def peer_child(name: str = "Giàng Thị Mai") -> Child:
    with on_peer():
        return Child.objects.select_related("household", "village").get(full_name=name)


def test_push_creates_then_sends_nothing_new(here, send, peer) -> None:  # noqa: ANN001
    report = push(remote=REMOTE, send=send)
    assert dict(report.counts) == {"household created": 1, "child created": 1, "circumstance created": 1}
    assert not report.conflicts and not report.rejected
    copy = peer_child()
    with on_peer():
        assert copy.household.head_name == "Giàng A Chư"
        assert copy.village.code == here.child.village.code
        assert (copy.pk, copy.household.pk) != (here.child.pk, here.household.pk)  # matched by links, not equal ids
        assert list(Circumstance.objects.filter(child=copy).values_list("type__code", "valid_from")) == [
            ("a", dt.date(2024, 1, 1))
        ]
    again = push(remote=REMOTE, send=send)
    assert dict(again.counts) == {}  # idempotent
    pulled = pull(remote=REMOTE, send=send, actor=here.child.created_by)
    assert dict(pulled.counts) == {"household created": 3, "child created": 1}  # the peer's own, not ours back
    assert Child.objects.filter(full_name="Giàng Thị Mai").count() == 1
    with on_peer():
        assert Household.objects.count() == 4


def test_an_update_there_is_pulled_and_not_pushed_back(here, send, peer, officer) -> None:  # noqa: ANN001
    push(remote=REMOTE, send=send)
    with on_peer():
        services.child_update(actor=peer.officer, child=peer_child(), school_status="primary")
    report = pull(remote=REMOTE, send=send, actor=officer)
    assert report.counts["child updated"] == 1
    here.child.refresh_from_db()
    assert here.child.school_status == "primary"
    assert dict(push(remote=REMOTE, send=send).counts) == {}  # not sent back
    assert dict(pull(remote=REMOTE, send=send, actor=officer).counts) == {}  # nor pulled twice


def test_records_made_there_are_pulled(send, peer, tree, officer) -> None:  # noqa: ANN001
    with on_peer():
        h = services.household_create(actor=peer.officer, commune=peer.tree.commune, head_name="Lò Văn Pọm")
        services.child_register(
            actor=peer.officer, household=h,
            data=services.ChildInput(full_name="Lò Thị Ên", sex="F", date_of_birth=dt.date(2016, 1, 2)),
        )  # fmt: skip
    report = pull(remote=REMOTE, send=send, actor=officer)
    assert report.counts["household created"] == 4  # three there before, and this one
    assert report.counts["child created"] == 2
    assert Child.objects.get(full_name="Lò Thị Ên").household.head_name == "Lò Văn Pọm"
    assert SyncLink.objects.filter(kind="child").count() == 2


def test_leaving_travels_as_a_status(here, send, peer, officer) -> None:  # noqa: ANN001
    push(remote=REMOTE, send=send)
    services.child_set_status(actor=officer, child=here.child, status="moved_away", on=dt.date(2026, 6, 1))
    report = push(remote=REMOTE, send=send)
    assert report.counts["child updated"] == 1
    assert not report.conflicts  # the interval ended the same way on both sides: no conflict
    copy = peer_child()
    assert (copy.status, copy.status_date) == ("moved_away", dt.date(2026, 6, 1))
    with on_peer():  # the interval ended with the child's presence, there as here
        assert Circumstance.objects.get(child=copy).valid_to == dt.date(2026, 6, 1)
        assert Child.objects.filter(pk=copy.pk).exists()  # nothing deleted


def test_a_record_changed_on_both_sides_is_a_conflict_both_ways(here, send, peer, officer) -> None:  # noqa: ANN001
    push(remote=REMOTE, send=send)
    with on_peer():
        services.child_update(actor=peer.officer, child=peer_child(), nutrition="stunted")
    services.child_update(actor=officer, child=here.child, nutrition="normal")
    pushed = push(remote=REMOTE, send=send)
    assert pushed.counts["child conflict"] == 1
    assert len(pushed.conflicts) == 1 and "child" in pushed.conflicts[0]
    assert peer_child().nutrition == "stunted"  # not overwritten there
    pulled = pull(remote=REMOTE, send=send, actor=officer)
    assert pulled.counts["child conflict"] == 1
    here.child.refresh_from_db()
    assert here.child.nutrition == "normal"  # nor here


def test_entered_figures_are_pushed_once(send, peer, tree, make_user) -> None:  # noqa: ANN001
    from treem.core.periods import Period
    from treem.indicators.entry import Cell, figures_enter
    from treem.indicators.models import DataValue

    enter_injuries_by_hand()
    with on_peer():
        enter_injuries_by_hand()
    reporter = make_user(roles.AGENCY_REPORTER, tree.commune)  # here; there the token's officer enters them
    figures_enter(actor=reporter, unit=tree.commune, period=Period.parse("2025S1"),
                  figures={"child_injuries": {"sex=M": Cell(value=6), "sex=F": Cell(value=1)}})  # fmt: skip
    report = push(remote=REMOTE, send=send)
    assert report.counts["figures sent"] == 1, report.lines()
    with on_peer():
        there = DataValue.objects.filter(
            unit__code=tree.commune.code, period="2025S1", indicator__code="child_injuries"
        )
        values = dict(there.values_list("disagg", "value"))
    assert values == {"": 7, "sex=M": 6, "sex=F": 1}
    assert "figures sent" not in push(remote=REMOTE, send=send).counts  # nothing new


def test_the_command_pushes_pulls_and_fetches_dhis2(send, peer, here, officer, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    import io

    from django.core.management import call_command

    from treem.api.management.commands import sync as command

    monkeypatch.setattr(command, "http_send", lambda remote, token: send)
    out = io.StringIO()
    call_command("sync", "push", "--remote", REMOTE, "--token", peer.token, stdout=out)
    assert "child created: 1" in out.getvalue()
    out = io.StringIO()
    call_command("sync", "pull", "--remote", REMOTE, "--token", peer.token, "--user", officer.username, stdout=out)
    assert "household created: 3" in out.getvalue()
    target = tmp_path / "tinh.json"
    out = io.StringIO()
    call_command("sync", "pull", "--remote", REMOTE, "--token", peer.token, "--dhis2", "2025", "--unit",
                 peer.tree.commune.code, "--out", str(target), stdout=out)  # fmt: skip
    assert json.loads(target.read_text(encoding="utf-8")) == {"dataValues": []}  # nothing computed there yet


def test_the_exchange_is_scoped_like_the_pages(here, client, make_user, tree) -> None:  # noqa: ANN001
    sibling = make_user(roles.COMMUNE_OFFICER, tree.sibling)
    headers = {"Authorization": f"Bearer {token_create(user=sibling, days=1).clear}"}
    assert client.get("/api/sync/children", headers=headers).json()["count"] == 0
    update = {"records": [{"ref": 1, "id": here.child.pk, "base": "", "full_name": "Đổi tên"}]}
    answer = client.post("/api/sync/children", update, content_type="application/json", headers=headers).json()
    assert answer["results"][0]["status"] == "rejected"  # out of scope: as if missing
    create = {"records": [{"ref": 2, "household": here.household.pk, "full_name": "Trẻ lạ", "sex": "F"}]}
    answer = client.post("/api/sync/children", create, content_type="application/json", headers=headers).json()
    assert answer["results"][0]["status"] == "rejected"  # a household out of scope is not found either
    here.child.refresh_from_db()
    assert here.child.full_name == "Giàng Thị Mai"
    assert not Child.objects.filter(full_name="Trẻ lạ").exists()
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    reader = {"Authorization": f"Bearer {token_create(user=specialist, days=1).clear}"}
    assert client.get("/api/sync/children", headers=reader).json()["count"] == 1  # reads its province
    assert client.post("/api/sync/children", update, content_type="application/json", headers=reader).status_code == 403


def test_figures_entered_there_are_pulled_and_a_double_entry_is_a_conflict(send, peer, tree, make_user) -> None:  # noqa: ANN001
    from treem.core.periods import Period
    from treem.indicators.entry import Cell, figures_enter
    from treem.indicators.models import DataValue

    def entered_here(period: str) -> dict[str, float]:
        qs = DataValue.objects.filter(unit=tree.commune, period=period, indicator__code="child_injuries")
        return dict(qs.values_list("disagg", "value"))

    enter_injuries_by_hand()
    with on_peer():
        enter_injuries_by_hand()
        for period, boys in (("2025S1", 4), ("2025S2", 5)):
            figures_enter(actor=peer.officer, unit=peer.tree.commune, period=Period.parse(period),
                          figures={"child_injuries": {"sex=M": Cell(value=boys)}})  # fmt: skip
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune)
    figures_enter(actor=officer, unit=tree.commune, period=Period.parse("2025S2"),
                  figures={"child_injuries": {"sex=M": Cell(value=9)}})  # fmt: skip
    report = pull(remote=REMOTE, send=send, actor=officer)
    assert report.counts["figures created"] == 1
    assert entered_here("2025S1") == {"": 4, "sex=M": 4}
    assert report.counts["figures conflict"] == 1  # 2025S2: 9 here, 5 there
    assert entered_here("2025S2") == {"": 9, "sex=M": 9}
    again = pull(remote=REMOTE, send=send, actor=officer)
    assert "figures created" not in again.counts and not again.conflicts  # nothing new there since


def cut_off_after(send, cut: str):  # noqa: ANN001, ANN201
    """`send`, whose connection is lost once the remote has answered a request to `cut` (the answer never read)."""

    def call(method: str, path: str, params: dict | None, body: dict | None) -> tuple[int, object]:
        answer = send(method, path, params, body)
        if path == cut:
            raise SyncError("connection lost")
        return answer

    return call


def test_a_push_cut_off_after_the_remote_created_does_not_duplicate_on_rerun(here, send, peer) -> None:  # noqa: ANN001
    """The remote created the records but the answer never came back (a crash, a dropped connection): the sender
    has no link and sends them again as new; the remote knows them by the sender's `ref` and makes no second one."""
    with pytest.raises(SyncError):
        push(remote=REMOTE, send=cut_off_after(send, "/sync/children"))
    assert not SyncLink.objects.filter(kind="child").exists()  # here, nothing knows the child was made there
    report = push(remote=REMOTE, send=send)
    assert not report.conflicts and not report.rejected, report.lines()
    with on_peer():
        assert Child.objects.filter(full_name="Giàng Thị Mai").count() == 1
        assert Circumstance.objects.filter(child__full_name="Giàng Thị Mai").count() == 1
    assert SyncLink.objects.filter(kind="child", local_id=here.child.pk).exists()  # linked now
    services.child_update(actor=here.child.created_by, child=here.child, nutrition="stunted")
    assert push(remote=REMOTE, send=send).counts["child updated"] == 1  # and updated through the link


def test_a_record_resent_as_new_after_a_change_there_is_a_conflict(here, send, peer) -> None:  # noqa: ANN001
    """Sent again without its id, but the copy there was changed since it was made: a conflict, not an overwrite."""
    with pytest.raises(SyncError):
        push(remote=REMOTE, send=cut_off_after(send, "/sync/children"))
    with on_peer():
        services.child_update(actor=peer.officer, child=peer_child(), nutrition="stunted")
    services.child_update(actor=here.child.created_by, child=here.child, nutrition="normal")
    report = push(remote=REMOTE, send=send)
    assert report.counts["child conflict"] == 1, report.lines()
    assert peer_child().nutrition == "stunted"
    with on_peer():
        assert Child.objects.filter(full_name="Giàng Thị Mai").count() == 1
