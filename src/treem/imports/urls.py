from __future__ import annotations

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("template.xlsx", views.template_download, name="template"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/mapping/", views.job_mapping, name="mapping"),
    path("<int:pk>/commit/", views.job_commit, name="commit"),
    path("<int:pk>/errors.xlsx", views.job_errors, name="errors"),
]
