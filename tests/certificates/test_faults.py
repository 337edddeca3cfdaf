"""Faults with real processes (issue 11): Redis, storage and the worker fail; nothing stops, nothing is lost.

One private ``redis-server`` and one Celery worker serve the whole module (starting a
worker takes seconds); each test switches on the faults it wants through
:class:`~tests.certificates.fault_injection.FaultSwitches` and stops or restarts the
private Redis itself. The test database is PostgreSQL, shared with the worker.
"""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateStatus
from courses.models import EnrolmentStatus
from courses.services import module_complete
from lms.models import OutboxMessage
from tests.certificates.factories import course_to_complete, stored_pdf_files
from tests.certificates.fault_injection import (
    BAD_RENDER_MESSAGE,
    DELAYED_RENDER_LOG_LINE,
    STORAGE_DOWN_MESSAGE,
    FaultSwitches,
)
from tests.certificates.processes import (
    CeleryWorker,
    PrivateRedis,
    point_celery_at,
    wait_until,
    worker_database_url,
)
from tests.factories import learner

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def fault_redis():
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.close()


@pytest.fixture(scope="module")
def fault_media(tmp_path_factory):
    return tmp_path_factory.mktemp("fault-media")


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    return FaultSwitches(tmp_path_factory.mktemp("faults"))


@pytest.fixture(scope="module")
def fault_worker(django_db_setup, django_db_blocker, fault_redis, fault_media, faults):
    """The module's one worker, publishing and consuming through the private Redis."""
    from lms.celery import app

    previous = app.conf.broker_url
    point_celery_at(fault_redis.url)
    with django_db_blocker.unblock():
        database_url = worker_database_url()
    # As `make run` used to start it: beat embedded (it died with the worker), here
    # sweeping every 2 s and re-sending outbox rows a second old.
    worker = CeleryWorker(
        database_url=database_url,
        redis_url=fault_redis.url,
        media_root=str(fault_media),
        extra_env={
            **faults.env,
            "LMS_TEST_BEAT_SECONDS": "2",
            "LMS_OUTBOX_RETRY_AFTER_SECONDS": "1",
            # Two tries a round, and the sweeper's next round 4 s after the last one.
            "CERTIFICATES_MAX_RENDER_ATTEMPTS": "2",
            "CERTIFICATES_STALE_AFTER_SECONDS": "4",
        },
        concurrency=2,
        as_deployed=True,
        extra_args=("--beat", "--schedule", str(fault_media.parent / "celerybeat-schedule")),
    )
    yield worker
    worker.stop()
    point_celery_at(previous)


@pytest.fixture
def worker(fault_worker, fault_redis, faults, fault_media, settings):
    """The running worker, with no fault switched on, Redis up and this process's media root its own."""
    settings.MEDIA_ROOT = str(fault_media)
    faults.clear()
    if not fault_redis.ping():
        fault_redis.start()
    assert fault_worker.process.poll() is None, f"the worker has exited:\n{fault_worker.log[-4000:]}"
    yield fault_worker
    faults.clear()


def issued(enrolment, timeout: float = 60) -> Certificate:
    return wait_until(
        lambda: Certificate.objects.filter(enrolment=enrolment, status=CertificateStatus.ISSUED).first(),
        timeout=timeout,
        message=f"the certificate of enrolment {enrolment.pk} to be issued",
    )


def issue_log_entries(certificate) -> int:
    return ModelLogEntry.objects.for_instance(certificate).filter(action="certificates.issue").count()


def pdfs_of(media, certificate) -> list:
    return [p for p in stored_pdf_files(media) if p.name.startswith(certificate.serial)]


# --- 1. The worker survives a broker outage with a task in flight ------------------------


