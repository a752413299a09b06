"""Named permission rules: the one rule behind a menu item and the views it leads to.

A template asks `can.<name>` (the context processor), a view is decorated with `require_capability(RULE)`
(`accounts.web`): both ask the same `Rule`, so a link is shown exactly to those whose request will not be refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import capabilities as cap


@dataclass(frozen=True, slots=True)
class Rule:
    """Allowed when the user has every capability of `all_of` and, when `any_of` is given, one of those."""

    name: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()

    def allows(self, user: Any) -> bool:
        if not (user is not None and user.is_authenticated and user.is_active):
            return False
        if not all(user.has_capability(c) for c in self.all_of):
            return False
        return not self.any_of or any(user.has_capability(c) for c in self.any_of)


SEE_UNITS = Rule("see_units", all_of=(cap.UNITS_VIEW,))
SEE_REGISTRY = Rule("see_registry", all_of=(cap.REGISTRY_VIEW,))
EDIT_REGISTRY = Rule("edit_registry", all_of=(cap.REGISTRY_VIEW, cap.REGISTRY_EDIT))
EXPORT_REGISTRY = Rule("export_registry", all_of=(cap.REGISTRY_VIEW, cap.REGISTRY_EXPORT))
REVIEW_DUPLICATES = Rule("review_duplicates", all_of=(cap.REGISTRY_VIEW, cap.REGISTRY_MERGE))
RUN_IMPORTS = Rule("run_imports", all_of=(cap.IMPORTS_RUN,))
SEE_CASES = Rule("see_cases", any_of=(cap.CASES_VIEW, cap.CASES_SUPERVISE, cap.CASES_APPROVE))
RECORD_CASES = Rule("record_cases", all_of=(cap.CASES_EDIT,))
READ_AUDIT = Rule("read_audit", all_of=(cap.AUDIT_VIEW,))
SEE_FIGURES = Rule("see_figures", all_of=(cap.FIGURES_VIEW,))
ENTER_FIGURES = Rule("enter_figures", all_of=(cap.FIGURES_ENTER,))
MANAGE_USERS = Rule("manage_users", all_of=(cap.USERS_MANAGE,))
SEE_PLANS = Rule("see_plans", any_of=(cap.PLANS_MANAGE, cap.TASKS_REPORT))
MANAGE_PLANS = Rule("manage_plans", all_of=(cap.PLANS_MANAGE,))
REPORT_TASKS = Rule("report_tasks", all_of=(cap.TASKS_REPORT,))
SEE_FINANCE = Rule("see_finance", all_of=(cap.FINANCE_VIEW,))
MANAGE_FINANCE = Rule("manage_finance", all_of=(cap.FINANCE_VIEW, cap.FINANCE_MANAGE))
SEE_REPORTS = Rule("see_reports", any_of=(cap.REPORTS_SUBMIT, cap.REPORTS_REVIEW))  # reports and assessments
MANAGE_DIRECTORY = Rule("manage_directory", all_of=(cap.UNITS_VIEW, cap.DIRECTORY_MANAGE))
SEE_STAFF = Rule("see_staff", any_of=(cap.PLANS_MANAGE, cap.PLANS_APPROVE, cap.USERS_MANAGE))  # officers, collaborators
MANAGE_STAFF = Rule("manage_staff", any_of=(cap.PLANS_MANAGE, cap.USERS_MANAGE))

RULES: tuple[Rule, ...] = (
    SEE_UNITS, SEE_REGISTRY, EDIT_REGISTRY, EXPORT_REGISTRY, REVIEW_DUPLICATES, RUN_IMPORTS, SEE_CASES, RECORD_CASES,
    READ_AUDIT, SEE_FIGURES, ENTER_FIGURES, MANAGE_USERS, SEE_PLANS, MANAGE_PLANS, REPORT_TASKS, SEE_REPORTS,
    MANAGE_DIRECTORY,
    SEE_STAFF, MANAGE_STAFF,
    SEE_FINANCE, MANAGE_FINANCE,
)  # fmt: skip


def allowed(user: Any) -> dict[str, bool]:
    """Every rule by name, for templates (`{% if can.review_duplicates %}`)."""
    return {rule.name: rule.allows(user) for rule in RULES}
