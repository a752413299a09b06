"""Hostile input: markup in every user-entered text field rendered escaped on every page; formulas neutralised in
every spreadsheet and CSV Treem writes; SQL-ish, over-long, NUL and non-UTF-8 filter values answered without a
server error and without extra rows."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import urlencode

import openpyxl
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from treem.units.models import Level, Unit

from .conftest import World, sign_in
from .routes import PUBLIC, ROUTES

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://x.invalid","y")'
JS_URL = "javascript:alert(1)"
PAYLOADS = (SCRIPT, IMG, FORMULA, "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3")
RAW = ("<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>")
JS_IN_ATTRIBUTE = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)

# the text fields people type into, by model (codes, paths, keys and reference tables left out)
USER_TEXT: dict[str, tuple[str, ...]] = {
    "accounts.User": ("first_name", "last_name"),
    "registry.Household": ("address", "head_name", "note"),
    "registry.HouseholdVisit": ("note",),
    "registry.Person": ("full_name", "occupation"),
    "registry.Child": ("full_name", "status_note", "note"),
    "registry.Circumstance": ("note",),
    "registry.Incident": ("note",),
    "directory.Provider": ("name", "address", "contact_name", "note"),
    "cases.Case": (
        "child_name", "description", "father_name", "father_occupation", "mother_name", "mother_occupation",
        "family_situation", "likely_consequence", "measures_taken", "informant_name", "informant_contact",
        "helpline_feedback_note",
    ),
    "cases.CaseEvent": ("note",),
    "cases.CaseTransfer": ("reason",),
    "cases.Disclosure": ("recipient", "purpose", "parent_consent_name"),
    "cases.LegalOutcome": ("authority", "decree", "note"),
    "cases.GroupProposal": ("reason",),
    "cases.Referral": ("service", "acknowledged_name", "acknowledgement_note"),
    "finance.Allocation": ("purpose", "decision_no"),
    "support.Round": ("name", "item"),
    "support.Beneficiary": ("reason", "exclusion_reason"),
    "support.Delivery": ("item", "delivered_by", "note"),
    "support.Donation": ("donor", "note"),
    "support.FundSpending": ("purpose",),
    "support.Disaster": ("name", "description"),
    "support.AffectedChild": ("reason", "note"),
    "staff.Worker": ("full_name", "note"),
    "plans.Agency": ("name", "short_name"),
    "plans.Plan": ("number", "title", "approved_by"),
    "plans.Section": ("title",),
    "plans.Task": ("title", "description", "expected_result", "theme"),
    "plans.ProgressUpdate": ("note", "difficulties", "author_name"),
    "plans.Evidence": ("name",),
    "plans.EventReport": ("narrative",),
    "plans.Recommendation": ("text", "addressed_to", "follow_up"),
    "activities.Activity": ("title", "place", "description"),
    "activities.Material": ("note",),
    "activities.Finding": ("text", "follow_up", "responsible"),
    "activities.Decision": ("text", "responsible"),
    "activities.CostLine": ("note",),
    "activities.Evidence": ("name",),
    "assessments.Assessment": ("appraisal_note", "decision_number"),
    "assessments.Score": ("note",),
    "assessments.Evidence": ("name",),
    "reporting.Report": ("number", "signer_name", "signer_title", "review_comment"),
    "reporting.ReportStep": ("comment",),
    "reporting.Attachment": ("name",),
    "api.ApiToken": ("name",),
}  # fmt: skip

READERS = ("commune_officer@home", "commune_chairman@home", "province_specialist@home", "agency_reporter@home")


def poison(world: World) -> int:
    """Every user-entered text field of every record holds a payload (the village names too); the number written.
    Each record's text ends with its id, for the fields a unique constraint covers (an agency's name)."""
    written = 0
    for n, (label, fields) in enumerate(USER_TEXT.items()):
        model = apps.get_model(label)
        for pk in model.objects.values_list("pk", flat=True):
            values = {}
            for k, name in enumerate(fields):
                limit = (model._meta.get_field(name).max_length or 10_000) - 10
                values[name] = f"{PAYLOADS[(n + k) % len(PAYLOADS)][:limit]} #{pk}"
            written += model.objects.filter(pk=pk).update(**values) * len(values)
    written += Unit.objects.filter(level=Level.VILLAGE).update(name=SCRIPT, short_name=IMG)
    return written


@pytest.fixture(scope="module")
def poisoned(world: World, django_db_blocker) -> World:  # noqa: ANN001
    with django_db_blocker.unblock():
        assert poison(world) > 200
        for record in world.objects.values():
            if hasattr(record, "refresh_from_db"):
                record.refresh_from_db()
    return world


def _pages(world: World, who: str) -> list[tuple[str, Any]]:
    client = Client()
    sign_in(client, world.users[who])
    out = []
    for name, route in sorted(ROUTES.items()):
        if not route.get or route.shared or route.fixed or route.rule is PUBLIC or not route.allows(world.users[who]):
            continue
        url = reverse(name, kwargs=route.kwargs(world.objects))
        out.append((name, client.get(url, {**route.query_of(world.objects), "next": JS_URL, "back": JS_URL})))
    return out


def _cells(response: Any) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.headers.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body))
        found = []
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        found.append(f"formula {c.value!r}")
                    elif isinstance(c.value, str):
                        found.append(c.value)
        return found
    if "text/csv" in kind:
        return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]
    return []


@pytest.mark.parametrize("who", READERS)
def test_markup_escaped_on_every_page_and_no_formula_in_any_export(poisoned: World, who: str) -> None:
    """Every page the reader opens shows the payloads as text (escaped), no `javascript:` URL lands in a link (the
    `next`/`back` parameters carry one), and no cell of a spreadsheet or CSV download starts a formula; and every
    answer is uncacheable and unsniffable, every page unframeable with a script policy."""
    wrong = []
    shown = cells = 0
    for name, response in _pages(poisoned, who):
        assert response.status_code < 500, f"{name}: {response.status_code}"
        headers = response.headers
        if "no-store" not in headers.get("Cache-Control", "") or headers.get("X-Content-Type-Options") != "nosniff":
            wrong.append(f"{name}: cacheable or sniffable ({headers.get('Cache-Control')})")
        if "text/html" in headers.get("Content-Type", "") and not (
            headers.get("X-Frame-Options") == "DENY" and "script-src" in headers.get("Content-Security-Policy", "")
        ):
            wrong.append(f"{name}: a page without frame denial or script policy")
        for value in _cells(response):
            cells += 1
            if value.startswith(("formula ", "=", "+", "-", "@", "\t", "\r")):
                wrong.append(f"{name}: a formula cell {value[:40]!r}")
        if "text/html" not in response.headers.get("Content-Type", "") or response.streaming:
            continue
        body = response.content.decode()
        shown += body.count("&lt;script&gt;alert(1)") + body.count("&lt;img src=x onerror")
        if any(raw in body for raw in RAW):
            wrong.append(f"{name}: raw markup")
        if JS_IN_ATTRIBUTE.search(body):
            wrong.append(f"{name}: a javascript: URL in an attribute")
    assert shown > 20, "the payloads were not shown at all: the test would prove nothing"
    assert cells > 20 or who == "agency_reporter@home"
    assert not wrong, f"{who}:\n" + "\n".join(wrong)


def test_the_programme_list_csv_neutralises_formulas(poisoned: World, tmp_path) -> None:  # noqa: ANN001
    """`treem support beneficiaries --out FILE.csv`: the children's names and villages come from the registry."""
    from django.core.management import call_command

    from treem.core.dates import today_vn
    from treem.registry.models import Child

    Child.objects.update(full_name=FORMULA)
    out = tmp_path / "list.csv"
    for code in poisoned.objects["programme"].__class__.objects.values_list("code", flat=True):
        call_command("support", "beneficiaries", programme=code, unit=poisoned.tree.commune.code,
                     on=today_vn().isoformat(), out=str(out), stdout=io.StringIO())  # fmt: skip
        rows = list(csv.reader(out.open(encoding="utf-8")))
        if len(rows) > 1:
            break
    assert len(rows) > 1, "no programme listed a child: the test would prove nothing"
    bad = [cell for row in rows[1:] for cell in row if cell.startswith(("=", "+", "-", "@"))]
    assert not bad, bad[:5]


