"""Administrators in the Wagtail admin: list and filter, inspect with the audit trail, issue by
hand, revoke, reissue, bulk-issue a run (with a failing learner), ZIP of a run's PDFs."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateStatus
from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment_create
from lms.models import DoctorProfile
from tests.certificates.factories import course_to_complete, issued_certificate, stored_pdf
from tests.certificates.processes import wait_until
from tests.courses.factories import CourseRunFactory
from tests.factories import UserFactory, learner

LIST_URL = "/admin/snippets/certificates/certificate/"


def action(name: str, *args) -> str:
    """The URL of one of the certificate snippet's admin actions."""
    return reverse(f"wagtailsnippets_certificates_certificate:{name}", args=args)


def actions_logged(instance) -> list[tuple[str, str | None]]:
    return [
        (entry.action, entry.user.email if entry.user else None)
        for entry in ModelLogEntry.objects.for_instance(instance).select_related("user").order_by("id")
    ]


@pytest.mark.django_db
def test_listing_filters_by_status_course_run_and_date(media_root, admin_client):
    first = issued_certificate()
    second = issued_certificate()
    Certificate.objects.filter(pk=second.pk).update(status=CertificateStatus.FAILED)
    run = first.enrolment.run

    page = admin_client.get(LIST_URL).content.decode()
    assert first.serial in page and second.serial in page
    for query in (
        {"status": "issued"},
        {"run": run.pk},
        {"course": run.course_id},
        {"issued_at_after": timezone.localdate().isoformat(), "status": "issued"},
    ):
        page = admin_client.get(LIST_URL, query).content.decode()
        assert first.serial in page and second.serial not in page, query
    assert first.serial not in admin_client.get(LIST_URL, {"status": "revoked"}).content.decode()
    assert first.serial in admin_client.get(LIST_URL, {"q": first.holder_name}).content.decode()


@pytest.mark.django_db
def test_issue_by_hand_for_an_enrolment_completed_in_person(admin_client, admin_user):
    enrolment, _ = course_to_complete()
    response = admin_client.post(
        action("issue"),
        {
            "learner_email": enrolment.learner.email,
            "run": enrolment.run_id,
            "reason": "Completed the course in person at the March workshop",
        },
    )
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}inspect/{certificate.pk}/"
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert certificate.status == CertificateStatus.PENDING
    assert certificate.requested_by == admin_user
    assert certificate.request_reason.startswith("Completed the course in person")
    assert actions_logged(certificate) == [("certificates.issue_manually", admin_user.email)]

    again = admin_client.post(
        action("issue"),
        {"learner_email": enrolment.learner.email, "run": enrolment.run_id, "reason": "again"},
    )
    assert "already has a certificate" in again.content.decode()
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


