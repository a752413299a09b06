"""`treem match run`: the registry scan from the command line, in the foreground or queued."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from treem.matching.models import MatchCandidate, MatchRun, RunSource

pytestmark = pytest.mark.django_db


def test_run_over_a_commune(tree, child, twice, twin) -> None:  # noqa: ANN001
    out = StringIO()
    call_command("match", "run", "--unit", tree.commune.code, stdout=out)
    assert "3 children, 1 possible duplicates, 1 new to review" in out.getvalue()
    run = MatchRun.objects.get()
    assert run.source == RunSource.COMMAND and run.unit == tree.commune and run.progress_percent == 100
    assert MatchCandidate.objects.count() == 1


def test_run_in_the_background(tree, child, twice, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        call_command("match", "run", "--background", stdout=StringIO())
    run = MatchRun.objects.get()
    assert run.status == "done" and run.unit is None and run.new_pairs == 1


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("match", "run", "--unit", "99999")


def test_an_import_queues_a_run_for_its_commune(tree, child, twice, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    from treem.matching.runs import start_after_import

    with django_capture_on_commit_callbacks(execute=True):
        run = start_after_import(tree.commune)
    run.refresh_from_db()
    assert run.source == RunSource.IMPORT and run.status == "done" and run.new_pairs == 1