# --- filters ----------------------------------------------------------------------------------------------------

HOSTILE = (
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    '" OR ""="',
    "x" * 5000,
    "1; DROP TABLE registry_child",
    "１２３",
    "\x00",
    "a\x00b",
)
FILTER_NAMES = (
    "q", "name", "search", "status", "unit", "village", "commune", "period", "year", "sex", "age", "group", "page",
    "sort", "before", "after", "kind", "programme", "indicator", "format", "date_from", "date_to",
)  # fmt: skip


def test_hostile_filters_never_break_a_list(world: World) -> None:
    """Every list page (and API list) with every filter at once set to SQL-ish, wildcard, over-long or NUL text:
    an answer (200, a redirect, 400 or 404), never a server error."""
    wrong = []
    for who in ("commune_officer@home", "province_specialist@home"):
        client = Client()
        sign_in(client, world.users[who])
        for name, route in sorted(ROUTES.items()):
            if not route.get or route.shared or route.fixed or not route.allows(world.users[who]):
                continue
            if route.obj is not None and route.query is None:
                continue  # a record's page: no filters
            url = reverse(name, kwargs=route.kwargs(world.objects))
            for value in HOSTILE:
                response = client.get(url, dict.fromkeys(FILTER_NAMES, value))
                if response.status_code >= 500:
                    wrong.append(f"{name} {value[:20]!r}: {response.status_code}")
            raw = client.get(url, QUERY_STRING="q=%FF%FE%00&name=%C3%28&unit=%E0%80%AF")  # not UTF-8
            if raw.status_code >= 500:
                wrong.append(f"{name} not UTF-8: {raw.status_code}")
    assert not wrong, "\n".join(wrong)


