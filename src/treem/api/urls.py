from __future__ import annotations

from django.urls import path

from . import views
from .endpoints import api  # the endpoints registered on the one NinjaAPI
from .report_endpoints import reports as _reports  # noqa: F401 - report status
from .sync_endpoints import sync as _sync  # noqa: F401 - and the exchange's
from .task_endpoints import tasks as _tasks  # noqa: F401 - plan tasks

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("new/", views.token_new, name="new"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]

api_urls = api.urls  # mounted at /api/ by the project's urls
