from __future__ import annotations

from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.start, name="start"),
    path("<str:code>/", views.unit_dashboard, name="unit"),
]
