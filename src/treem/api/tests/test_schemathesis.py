"""Property-based tests of the whole API against its own OpenAPI document (schemathesis): a bounded,
deterministic number of generated requests per operation, with a token of the case's worker, a commune officer
(who reads the registry, the figures and the case, and writes records and figures): no server error, and every
response (status code, content type, body) as the document says; invalid input refused."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from treem.api.tokens import token_create

pytestmark = pytest.mark.django_db

APP = get_wsgi_application()


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)  # the document needs no database


@pytest.fixture
def keep_connection():  # noqa: ANN201
    """Called as a WSGI app, Django closes the database connection when a response ends (request_finished), which
    would end the test's transaction on PostgreSQL; Django's own test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def open_case(worker, tree, child, intake_time):  # noqa: ANN001, ANN201
    """The cases tests' open case (its fixture's name, `case`, is schemathesis's argument here)."""
    from treem.cases import services
    from treem.cases.models import Case

    made = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake_time, channel="hotline_111", category="at_risk",
        description="Em nghỉ học", child=child, abuse_forms=["exploitation"], setting="home",
    )  # fmt: skip
    assert Case.objects.filter(pk=made.pk).exists()
    return made


@pytest.fixture
def worker_token(worker, open_case, cycle, setup, keep_connection) -> str:  # noqa: ANN001
    """With a report cycle open and the plans' tasks (one assigned to the worker's commune, with a progress report),
    so the report and task lists answer items."""
    from django.core.cache import cache

    from treem.core.dates import today_vn
    from treem.plans.services import progress_record

    progress_record(actor=worker, task=setup.commune_task, on=today_vn(), status="in_progress", percent=30, note="x")

    cache.clear()  # the rate limit starts afresh
    return token_create(user=worker, days=1).clear


@schema.parametrize()
@settings(
    max_examples=6, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
def test_the_api_keeps_its_document(case, worker_token) -> None:  # noqa: ANN001
    case.call_and_validate(headers={"Authorization": f"Bearer {worker_token}"})
