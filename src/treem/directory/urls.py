from __future__ import annotations

from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_edit, name="add"),
    path("<int:pk>/", views.provider_detail, name="detail"),
    path("<int:pk>/edit/", views.provider_edit, name="edit"),
]
