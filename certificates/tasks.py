"""Celery tasks for certificates. Each takes an id, does one service call, and is safe to run twice.

* ``render_certificate`` — render, store and issue one certificate, then tell the
  learner. A failure is retried with exponential backoff, up to
  ``CERTIFICATES_MAX_RENDER_ATTEMPTS`` tries. Then a *transient* one (storage, database,
  broker: :func:`~certificates.services.render_error_is_transient`) leaves the
  certificate pending, with the error recorded, for the sweeper's next round — an outage
  of any length never fails a certificate — and any other error marks it failed, with
  its error, for administrators to see. Data that cannot make a certificate fails at
  once. The e-mail goes out in the same task once the issue has
  committed (one message per certificate, not two), claimed in the issuing transaction
  (one commit, not two); only if sending fails is it handed to
  ``send_certificate_email``, which retries with backoff.
* ``send_certificate_email`` — tell the learner their certificate is ready (once).
* ``requeue_stale_certificates`` — the sweeper, run every minute by Celery beat.
* ``render_transcript_pdf`` — render and store one transcript PDF a doctor asked for.

The services name these tasks by their Celery names (``RENDER_TASK``, ``EMAIL_TASK``) and
send them through :mod:`lms.dispatch`; only this module imports the services, never the
other way round.
"""

from __future__ import annotations

import datetime
import logging
import random

from celery import shared_task
from django.conf import settings

from certificates.exceptions import CertificateRenderError
from certificates.models import CertificateStatus
from certificates.services import (
    EMAIL_TASK,
    RENDER_TASK,
    TRANSCRIPT_RENDER_TASK,
    certificate_email_learner,
    certificate_email_send_claimed,
    certificate_record_render_failure,
    certificate_render_claiming_email,
    certificates_requeue_stale,
    render_error_is_transient,
    transcript_pdf_record_failure,
    transcript_pdf_render,
)
from lms.dispatch import task_send_on_commit

logger = logging.getLogger(__name__)


def _backoff(retries: int) -> float:
    # 5 s, 10 s, 20 s, 40 s … capped at 5 minutes, with jitter so a database outage
    # does not bring every retry back at the same instant.
    return min(5 * 2**retries, 300) * random.uniform(0.8, 1.2)


def _record_failure(certificate_id: int, error: BaseException, *, final: bool) -> None:
    try:
        certificate_record_render_failure(
            certificate_id=certificate_id, error=f"{type(error).__name__}: {error}", final=final
        )
    except Exception:  # the database may be what is failing; the retry or the sweeper follows
        logger.warning("Could not record the render failure of certificate %s", certificate_id, exc_info=True)


@shared_task(bind=True, name=RENDER_TASK, acks_late=True, max_retries=None, ignore_result=True)
def render_certificate(self, certificate_id: int) -> None:
    """Render and issue certificate ``certificate_id`` (a no-op unless it is pending), then e-mail."""
    try:
        certificate, email_claimed = certificate_render_claiming_email(certificate_id=certificate_id)
    except CertificateRenderError as error:
        _record_failure(certificate_id, error, final=True)
        return
    except Exception as error:
        attempts = self.request.retries + 1
        transient = render_error_is_transient(error)
        out_of_tries = attempts >= settings.CERTIFICATES_MAX_RENDER_ATTEMPTS
        logger.warning(
            "Render of certificate %s failed (attempt %d, %s): %s",
            certificate_id,
            attempts,
            "transient" if transient else "render error",
            error,
        )
        _record_failure(certificate_id, error, final=out_of_tries and not transient)
        if not out_of_tries:
            raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
        if transient:
            logger.warning(
                "Certificate %s stays pending after %d tries; the sweeper tries again later",
                certificate_id,
                attempts,
            )
        return
    if certificate is None or certificate.status != CertificateStatus.ISSUED:
        return
    if email_claimed or certificate.emailed_at is None:
        try:
            if email_claimed:
                certificate_email_send_claimed(certificate=certificate)
            else:  # issued by an earlier delivery that died before e-mailing
                certificate_email_learner(certificate_id=certificate_id)
        except Exception:
            logger.warning(
                "E-mail for certificate %s failed; retrying in its own task", certificate_id, exc_info=True
            )
            # Through the outbox: if the broker is down as well, its sweeper sends it later.
            task_send_on_commit(EMAIL_TASK, certificate_id)


@shared_task(bind=True, name=EMAIL_TASK, acks_late=True, max_retries=5, ignore_result=True)
def send_certificate_email(self, certificate_id: int) -> None:
    """E-mail the learner a link to their dashboard and the certificate's verification page, once."""
    try:
        certificate_email_learner(certificate_id=certificate_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error


@shared_task(name="certificates.requeue_stale_certificates", ignore_result=True)
def requeue_stale_certificates() -> int:
    """Queue again the certificates left pending (see :func:`certificates_requeue_stale`)."""
    return certificates_requeue_stale(
        older_than=datetime.timedelta(seconds=settings.CERTIFICATES_STALE_AFTER_SECONDS)
    )


@shared_task(bind=True, name=TRANSCRIPT_RENDER_TASK, acks_late=True, max_retries=None, ignore_result=True)
def render_transcript_pdf(self, transcript_id: int) -> None:
    """Render transcript PDF ``transcript_id`` (a no-op unless it is pending), retrying with backoff.

    After ``CERTIFICATES_MAX_RENDER_ATTEMPTS`` tries it is marked failed, and the
    transcript page offers to ask again.
    """
    try:
        transcript_pdf_render(transcript_id=transcript_id)
    except Exception as error:
        attempts = self.request.retries + 1
        final = attempts >= settings.CERTIFICATES_MAX_RENDER_ATTEMPTS
        logger.warning("Render of transcript PDF %s failed (attempt %d): %s", transcript_id, attempts, error)
        try:
            transcript_pdf_record_failure(
                transcript_id=transcript_id, error=f"{type(error).__name__}: {error}", final=final
            )
        except Exception:
            logger.warning("Could not record the failure of transcript PDF %s", transcript_id, exc_info=True)
        if not final:
            raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
