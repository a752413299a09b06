"""The scope helper for every role: in scope, sibling, parent (the persona matrix)."""

from __future__ import annotations

import pytest
from django.http import Http404

from treem.accounts import roles
from treem.accounts.roles import standard_roles
from treem.accounts.scope import get_for_user_or_404, scope_queryset, unit_in_scope
from treem.units.models import Unit

pytestmark = pytest.mark.django_db

# role -> where the user works in the test tree
PLACEMENT = {
    roles.CENTRAL_VIEWER: "nation",
    roles.PROVINCE_SPECIALIST: "province",
    roles.COMMUNE_CHAIRMAN: "commune",
    roles.COMMUNE_VICE_CHAIRMAN: "commune",
    roles.COMMUNE_OFFICER: "commune",
    roles.VILLAGE_COLLABORATOR: "village",
    roles.CASE_WORKER: "commune",
    roles.AGENCY_REPORTER: "province",
    roles.AUDITOR: "province",
    roles.PROVINCE_ADMIN: "province",
    roles.SYSTEM_ADMIN: "nation",
}


def test_every_standard_role_is_covered() -> None:
    assert {r.code for r in standard_roles()} == set(PLACEMENT)


def _visible(user) -> set[str]:  # noqa: ANN001
    return set(scope_queryset(user, Unit.objects.all()).values_list("code", flat=True))


@pytest.mark.parametrize("role", sorted(PLACEMENT))
def test_it_checks_scope_for_every_role(tree, make_user, role: str) -> None:  # noqa: ANN001
    home = getattr(tree, PLACEMENT[role])
    user = make_user(role, home)
    visible = _visible(user)
    expected = set(Unit.objects.filter(path__startswith=home.path).values_list("code", flat=True))
    assert visible == expected
    assert home.code in visible  # in scope: the unit itself
    # nothing above: no ancestor of the home unit
    for ancestor in Unit.objects.filter(path__in=home.ancestor_paths()).exclude(pk=home.pk):
        assert ancestor.code not in visible
        assert not unit_in_scope(user, ancestor)
    # nothing sideways: the sibling of the home unit, when there is one
    sideways = {"province": tree.other_province, "commune": tree.sibling, "village": tree.sibling_village}
    if PLACEMENT[role] in sideways:
        sibling = sideways[PLACEMENT[role]]
        assert sibling.code not in visible
        with pytest.raises(Http404):
            get_for_user_or_404(user, Unit.objects.all(), pk=sibling.pk)


def test_village_collaborator_sees_only_the_village(tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    assert _visible(user) == {tree.village.code}


def test_commune_officer_sees_villages_but_not_the_neighbour_commune(tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    assert _visible(user) == {tree.commune.code, tree.village.code, tree.sibling_village.code}
    assert get_for_user_or_404(user, Unit.objects.all(), pk=tree.village.pk) == tree.village


def test_anonymous_inactive_and_unplaced_users_see_nothing(tree, make_user) -> None:  # noqa: ANN001
    from django.contrib.auth.models import AnonymousUser

    assert not scope_queryset(AnonymousUser(), Unit.objects.all()).exists()
    inactive = make_user(roles.COMMUNE_OFFICER, tree.commune, is_active=False)
    assert not scope_queryset(inactive, Unit.objects.all()).exists()
    unplaced = make_user(roles.COMMUNE_OFFICER, None)
    assert not scope_queryset(unplaced, Unit.objects.all()).exists()


def test_a_superuser_without_a_unit_sees_everything(tree, make_user) -> None:  # noqa: ANN001
    admin = make_user(roles.SYSTEM_ADMIN, None, is_superuser=True)
    assert scope_queryset(admin, Unit.objects.all()).count() == Unit.objects.count()


def test_a_prefix_is_not_mistaken_for_a_parent(tree, make_user) -> None:  # noqa: ANN001
    from treem.units.models import Level
    from treem.units.tests.factories import make_unit

    # Code "1" must not see code "12" just because "C.1" is a prefix of "C.12".
    short = make_unit(tree.nation, Level.PROVINCE, "1", "Tỉnh Thử", "Tỉnh")
    user = make_user(roles.PROVINCE_SPECIALIST, short)
    assert _visible(user) == {"1"}


def test_roles_carry_capabilities_as_data(roles_loaded) -> None:  # noqa: ANN001
    from treem.accounts import capabilities as cap
    from treem.accounts.models import Role

    assert not Role.objects.get(code=roles.VILLAGE_COLLABORATOR).has(cap.CASES_VIEW)
    assert Role.objects.get(code=roles.COMMUNE_CHAIRMAN).has(cap.PLANS_APPROVE)
    assert Role.objects.get(code=roles.CENTRAL_VIEWER).capabilities == [cap.UNITS_VIEW, cap.FIGURES_VIEW]


def test_within_narrows_to_a_subtree_inside_the_scope_and_to_nothing_outside(tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    codes = set(scope_queryset(user, Unit.objects.all(), within=tree.village).values_list("code", flat=True))
    assert codes == {tree.village.code}
    assert not scope_queryset(user, Unit.objects.all(), within=tree.sibling).exists()  # the neighbour commune
    assert not scope_queryset(user, Unit.objects.all(), within=tree.province).exists()  # above the scope
