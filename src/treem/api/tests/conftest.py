from __future__ import annotations

import pytest

from treem.accounts.tests.helpers import otp_device
from treem.accounts.twofactor import second_factor_required
from treem.api.tokens import token_create
from treem.cases.tests.conftest import case, intake_time, worker  # noqa: F401 - the case pages' personas
from treem.cases.tests.test_confidential_groups import abuse_case, group_l  # noqa: F401
from treem.plans.tests.conftest import kinds, setup, specialist  # noqa: F401 - the plans pages' personas
from treem.registry.tests.conftest import child, household, sibling_child  # noqa: F401 - the registry's
from treem.reporting.tests.conftest import (  # noqa: F401 - the reporting pages' personas and their cycle's progress
    cycle,
    progress,
    province_officer,
    report_types,
    third,
)


class Api:
    """A Django test client speaking to /api/ with a user's token."""

    def __init__(self, client, user) -> None:  # noqa: ANN001
        self.client = client
        if user is not None and second_factor_required(user):
            otp_device(user)  # a user who needs the second factor makes tokens only after setting it up
        self.token = token_create(user=user, days=30).clear if user is not None else ""

    def _headers(self, lang: str) -> dict[str, str]:
        headers = {"Accept-Language": lang}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, path: str, params: dict | None = None, *, lang: str = "vi"):  # noqa: ANN201
        return self.client.get(f"/api{path}", params or {}, headers=self._headers(lang))

    def post(self, path: str, body: dict, *, lang: str = "vi"):  # noqa: ANN201
        return self.client.post(f"/api{path}", body, content_type="application/json", headers=self._headers(lang))


@pytest.fixture
def api_as(client):  # noqa: ANN001, ANN201
    return lambda user: Api(client, user)
