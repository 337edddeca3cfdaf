"""The whole pipeline with real parts: PostgreSQL, a private Redis, Celery worker processes, WeasyPrint.

Acceptance 1 (end to end), 2 (duplicates and races) and 3 (a worker killed mid-render,
Redis down at the moment of completion).
"""

import datetime
import hashlib
import logging
import os
import subprocess

import pytest
from django.db.models import Count
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_request, certificates_requeue_stale
from certificates.tasks import render_certificate, requeue_stale_certificates
from courses.models import Enrolment, EnrolmentStatus
from courses.services import module_complete
from tests.certificates.factories import course_to_complete, pdf_text, stored_pdf, stored_pdf_files
from tests.certificates.fault_injection import DELAYED_RENDER_LOG_LINE, slow_render_env
from tests.certificates.processes import wait_until
from tests.factories import learner
from tests.support.concurrency import race

RENDER_SUCCEEDED = r"Task certificates\.render_certificate\[[^\]]+\] succeeded"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def issued(enrolment, timeout: float = 60) -> Certificate:
    return wait_until(
        lambda: Certificate.objects.filter(enrolment=enrolment, status=CertificateStatus.ISSUED).first(),
        timeout=timeout,
        message=f"the certificate of enrolment {enrolment.pk} to be issued",
    )


def issue_log_entries(certificate) -> int:
    return ModelLogEntry.objects.for_instance(certificate).filter(action="certificates.issue").count()


def test_completing_a_course_issues_a_verifiable_pdf(start_worker, media_root, client):
    start_worker()
    doctor = learner(full_name="Dr Zoë Ñúñez-Ørsted", registration_number="KMC-77812")
    enrolment, pages = course_to_complete(doctor, modules=2)
    module_complete(learner=doctor, module=pages[0])
    assert not Certificate.objects.exists()

    module_complete(learner=doctor, module=pages[1])  # completes the course

    certificate = issued(enrolment)
    data = stored_pdf(certificate)
    text = pdf_text(data)
    for expected in [
        "Dr Zoë Ñúñez-Ørsted",
        "KMC-77812",
        enrolment.run.course.title,
        "8 CME credit hours",
        certificate.serial,
        certificate.verification_url,
    ]:
        assert expected in text, expected
    assert certificate.serial.startswith(f"PA-{timezone.localdate().year}-")
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    assert len(stored_pdf_files(media_root)) == 1

    response = client.get(certificate.verification_path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Valid certificate" in body
    assert "Dr Zoë Ñúñez-Ørsted" in body
    assert "KMC-77812" not in body and "••••••812" in body
    assert doctor.email not in body

    # The worker then e-mails the learner, once.
    wait_until(
        lambda: Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=False).exists(), timeout=30
    )


def test_the_same_render_delivered_three_times_to_two_workers_makes_one_pdf(start_worker, media_root):
    # Each render waits a second holding its row lock, so the workers truly overlap.
    first, second = (
        start_worker(**slow_render_env(1)),
        start_worker(**slow_render_env(1)),
    )
    enrolment, pages = course_to_complete()
    module_complete(learner=enrolment.learner, module=pages[0])  # queues the first message
    certificate = Certificate.objects.get(enrolment=enrolment)
    render_certificate.delay(certificate.pk)
    render_certificate.delay(certificate.pk)

    certificate = issued(enrolment)
    for worker in (first, second):
        wait_until(lambda w=worker: "certificates.render_certificate" in w.log, timeout=30)
    wait_until(
        lambda: first.log.count("succeeded") + second.log.count("succeeded") >= 3,
        timeout=30,
        message="three renders",
    )

    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    certificate.refresh_from_db()
    assert certificate.render_attempts == 1
    assert issue_log_entries(certificate) == 1
    assert len(stored_pdf_files(media_root)) == 1


