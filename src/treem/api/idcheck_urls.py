from __future__ import annotations

from django.urls import path

from . import idcheck_views

app_name = "api_idcheck"

urlpatterns = [
    path("", idcheck_views.idcheck, name="page"),
    path("export/<str:fmt>/", idcheck_views.idcheck_export, name="export"),
    path("import/", idcheck_views.idcheck_import, name="import"),
]
