from __future__ import annotations

from django.urls import path

from . import disaster_views, views

app_name = "support"

urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("programmes/<slug:code>/", views.programme, name="programme"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/generate/", views.round_generate, name="round_generate"),
    path("rounds/<int:pk>/approve/", views.round_approve, name="round_approve"),
    path("rounds/<int:pk>/list.xlsx", views.round_xlsx, name="round_xlsx"),
    path("rounds/<int:pk>/deliver-all/", views.round_deliver_all, name="round_deliver_all"),
    path("rounds/<int:pk>/children/", views.child_search, name="child_search"),
    path("rounds/<int:pk>/add/", views.row_add, name="row_add"),
    path("rounds/<int:pk>/rows/<int:row_pk>/exclude/", views.row_exclude, name="row_exclude"),
    path("rounds/<int:pk>/rows/<int:row_pk>/restore/", views.row_restore, name="row_restore"),
    path("rounds/<int:pk>/rows/<int:row_pk>/deliver/", views.row_deliver, name="row_deliver"),
    path("fund/", views.fund, name="fund"),
    path("disasters/", disaster_views.disasters, name="disasters"),
    path("disasters/<int:pk>/", disaster_views.disaster, name="disaster"),
    path("disasters/<int:pk>/propose/", disaster_views.disaster_propose, name="disaster_propose"),
    path("disasters/<int:pk>/end/", disaster_views.disaster_end, name="disaster_end"),
    path("disasters/<int:pk>/children/", disaster_views.affected_search, name="affected_search"),
    path("disasters/<int:pk>/add/", disaster_views.affected_add, name="affected_add"),
    path("disasters/<int:pk>/rows/<int:row_pk>/review/", disaster_views.affected_review, name="affected_review"),
    path("disasters/<int:pk>/relief-round/", disaster_views.relief_round, name="relief_round"),
]
