"""The report pages: who sees and does what; out of scope answers 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.reporting import services
from treem.reporting.models import Status
from treem.reporting.tests.conftest import put_figure, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tree, officer, cycle):  # noqa: ANN001, ANN201
    put_figure(tree.commune, "children", 120)
    return services.start_report(cycle=cycle, unit=tree.commune, actor=officer)


def test_the_officer_writes_the_report_in_the_page(client, officer, draft) -> None:  # noqa: ANN001
    client.force_login(officer)
    page = client.get(reverse("reporting:detail", args=[draft.pk]))
    assert page.status_code == 200
    assert 'data-testid="figure-children">120<' in page.content.decode()
    data = {f"s_{k}": v for k, v in written(results="Đã tổ chức 3 buổi truyền thông").items()}
    answer = client.post(
        reverse("reporting:save", args=[draft.pk]), data | {"number": "12/BC-UBND"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert 'data-testid="saved"' in body and "<html" not in body  # the form alone, swapped in place
    draft.refresh_from_db()
    assert draft.narratives["results"] == "Đã tổ chức 3 buổi truyền thông" and draft.number == "12/BC-UBND"
    client.post(reverse("reporting:submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_a_province_cannot_edit_a_commune_draft(client, province_officer, draft) -> None:  # noqa: ANN001
    client.force_login(province_officer)
    assert client.get(reverse("reporting:detail", args=[draft.pk])).status_code == 200  # it reads it
    answer = client.post(reverse("reporting:save", args=[draft.pk]), {"s_results": "Tỉnh sửa"})
    assert answer.status_code == 403
    assert client.post(reverse("reporting:submit", args=[draft.pk])).status_code == 403  # not its own unit
    draft.refresh_from_db()
    assert draft.narratives.get("results") is None and draft.status == Status.DRAFT


def test_a_commune_cannot_approve(client, officer, draft) -> None:  # noqa: ANN001
    services.save_text(report=draft, actor=officer, narratives=written())
    services.submit(report=draft, actor=officer)
    client.force_login(officer)
    assert client.post(reverse("reporting:approve", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_out_of_scope_is_not_found(client, sibling_officer, make_user, tree, draft) -> None:  # noqa: ANN001
    from treem.accounts import roles

    client.force_login(sibling_officer)
    assert client.get(reverse("reporting:detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("reporting:save", args=[draft.pk]), {"s_results": "x"}).status_code == 404
    far = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    client.force_login(far)
    assert client.post(reverse("reporting:approve", args=[draft.pk])).status_code == 404
    assert (
        client.get(reverse("reporting:cycle", args=[draft.cycle_id]) + f"?unit={tree.province.pk}").status_code == 404
    )


def test_the_completeness_page_shows_each_sub_unit_and_a_chart(client, province_officer, tree, draft) -> None:  # noqa: ANN001
    client.force_login(province_officer)
    page = client.get(reverse("reporting:cycle", args=[draft.cycle_id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert f'data-testid="row-{tree.commune.code}"' in body and f'data-testid="row-{tree.sibling.code}"' in body
    assert "<svg" in body and 'data-testid="chart"' in body
    totals = page.context["data"].totals
    assert (totals.total, totals.submitted, totals.missing) == (2, 0, 2)


def test_attachments_are_added_by_the_unit_and_read_in_scope(client, officer, sibling_officer, draft) -> None:  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf")
    client.post(reverse("reporting:attach", args=[draft.pk]), {"file": pdf})
    script = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    client.post(reverse("reporting:attach", args=[draft.pk]), {"file": script})
    (att,) = draft.attachments.all()  # the .exe was refused
    answer = client.get(reverse("reporting:attachment", args=[att.pk]))
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == b"%PDF-1.4 synthetic"
    client.force_login(sibling_officer)
    assert client.get(reverse("reporting:attachment", args=[att.pk])).status_code == 404


def test_small_figures_are_hidden_from_a_reader_without_exact_figures(client, tree, officer, make_user, cycle) -> None:  # noqa: ANN001
    from treem.accounts import roles

    put_figure(tree.commune, "abused_children", 3)
    report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    client.force_login(officer)  # figures.exact
    assert (
        'data-testid="figure-abused_children">3<'
        in client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    )
    client.force_login(make_user(roles.COMMUNE_CHAIRMAN, tree.commune))  # no figures.exact
    body = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert 'data-testid="figure-abused_children">&lt;5<' in body


def test_a_text_too_long_is_refused_on_the_form(client, officer, draft) -> None:  # noqa: ANN001
    client.force_login(officer)
    answer = client.post(reverse("reporting:save", args=[draft.pk]), {"s_results": "Đã làm", "number": "9" * 41})
    assert answer.status_code == 200 and answer.context["form"].errors["number"]
    draft.refresh_from_db()
    assert "results" not in draft.narratives
