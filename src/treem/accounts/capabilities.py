"""Capability codes that roles grant. Views and services ask for a capability, never for a role name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

UNITS_VIEW = "units.view"
UNITS_MANAGE_VILLAGES = "units.manage_villages"
REGISTRY_VIEW = "registry.view"
REGISTRY_EDIT = "registry.edit"
REGISTRY_EXPORT = "registry.export"
REGISTRY_MERGE = "registry.merge"
IMPORTS_RUN = "imports.run"
CASES_VIEW = "cases.view"
CASES_EDIT = "cases.edit"
CASES_APPROVE = "cases.approve"
CASES_SUPERVISE = "cases.supervise"
CASES_APPROVE_ON_BEHALF = "cases.approve_on_behalf"
FIGURES_VIEW = "figures.view"
FIGURES_ENTER = "figures.enter"
FIGURES_EXACT = "figures.exact"
REPORTS_SUBMIT = "reports.submit"
REPORTS_REVIEW = "reports.review"
PLANS_APPROVE = "plans.approve"
PLANS_MANAGE = "plans.manage"
TASKS_REPORT = "tasks.report"
FINANCE_VIEW = "finance.view"
FINANCE_MANAGE = "finance.manage"
AUDIT_VIEW = "audit.view"
USERS_MANAGE = "users.manage"
DIRECTORY_MANAGE = "directory.manage"

LABELS = {
    UNITS_VIEW: _("See administrative units"),
    UNITS_MANAGE_VILLAGES: _("Add and edit villages"),
    REGISTRY_VIEW: _("See the child registry"),
    REGISTRY_EDIT: _("Edit the child registry"),
    REGISTRY_EXPORT: _("Export registry lists"),
    REGISTRY_MERGE: _("Decide on duplicate records and merge them"),
    IMPORTS_RUN: _("Import workbooks"),
    CASES_VIEW: _("See child protection cases"),
    CASES_EDIT: _("Work on child protection cases"),
    CASES_APPROVE: _("Approve support and intervention plans"),
    CASES_SUPERVISE: _("Supervise child protection cases of lower levels"),
    CASES_APPROVE_ON_BEHALF: _("Sign case decisions on behalf of the chairman, under a recorded delegation"),
    FIGURES_VIEW: _("See statistics"),
    FIGURES_ENTER: _("Enter figures"),
    FIGURES_EXACT: _("See exact small figures (no small-cell suppression)"),
    REPORTS_SUBMIT: _("Submit periodic reports"),
    REPORTS_REVIEW: _("Review reports from lower levels"),
    PLANS_APPROVE: _("Approve plans and decisions"),
    PLANS_MANAGE: _("Manage the action plans of the unit and follow their tasks"),
    TASKS_REPORT: _("Report on assigned tasks"),
    FINANCE_VIEW: _("See budgets, allocations and the ledger of spending"),
    FINANCE_MANAGE: _("Record the allocations of the unit's budget"),
    AUDIT_VIEW: _("Read the audit trail"),
    USERS_MANAGE: _("Manage users"),
    DIRECTORY_MANAGE: _("Keep the directory of services and facilities for children"),
}
ALL = tuple(LABELS)

# Case work: reading and working on child protection cases. Administration is not case work: a superuser gets every
# other capability by default, these only through a role (a case role in a unit, then audited like anyone's).
CASE_WORK = frozenset({CASES_VIEW, CASES_EDIT, CASES_APPROVE, CASES_APPROVE_ON_BEHALF, CASES_SUPERVISE, PLANS_APPROVE})
