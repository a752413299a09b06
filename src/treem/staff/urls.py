from __future__ import annotations

from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("coverage/", views.coverage, name="coverage"),
    path("add/<int:unit_id>/", views.worker_add, name="worker_add"),
    path("<int:pk>/", views.worker_detail, name="worker"),
    path("<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("<int:pk>/end/", views.worker_end, name="worker_end"),
]
