"""The cases' word on merging two registry records: a merge moves the other child's cases to the survivor, so it
needs a person who may see every one of those cases. The matcher, acting as the system, never moves a case: such
a pair is left for a person. Registered with `registry.services.merge` in CasesConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from treem.registry.models import Child

from .access import cases_for_user
from .models import Case


def cases_merge_guard(actor: Any, children: tuple[Child, ...]) -> None:
    linked = Case.objects.filter(child_id__in=[c.pk for c in children])
    if not linked.exists():
        return
    if actor is None:
        raise PermissionDenied(_("A record with a case is merged only by a person who may see the case."))
    if linked.exclude(pk__in=cases_for_user(actor).values("pk")).exists():
        raise PermissionDenied(_("A record with a case is merged only by a person who may see the case."))
