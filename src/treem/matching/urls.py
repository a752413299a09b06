from __future__ import annotations

from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<int:pk>/", views.pair, name="pair"),
    path("pairs/<int:pk>/undo/", views.undo, name="undo"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("runs/new/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
]
