"""The demo's work waiting on a new user: a checked import to commit (with row errors) and duplicate pairs to review,
written through the imports and matching services, added once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts import roles
from treem.demo import duplicates as demo_duplicates
from treem.demo import imports as demo_imports
from treem.demo import registry
from treem.demo.units import DemoArea
from treem.imports.models import ImportJob, JobStatus
from treem.matching.models import CandidateStatus, MatchCandidate
from treem.registry.models import Child, Household

pytestmark = pytest.mark.django_db


@pytest.fixture
def khun_ha(tree, make_user, monkeypatch) -> SimpleNamespace:  # noqa: ANN001
    demo = [DemoArea(tree.province, [tree.commune, tree.sibling]), DemoArea(tree.other_province, [tree.far_commune])]
    monkeypatch.setattr(registry, "demo_areas", lambda: demo)
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune, username="canbo.khunha")
    registry.seed_registry(children=300, actor=officer)
    return SimpleNamespace(tree=tree, commune=tree.commune, officer=officer)


def _get(user, url: str) -> str:  # noqa: ANN001
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_import_waits_for_its_commit_with_row_errors(khun_ha) -> None:  # noqa: ANN001
    children = Child.objects.count()
    stats = demo_imports.seed_import(commune=khun_ha.commune, actor=khun_ha.officer)
    job = ImportJob.objects.get()
    assert stats.created and job.status == JobStatus.VALIDATED and job.unit == khun_ha.commune
    assert job.created_by == khun_ha.officer and job.original_name == demo_imports.FILE_NAME
    last_row = 3 + len(demo_imports.ROWS)  # the title, a blank row and the header come first; then the footer
    # every row is kept for the preview; the problem rows, and the signature line under the table skipped as a footer
    issues = {i.source_row: i.status for i in job.issues.exclude(status="ok") if i.source_row <= last_row}
    assert issues == {6: "error", 7: "error", 8: "warning", 12: "duplicate"}  # 31/02, no sex, 11-digit ID, typed twice
    assert job.issues.filter(source_row__gt=last_row, status="footer").exists()
    assert job.counts.get("ok") == 6
    assert Child.objects.count() == children  # checked, not committed
    assert demo_imports.FILE_NAME in _get(khun_ha.officer, reverse("imports:list"))
    _get(khun_ha.officer, reverse("imports:detail", args=[job.pk]))
    again = demo_imports.seed_import(commune=khun_ha.commune, actor=khun_ha.officer)
    assert not again.created and ImportJob.objects.count() == 1


def test_duplicate_pairs_wait_in_the_review_queue(khun_ha) -> None:  # noqa: ANN001
    stats = demo_duplicates.seed_duplicates(commune=khun_ha.commune, actor=khun_ha.officer)
    assert stats.entered == demo_duplicates.PAIRS
    copies = Child.objects.filter(household__note=demo_duplicates.NOTE)
    assert copies.count() == demo_duplicates.PAIRS
    pending = MatchCandidate.objects.filter(status=CandidateStatus.PENDING)
    for copy in copies:
        pair = pending.filter(child_b=copy).first() or pending.filter(child_a=copy).first()
        assert pair is not None, copy.full_name  # each copy waits for review next to its original
        original = pair.child_a if pair.child_b == copy else pair.child_b
        assert original.household_id != copy.household_id and original.village_id != copy.village_id
        assert original.full_name != copy.full_name and abs((original.date_of_birth - copy.date_of_birth).days) <= 1
        assert copy.merged_into_id is None and original.merged_into_id is None  # no automatic merge
    assert stats.pending >= demo_duplicates.PAIRS
    queue = _get(khun_ha.officer, reverse("matching:queue"))
    assert copies.first().full_name in queue
    again = demo_duplicates.seed_duplicates(commune=khun_ha.commune, actor=khun_ha.officer)
    assert again.entered == 0 and Household.objects.filter(note=demo_duplicates.NOTE).count() == demo_duplicates.PAIRS
