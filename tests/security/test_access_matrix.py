"""The access matrix: every route of the URL conf (the API's included) × every standard role, at home and away
(own unit, the unit above a record, the sibling unit) × the record the URL names, GET only.

Expected, from `routes.ROUTES` and the scope rule (never from what the views answered before):
- signed out: the login page (302 to it; 401 from the API), or the page for a PUBLIC route;
- the role fails the route's capability gate: 403;
- the record is out of the user's scope (or its app's confidentiality rule hides it): 404, exactly like a record
  that does not exist (never 403, never 200);
- otherwise the page (2xx, or a redirect that is not to the login page).
A POST-only route answers a GET with 405 when the gate lets the user through, 403 otherwise.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from treem.units.models import Unit, unit_path_field

from .conftest import World, sign_in
from .routes import ADMIN_NAMESPACE, ALIASES, MISSING, PUBLIC, ROUTES, R

pytestmark = pytest.mark.django_db


def walk(resolver: URLResolver | None = None, ns: str = "", prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    """(namespaced name, route text, pattern) of every URL pattern, through every include."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from walk(p, inner, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield (f"{ns}:{p.name}" if ns else str(p.name)), prefix + str(p.pattern), p


def app_routes() -> list[str]:
    return sorted({name for name, route, _p in walk() if not route.startswith(f"{ADMIN_NAMESPACE}/")})


def admin_routes() -> list[tuple[str, str]]:
    return [(name, route) for name, route, _p in walk() if route.startswith(f"{ADMIN_NAMESPACE}/")]


def test_every_route_is_classified() -> None:
    """A route nobody classified is a route nobody checked: add it to `routes.ROUTES`."""
    unclassified = [name for name in app_routes() if name not in ROUTES]
    assert not unclassified, f"classify these routes in tests/security/routes.py: {unclassified}"
    stale = [name for name in ROUTES if name not in app_routes()]
    assert not stale, f"routes.ROUTES names routes the URL conf no longer has: {stale}"


# --- who sees a record: the unit scope rule, or the app's own confidentiality rule where it has one -------------


def _path(record: Any) -> str:
    if isinstance(record, Unit):
        return record.path
    field = unit_path_field(type(record))
    if hasattr(record, field):
        return getattr(record, field)
    for parent in ("child", "assessment", "report", "activity", "case", "task"):
        if hasattr(record, parent):
            return _path(getattr(record, parent))
    raise AssertionError(f"no unit for {record!r}")  # pragma: no cover


def in_unit_scope(user: Any, record: Any) -> bool:
    """The scope rule: the user's unit and everything below it; nothing sideways, nothing above (everything for a
    superuser without a unit, an administrator)."""
    if user.is_superuser and user.unit is None:
        return True
    return user.unit is not None and _path(record).startswith(user.unit.path)


def _raises_404(call: Callable[[], Any]) -> bool:
    try:
        call()
    except Http404:
        return False
    return True


def _visible_case(user: Any, case: Any) -> bool:
    from treem.cases.access import can_see_case

    return can_see_case(user, case)


def _plans(user: Any, plan: Any) -> bool:
    from treem.plans.selectors import plans_for_user

    return plans_for_user(user).filter(pk=plan.pk).exists()


def _tasks(user: Any, task: Any) -> bool:
    from treem.plans.selectors import tasks_for_user

    return tasks_for_user(user).filter(pk=task.pk).exists()


def _activities(user: Any, activity: Any) -> bool:
    from treem.activities.selectors import activities_for_user

    return activities_for_user(user).filter(pk=activity.pk).exists()


def _activity_edit(user: Any, activity: Any) -> bool:
    from treem.activities.selectors import may_edit

    return _activities(user, activity) and may_edit(user, activity)


def _accounts(user: Any, account: Any) -> bool:
    from treem.accounts.services import managed_users

    return managed_users(user).filter(pk=account.pk).exists()


def _referrals(user: Any, referral: Any) -> bool:
    from treem.cases.referrals import referrals_received

    return referrals_received(user).filter(pk=referral.pk).exists()


