"""Uploads: a file name that tries to climb out (`../../etc/passwd`, `..\\x.xlsx`, an absolute path) is stored under
the media root and nowhere else; a file of a kind a form does not take is refused with a message, not a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse

from .conftest import World, sign_in

pytestmark = pytest.mark.django_db

CLIMBERS = ("../../etc/passwd.pdf", "..\\..\\x.pdf", "/etc/cron.d/x.pdf", "C:\\Windows\\x.pdf", "....//....//y.pdf")
PDF = b"%PDF-1.4 synthetic\n"


def _file(name: str, content: bytes = PDF, content_type: str = "application/pdf") -> SimpleUploadedFile:
    upload = SimpleUploadedFile("x", content, content_type=content_type)
    upload._name = name  # type: ignore[attr-defined]  # as a hostile client sends it, past UploadedFile's basename()
    return upload


def _uploads(world: World) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(who, url, file field, other fields) of every form that takes a file."""
    from treem.assessments.models import Assessment
    from treem.assessments.services import assessment_start

    o = world.objects
    today = "2026-01-01"
    officer = world.users["commune_officer@home"]
    draft = Assessment.objects.filter(unit=world.tree.commune, status="draft").order_by("pk").first()
    if draft is None:  # the demo's assessment of the commune is already sent: the commune's draft of another year
        years = set(Assessment.objects.filter(unit=world.tree.commune).values_list("year", flat=True))
        year = next(y for y in range(2020, 2040) if y not in years)
        draft = assessment_start(actor=officer, unit=world.tree.commune, year=year)
    return [
        ("commune_officer@home", reverse("activities:evidence_add", args=[o["activity"].pk]), "file", {}),
        ("commune_officer@home", reverse("reporting:attach", args=[o["report"].pk]), "file", {}),
        ("commune_officer@home", reverse("assessments:evidence_add", args=[draft.pk]), "file", {}),
        ("commune_officer@home", reverse("imports:list"), "file", {}),
        ("commune_officer@home", reverse("api_idcheck:import"), "file", {}),
        (
            "province_specialist@home", reverse("plans:progress_add", args=[o["task"].pk]), "evidence",
            {"status": "in_progress", "percent": "20", "on": today, "note": "x"},
        ),
    ]  # fmt: skip


def _stored_files() -> list[str]:
    names = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names += [n for n in model.objects.values_list(field.name, flat=True) if n]
    return names


def test_a_climbing_file_name_stays_under_the_media_root(world: World, tmp_path: Path) -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    outside_before = {p.name for p in media.parent.iterdir()}
    before = set(_stored_files())
    for who, url, field, extra in _uploads(world):
        client = Client()
        sign_in(client, world.users[who])
        for name in CLIMBERS:
            suffix = ".csv" if "imports" in url or "id-verification" in url else ""
            response = client.post(url, {**extra, field: _file(name + suffix)})
            assert response.status_code < 500, (url, name, response.status_code)
    stored = set(_stored_files()) - before
    assert stored, "no upload was stored: the test would prove nothing"
    for name in stored:
        path = (media / name).resolve()
        assert path.is_relative_to(media), name
        assert ".." not in Path(name).parts and "\\" not in name, name
    assert not Path("/etc/passwd.pdf").exists() and not Path("/etc/cron.d/x.pdf").exists()
    new_outside = {p.name for p in media.parent.iterdir()} - outside_before
    assert not {n for n in new_outside if n.endswith((".pdf", ".csv")) or "passwd" in n}


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("tool.exe", b"MZ\x90\x00", "application/octet-stream"),
        ("page.html", b"<script>alert(1)</script>", "text/html"),
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_with_a_message(world: World, name: str, content: bytes,
                                                             content_type: str) -> None:  # fmt: skip
    before = set(_stored_files())
    for who, url, field, extra in _uploads(world):
        client = Client()
        sign_in(client, world.users[who])
        response = client.post(url, {**extra, field: _file(name, content, content_type)}, follow=True)
        assert response.status_code < 500, (url, response.status_code)
        assert response.status_code in (200, 400), (url, response.status_code)
        page = response.content.decode()
        assert "<script>alert(1)" not in page and 'onload="alert(1)"' not in page  # the content is never shown
    assert set(_stored_files()) == before


def test_a_workbook_that_is_not_one_is_a_clear_error(world: World) -> None:
    from treem.imports.models import ImportJob

    client = Client()
    sign_in(client, world.users["commune_officer@home"])
    before = set(ImportJob.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("imports:list"), {"file": _file("list.xlsx", b"this is not a workbook", "text/plain")}, follow=True
    )
    assert response.status_code == 200
    jobs = ImportJob.objects.exclude(pk__in=before)
    if jobs.exists():  # taken, then read: the job says what is wrong
        job = jobs.get()
        job.refresh_from_db()
        assert job.status == "failed" and job.error_message, (job.status, job.error_message)
    else:  # refused at the form
        assert response.context["form"].errors


@pytest.mark.parametrize("name", CLIMBERS)
def test_the_shared_check_keeps_the_files_own_name_only(name: str) -> None:
    from treem.core.uploads import check_document, upload_name

    assert upload_name(_file(name)) in ("passwd.pdf", "x.pdf", "y.pdf")
    assert check_document(_file(name)) == upload_name(_file(name))


def _stored_names() -> set[tuple[str, int, str]]:
    """(model, pk, name) of every stored upload's recorded file name (a `name` beside a file field)."""
    rows = set()
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.concrete_fields}
        if "name" in fields and any(isinstance(f, models.FileField) for f in fields.values()):
            rows |= {(model._meta.label, pk, n) for pk, n in model.objects.values_list("pk", "name")}
    return rows


def test_every_upload_records_the_files_own_name_within_its_field(world: World) -> None:
    """The name shown and given back on download is the file's own, without the client's folder, and fits the
    column (200 characters, the kind kept): a raw name would carry `C:\\…` and fail on PostgreSQL when too long."""
    long_name = "C:\\Users\\canbo\\" + "Báo cáo tiến độ " * 20 + ".pdf"
    before = _stored_names()
    for who, url, field, extra in _uploads(world):
        if "imports" in url or "id-verification" in url:
            continue  # these keep no document, they read a list
        client = Client()
        sign_in(client, world.users[who])
        response = client.post(url, {**extra, field: _file(long_name)})
        assert response.status_code < 500, (url, response.status_code)
    added = _stored_names() - before
    assert len(added) == 4, added  # activities, reports, assessments, plans: one document each
    for label, _pk, name in added:
        assert "\\" not in name and "/" not in name, (label, name)
        assert len(name) <= 200 and name.endswith(".pdf") and name.startswith("Báo cáo"), (label, name)
