from __future__ import annotations

from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("add/", views.activity_add, name="activity_add"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/materials/add/", views.material_add, name="material_add"),
    path("<int:pk>/findings/add/", views.finding_add, name="finding_add"),
    path("<int:pk>/findings/<int:finding_id>/done/", views.finding_done, name="finding_done"),
    path("<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("<int:pk>/costs/add/", views.cost_add, name="cost_add"),
    path("<int:pk>/costs/<int:line_id>/remove/", views.cost_remove, name="cost_remove"),
    path("<int:pk>/evidence/add/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/people/pick/", views.person_picker, name="person_picker"),
    path("<int:pk>/people/add/", views.person_add, name="person_add"),
    path("<int:pk>/people/<int:person_id>/remove/", views.person_remove, name="person_remove"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