def test_twenty_concurrent_completion_events_give_one_certificate_and_one_pdf(start_worker, media_root):
    start_worker()
    # Twenty requests complete the last module at once …
    enrolment, pages = course_to_complete()
    outcomes = race([lambda: module_complete(learner=enrolment.learner, module=pages[0]) for _ in range(20)])
    assert all(kind == "ok" for kind, _ in outcomes), outcomes

    # … and twenty completion events reach certificates at once for an enrolment that
    # was completed before certificates existed (nothing has been requested for it).
    legacy, _ = course_to_complete()
    Enrolment.objects.filter(pk=legacy.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
    )
    legacy.refresh_from_db()
    outcomes = race([lambda: certificate_request(enrolment=legacy) for _ in range(20)])
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert len({value.certificate.pk for _, value in outcomes}) == 1
    assert sum(value.created for _, value in outcomes) == 1

    issued(enrolment), issued(legacy)
    counts = dict(
        Certificate.objects.values_list("enrolment").annotate(n=Count("id")).values_list("enrolment", "n")
    )
    assert counts == {enrolment.pk: 1, legacy.pk: 1}
    assert len(stored_pdf_files(media_root)) == 2


def test_a_pool_process_killed_mid_render_hands_the_message_back_and_it_is_issued_once(
    start_worker, media_root
):
    worker = start_worker(**slow_render_env(3))
    enrolment, pages = course_to_complete()
    module_complete(learner=enrolment.learner, module=pages[0])

    worker.wait_for_log(DELAYED_RENDER_LOG_LINE)
    children = subprocess.run(
        ["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert children, "the prefork pool has a child process"
    for pid in children:
        os.kill(int(pid), 9)

    # reject_on_worker_lost: the main process hands the message back and a new child renders it.
    certificate = issued(enrolment)
    assert "SIGKILL" in worker.log or "signal 9" in worker.log
    assert certificate.render_attempts == 1
    assert issue_log_entries(certificate) == 1
    assert len(stored_pdf_files(media_root)) == 1


def test_a_worker_killed_mid_render_is_recovered_by_the_sweeper_exactly_once(
    start_worker, media_root, settings
):
    doomed = start_worker(**slow_render_env(60))
    enrolment, pages = course_to_complete()
    module_complete(learner=enrolment.learner, module=pages[0])
    doomed.wait_for_log(DELAYED_RENDER_LOG_LINE)

    doomed.kill()  # the whole worker, as when its host dies: the message stays unacknowledged

    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == CertificateStatus.PENDING
    assert stored_pdf_files(media_root) == []

    survivor = start_worker()
    settings.CERTIFICATES_STALE_AFTER_SECONDS = 0
    assert requeue_stale_certificates.apply().get() == 1  # what Celery beat runs every minute

    certificate = issued(enrolment)
    assert certificate.render_attempts == 1
    assert issue_log_entries(certificate) == 1
    assert len(stored_pdf_files(media_root)) == 1
    # The dead worker's unacknowledged message may come back later: it changes nothing.
    survivor.wait_for_log(RENDER_SUCCEEDED, count=1)
    render_certificate.delay(certificate.pk)
    survivor.wait_for_log(RENDER_SUCCEEDED, count=2)  # the duplicate has been handled
    certificate.refresh_from_db()
    assert certificate.render_attempts == 1
    assert issue_log_entries(certificate) == 1
    assert len(stored_pdf_files(media_root)) == 1


def test_redis_down_at_completion_keeps_the_completion_and_the_sweeper_issues_later(
    broker, start_worker, media_root, client, caplog
):
    doctor = learner()
    enrolment, pages = course_to_complete(doctor)
    client.force_login(doctor)
    broker.stop()

    with caplog.at_level(logging.WARNING, logger="lms.dispatch"):
        response = client.post(f"/modules/{pages[0].pk}/complete/")

    # The learner's request succeeded and the completion is kept, with a pending certificate;
    # the render could not be sent, and that was logged rather than raised.
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == CertificateStatus.PENDING
    assert [r.args[0] for r in caplog.records if "Could not send" in r.msg] == [
        "certificates.render_certificate"
    ]
    dashboard = client.get("/dashboard/").content.decode()
    assert "being prepared" in dashboard

    broker.start()
    start_worker()
    assert certificates_requeue_stale(older_than=datetime.timedelta(0)) == 1

    certificate = issued(enrolment)
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert len(stored_pdf_files(media_root)) == 1
    assert "Download certificate" in client.get("/dashboard/").content.decode()