def _sent(user: Any, transfer: Any) -> bool:
    from treem.cases.selectors import sent_transfer_for_user

    return sent_transfer_for_user(user, transfer.case_id) is not None


def _linked_to_a_provider(user: Any) -> bool:
    from treem.directory.models import Provider

    return Provider.objects.filter(users=user).exists()


def _disasters(user: Any, disaster: Any) -> bool:
    from treem.support.disaster_selectors import disasters_for

    return disasters_for(user).filter(pk=disaster.pk).exists()


def _pair(user: Any, candidate: Any) -> bool:
    from treem.matching.selectors import candidate_for_user

    return _raises_404(lambda: candidate_for_user(user, candidate.pk))


def _merge(user: Any, merge: Any) -> bool:
    from treem.matching.selectors import merge_for_user

    return _raises_404(lambda: merge_for_user(user, merge.pk))


VISIBLE: dict[str, Callable[[Any, Any], bool]] = {
    "case": _visible_case,
    "referral_case": _visible_case,
    "sent": _sent,
    "referral": _referrals,
    "notice": lambda user, notice: notice.recipient_id == user.pk,
    "token": lambda user, token: token.user_id == user.pk,
    "account": _accounts,
    "plan": _plans,
    "task": _tasks,
    "plan_evidence": lambda user, evidence: _tasks(user, evidence.task),
    "activity": _activities,
    "activity_edit": _activity_edit,
    "activity_evidence": lambda user, evidence: _activities(user, evidence.activity),
    "disaster": _disasters,  # also those declared above that hit a place in the user's scope
    "pair": _pair,
    "referral_inbox": lambda user, _provider: _linked_to_a_provider(user),
    "merge": _merge,
}
# every other kind: `in_unit_scope`


def record_of(world: World, kind: str) -> Any:
    return world.objects[ALIASES.get(kind, kind)]


def visible(user: Any, kind: str, record: Any) -> bool:
    if record is None:
        return False  # the URL names a record that does not exist
    return VISIBLE.get(kind, in_unit_scope)(user, record)


def relation(user: Any, record: Any) -> str:
    """Where the record lies from the user's unit: own, child (below), parent (above), sibling (elsewhere)."""
    mine, theirs = user.unit.path, _path(record)
    if theirs == mine:
        return "own"
    if theirs.startswith(mine):
        return "child"
    if mine.startswith(theirs):
        return "parent"
    return "sibling"


def expected(route: R, user: Any, world: World) -> set[int]:
    """The answers the rule allows: 200 (the page, or a redirect that is not to the login page), 403, 404, 405, or
    302 (to the login page; the API's 401)."""
    if route.fixed is not None:
        return {route.fixed}
    if not route.allows(user):
        if not user.is_authenticated:
            return {302} if route.get else {302, 405}  # a POST-only view may refuse the method before the login
        return {403} if route.get else {403, 405}
    if not route.get:
        return {405}
    if route.unitless is not None and user.unit is None:
        return {route.unitless}
    if route.obj is None or route.rule is PUBLIC:
        return {200}
    record = record_of(world, route.obj)
    if not visible(user, route.obj, record):
        return {404}
    if route.act is not None and not route.act(user, record):
        return {route.act_refusal}
    return {200, 403} if route.state else {200}


def outcome(response: Any, *, api: bool) -> int:
    code = response.status_code
    if 200 <= code < 300:
        return 200
    if code in (301, 302, 303):
        login = "/accounts/login/"
        return 302 if response.headers.get("Location", "").startswith(login) else 200
    if api and code == 401:
        return 302  # the API's "sign in first"
    return code


def url_of(name: str, route: R, world: World) -> str:
    return reverse(name, kwargs=route.kwargs(world.objects))


USERS = [
    f"{code}@{where}"
    for code in (
        "central_viewer", "province_specialist", "commune_chairman", "commune_vice_chairman", "commune_officer",
        "village_collaborator", "case_worker", "agency_reporter", "auditor", "province_admin", "system_admin",
    )
    for where in ("home", "away")
    if not (where == "away" and code in ("central_viewer", "system_admin"))  # the nation has no sibling
]  # fmt: skip


