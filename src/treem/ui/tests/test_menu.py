"""The menu and the views ask one rule: a link is shown exactly to those whose request the page answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.accounts import permissions
from treem.accounts.roles import standard_roles
from treem.accounts.tests.helpers import login

pytestmark = pytest.mark.django_db

MENU = {  # menu link -> the rule its page requires
    "registry:child_list": permissions.SEE_REGISTRY,
    "cases:dashboard": permissions.SEE_CASES,
    "audit:search": permissions.READ_AUDIT,
    "imports:list": permissions.RUN_IMPORTS,
    "matching:queue": permissions.REVIEW_DUPLICATES,
}
LEVEL_UNIT = {"nation": "nation", "province": "province", "commune": "commune", "village": "village"}


@pytest.mark.parametrize("role", [r.code for r in standard_roles()])
def test_every_menu_link_is_shown_exactly_when_its_page_opens(client, tree, make_user, role) -> None:  # noqa: ANN001
    spec = next(r for r in standard_roles() if r.code == role)
    user = make_user(role, getattr(tree, LEVEL_UNIT[spec.unit_level]))
    login(client, user)
    home = client.get(reverse("ui:home")).text
    for name, rule in MENU.items():
        url = reverse(name)
        shown = f'href="{url}"' in home
        status = client.get(url).status_code
        assert shown == (status == 200), (role, name, shown, status)
        assert shown == rule.allows(user), (role, name)
