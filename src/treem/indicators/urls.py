from __future__ import annotations

from django.urls import path

from . import entry_views, export_views, targets_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.table, name="table"),
    path("compute/", views.compute, name="compute"),
    path("export/", export_views.export, name="export"),
    path("entry/", entry_views.entry_start, name="entry_start"),
    path("entry/<int:unit_id>/", entry_views.entry, name="entry"),
    path("entry/<int:unit_id>/completeness/", entry_views.completeness_view, name="completeness"),
    path("targets/", targets_views.targets_start, name="targets_start"),
    path("targets/<int:unit_id>/", targets_views.targets, name="targets"),
    path("reform/<int:unit_id>/", targets_views.reform, name="reform"),
    path("reform/<int:unit_id>/run/", targets_views.reform_run, name="reform_run"),
]
