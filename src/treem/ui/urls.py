from __future__ import annotations

from django.urls import path

from . import views

app_name = "ui"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/go/", views.unit_go, name="unit_go"),
    path("units/picker/", views.unit_picker, name="unit_picker"),
    path("units/picker/choose/", views.unit_picker_choose, name="unit_picker_choose"),
]
