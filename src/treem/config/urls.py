from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("treem.ui.urls")),
    path("accounts/", include("treem.accounts.urls")),
    path("registry/", include("treem.registry.urls")),
    path("cases/", include("treem.cases.urls")),
    path("audit/", include("treem.audit.urls")),
    path("imports/", include("treem.imports.urls")),
    path("matching/", include("treem.matching.urls")),
    path("indicators/", include("treem.indicators.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