@pytest.mark.django_db
def test_revoke_and_reissue_are_in_the_audit_log_with_who_and_when(media_root, admin_client, admin_user):
    certificate = issued_certificate()

    form = admin_client.get(action("revoke", certificate.pk))
    assert "Revoke certificate" in form.content.decode()
    response = admin_client.post(
        action("revoke", certificate.pk), {"category": "issued_in_error", "note": "Wrong run"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_by == admin_user

    # A revoked certificate cannot be reissued; issue a fresh one instead, then reissue that.
    assert admin_client.post(action("reissue", certificate.pk), {"reason": "x"}).status_code == 200
    replacement = issued_certificate()
    admin_client.post(action("reissue", replacement.pk), {"reason": "Name corrected"})
    new = Certificate.objects.get(supersedes=replacement)

    assert actions_logged(certificate) == [
        ("certificates.issue", None),
        ("certificates.revoke", admin_user.email),
    ]
    assert actions_logged(replacement) == [
        ("certificates.issue", None),
        ("certificates.supersede", admin_user.email),
    ]
    assert actions_logged(new) == [("certificates.reissue", admin_user.email)]
    entry = ModelLogEntry.objects.for_instance(certificate).get(action="certificates.revoke")
    assert entry.data == {"category": "issued_in_error", "note": "Wrong run"}
    assert entry.timestamp is not None

    inspect = admin_client.get(f"{LIST_URL}inspect/{certificate.pk}/").content.decode()
    assert "Audit trail" in inspect
    assert "Certificate revoked" in inspect
    old_inspect = admin_client.get(f"{LIST_URL}inspect/{replacement.pk}/").content.decode()
    assert new.serial in old_inspect  # "Superseded by …"


@pytest.mark.django_db
def test_certificates_cannot_be_edited_or_deleted_only_acted_on(media_root, admin_client):
    certificate = issued_certificate()
    assert admin_client.get(f"{LIST_URL}edit/{certificate.pk}/").status_code in (302, 403, 404)
    assert admin_client.get(f"{LIST_URL}delete/{certificate.pk}/").status_code in (302, 403, 404)
    assert Certificate.objects.filter(pk=certificate.pk, status="issued").exists()


@pytest.mark.django_db
def test_staff_without_the_permissions_cannot_act(media_root, client):
    certificate = issued_certificate()
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_certificate")
    )
    client.force_login(reader)
    assert client.get(f"{LIST_URL}inspect/{certificate.pk}/").status_code == 200
    for url in (
        action("revoke", certificate.pk),
        action("reissue", certificate.pk),
        action("issue"),
        action("bulk_issue"),
        action("run_zip", certificate.enrolment.run_id),
    ):
        assert client.post(url, {"category": "issued_in_error", "reason": "x"}).status_code in (302, 403), url
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bulk_issue_for_a_run_with_one_failing_learner(start_worker, media_root, admin_client, admin_user):
    start_worker()
    run = CourseRunFactory()
    doctors = [learner(full_name=f"Dr Learner {i}") for i in range(4)]
    enrolments = [enrolment_create(learner=doctor, run=run) for doctor in doctors]
    # Completed before certificates existed (e.g. imported): none has a certificate yet.
    Enrolment.objects.filter(run=run).update(status=EnrolmentStatus.COMPLETED, completed_at=timezone.now())
    # One learner's profile has gone: their certificate cannot name them.
    DoctorProfile.objects.filter(user=doctors[2]).delete()

    response = admin_client.post(action("bulk_issue"), {"run": run.pk})
    assert response.status_code == 302
    assert response["Location"] == action("run_progress", run.pk)

    wait_until(
        lambda: (
            not Certificate.objects.filter(enrolment__run=run, status=CertificateStatus.PENDING).exists()
            and Certificate.objects.filter(enrolment__run=run).count() == 4
        ),
        timeout=90,
        message="every certificate of the run to settle",
    )
    statuses = dict(
        Certificate.objects.filter(enrolment__run=run).values_list("enrolment__learner", "status")
    )
    assert statuses == {
        doctors[0].pk: "issued",
        doctors[1].pk: "issued",
        doctors[2].pk: "failed",
        doctors[3].pk: "issued",
    }
    failed = Certificate.objects.get(enrolment=enrolments[2])
    assert "no doctor's profile" in failed.last_error

    progress = admin_client.get(action("run_progress", run.pk)).content.decode()
    assert '<td data-status="issued">3</td>' in progress
    assert '<td data-status="failed">1</td>' in progress
    assert '<td data-status="pending">0</td>' in progress
    inspect = admin_client.get(f"{LIST_URL}inspect/{failed.pk}/").content.decode()
    assert "failed to render" in inspect and "no doctor&#x27;s profile" in inspect

    archive = admin_client.get(action("run_zip", run.pk))
    assert archive["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as bundle:
        names = sorted(bundle.namelist())
        issued = Certificate.objects.filter(enrolment__run=run, status="issued").order_by("id")
        assert names == sorted(f"{c.serial}-{c.holder_name.lower().replace(' ', '-')}.pdf" for c in issued)
        for certificate in issued:
            assert bundle.read(
                f"{certificate.serial}-{certificate.holder_name.lower().replace(' ', '-')}.pdf"
            ) == stored_pdf(certificate)

    run_log = ModelLogEntry.objects.for_instance(run).get(action="certificates.bulk_issue")
    assert run_log.user == admin_user
    assert run_log.data["requested"] == 4
    # Bulk issue again: the issued are left alone, the failed one is retried (and fails again).
    admin_client.post(action("bulk_issue"), {"run": run.pk})
    assert Certificate.objects.filter(enrolment__run=run).count() == 4
