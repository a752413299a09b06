"""The site's URLs with a stand-in `indicators:export` view, until the export view is merged (then its own is used)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from treem.config.urls import urlpatterns as site
from treem.indicators import urls as indicator_urls


def _export(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


_own: list[URLPattern | URLResolver] = list(indicator_urls.urlpatterns)
if not any(getattr(p, "name", None) == "export" for p in _own):
    _own.append(path("export/", _export, name="export"))

urlpatterns = [
    *(p for p in site if getattr(p, "namespace", None) != "indicators"),
    path("indicators/", include((_own, "indicators"))),
]
