from __future__ import annotations

from django.urls import path

from . import exports, views

app_name = "registry"

urlpatterns = [
    path("children/", views.child_list, name="child_list"),
    path("children/export.xlsx", exports.child_list_xlsx, name="child_list_xlsx"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/status/", views.child_status, name="child_status"),
    path("children/<int:pk>/incidents/add/", views.incident_add, name="incident_add"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("children/<int:pk>/circumstances/add/", views.circumstance_add, name="circumstance_add"),
    path("circumstances/subtypes/", views.circumstance_subtypes, name="circumstance_subtypes"),
    path("circumstances/<int:pk>/end/", views.circumstance_end, name="circumstance_end"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/move/", views.household_move, name="household_move"),
    path("households/<int:pk>/visited/", views.household_visited, name="household_visited"),
    path("households/<int:household_pk>/children/new/", views.child_create, name="child_create"),
    path("villages/<int:pk>/book.xlsx", exports.household_book_xlsx, name="village_book_xlsx"),
    path("villages/<int:pk>/book.pdf", exports.household_book_pdf, name="village_book_pdf"),
]
