from __future__ import annotations

from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("add/", views.plan_add, name="plan_add"),
    path("programmes/", views.programmes, name="programmes"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/sections/add/", views.section_add, name="section_add"),
    path("<int:pk>/tasks/add/", views.task_add, name="task_add"),
    path("<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("tasks/<int:pk>/event-report/", views.event_report, name="event_report"),
    path("tasks/<int:pk>/participants/pick/", views.participant_picker, name="participant_picker"),
    path("tasks/<int:pk>/participants/add/", views.participant_add, name="participant_add"),
    path(
        "tasks/<int:pk>/participants/<int:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("tasks/<int:pk>/recommendations/add/", views.recommendation_add, name="recommendation_add"),
    path(
        "tasks/<int:pk>/recommendations/<int:rec_id>/",
        views.recommendation_follow_up,
        name="recommendation_follow_up",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
