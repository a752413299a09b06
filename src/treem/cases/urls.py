from __future__ import annotations

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.intake, name="intake"),
    path("new/children/", views.child_search, name="child_search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<slug:to>/", views.step, name="step"),
    path("<int:pk>/events/new/", views.event_add, name="event_add"),
    path("<int:pk>/workers/", views.assign, name="assign"),
    path("<int:pk>/groups/<int:proposal>/<slug:decision>/", views.proposal_decide, name="proposal_decide"),
    path("<int:pk>/forms/<str:mau>/", views.document, name="document"),
    path("<int:pk>/disclosures/new/", views.disclosure_add, name="disclosure_add"),
    path("<int:pk>/closure/refuse/", views.closure_refuse, name="closure_refuse"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path("<int:pk>/helpline-feedback/", views.helpline_feedback, name="helpline_feedback"),
    path("<int:pk>/sent/", views.sent_detail, name="sent_detail"),
    path("sent/", views.sent_list, name="sent_list"),
    path("<int:pk>/referrals/new/", views.referral_add, name="referral_add"),
    path("<int:pk>/referrals/<int:referral>/acknowledge/", views.referral_acknowledge, name="referral_acknowledge"),
    path("referrals/", views.referral_inbox, name="referral_inbox"),
    path("referrals/<int:pk>/", views.referral_received, name="referral_received"),
]
