from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve
from django.urls import URLPattern, URLResolver, include, path, re_path

from treem.api.urls import api_urls

handler500 = "treem.core.views.server_error"  # 503 when the database cannot be reached, else the 500 page

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("treem.ui.urls")),
    path("accounts/", include("treem.accounts.urls")),
    path("registry/", include("treem.registry.urls")),
    path("cases/", include("treem.cases.urls")),
    path("support/", include("treem.support.urls")),
    path("staff/", include("treem.staff.urls")),
    path("finance/", include("treem.finance.urls")),
    path("audit/", include("treem.audit.urls")),
    path("imports/", include("treem.imports.urls")),
    path("matching/", include("treem.matching.urls")),
    path("indicators/", include("treem.indicators.urls")),
    path("quality/", include("treem.quality.urls")),
    path("plans/", include("treem.plans.urls")),
    path("activities/", include("treem.activities.urls")),
    path("assessments/", include("treem.assessments.urls")),
    path("directory/", include("treem.directory.urls")),
    path("reports/", include("treem.reporting.urls")),
    path("api/", api_urls),
    path("tokens/", include("treem.api.urls")),
    path("id-verification/", include("treem.api.idcheck_urls")),
    path("dashboards/", include("treem.dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_STATIC:  # the demo's embedded server only (settings.local), DEBUG off
    urlpatterns.append(re_path(rf"^{settings.STATIC_URL.lstrip('/')}(?P<path>.*)$", serve, {"insecure": True}))
