"""The certificate services and tasks in-process: constraint, idempotency, failure, e-mail, sweeper."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.exceptions import CertificateError
from certificates.models import Certificate, CertificateStatus
from certificates.services import (
    certificate_render,
    certificate_request,
    certificate_retry,
    certificate_revoke,
    certificates_requeue_stale,
)
from certificates.tasks import render_certificate, send_certificate_email
from courses.models import EnrolmentStatus
from courses.services import module_complete
from lms.models import DoctorProfile
from tests.certificates.factories import (
    SignatoryFactory,
    complete,
    course_to_complete,
    issued_certificate,
    stored_pdf_files,
)
from tests.factories import DoctorProfileFactory
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def test_completion_records_one_pending_certificate_in_the_same_transaction():
    enrolment, pages = course_to_complete(modules=2)
    module_complete(learner=enrolment.learner, module=pages[0])
    assert not Certificate.objects.exists()

    certificate = complete(enrolment, pages[1:])

    assert certificate.status == CertificateStatus.PENDING
    assert certificate.serial == f"PA-{timezone.localdate().year}-{certificate.pk:06d}"
    assert len(certificate.verification_code) == 32
    assert set(certificate.verification_code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_a_completion_that_rolls_back_leaves_no_certificate():
    enrolment, pages = course_to_complete()
    with pytest.raises(RuntimeError), transaction.atomic():
        module_complete(learner=enrolment.learner, module=pages[0])
        assert Certificate.objects.filter(enrolment=enrolment).exists()
        raise RuntimeError("the request failed after completing")
    assert not Certificate.objects.filter(enrolment=enrolment).exists()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_the_database_refuses_a_second_valid_certificate_for_an_enrolment():
    enrolment, pages = course_to_complete()
    complete(enrolment, pages)
    for status in (CertificateStatus.PENDING, CertificateStatus.ISSUED, CertificateStatus.FAILED):
        with pytest.raises(IntegrityError), transaction.atomic():
            Certificate.objects.create(
                enrolment=enrolment, status=status, issued_at=timezone.now(), pdf="x.pdf", pdf_sha256="0"
            )
    # Revoked and superseded ones are history, not "the" certificate: any number may exist.
    Certificate.objects.create(
        enrolment=enrolment, status=CertificateStatus.REVOKED, revoked_at=timezone.now()
    )
    Certificate.objects.create(enrolment=enrolment, status=CertificateStatus.SUPERSEDED)


def test_requesting_again_returns_the_existing_certificate():
    enrolment, pages = course_to_complete()
    certificate = complete(enrolment, pages)
    enrolment.refresh_from_db()
    again = certificate_request(enrolment=enrolment)
    assert again.created is False
    assert again.certificate.pk == certificate.pk
    assert Certificate.objects.count() == 1


def test_only_a_completed_enrolment_can_have_a_certificate():
    enrolment, _ = course_to_complete()
    with pytest.raises(CertificateError):
        certificate_request(enrolment=enrolment)


def test_rendering_twice_renders_once(media_root):
    certificate = issued_certificate()
    again = certificate_render(certificate_id=certificate.pk)
    assert again.pdf_sha256 == certificate.pdf_sha256
    assert again.render_attempts == 1
    assert len(stored_pdf_files(media_root)) == 1


def test_a_certificate_revoked_before_its_render_is_never_rendered(media_root, django_user_model):
    enrolment, pages = course_to_complete()
    certificate = complete(enrolment, pages)
    admin = django_user_model.objects.create_superuser("boss", "boss@example.org", "x")
    certificate_revoke(certificate=certificate, by=admin, category="issued_in_error")

    certificate_render(certificate_id=certificate.pk)

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert not certificate.pdf
    assert stored_pdf_files(media_root) == []


def test_a_learner_without_a_profile_fails_at_once_and_can_be_retried(media_root):
    enrolment, pages = course_to_complete()
    certificate = complete(enrolment, pages)
    profile = DoctorProfile.objects.get(user=enrolment.learner)
    profile.delete()

    render_certificate.apply(args=[certificate.pk])

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.FAILED
    assert "no doctor's profile" in certificate.last_error
    assert certificate.failed_at is not None

    DoctorProfileFactory(user=enrolment.learner, full_name="Dr Restored Profile")
    certificate_retry(certificate=certificate)
    render_certificate.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.holder_name == "Dr Restored Profile"
    assert certificate.last_error == ""


def test_a_storage_outage_keeps_the_certificate_pending_with_its_error_for_the_sweeper(settings, tmp_path):
    # Storage that cannot be written (MEDIA_ROOT is a file): every attempt fails the same way.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker)
    enrolment, pages = course_to_complete()
    certificate = complete(enrolment, pages)

    render_certificate.apply(args=[certificate.pk])  # in-process, retries run at once

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.PENDING  # an outage delays, never fails
    assert certificate.render_attempts == settings.CERTIFICATES_MAX_RENDER_ATTEMPTS
    assert "Error" in certificate.last_error
    assert not certificate.pdf
    # The sweeper's next round (once it is stale) renders it when storage is back.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert certificates_requeue_stale(older_than=datetime.timedelta(0)) == 1
    render_certificate.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED and certificate.last_error == ""


def test_a_render_that_keeps_failing_for_its_own_reasons_is_retried_then_marked_failed(settings):
    settings.CERTIFICATES_PDF_RENDERER = "tests.certificates.fault_injection.render_with_a_bug"
    enrolment, pages = course_to_complete()
    certificate = complete(enrolment, pages)

    render_certificate.apply(args=[certificate.pk])

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.FAILED
    assert certificate.render_attempts == settings.CERTIFICATES_MAX_RENDER_ATTEMPTS
    assert "ValueError: Test render bug" in certificate.last_error


def test_the_learner_is_emailed_once_with_the_dashboard_and_verification_links(media_root):
    certificate = issued_certificate()
    send_certificate_email.apply(args=[certificate.pk])
    send_certificate_email.apply(args=[certificate.pk])

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [certificate.enrolment.learner.email]
    assert certificate.course_title in message.subject
    assert "/dashboard/" in message.body
    assert certificate.verification_url in message.body


def test_the_sweeper_requeues_only_certificates_pending_too_long(broker):
    fresh_enrolment, fresh_pages = course_to_complete()
    fresh = complete(fresh_enrolment, fresh_pages)
    stale_enrolment, stale_pages = course_to_complete()
    stale = complete(stale_enrolment, stale_pages)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Certificate.objects.filter(pk=stale.pk).update(queued_at=long_ago)

    assert certificates_requeue_stale(older_than=datetime.timedelta(minutes=2)) == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.queued_at > long_ago
    # Queued again just now, so it is not queued again at the next sweep.
    assert certificates_requeue_stale(older_than=datetime.timedelta(minutes=2)) == 0


def test_celery_beat_runs_both_sweepers_and_they_run(settings, broker):
    """Beat's schedule names registered tasks, the sweepers among them, due often enough to matter.

    The schedule is read as Celery's beat reads it (``app.conf.beat_schedule`` through
    ``celery.schedules``), each name is looked up in the app's task registry (a renamed
    task or a typo in the schedule fails here), and each sweeper is run through that
    lookup, as beat would.
    """
    from celery.schedules import maybe_schedule
    from django.utils.module_loading import autodiscover_modules

    from certificates.tasks import requeue_stale_certificates
    from lms.celery import app
    from quizzes.tasks import close_overdue_attempts

    autodiscover_modules("tasks")
    entries = {
        entry["task"]: maybe_schedule(entry["schedule"], app=app) for entry in app.conf.beat_schedule.values()
    }
    assert {requeue_stale_certificates.name, close_overdue_attempts.name} <= set(entries)
    for name, schedule in entries.items():
        assert name in app.tasks, f"beat would send {name!r}, which no app registers"
        every = schedule.run_every
        due, _ = schedule.is_due(timezone.now() - every - datetime.timedelta(seconds=1))
        assert due, name
    # A certificate left pending is picked up by the next sweep after it goes stale, not hours later.
    assert (
        entries[requeue_stale_certificates.name].run_every.total_seconds()
        <= settings.CERTIFICATES_STALE_AFTER_SECONDS
    )
    assert entries[close_overdue_attempts.name].run_every.total_seconds() <= 60
    assert settings.CERTIFICATES_STALE_AFTER_SECONDS <= 300

    # What beat sends, run: a stale certificate is queued again, an overdue attempt graded.
    enrolment, pages = course_to_complete()
    stale = complete(enrolment, pages)
    Certificate.objects.filter(pk=stale.pk).update(queued_at=timezone.now() - datetime.timedelta(hours=1))
    assert app.tasks[requeue_stale_certificates.name].apply().get() == 1
    stale.refresh_from_db()
    assert stale.queued_at > timezone.now() - datetime.timedelta(minutes=1)
    assert app.tasks[close_overdue_attempts.name].apply().get() == 0


def test_a_dead_broker_is_given_up_on_quickly_by_configuration(settings):
    """How long a request may wait on a broker that does not answer, from the settings that bound it.

    Connection attempts time out and are retried a fixed number of times with capped
    intervals; the sum must stay a few seconds, or a Redis outage would hold every
    completing learner's request (and its database transaction) that long.
    """
    policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    tries = policy["max_retries"] + 1
    waits = sum(
        min(policy["interval_start"] + i * policy["interval_step"], policy["interval_max"])
        for i in range(policy["max_retries"])
    )
    connect = max(options["socket_connect_timeout"], settings.CELERY_BROKER_CONNECTION_TIMEOUT)
    assert settings.CELERY_TASK_PUBLISH_RETRY and options["retry_on_timeout"] is False
    assert tries * connect + waits <= 5


def test_without_a_broker_development_renders_in_process(media_root, django_capture_on_commit_callbacks):
    """``make run`` without REDIS_URL runs tasks eagerly: completing a course issues the PDF at once."""
    from lms.celery import app

    enrolment, pages = course_to_complete()
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            module_complete(learner=enrolment.learner, module=pages[0])
    finally:
        app.conf.task_always_eager = False
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.emailed_at is not None
    assert len(stored_pdf_files(media_root)) == 1


def test_a_certificate_costs_the_worker_a_handful_of_queries(media_root):
    """Render and e-mail run a fixed, small number of statements (the benchmark reports the same)."""
    SignatoryFactory(), SignatoryFactory()
    warm = course_to_complete()
    certificate_render(certificate_id=complete(*warm).pk)  # warm per-process caches (content types)
    enrolment, pages = course_to_complete()
    certificate = complete(enrolment, pages)

    with count_queries() as captured:
        render_certificate.apply(args=[certificate.pk])
        send_certificate_email.apply(args=[certificate.pk])

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED and certificate.emailed_at
    # 7 for the PDF, the CME transcript line, the audit log and the e-mail (claimed in the issuing
    # update; the e-mail task that follows finds it claimed: one update); 2 for the Open Badges credential
    # signed beside it (the status list's row, the credential's insert); 7 for the traceability
    # chain recorded with it (the course's live revision, the completions with their revisions,
    # their endorsements, the course faculty, the module authors, the claim, the passed attempts:
    # one query each, however many modules).
    assert len(captured) <= 16, "\n".join(captured.statements)
