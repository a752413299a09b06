"""POST: every route refuses a form sent without the CSRF token (the API too, when it is authenticated by the
browser's session cookie; a token-authenticated call carries no cookie and needs none), and every route that
changes a record refuses, with 404, a record out of the sender's scope (nothing changes)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from treem.api.tokens import token_create

from .conftest import World, sign_in
from .routes import PUBLIC, ROUTES
from .test_access_matrix import USERS, admin_routes, record_of, visible

pytestmark = pytest.mark.django_db


def _csrf_refused(response: Any) -> bool:
    return response.status_code == 403 and any(t.name == "403_csrf.html" for t in response.templates or [])


@pytest.mark.parametrize("who", ["anonymous", "commune_officer@home", "province_specialist@home"])
def test_every_post_without_the_csrf_token_is_refused(world: World, who: str) -> None:
    client = Client(enforce_csrf_checks=True)
    if who != "anonymous":
        sign_in(client, world.users[who])
    wrong = []
    for name, route in sorted(ROUTES.items()):
        url = reverse(name, kwargs=route.kwargs(world.objects))
        if name.startswith("api:"):
            response = client.post(url, "{}", content_type="application/json")
            # the API refuses a session's POST without the CSRF token (403; signed out: 401 or 403); an operation
            # that takes no POST answers 405 (its path's POST operation, if any, is checked under its own name)
            refused = {403} if who != "anonymous" else {401, 403}
            ok = response.status_code in (refused if not route.get else refused | {404, 405})
        else:
            response = client.post(url, {"x": "1"})
            ok = _csrf_refused(response)
        if not ok:
            wrong.append(f"{name}: {response.status_code}")
    for _name, route in admin_routes()[:3]:
        response = client.post("/" + route, {"x": "1"})
        if not _csrf_refused(response):
            wrong.append(f"/{route}: {response.status_code}")
    assert not wrong, f"{who}:\n" + "\n".join(wrong)


def test_the_api_with_a_token_needs_no_csrf_token(world: World) -> None:
    """A token-authenticated call is not a browser's: no cookie, so no CSRF check (and a session is not enough)."""
    user = world.users["commune_officer@home"]
    clear = token_create(user=user, days=1).clear
    client = Client(enforce_csrf_checks=True)
    body = json.dumps({"records": []})
    response = client.post("/api/sync/households", body, content_type="application/json",
                           headers={"Authorization": f"Bearer {clear}"})  # fmt: skip
    assert response.status_code == 200, response.content


def test_a_post_on_a_record_out_of_scope_is_404(world: World) -> None:
    """Every route that takes a POST on a record, sent by every user who passes its gate but may not see the record
    (the sibling commune's officer, the other province's specialist...): 404, as for a missing record."""
    wrong = []
    checked = 0
    for who in USERS:
        user = world.users[who]
        client = Client()
        sign_in(client, user)
        for name, route in sorted(ROUTES.items()):
            if route.obj is None or route.rule is PUBLIC or route.fixed or not route.allows(user):
                continue
            if name.startswith("api:") and route.get:
                continue  # an API GET operation takes no POST (its path's POST operation has its own entry)
            if visible(user, route.obj, record_of(world, route.obj)):
                continue
            url = reverse(name, kwargs=route.kwargs(world.objects))
            if name.startswith("api:"):
                response = client.post(url, json.dumps({"status": "done", "percent": 100, "note": "x"}),
                                       content_type="application/json")  # fmt: skip
            else:
                response = client.post(url, {"note": "x", "decision": "merged", "confirmed": "1", "status": "done"})
            checked += 1
            if response.status_code not in (404, 405):  # 405: a page that takes no POST at all
                wrong.append(f"{name} as {who}: {response.status_code}")
    assert checked > 100
    assert not wrong, "\n".join(wrong)


def _state() -> tuple[int, ...]:
    """Row counts of every table a person changes, and the audited changes (reads are audited too, as views)."""
    from django.apps import apps

    from treem.audit.models import Action, AuditEvent

    counted = [m for m in apps.get_models() if m._meta.app_label not in ("audit", "sessions", "axes", "admin")]
    changes = AuditEvent.objects.exclude(action__in=[Action.VIEW, Action.LIST, Action.PRINT, Action.EXPORT]).count()
    return (changes, *(m._default_manager.count() for m in counted))


@pytest.mark.parametrize("who", ["commune_officer@home", "commune_chairman@home", "province_specialist@home"])
def test_no_get_changes_anything(world: World, who: str) -> None:
    """A GET changes nothing (a link or an image on another site could send one, without any CSRF token)."""
    client = Client()
    sign_in(client, world.users[who])
    before = _state()
    changed = []
    for name, route in sorted(ROUTES.items()):
        if not route.get or route.shared or route.fixed:
            continue
        client.get(reverse(name, kwargs=route.kwargs(world.objects)), route.query_of(world.objects))
        now = _state()
        if now != before:
            changed.append(name)
            before = now
    assert not changed, changed
    client.post(reverse("api_tokens:new"), {"name": "control", "days": "7"})
    assert _state() != before, "the control: a POST that makes a token is seen"
