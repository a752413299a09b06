"""The caller's own API tokens: list, make (the clear token is shown once), revoke. Linked from the header menu
next to the password page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from treem.accounts.web import AuthedRequest, require_login

from .forms import TokenForm
from .models import ApiToken
from .tokens import token_create, tokens_of
from .tokens import token_revoke as revoke


@require_login
def token_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "api/tokens.html", {"tokens": tokens_of(request.user), "form": TokenForm()})


@require_login
@require_POST
def token_new(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "api/tokens.html", {"tokens": tokens_of(request.user), "form": form}, status=400)
    new = token_create(
        user=request.user, days=form.cleaned_data["days"], name=form.cleaned_data["name"], request=request
    )
    return render(
        request, "api/tokens.html", {"tokens": tokens_of(request.user), "form": TokenForm(), "new_token": new.clear}
    )


@require_login
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another user's token: 404
    revoke(token=token, actor=request.user, request=request)
    return redirect("api_tokens:list")
