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
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("notices/read/", views.notices_read_all, name="notices_read_all"),
    path("alerts/<int:pk>/acknowledge/", views.alert_ack, name="alert_ack"),
]