def test_the_worker_survives_redis_stopping_mid_render_and_the_certificate_is_issued_once(
    worker, fault_redis, faults, fault_media
):
    faults.render_delay(3)
    enrolment, pages = course_to_complete()
    module_complete(learner=enrolment.learner, module=pages[0])
    worker.wait_for_log(f"{DELAYED_RENDER_LOG_LINE} ", count=1)

    fault_redis.stop()  # mid-render: the worker holds the unacknowledged message
    certificate = issued(enrolment, timeout=30)  # the render in hand finishes (PostgreSQL is up)
    wait_until(
        lambda: "Connection to broker lost" in worker.log or "Cannot connect" in worker.log, timeout=30
    )
    fault_redis.start()

    # The worker is still there and consumes again once Redis is back: no manual step.
    faults.render_delay(None)
    second, pages = course_to_complete()
    module_complete(learner=second.learner, module=pages[0])
    issued(second, timeout=60)
    assert worker.process.poll() is None, worker.log[-4000:]
    assert "Unrecoverable error" not in worker.log

    certificate.refresh_from_db()
    assert certificate.render_attempts == 1
    assert issue_log_entries(certificate) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert len(pdfs_of(fault_media, certificate)) == 1


# --- 3. The outbox: a completion while Redis is down is issued by itself once it is back ---


def test_a_completion_while_redis_is_down_is_issued_and_emailed_once_by_itself_when_it_is_back(
    worker, fault_redis, fault_media, client
):
    doctor = learner()
    enrolment, pages = course_to_complete(doctor)
    client.force_login(doctor)
    fault_redis.stop()

    response = client.post(f"/modules/{pages[0].pk}/complete/")

    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    intent = OutboxMessage.objects.get(task="certificates.render_certificate", args=[certificate.pk])
    assert intent.dispatched_at is None  # the broker was down at commit time

    fault_redis.start()  # nobody does anything else: beat's outbox sweeper sends it
    certificate = issued(enrolment, timeout=60)
    wait_until(
        lambda: Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=False).exists(), timeout=30
    )
    intent.refresh_from_db()
    assert intent.dispatched_at is not None
    assert certificate.render_attempts == 1
    assert issue_log_entries(certificate) == 1
    assert len(pdfs_of(fault_media, certificate)) == 1
    assert worker.process.poll() is None


# --- 5. Transient failures stay retryable; only the render's own errors fail ----------


def test_a_long_storage_outage_keeps_the_certificate_pending_and_it_is_issued_when_storage_is_back(
    worker, faults, fault_media, admin_client
):
    faults.storage_down()
    enrolment, pages = course_to_complete()
    module_complete(learner=enrolment.learner, module=pages[0])
    certificate = Certificate.objects.get(enrolment=enrolment)

    # Three rounds of two tries (retries with backoff, then the sweeper): far more than a
    # round allows, and more than the five tries after which it used to be failed.
    def tried_six_times():
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.PENDING, certificate.last_error
        return certificate.render_attempts >= 6

    wait_until(tried_six_times, timeout=120, interval=0.5, message="six render attempts")
    assert STORAGE_DOWN_MESSAGE in certificate.last_error
    page = admin_client.get(f"/admin/snippets/certificates/certificate/inspect/{certificate.pk}/").content
    assert "retried automatically" in page.decode() and STORAGE_DOWN_MESSAGE in page.decode()
    assert pdfs_of(fault_media, certificate) == []

    faults.storage_down(False)
    certificate = issued(enrolment, timeout=60)
    assert certificate.last_error == ""
    assert issue_log_entries(certificate) == 1
    assert len(pdfs_of(fault_media, certificate)) == 1


def test_a_permanent_render_error_fails_the_certificate_with_its_reason(worker, faults, admin_client):
    faults.bad_render()
    enrolment, pages = course_to_complete()
    module_complete(learner=enrolment.learner, module=pages[0])
    certificate = wait_until(
        lambda: Certificate.objects.filter(enrolment=enrolment, status=CertificateStatus.FAILED).first(),
        timeout=60,
        message="the certificate to be marked failed",
    )
    assert BAD_RENDER_MESSAGE in certificate.last_error
    assert certificate.render_attempts == 1  # failed at once: retrying cannot help
    page = admin_client.get(f"/admin/snippets/certificates/certificate/inspect/{certificate.pk}/")
    assert page.status_code == 200
    assert BAD_RENDER_MESSAGE in page.content.decode()
