"""Reads of import jobs for the pages: the preview of a checked file, row by row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.core.dates import DatePrecision, format_partial
from treem.core.errors import Message
from treem.registry.models import Child
from treem.registry.selectors import children_for_user

from .mapping import column_label, issue_messages
from .models import STORED, UPDATES, ImportIssue, ImportJob, RowStatus

UPDATE_FILTER = UPDATES  # ?status=update: the rows that will update a registered child


@dataclass
class PreviewRow:
    """One row of the file as the preview shows it."""

    source_row: int
    status: str
    status_label: str
    messages: list[tuple[str, str]]  # (column label, what to fix)
    changes: list[tuple[str, str, str, str]]  # (column label, cell before, value after, why)
    full_name: str
    date_of_birth: str
    updates: bool  # a stored row that updates a registered child (else a stored row adds one)
    existing_child: Child | None  # that child, when the reader may see it (it may have moved since the check)

    @property
    def stored(self) -> bool:
        return self.status in STORED


def preview_filters(job: ImportJob) -> list[tuple[str, str, int]]:
    """(code, label, count) of the filters the preview offers: each status with rows, then the updates."""
    filters = [(code, str(label), job.counts.get(code, 0)) for code, label in RowStatus.choices]
    filters.append((UPDATE_FILTER, str(_("Will update a registered child")), job.counts.get(UPDATES, 0)))
    return [f for f in filters if f[2]]


def preview_issues(job: ImportJob, *, status: str = "") -> QuerySet[ImportIssue]:
    """The job's rows in file order, all or one filter's (a status, or the rows that update a registered child)."""
    issues = job.issues.all()
    if status == UPDATE_FILTER:
        return issues.filter(status__in=STORED, existing_child__isnull=False)
    if status in RowStatus.values:
        return issues.filter(status=status)
    return issues


def preview_rows(user: User, issues: Iterable[ImportIssue]) -> list[PreviewRow]:
    """A page of rows for the preview; the children they update are linked only where the user may see them."""
    issues = list(issues)
    ids = {i.existing_child_id for i in issues if i.existing_child_id}
    visible = {c.pk: c for c in children_for_user(user).filter(pk__in=ids).only("pk", "full_name", "date_of_birth")}
    return [_row(issue, visible) for issue in issues]


def _row(issue: ImportIssue, visible: dict[int, Child]) -> PreviewRow:
    v = issue.values
    dob = ""
    if v.get("date_of_birth"):
        dob = format_partial(dt.date.fromisoformat(v["date_of_birth"]), v.get("dob_precision", DatePrecision.DAY))
    updates = issue.status in STORED and issue.existing_child_id is not None
    return PreviewRow(
        source_row=issue.source_row, status=issue.status, status_label=str(RowStatus(issue.status).label),
        messages=issue_messages(issue.messages), changes=[_change(*c) for c in issue.changes],
        full_name=v.get("full_name", ""), date_of_birth=dob, updates=updates,
        existing_child=visible.get(issue.existing_child_id) if updates and issue.existing_child_id else None,
    )  # fmt: skip


def _change(column: str, before: str, after: str, why: object) -> tuple[str, str, str, str]:
    return column_label(column), before, after, str(Message.from_json(why))
