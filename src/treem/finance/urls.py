from __future__ import annotations

from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.ledger_page, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("allocations/", views.allocations, name="allocations"),
    path("allocations/<int:pk>/", views.allocation_edit, name="allocation_edit"),
    path("allocations/<int:pk>/delete/", views.allocation_delete, name="allocation_delete"),
]
