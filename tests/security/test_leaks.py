"""Nothing of a sibling branch leaks into a page: every text field of every record of the sibling commune and the
other province carries a marker, and no page, list, filter or download that a Khun Há user opens shows it, even
with its unit filters pointed at those places."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from treem.units.models import unit_path_field

from .conftest import World, sign_in
from .routes import PUBLIC, ROUTES
from .test_injection import USER_TEXT

pytestmark = pytest.mark.django_db

MARK = "SIDEWAYS"
USERS_IN_KHUN_HA = ("commune_officer@home", "commune_chairman@home", "case_worker@home", "village_collaborator@home")
FILTERS = ("unit", "commune", "village")
# records another unit may see by their app's rule, checked by the access matrix: a case transferred out, read by the
# commune that sent it (up to the transfer)
SHOWN_ACROSS = {"sent"}


def mark_the_sibling_branches(world: World) -> int:
    """Records whose unit is neither Khun Há, below it nor above it get MARK in every user-entered text field."""
    home = world.tree.commune.path
    written = 0
    for label, fields in USER_TEXT.items():
        model = apps.get_model(label)
        path = unit_path_field(model)
        if path not in {f.name for f in model._meta.concrete_fields}:
            continue
        sideways = model.objects.exclude(**{f"{path}__startswith": home})
        for pk, record_path in sideways.values_list("pk", path):
            if home.startswith(record_path):
                continue  # above Khun Há: the province's own records may be shown by their app's rule
            values = {name: f"{MARK} {pk}"[: model._meta.get_field(name).max_length or 100] for name in fields}
            written += model.objects.filter(pk=pk).update(**values)
    return written


def _text(response: Any) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.headers.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body))
        return " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    if kind.startswith(("text/", "application/json")):
        return body.decode("utf-8", "replace")
    return ""


@pytest.mark.parametrize("who", USERS_IN_KHUN_HA)
def test_no_page_shows_a_sibling_branchs_records(world: World, who: str) -> None:
    assert mark_the_sibling_branches(world) > 20
    t = world.tree
    elsewhere = [t.sibling.pk, t.far_commune.pk, t.other_province.pk]
    client = Client()
    user = world.users[who]
    sign_in(client, user)
    leaks, opened = [], 0
    for name, route in sorted(ROUTES.items()):
        if not route.get or route.shared or route.fixed or route.rule is PUBLIC or not route.allows(user):
            continue
        if route.obj in SHOWN_ACROSS:
            continue
        url = reverse(name, kwargs=route.kwargs(world.objects))
        queries = [route.query_of(world.objects)]
        if route.obj is None:
            queries += [dict.fromkeys(FILTERS, pk) for pk in elsewhere]
        for query in queries:
            response = client.get(url, query)
            opened += response.status_code == 200  # a page or file shown: a redirect or a 404 would prove nothing
            if MARK in _text(response):
                leaks.append(f"{name} {query}")
    assert opened > 30
    assert not leaks, f"{who}:\n" + "\n".join(leaks)
