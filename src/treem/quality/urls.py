from __future__ import annotations

from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.table, name="table"),
    path("communes/<int:pk>/", views.commune, name="commune"),
]
