"""The certificate e-mail goes out at most once: recorded before it is sent, taken back if refused."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate, CertificateStatus
from certificates.services import EMAIL_TASK, certificate_email_learner
from certificates.tasks import render_certificate
from lms.models import OutboxMessage
from tests.certificates.factories import complete, course_to_complete, issued_certificate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_certificate_email_is_recorded_before_it_is_sent_and_a_refusal_is_retried(
    media_root, settings, client
):
    certificate = issued_certificate()
    settings.EMAIL_BACKEND = "tests.certificates.test_email_once.RefusingBackend"
    with pytest.raises(ConnectionRefusedError):
        certificate_email_learner(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.emailed_at is None  # refused: the mark is taken back for the retry

    settings.EMAIL_BACKEND = "tests.certificates.test_email_once.MarkCheckingBackend"
    assert certificate_email_learner(certificate_id=certificate.pk) is True
    assert MarkCheckingBackend.marked_when_sent == [True]
    assert certificate_email_learner(certificate_id=certificate.pk) is False  # a duplicate task
    assert len(mail.outbox) == 1
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED and certificate.emailed_at is not None


def test_the_render_task_claims_the_email_in_the_commit_that_issues_the_certificate(media_root, settings):
    certificate = complete(*course_to_complete())
    settings.EMAIL_BACKEND = "tests.certificates.test_email_once.MarkCheckingBackend"
    MarkCheckingBackend.marked_when_sent = []
    mail.outbox.clear()

    with CaptureQueriesContext(connection) as captured:
        render_certificate.apply(args=[certificate.pk])

    assert [q["sql"] for q in captured.captured_queries].count("COMMIT") == 1  # issue and claim together
    assert MarkCheckingBackend.marked_when_sent == [True]  # the claim was committed before it left
    assert len(mail.outbox) == 1
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.emailed_at == certificate.issued_at
    render_certificate.apply(args=[certificate.pk])  # a redelivered message
    assert len(mail.outbox) == 1


def test_a_refused_email_after_the_issue_takes_its_claim_back_and_goes_to_the_email_task(
    media_root, settings
):
    certificate = complete(*course_to_complete())
    settings.EMAIL_BACKEND = "tests.certificates.test_email_once.RefusingBackend"

    render_certificate.apply(args=[certificate.pk])

    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.status == CertificateStatus.ISSUED and certificate.emailed_at is None
    assert OutboxMessage.objects.filter(task=EMAIL_TASK, args=[certificate.pk]).exists()


from django.core.mail.backends.locmem import EmailBackend as LocmemBackend  # noqa: E402


class RefusingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refuses connections")


class MarkCheckingBackend(LocmemBackend):
    """Records whether the certificate's ``emailed_at`` was already committed when the e-mail left."""

    marked_when_sent: list[bool] = []

    def send_messages(self, messages):
        from django.db import connections

        # A fresh connection sees only what is committed.
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM certificates_certificate WHERE emailed_at IS NOT NULL")
                type(self).marked_when_sent.append(cursor.fetchone()[0] == 1)
        finally:
            other.close()
        return super().send_messages(messages)