def test_sql_ish_search_finds_nothing(world: World) -> None:
    """A search for `' OR 1=1 --` (or a lone wildcard) is a search for that text: no child matches it."""
    from treem.registry.models import Child

    client = Client()
    sign_in(client, world.users["commune_officer@home"])
    mine = Child.objects.filter(unit_path__startswith=world.tree.commune.path)
    for pk in mine.values_list("pk", flat=True):  # names of our own (another test of the module may poison them)
        mine.filter(pk=pk).update(full_name=f"Tòng Thị Mẫu {pk:05d}")
    names = [f"Tòng Thị Mẫu {pk:05d}" for pk in mine.values_list("pk", flat=True)]
    listed = client.get(reverse("registry:child_list")).content.decode()
    assert any(n in listed for n in names), "the control: without a search the list shows the children"
    for value in ("' OR 1=1 --", "%", "_", '" OR ""="', "*"):
        body = client.get(reverse("registry:child_list"), {"q": value}).content.decode()
        assert not [n for n in names if n in body], value
        data = client.get("/api/children", {"q": value, "status": ""}).json()
        assert data["count"] == 0 if "count" in data else not data["items"], (value, data)


def test_a_nul_byte_in_a_parameter_is_a_bad_request(world: World) -> None:
    """PostgreSQL cannot hold or compare text with a NUL byte (a server error on every filter that reads one), and
    no person types one: a query or form parameter with a NUL is answered 400, on both databases, before any view."""
    client = Client()
    sign_in(client, world.users["commune_officer@home"])
    for url in (reverse("registry:child_list"), reverse("directory:list"), "/api/children"):
        response = client.get(url, {"q": "a\x00b"})
        assert response.status_code == 400, url
    assert client.get(reverse("directory:list"), {"a\x00": "b"}).status_code == 400
    form = "application/x-www-form-urlencoded"  # as a browser sends a form without files
    response = client.post(reverse("registry:household_create"), urlencode({"head_name": "a\x00b"}), form)
    assert response.status_code == 400
    assert any(t.name == "400.html" for t in response.templates)
    assert client.get(reverse("registry:child_list"), {"q": "ab"}).status_code == 200


