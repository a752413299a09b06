"""Pages: the directory of a unit (by scope, filtered by kind and status), a provider, and its form for the
keepers of the directory. Out of scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from treem.accounts import permissions as rules
from treem.accounts.models import User
from treem.accounts.scope import get_or_404, scope_queryset
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability
from treem.core.paging import CappedPaginator
from treem.units.models import Level, Unit

from . import services
from .forms import ProviderForm
from .models import Provider, ProviderKind, ProviderStatus
from .selectors import linked_provider_ids, providers_for_user

PAGE_SIZE = 50


@require_capability(rules.SEE_UNITS)
def provider_list(request: AuthedRequest) -> HttpResponse:
    qs = providers_for_user(request.user)
    kind, status, q = request.GET.get("kind", ""), request.GET.get("status", ""), request.GET.get("q", "").strip()
    if kind:
        qs = qs.filter(kind__code=kind)
    if status in ProviderStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(name__icontains=q)
    context = {
        "page": CappedPaginator(qs.order_by("unit_path", "kind__sort_order", "name"), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "kinds": ProviderKind.objects.all(), "statuses": ProviderStatus.choices,
        "kind": kind, "status": status, "q": q,
        "can_add": request.user.has_capability(rules.cap.DIRECTORY_MANAGE),
        "receives_referrals": bool(linked_provider_ids(request.user)),
    }  # fmt: skip
    return render(request, "directory/list.html", context)


@require_capability(rules.SEE_UNITS)
def provider_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    provider = get_or_404(providers_for_user(request.user), pk=pk)
    context = {
        "provider": provider, "users": provider.users.all(),
        "can_edit": services.can_manage(request.user, provider.unit),
    }  # fmt: skip
    return render(request, "directory/detail.html", context)


def _form(request: AuthedRequest, provider: Provider | None) -> ProviderForm:
    units = scope_queryset(request.user, Unit.objects.filter(is_active=True, structure="current"))
    units = units.exclude(level=Level.NATION).order_by("path")
    users = scope_queryset(request.user, User.objects.filter(is_active=True), path_field="unit__path")
    initial = ProviderForm.initial_for(provider) if provider else {}
    return ProviderForm(request.POST or None, units=units, users=users.order_by("username"), initial=initial)


@require_capability(rules.MANAGE_DIRECTORY)
def provider_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    provider = get_or_404(providers_for_user(request.user), pk=pk) if pk is not None else None
    if provider is not None and not services.can_manage(request.user, provider.unit):
        raise PermissionDenied
    form = _form(request, provider)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.ProviderInput(
            kind=d["kind"], unit=d["unit"], name=d["name"], address=d["address"], capacity=d["capacity"],
            latitude=d["latitude"], longitude=d["longitude"], contact_name=d["contact_name"], phone=d["phone"],
            email=d["email"], status=d["status"], opened_on=d["opened_on"], note=d["note"], users=list(d["users"]),
        )  # fmt: skip
        try:
            provider = services.provider_save(actor=request.user, data=data, provider=provider, request=request)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("The directory was saved."))
            return redirect("directory:detail", pk=provider.pk)
    return render(request, "directory/form.html", {"form": form, "provider": provider})
