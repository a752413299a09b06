"""The pages: the list per unit and year, the assessment form (HTMX per item), appraisal and decision, evidence
downloads; out of scope answers 404, a step the user may not take 403."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from treem.assessments import services
from treem.assessments.models import Assessment, Evidence, Item, Score, Status
from treem.core.dates import format_vn, today_vn

from .conftest import score_all

pytestmark = pytest.mark.django_db


def test_the_province_sees_its_communes_status(client, tree, province, draft) -> None:  # noqa: ANN001
    client.force_login(province)
    html = client.get(reverse("assessments:list"), {"year": 2025}).content.decode()
    assert "Xã Khun Há" in html and "Xã Bình Lư" in html
    assert "Phường Long Khánh" not in html  # another province
    assert reverse("assessments:detail", args=[draft.pk]) in html


def test_a_commune_sees_only_itself_and_starts_its_assessment(client, tree, officer) -> None:  # noqa: ANN001
    client.force_login(officer)
    html = client.get(reverse("assessments:list"), {"year": 2025}).content.decode()
    assert "Xã Khun Há" in html and "Xã Bình Lư" not in html
    assert 'data-testid="start-03430"' in html
    response = client.post(reverse("assessments:start", args=[tree.commune.pk]), {"year": 2025})
    assessment = Assessment.objects.get(unit=tree.commune, year=2025)
    assert response.status_code == 302 and response.url == reverse("assessments:detail", args=[assessment.pk])
    html = client.get(response.url).content.decode()
    assert 'data-testid="item-13.1"' in html and 'hx-post="' in html


def test_out_of_scope_is_404(client, tree, sibling_officer, other_province, draft) -> None:  # noqa: ANN001
    upload = SimpleUploadedFile("a.txt", b"x")
    evidence = services.evidence_add(actor=draft.created_by, assessment=draft, item=None, upload=upload)
    for user in (sibling_officer, other_province):
        client.force_login(user)
        assert client.get(reverse("assessments:detail", args=[draft.pk])).status_code == 404
        assert client.get(reverse("assessments:appraise", args=[draft.pk])).status_code == 404
        assert client.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 404
        assert client.post(reverse("assessments:start", args=[tree.commune.pk]), {"year": 2024}).status_code == 404
        assert client.get(reverse("assessments:list"), {"unit": tree.commune.pk}).status_code == 404


def test_the_score_form_answers_the_item_and_the_summary(client, officer, draft) -> None:  # noqa: ANN001
    client.force_login(officer)
    item = Item.objects.get(code="7.1")
    url = reverse("assessments:score", args=[draft.pk, item.pk])
    response = client.post(url, {"7.1-points": "40", "7.1-note": "Sổ tiêm chủng"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="item-{item.pk}"' in html and 'hx-swap-oob="true"' in html
    assert Score.objects.get(assessment=draft, item=item).points == 40
    response = client.post(url, {"7.1-points": "51"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert Score.objects.get(assessment=draft, item=item).points == 40


def test_a_commune_cannot_open_the_appraisal_or_decision_of_itself(client, officer, chairman, draft) -> None:  # noqa: ANN001
    score_all(draft)
    services.assessment_submit(actor=officer, assessment=draft)
    for user in (officer, chairman):
        client.force_login(user)
        assert client.get(reverse("assessments:appraise", args=[draft.pk])).status_code == 403
        response = client.post(reverse("assessments:decide", args=[draft.pk]), {"number": "1", "date": "01/12/2025"})
        assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.SELF_ASSESSED


def test_appraisal_and_decision_pages(client, officer, province, draft) -> None:  # noqa: ANN001
    score_all(draft)
    services.assessment_submit(actor=officer, assessment=draft)
    client.force_login(province)
    detail = reverse("assessments:detail", args=[draft.pk])
    assert 'data-testid="go-appraise"' in client.get(detail).content.decode()
    response = client.post(reverse("assessments:appraise", args=[draft.pk]), {"agree": "yes"})
    assert response.status_code == 302
    today = format_vn(today_vn())
    response = client.post(reverse("assessments:decide", args=[draft.pk]), {"number": "88/QĐ-UBND", "date": today})
    assert response.status_code == 302
    html = client.get(detail).content.decode()
    assert f"88/QĐ-UBND · {today}" in html
    draft.refresh_from_db()
    assert draft.status == Status.RECOGNISED


def test_evidence_upload_and_download_in_scope(client, officer, province, draft) -> None:  # noqa: ANN001
    client.force_login(officer)
    item = Item.objects.get(code="1.1")
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF synthetic", content_type="application/pdf")
    response = client.post(reverse("assessments:evidence_add", args=[draft.pk]), {"item": item.pk, "file": upload})
    assert response.status_code == 302
    evidence = Evidence.objects.get(assessment=draft)
    client.force_login(province)
    response = client.get(reverse("assessments:evidence", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF synthetic"
    assert "ke-hoach.pdf" in response["Content-Disposition"]


def test_the_menu_shows_the_link_to_those_who_may_see(client, officer, make_user, tree) -> None:  # noqa: ANN001
    from treem.accounts import roles

    client.force_login(officer)
    assert reverse("assessments:list") in client.get(reverse("ui:home")).content.decode()
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    client.force_login(collaborator)
    assert reverse("assessments:list") not in client.get(reverse("ui:home")).content.decode()
    assert client.get(reverse("assessments:list")).status_code == 403


def test_the_page_reads_its_rows_once(client, officer, draft, django_assert_max_num_queries) -> None:  # noqa: ANN001
    """The criteria, the scores and the evidence: one read each."""
    services.evidence_add(
        actor=officer, assessment=draft, item=Item.objects.get(code="1.1"), upload=SimpleUploadedFile("a.txt", b"x")
    )
    client.force_login(officer)
    client.get(reverse("assessments:detail", args=[draft.pk]))  # warm the session and the role caches
    with django_assert_max_num_queries(30) as ctx:
        assert client.get(reverse("assessments:detail", args=[draft.pk])).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum('FROM "assessments_score"' in q for q in sql) == 1
    assert sum('FROM "assessments_evidence"' in q for q in sql) == 1
    assert sum('FROM "assessments_criterion"' in q for q in sql) == 1
