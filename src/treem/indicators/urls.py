from __future__ import annotations

from django.urls import path

from . import export_views

app_name = "indicators"

urlpatterns: list = [
    path("export/", export_views.export, name="export"),
]