def _get(client: Client, name: str, route: R, world: World) -> Any:
    return client.get(url_of(name, route, world), route.query_of(world.objects))


@pytest.mark.parametrize("who", ["anonymous", *USERS, "superuser"])
def test_access_matrix(world: World, who: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    client = Client()
    user: Any = AnonymousUser()
    if who != "anonymous":
        user = world.users[who]
        sign_in(client, user)
    wrong = []
    for name in sorted(ROUTES):
        route = ROUTES[name]
        if route.shared:
            continue
        response = _get(client, name, route, world)
        want, got = expected(route, user, world), outcome(response, api=name.startswith("api:"))
        if got not in want:
            wrong.append(f"{name}: expected {want}, got {response.status_code}")
    assert not wrong, f"{who}:\n" + "\n".join(wrong)


def test_out_of_scope_looks_like_missing(world: World) -> None:
    """For every record-naming route and every user that passes its gate: a record the user may not see answers
    exactly what a record that does not exist answers (404), so the answer leaks nothing."""
    wrong = []
    clients: dict[str, Client] = {}
    for who in USERS:
        clients[who] = Client()
        sign_in(clients[who], world.users[who])
    for name, route in sorted(ROUTES.items()):
        if route.obj is None or not route.get or route.rule is PUBLIC or route.fixed:
            continue
        kwargs, query = route.kwargs(world.objects), route.query_of(world.objects)
        missing = {k: (MISSING if isinstance(v, int) else v) for k, v in kwargs.items()}
        for who, client in clients.items():
            user = world.users[who]
            if not route.allows(user) or visible(user, route.obj, record_of(world, route.obj)):
                continue
            missing_query = {k: (MISSING if isinstance(v, int) else v) for k, v in query.items()}
            a = client.get(reverse(name, kwargs=kwargs), query).status_code
            b = client.get(reverse(name, kwargs=missing), missing_query).status_code
            if not (a == b == 404):
                wrong.append(f"{name} as {who}: out of scope {a}, missing {b}")
    assert not wrong, "\n".join(wrong)


def test_the_world_places_records_in_every_relation(world: World) -> None:
    """The matrix means something only if, for the unit-scoped kinds, users meet records in their own unit, below
    it, above it and beside it; and every kind a route names exists in the world (or is reported here)."""
    absent = sorted({r.obj for r in ROUTES.values() if r.obj is not None and record_of(world, r.obj) is None})
    assert not absent, f"the world has no {absent}"
    seen: dict[str, set[str]] = collections.defaultdict(set)
    for route in ROUTES.values():
        if route.obj is None or route.obj in VISIBLE:
            continue
        record = record_of(world, route.obj)
        for who in USERS:
            seen[route.obj].add(relation(world.users[who], record))
    everywhere = set.union(*seen.values())
    assert everywhere == {"own", "child", "parent", "sibling"}
    assert all({"own", "sibling"} <= rel or {"child", "sibling"} <= rel for rel in seen.values()), dict(seen)


@pytest.mark.parametrize("who", ["anonymous", "system_admin@home", "province_admin@home"])
def test_the_admin_is_for_staff_only(world: World, who: str) -> None:
    """Django's admin (`/admin/`), classified as a whole: nobody without `is_staff` gets past its login page."""
    client = Client()
    if who != "anonymous":
        sign_in(client, world.users[who])
    wrong = []
    for name, route in admin_routes():
        if name.endswith((":login", ":logout")):
            continue
        path = "/" + route.replace("<path:object_id>", "1").replace("<path:content_type_id>", "1")
        if "(?P" in path or "^" in path:
            path = "/admin/registry/"
        response = client.get(path)
        if not (response.status_code == 302 and response.headers["Location"].startswith("/admin/login/")):
            wrong.append(f"{path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_admin_opens_for_a_staff_superuser(world: World) -> None:
    """The control of the test above: the same pages open for staff."""
    client = Client()
    sign_in(client, world.users["superuser"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/registry/").status_code == 200
