from __future__ import annotations

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("cycle/<int:cycle_id>/", views.cycle_view, name="cycle"),
    path("cycle/<int:cycle_id>/start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/return/", views.return_view, name="return"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/document.pdf", views.document_pdf, name="pdf"),
    path("<int:pk>/document.docx", views.document_docx, name="docx"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
]
