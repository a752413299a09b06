"""Every route of the URL conf (the API's included), classified: who may open it and which record it names.

This table is the access rule written down, not a recording of what the views answer: `test_access_matrix` asks
every route as every standard role at home and away and compares the answer with what this table and the scope
rule say. A route the URL conf has and this table does not classify fails `test_every_route_is_classified`: a new
route must be added here (see docs/security.md, "The security suite").

An entry says:
- `rule`: PUBLIC (anyone), LOGIN (any signed-in user) or a `Rule` / capability code(s) of `accounts.permissions`
  that the user must pass (else 403, before any record is looked at);
- `obj`: the kind of record the URL names (a key of `World.objects`), whose visibility decides between the page
  and 404 (existence hiding: out of scope looks exactly like missing); None for a list or a form;
- `kw`: the URL's kwargs from the world's records (default `{"pk": <obj>.pk}`);
- `get`: False for a route that answers POST only (the matrix then checks the capability gate only: 403 or 405);
- `query`: the query string a GET needs to be meaningful (from the world's records);
- `act`: a second rule the app applies to a visible record (the case team, the plan's manager), answering
  `act_refusal` (403, or 404 where the app hides the record from those too); `state`: the record's state may refuse
  the action as well (403).
How visible a record is comes from `VISIBLE` below: the unit scope rule (own unit and below, never sideways or
above) unless the kind has its own confidentiality rule in its app's access module (cases, plans, activities...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.permissions import Rule
from treem.assessments.services import can_appraise
from treem.cases.access import can_work_on, on_case_team
from treem.cases.views.common import event_kinds_for, may_take
from treem.plans.selectors import may_manage, may_report

COMPLETENESS = Rule("completeness", any_of=(cap.FIGURES_ENTER, cap.FIGURES_VIEW))  # who enters or reads figures
PUBLIC = Rule("public")  # no login
LOGIN = Rule("login")  # any signed-in, active user
SEE_ACTIVITIES = rules.SEE_PLANS  # activities: the plans' people (managers, agency reporters)
SEE_REPORTS = rules.SEE_REPORTS  # reports and assessments

Kw = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class R:
    rule: Rule | tuple[Rule | str, ...]
    obj: str | None = None
    kw: Kw | None = None
    get: bool = True
    query: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    act: Callable[[Any, Any], bool] | None = None  # a second rule on a visible record (the case team, the manager)
    act_refusal: int = 403  # what `act` answers when it refuses: 403, or 404 where the app hides the record too
    state: bool = False  # the record's state may refuse the action too (a closed case): 403 accepted from act's users
    fixed: int | None = None  # the one answer for everyone (a route that is no page)
    shared: bool = False  # see `post`
    unitless: int | None = None  # the answer to a user who works for no unit (a superuser): a form for one's own unit

    def rules(self) -> tuple[Rule | str, ...]:
        return self.rule if isinstance(self.rule, tuple) else (self.rule,)

    def allows(self, user: Any) -> bool:
        """Whether the user passes the capability gate (PUBLIC and LOGIN: any signed-in user)."""
        if not (user.is_authenticated and user.is_active):
            return self.rule is PUBLIC
        return all(
            r in (PUBLIC, LOGIN) or (r.allows(user) if isinstance(r, Rule) else user.has_capability(r))
            for r in self.rules()
        )

    def query_of(self, objects: dict[str, Any]) -> dict[str, Any]:
        return self.query(objects) if self.query is not None else {}

    def kwargs(self, objects: dict[str, Any]) -> dict[str, Any]:
        if self.kw is not None:
            return self.kw(objects)
        if self.obj is None:
            return {}
        record = objects[ALIASES.get(self.obj, self.obj)]
        return {"pk": record.pk if record is not None else MISSING}


# kinds with their own rule on a record of another kind
ALIASES = {"activity_edit": "activity", "referral_inbox": "provider"}
MISSING = 999_999_999  # the pk of a record the world does not have (404 for every role that passes the gate)


def pk(o: dict[str, Any], kind: str) -> int:
    return o[kind].pk if o[kind] is not None else MISSING


def post(
    rule: Rule | tuple[Rule | str, ...], obj: str | None = None, kw: Kw | None = None, *, shared: bool = False
) -> R:
    """A POST-only route; `shared`: an API operation whose path a GET operation answers (no GET of its own)."""
    return R(rule, obj, kw, get=False, shared=shared)


def sub(parent: str, name: str, child: str) -> Kw:
    """kwargs for a record under another: {"pk": parent, name: child}."""
    return lambda o: {"pk": pk(o, parent), name: pk(o, child)}


def FIGURES_QUERY(o: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
    return {"unit": pk(o, "commune"), "period": o["period"], "indicator": o["indicator"].code}


UNIT = lambda kind: lambda o: {"unit_id": pk(o, kind)}  # noqa: E731

ROUTES: dict[str, R] = {
    # --- ui -----------------------------------------------------------------------------------------------------
    "ui:home": R(LOGIN),
    "ui:unit_detail": R(rules.SEE_UNITS, "commune"),
    "ui:unit_go": R(rules.SEE_UNITS),
    "ui:unit_picker": R(rules.SEE_UNITS),
    "ui:unit_picker_choose": R(rules.SEE_UNITS),
    "ui:notice_read": post(LOGIN, "notice"),
    "ui:notices_read_all": post(LOGIN),
    "ui:alert_ack": post(cap.CASES_SUPERVISE, "alert"),
    # --- accounts -----------------------------------------------------------------------------------------------
    "accounts:login": R(PUBLIC),
    "accounts:logout": post(PUBLIC),
    "accounts:password_change": R(LOGIN),
    "accounts:password_change_done": R(LOGIN),
    "accounts:user_list": R(rules.MANAGE_USERS),
    "accounts:user_create": R(rules.MANAGE_USERS),
    "accounts:user_edit": R(rules.MANAGE_USERS, "account"),
    "accounts:user_password": post(rules.MANAGE_USERS, "account"),
    "accounts:user_active": post(rules.MANAGE_USERS, "account"),
    "accounts:user_otp_reset": post(rules.MANAGE_USERS, "account"),
    "accounts:otp_verify": R(LOGIN),  # the second factor's pages: a redirect onward for whoever has passed it
    "accounts:otp_enrol": R(LOGIN),
    # --- registry -----------------------------------------------------------------------------------------------
    "registry:child_list": R(rules.SEE_REGISTRY),
    "registry:child_list_xlsx": R(rules.EXPORT_REGISTRY),
    "registry:child_detail": R(rules.SEE_REGISTRY, "child"),
    "registry:child_edit": R(rules.EDIT_REGISTRY, "child"),
    "registry:child_status": R(rules.EDIT_REGISTRY, "child"),
    "registry:incident_add": R(rules.EDIT_REGISTRY, "child"),
    "registry:incident_edit": R(rules.EDIT_REGISTRY, "incident"),
    "registry:circumstance_add": R(rules.EDIT_REGISTRY, "child"),
    "registry:circumstance_subtypes": R(rules.EDIT_REGISTRY),
    "registry:circumstance_end": R(rules.EDIT_REGISTRY, "circumstance"),
    "registry:household_create": R(rules.EDIT_REGISTRY, unitless=403),  # in the commune the user works for
    "registry:household_detail": R(rules.SEE_REGISTRY, "household"),
    "registry:household_edit": R(rules.EDIT_REGISTRY, "household"),
    "registry:household_move": R(rules.EDIT_REGISTRY, "household"),
    "registry:household_visited": post(rules.EDIT_REGISTRY, "household"),
    "registry:child_create": R(rules.EDIT_REGISTRY, "household", lambda o: {"household_pk": pk(o, "household")}),
    "registry:village_book_xlsx": R(rules.SEE_REGISTRY, "village"),
    "registry:village_book_pdf": R(rules.SEE_REGISTRY, "village"),
    # --- cases: who sees a case is `cases.access.cases_for_user` (404 for everyone else, whatever the role) -----
    "cases:dashboard": R(rules.SEE_CASES),
    "cases:intake": R(rules.RECORD_CASES),
    "cases:child_search": R(rules.RECORD_CASES),
    "cases:detail": R(LOGIN, "case"),
    "cases:step": R(
        LOGIN,
        "case",
        lambda o: {"pk": pk(o, "case"), "to": "verification"},
        act=lambda u, c: may_take(u, c, "verification"),
        state=True,
    ),
    "cases:event_add": R(LOGIN, "case", act=lambda u, c: bool(event_kinds_for(u, c))),
    "cases:assign": post(LOGIN, "case"),
    "cases:proposal_decide": post(
        LOGIN, "case", lambda o: {"pk": pk(o, "case"), "proposal": pk(o, "proposal"), "decision": "approve"}
    ),
    "cases:document": R(LOGIN, "case", lambda o: {"pk": pk(o, "case"), "mau": "01"}),
    "cases:disclosure_add": R(LOGIN, "case", act=on_case_team),
    "cases:closure_refuse": post(LOGIN, "case"),
    "cases:transfer": R(LOGIN, "case", act=on_case_team, state=True),
    "cases:outcome_add": R(LOGIN, "case", act=on_case_team, state=True),
    "cases:helpline_feedback": R(LOGIN, "case", act=on_case_team, state=True),
    "cases:sent_detail": R(LOGIN, "sent", lambda o: {"pk": o["sent"].case_id if o["sent"] else MISSING}),
    "cases:sent_list": R(LOGIN),
    "cases:referral_add": R(LOGIN, "case", act=can_work_on, state=True),
    "cases:referral_acknowledge": post(  # the case team's, on the referral's case
        LOGIN, "referral_case", lambda o: {"pk": pk(o, "referral_case"), "referral": pk(o, "referral")}
    ),
    "cases:referral_inbox": R(LOGIN, "referral_inbox", lambda o: {}),  # 404 for a user linked to no provider
    "cases:referral_received": R(LOGIN, "referral"),
    # --- support ------------------------------------------------------------------------------------------------
    "support:programmes": R(rules.SEE_REGISTRY),
    "support:programme": R(rules.SEE_REGISTRY, None, lambda o: {"code": o["programme"].code}),
    "support:round": R(rules.SEE_REGISTRY, "round"),
    "support:round_generate": post(rules.EDIT_REGISTRY, "round"),
    "support:round_approve": post((rules.SEE_REGISTRY, cap.PLANS_APPROVE), "round"),
    "support:round_xlsx": R(rules.SEE_REGISTRY, "round"),
    "support:round_deliver_all": post(rules.EDIT_REGISTRY, "round"),
    "support:child_search": R(rules.EDIT_REGISTRY, "round"),
    "support:row_add": post(rules.EDIT_REGISTRY, "round"),
    "support:row_exclude": post(rules.EDIT_REGISTRY, "round", sub("round", "row_pk", "beneficiary")),
    "support:row_restore": post(rules.EDIT_REGISTRY, "round", sub("round", "row_pk", "beneficiary")),
    "support:row_deliver": post(rules.EDIT_REGISTRY, "round", sub("round", "row_pk", "beneficiary")),
    "support:fund": R(rules.SEE_REGISTRY),
    "support:disasters": R(rules.SEE_REGISTRY),
    "support:disaster": R(rules.SEE_REGISTRY, "disaster"),
    "support:disaster_propose": post(rules.SEE_REGISTRY, "disaster"),
    "support:disaster_end": post(rules.SEE_REGISTRY, "disaster"),
    "support:affected_search": R(rules.SEE_REGISTRY, "disaster"),
    "support:affected_add": post(rules.SEE_REGISTRY, "disaster"),
    "support:affected_review": post(rules.SEE_REGISTRY, "disaster", sub("disaster", "row_pk", "affected")),
    "support:relief_round": post(rules.SEE_REGISTRY, "disaster"),
    # --- staff, finance, audit ----------------------------------------------------------------------------------
    "staff:roster": R(rules.SEE_STAFF),
    "staff:coverage": R(rules.SEE_STAFF),
    "staff:worker_add": R(rules.MANAGE_STAFF, "commune", UNIT("commune")),
    "staff:worker": R(rules.SEE_STAFF, "worker"),
    "staff:worker_edit": R(rules.MANAGE_STAFF, "worker"),
    "staff:worker_end": post(rules.MANAGE_STAFF, "worker"),
    "finance:ledger": R(rules.SEE_FINANCE),
    "finance:ledger_xlsx": R(rules.SEE_FINANCE),
    "finance:allocations": R(rules.SEE_FINANCE),
    "finance:allocation_edit": R(rules.MANAGE_FINANCE, "allocation"),
    "finance:allocation_delete": post(rules.MANAGE_FINANCE, "allocation"),
    "audit:search": R(rules.READ_AUDIT),
    # --- imports, matching --------------------------------------------------------------------------------------
    "imports:list": R(rules.RUN_IMPORTS),
    "imports:template": R(rules.RUN_IMPORTS),
    "imports:detail": R(rules.RUN_IMPORTS, "job"),
    "imports:status": R(rules.RUN_IMPORTS, "job"),
    "imports:mapping": R(rules.RUN_IMPORTS, "job"),
    "imports:commit": post(rules.RUN_IMPORTS, "job"),
    "imports:errors": R(rules.RUN_IMPORTS, "job"),
    "matching:queue": R(rules.REVIEW_DUPLICATES),
    "matching:pair": R(rules.REVIEW_DUPLICATES, "pair"),
    "matching:undo": post(rules.REVIEW_DUPLICATES, "pair"),
    "matching:merge_undo": post(rules.REVIEW_DUPLICATES, "merge"),
    "matching:run_start": post(rules.REVIEW_DUPLICATES),
    "matching:run": R(rules.REVIEW_DUPLICATES, "run"),
    # --- indicators, quality ------------------------------------------------------------------------------------
    "indicators:table": R(rules.SEE_FIGURES),
    "indicators:compute": post(rules.ENTER_FIGURES),
    "indicators:export": R(
        rules.SEE_FIGURES, "commune", lambda o: {}, query=lambda o: {"unit": pk(o, "commune"), "period": o["period"]}
    ),
    "indicators:entry_start": R(rules.ENTER_FIGURES),
    "indicators:entry": R(rules.ENTER_FIGURES, "commune", UNIT("commune")),
    "indicators:completeness": R(COMPLETENESS, "commune", UNIT("commune")),
    "indicators:targets_start": R(rules.SEE_FIGURES),
    "indicators:targets": R(rules.SEE_FIGURES, "commune", UNIT("commune")),
    "indicators:reform": R(rules.SEE_FIGURES, "commune", UNIT("commune")),
    "indicators:reform_run": post(rules.ENTER_FIGURES, "commune", UNIT("commune")),
    "quality:table": R(rules.SEE_REGISTRY),
    "quality:commune": R(rules.SEE_REGISTRY, "commune"),
    # --- plans: who sees a plan or a task is `plans.selectors` (managers in scope, agencies their tasks) --------
    "plans:plan_list": R(rules.SEE_PLANS),
    "plans:plan_add": R(rules.MANAGE_PLANS, unitless=404),  # a plan of the unit the user works for
    "plans:programmes": R(rules.SEE_PLANS),
    "plans:my_tasks": R(rules.SEE_PLANS),
    "plans:plan_detail": R(rules.SEE_PLANS, "plan"),
    "plans:section_add": post(rules.MANAGE_PLANS, "plan"),
    "plans:task_add": R(rules.MANAGE_PLANS, "plan", act=may_manage, act_refusal=404),
    "plans:plan_approve": post(rules.MANAGE_PLANS, "plan"),
    "plans:task_detail": R(rules.SEE_PLANS, "task"),
    "plans:progress_add": post(rules.SEE_PLANS, "task"),
    "plans:event_report": post(rules.SEE_PLANS, "task"),
    "plans:participant_picker": R((rules.SEE_PLANS, rules.SEE_REGISTRY), "event_task", act=may_report, act_refusal=404),
    "plans:participant_add": post((rules.SEE_PLANS, rules.SEE_REGISTRY), "task"),
    "plans:participant_remove": post(
        (rules.SEE_PLANS, rules.SEE_REGISTRY), "task", sub("task", "participant_id", "participant")
    ),
    "plans:recommendation_add": post(rules.SEE_PLANS, "task"),
    "plans:recommendation_follow_up": post(rules.SEE_PLANS, "task", sub("task", "rec_id", "recommendation")),
    "plans:evidence_download": R(rules.SEE_PLANS, "plan_evidence"),
    # --- activities: `activities.selectors` (managers in scope, agencies their own); editing: `may_edit` --------
    "activities:activity_list": R(SEE_ACTIVITIES),
    "activities:activity_add": R(SEE_ACTIVITIES),
    "activities:activity_detail": R(SEE_ACTIVITIES, "activity"),
    "activities:activity_edit": R(SEE_ACTIVITIES, "activity_edit"),
    "activities:material_add": post(SEE_ACTIVITIES, "activity_edit"),
    "activities:finding_add": post(SEE_ACTIVITIES, "activity_edit"),
    "activities:finding_done": post(SEE_ACTIVITIES, "activity_edit", sub("activity", "finding_id", "finding")),
    "activities:decision_add": post(SEE_ACTIVITIES, "activity_edit"),
    "activities:cost_add": post(SEE_ACTIVITIES, "activity_edit"),
    "activities:cost_remove": post(SEE_ACTIVITIES, "activity_edit", sub("activity", "line_id", "cost_line")),
    "activities:evidence_add": post(SEE_ACTIVITIES, "activity_edit"),
    "activities:person_picker": R(SEE_ACTIVITIES, "activity_edit"),
    "activities:person_add": post(SEE_ACTIVITIES, "activity_edit"),
    "activities:person_remove": post(SEE_ACTIVITIES, "activity_edit", sub("activity", "person_id", "listed_person")),
    "activities:evidence_download": R(SEE_ACTIVITIES, "activity_evidence"),
    # --- assessments, directory, reporting ----------------------------------------------------------------------
    "assessments:list": R(SEE_REPORTS),
    "assessments:start": post(SEE_REPORTS, "commune", UNIT("commune")),
    "assessments:detail": R(SEE_REPORTS, "assessment"),
    "assessments:score": post(SEE_REPORTS, "assessment", sub("assessment", "item_id", "item")),
    "assessments:category": post(SEE_REPORTS, "assessment"),
    "assessments:prefill": post(SEE_REPORTS, "assessment"),
    "assessments:evidence_add": post(SEE_REPORTS, "assessment"),
    "assessments:submit": post(SEE_REPORTS, "assessment"),
    "assessments:appraise": R(SEE_REPORTS, "assessment", act=lambda u, a: can_appraise(u, a.unit)),
    "assessments:decide": R(SEE_REPORTS, "assessment", act=lambda u, a: can_appraise(u, a.unit)),
    "assessments:evidence": R(SEE_REPORTS, "assessment_evidence"),
    "directory:list": R(rules.SEE_UNITS),
    "directory:add": R(rules.MANAGE_DIRECTORY),
    "directory:detail": R(rules.SEE_UNITS, "provider"),
    "directory:edit": R(rules.MANAGE_DIRECTORY, "provider"),
    "reporting:index": R(SEE_REPORTS),
    "reporting:cycle": R(SEE_REPORTS, None, lambda o: {"cycle_id": pk(o, "cycle")}),
    "reporting:start": post(cap.REPORTS_SUBMIT, None, lambda o: {"cycle_id": pk(o, "cycle")}),
    "reporting:detail": R(SEE_REPORTS, "report"),
    "reporting:save": post(cap.REPORTS_SUBMIT, "report"),
    "reporting:refresh": post(cap.REPORTS_SUBMIT, "report"),
    "reporting:submit": post(cap.REPORTS_SUBMIT, "report"),
    "reporting:return": post(cap.REPORTS_REVIEW, "report"),
    "reporting:approve": post(cap.REPORTS_REVIEW, "report"),
    "reporting:attach": post(cap.REPORTS_SUBMIT, "report"),
    "reporting:pdf": R(SEE_REPORTS, "report"),
    "reporting:docx": R(SEE_REPORTS, "report"),
    "reporting:attachment": R(SEE_REPORTS, "attachment"),
    # --- API tokens, id verification, dashboards, language ------------------------------------------------------
    "api_tokens:list": R(LOGIN),
    "api_tokens:new": post(LOGIN),
    "api_tokens:revoke": post(LOGIN, "token"),
    "api_idcheck:page": R(rules.EDIT_REGISTRY),
    "api_idcheck:export": R(rules.EXPORT_REGISTRY, None, lambda o: {"fmt": "xlsx"}),
    "api_idcheck:import": post(rules.EDIT_REGISTRY),
    "dashboards:start": R(rules.SEE_FIGURES),
    "dashboards:unit": R(rules.SEE_FIGURES, "commune", lambda o: {"code": o["commune"].code}),
    "set_language": R(PUBLIC),  # a GET only redirects back
    # --- the API (/api/): token or session; 401 without either ------------------------------------------------
    "api:openapi-json": R(PUBLIC),
    "api:openapi-view": R(PUBLIC),
    "api:api-root": R(PUBLIC, fixed=404),  # django-ninja's root: no page, for anyone
    "api:unit_list": R(rules.SEE_UNITS),
    "api:unit_get": R(rules.SEE_UNITS, "commune", lambda o: {"unit_id": pk(o, "commune")}),
    "api:unit_subtree": R(rules.SEE_UNITS, "commune", lambda o: {"unit_id": pk(o, "commune")}),
    "api:village_list": R(rules.SEE_UNITS),
    "api:household_list": R(rules.SEE_REGISTRY),
    "api:household_get": R(rules.SEE_REGISTRY, "household", lambda o: {"household_id": pk(o, "household")}),
    "api:child_list": R(rules.SEE_REGISTRY),
    "api:child_get": R(rules.SEE_REGISTRY, "child", lambda o: {"child_id": pk(o, "child")}),
    "api:circumstance_list": R(rules.SEE_REGISTRY),
    "api:case_list": R(rules.SEE_CASES),
    "api:case_get": R(rules.SEE_CASES, "case", lambda o: {"case_id": pk(o, "case")}),
    "api:indicator_list": R(rules.SEE_FIGURES),
    "api:indicator_get": R(rules.SEE_FIGURES, None, lambda o: {"code": o["indicator"].code}),
    "api:data_value_list": R(rules.SEE_FIGURES, "commune", lambda o: {}, query=FIGURES_QUERY),
    "api:data_value_enter": post(rules.ENTER_FIGURES, shared=True),
    "api:dhis2_value_set": R(rules.SEE_FIGURES, "commune", lambda o: {}, query=FIGURES_QUERY),
    "api:cycle_list": R(SEE_REPORTS),
    "api:cycle_get": R(SEE_REPORTS, None, lambda o: {"cycle_id": pk(o, "cycle")}),
    "api:cycle_status": R(SEE_REPORTS, None, lambda o: {"cycle_id": pk(o, "cycle")}),
    "api:sync_figures_changes": R(rules.ENTER_FIGURES),
    "api:sync_households_changes": R(rules.SEE_REGISTRY),
    "api:sync_households_receive": post(rules.EDIT_REGISTRY, shared=True),
    "api:sync_children_changes": R(rules.SEE_REGISTRY),
    "api:sync_children_receive": post(rules.EDIT_REGISTRY, shared=True),
    "api:sync_circumstances_changes": R(rules.SEE_REGISTRY),
    "api:sync_circumstances_receive": post(rules.EDIT_REGISTRY, shared=True),
    "api:task_list": R(rules.SEE_PLANS),
    "api:task_get": R(rules.SEE_PLANS, "task", lambda o: {"task_id": pk(o, "task")}),
    "api:task_progress": post(rules.SEE_PLANS, "task", lambda o: {"task_id": pk(o, "task")}),
}

ADMIN_NAMESPACE = "admin"  # Django's admin: staff only (the login page itself public); classified as a whole
