from __future__ import annotations

from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("start/<int:unit_id>/", views.assessment_start, name="start"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/items/<int:item_id>/", views.score_save, name="score"),
    path("<int:pk>/category/", views.category_save, name="category"),
    path("<int:pk>/prefill/", views.prefill, name="prefill"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/appraise/", views.appraise, name="appraise"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
