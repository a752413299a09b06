"""Property-based tests of the whole API against its own OpenAPI document (schemathesis): a bounded,
deterministic number of generated requests per operation, with a token of a commune chairman (who sees the
registry, the figures and the commune's cases): no server error, and every response (status code, content type,
body) as the document says."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from treem.accounts import roles
from treem.api.tokens import token_create

pytestmark = pytest.mark.django_db

APP = get_wsgi_application()


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)  # the document needs no database


@pytest.fixture
def chairman_token(tree, make_user, case) -> str:  # noqa: ANN001
    from django.core.cache import cache

    cache.clear()  # the rate limit starts afresh
    return token_create(user=make_user(roles.COMMUNE_CHAIRMAN, tree.commune), days=1).clear


@schema.parametrize()
@settings(
    max_examples=6, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
def test_the_api_keeps_its_document(case, chairman_token) -> None:  # noqa: ANN001
    case.call_and_validate(headers={"Authorization": f"Bearer {chairman_token}"})