def test_markup_typed_through_the_services_is_shown_as_text(world: World) -> None:
    """The same through the services people use (a household, a child, a case, a plan's task, an activity, a
    provider, a worker): the service keeps the text as typed, the record's page and its list show it escaped."""
    import datetime as dt

    from treem.activities import services as activities
    from treem.activities.models import ActivityType
    from treem.cases import services as cases
    from treem.core.dates import today_vn
    from treem.directory.models import ProviderKind
    from treem.directory.services import ProviderInput, provider_save
    from treem.plans import services as plans
    from treem.registry import services as registry
    from treem.staff import services as staff
    from treem.staff.models import Position

    officer = world.users["commune_officer@home"]
    specialist = world.users["province_specialist@home"]
    t = world.tree
    household = registry.household_create(actor=officer, commune=t.commune, village=t.village, head_name=SCRIPT,
                                          address=IMG)  # fmt: skip
    child = registry.child_register(
        actor=officer, household=household,
        data=registry.ChildInput(full_name=IMG, sex="F", date_of_birth=dt.date(2015, 3, 4)),
    )  # fmt: skip
    case = cases.case_open(
        actor=officer, commune=t.commune, intake_at=dt.datetime.now(tz=dt.UTC), channel="hotline_111",
        category="at_risk", description=SCRIPT, child=child, abuse_forms=["exploitation"], setting="home",
    )  # fmt: skip
    plan = world.objects["plan"]
    task = plans.task_create(actor=specialist, section=plan.sections.first(), title=IMG, deadline=today_vn(),
                             description=SCRIPT, assignee_unit=t.commune)  # fmt: skip
    activity = activities.activity_create(
        actor=officer, type=ActivityType.objects.first(), unit=t.commune, title=SCRIPT, starts_on=today_vn(),
        place=IMG, description=SCRIPT,
    )  # fmt: skip
    provider = provider_save(actor=officer, data=ProviderInput(
        kind=ProviderKind.objects.first(), unit=t.commune, name=SCRIPT, address=IMG, note=SCRIPT,
    ))  # fmt: skip
    worker = staff.worker_create(actor=officer, position=Position.OFFICER, unit=t.commune, full_name=IMG,
                                 since=today_vn(), note=SCRIPT)  # fmt: skip
    assert household.head_name == SCRIPT and child.full_name == IMG and provider.name == SCRIPT
    pages = [
        ("commune_officer@home", reverse("registry:household_detail", args=[household.pk])),
        ("commune_officer@home", reverse("registry:child_detail", args=[child.pk])),
        ("commune_officer@home", reverse("registry:child_list")),
        ("commune_chairman@home", reverse("cases:detail", args=[case.pk])),
        ("commune_chairman@home", reverse("cases:dashboard")),
        ("province_specialist@home", reverse("plans:task_detail", args=[task.pk])),
        ("province_specialist@home", reverse("plans:plan_detail", args=[plan.pk])),
        ("commune_officer@home", reverse("activities:activity_detail", args=[activity.pk])),
        ("commune_officer@home", reverse("activities:activity_list")),
        ("commune_officer@home", reverse("directory:detail", args=[provider.pk])),
        ("commune_officer@home", reverse("directory:list")),
        ("commune_officer@home", reverse("staff:worker", args=[worker.pk])),
        ("commune_officer@home", reverse("staff:roster")),
    ]
    for who, url in pages:
        client = Client()
        sign_in(client, world.users[who])
        body = client.get(url).content.decode()
        assert not any(raw in body for raw in RAW), url
        assert "&lt;script&gt;alert(1)" in body or "&lt;img src=x onerror" in body, f"{url}: the text is not shown"
