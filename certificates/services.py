"""Writes for certificates: request on completion, render, issue by hand, revoke, reissue.

The rules, on the database's terms:

* **One valid certificate per enrolment** (pending, issued or failed) is a partial unique
  constraint. :func:`certificate_request` inserts in a savepoint and treats the
  constraint's refusal as "already there" — never check-then-insert — so twenty racing
  completions leave one certificate.
* **A render happens once.** :func:`certificate_render` locks the certificate's row and
  renders only a *pending* certificate; a duplicate message, a second worker or a retry
  after a crash finds it issued and does nothing. The PDF's storage name is fixed by the
  certificate, so an interrupted render's leftover file is replaced, never joined by a
  second one.
* **Queueing never breaks the caller.** Render messages are sent after commit, through
  the one dispatch seam (:mod:`lms.dispatch`, by task name: this module never imports
  the tasks that call it); if the broker is down the failure is logged and the
  certificate stays pending until :func:`certificates_requeue_stale` (run by Celery
  beat) queues it again.
* **Every administrator's action is in Wagtail's audit log**, written here in the same
  transaction as the change, with who did it.
* **Lock order**: an enrolment (``courses.api.enrolment_lock``, taken by the completion
  that requests a certificate, and by a revocation) before the certificate's row.
* **A completion never rolls back because of its certificate**: a revoked certificate
  stands (the completion gets it back, not a new one), and the receiver requests the
  certificate in a savepoint, logging rather than raising whatever goes wrong there.

The PDF is made by the renderer named in ``CERTIFICATES_PDF_RENDERER`` (by default
:func:`certificates.rendering.render_certificate_pdf`), called while the certificate's
row is locked.

Other apps reach these services through :mod:`certificates.api`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Least
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.log_actions import log

from certificates import credentials
from certificates.exceptions import CertificateError, CertificateRenderError
from certificates.issuer import STATUS_PURPOSE, credential_keys, issuer_did, status_list_url
from certificates.models import (
    VALID_STATUSES,
    BadgeCredential,
    Certificate,
    CertificateStatus,
    RevocationReason,
    Signatory,
    StatusList,
    TranscriptPDF,
    TranscriptPDFStatus,
    format_serial,
)
from certificates.rendering import (
    CertificateDocument,
    CreditLine,
    SignatoryLine,
    TranscriptDocument,
    render_transcript_pdf,
    stored_image_data_url,
)
from certificates.selectors import certificate_action_refusal
from courses.api import (
    enrolment_claim_entries,
    enrolment_get,
    enrolment_lock,
    enrolment_mark_completed,
    enrolment_trail,
    run_completed_enrolments,
)
from lms.db import insert_or
from lms.dispatch import task_send, task_send_on_commit
from lms.selectors import doctor_profile_for
from quizzes.api import enrolment_passed_attempts_trail

if TYPE_CHECKING:
    from courses.models import CourseRun, Enrolment

logger = logging.getLogger(__name__)

# The Celery names of this app's tasks (certificates.tasks registers them under these).
RENDER_TASK = "certificates.render_certificate"
EMAIL_TASK = "certificates.send_certificate_email"


@lru_cache(maxsize=4)
def _renderer(path: str):
    return import_string(path)


def _render_pdf(document: CertificateDocument) -> bytes:
    return _renderer(settings.CERTIFICATES_PDF_RENDERER)(document)


# --- Requesting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateRequest:
    certificate: Certificate
    created: bool


def certificate_request(
    *,
    enrolment: Enrolment,
    by=None,
    reason: str = "",
    supersedes: Certificate | None = None,
    now: datetime.datetime | None = None,
) -> CertificateRequest:
    """Record a pending certificate for a completed ``enrolment`` and queue its render.

    Runs inside the caller's transaction when there is one (the completion's), so the
    completion and its certificate commit or roll back together; the render is queued
    after commit. If the enrolment already has a valid certificate, that one is
    returned with ``created=False`` and nothing is written or queued. So is a revoked
    one, unless an administrator asks (``by``) or a reissue (``supersedes``): a
    completion — even one racing the revocation — never undoes it, and never fails
    because of it. Raises :class:`CertificateError` if the enrolment is not completed.
    """
    if not enrolment.is_completed:
        raise CertificateError("Only a completed enrolment can have a certificate.")
    now = now or timezone.now()

    with transaction.atomic(savepoint=False):
        if by is None and supersedes is None:
            # A completion never undoes an administrator's revocation: the revoked
            # certificate stands (an administrator may still issue one by hand).
            revoked = Certificate.objects.filter(
                enrolment=enrolment, status=CertificateStatus.REVOKED
            ).first()
            if revoked is not None:
                return CertificateRequest(certificate=revoked, created=False)
        created = insert_or(
            lambda: Certificate.objects.create(
                enrolment=enrolment,
                requested_at=now,
                queued_at=now,
                requested_by=by,
                request_reason=reason,
                supersedes=supersedes,
            ),
            on_conflict=lambda: None,  # the enrolment already has its valid certificate
        )
        if created is None:
            existing = (
                Certificate.objects.filter(enrolment=enrolment, status__in=VALID_STATUSES).first()
                # The valid one was revoked (or superseded) between our insert and this
                # read: that decision stands, and the caller's transaction goes on.
                or Certificate.objects.filter(enrolment=enrolment).order_by("-requested_at", "-pk").first()
            )
            return CertificateRequest(certificate=existing, created=False)
        certificate = created
        # The serial numbers certificates in the order they were requested; the id does
        # that without a counter row every completion would have to lock.
        certificate.serial = format_serial(year=timezone.localtime(now).year, number=certificate.pk)
        Certificate.objects.filter(pk=certificate.pk).update(serial=certificate.serial)
        task_send_on_commit(RENDER_TASK, certificate.pk)
    return CertificateRequest(certificate=certificate, created=True)


# --- Rendering ----------------------------------------------------------------------------


def _document(certificate: Certificate, signatories: list[Signatory]) -> CertificateDocument:
    enrolment = certificate.enrolment
    course = enrolment.run.course
    profile = doctor_profile_for(user=enrolment.learner)
    if profile is None:
        raise CertificateRenderError(
            f"{enrolment.learner.email} has no doctor's profile, so the certificate cannot name them. "
            "Ask them to complete it, then retry."
        )
    if not profile.full_name.strip() or not profile.registration_number.strip():
        raise CertificateRenderError(
            f"{enrolment.learner.email}'s profile lacks a name or registration number for the certificate."
        )
    # An accredited enrolment prints what the doctor claimed, per credit type, instead of
    # the course's advertised hours.
    credits = tuple(
        CreditLine(
            credits=entry.credits,
            credit_type=entry.credit_type_name,
            awarding_body=entry.awarding_body,
            statement=entry.accreditation_statement,
        )
        for entry in enrolment_claim_entries(enrolment_id=enrolment.pk)
    )
    return CertificateDocument(
        credits=credits,
        holder_name=profile.full_name.strip(),
        council=profile.council_display,
        registration_number=profile.registration_number,
        course_title=course.title,
        track=course.get_track_display(),
        run_label=enrolment.run.label,
        cme_credit_hours=None if credits else course.cme_credit_hours,
        completed_on=timezone.localdate(enrolment.completed_at or certificate.requested_at),
        serial=certificate.serial,
        verification_code=certificate.verification_code,
        verification_url=certificate.verification_url,
        signatories=tuple(
            SignatoryLine(
                name=s.name,
                title=s.title,
                signature_url=stored_image_data_url(s.signature.file.name) if s.signature_id else "",
            )
            for s in signatories
        ),
    )


def _signature_sha256(signatory: Signatory) -> str:
    """SHA-256 of the signature image file a certificate printed (empty for a typed name)."""
    if not signatory.signature_id:
        return ""
    digest = hashlib.sha256()
    with signatory.signature.file.storage.open(signatory.signature.file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(64 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _traceability(certificate: Certificate, *, at: datetime.datetime) -> dict:
    """The chain behind the certificate, recorded with what it printed (see ``Certificate.traceability``).

    What the enrolment's completion rests on (:func:`courses.api.enrolment_trail`) and the
    quiz versions of its passed attempts (:func:`quizzes.api.enrolment_passed_attempts_trail`),
    copied into the certificate so it reads the same for as long as the record is kept.
    """
    trail = enrolment_trail(enrolment=certificate.enrolment)
    trail["quizzes"] = enrolment_passed_attempts_trail(enrolment_id=certificate.enrolment_id)
    trail["recorded_at"] = at.isoformat()
    return trail


def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Render, store and issue a pending certificate; do nothing for any other status.

    See :func:`certificate_render_claiming_email` (this is it without the e-mail's claim).
    """
    return certificate_render_claiming_email(certificate_id=certificate_id, claim_email=False)[0]


def certificate_render_claiming_email(
    *, certificate_id: int, claim_email: bool = True
) -> tuple[Certificate | None, bool]:
    """Render, store and issue a pending certificate; do nothing for any other status.

    With ``claim_email`` the learner's e-mail is claimed (``emailed_at`` set) in the
    transaction that issues the certificate — one commit where a separate claim would take
    a second — and the second value returned says whether it was: the caller then sends it
    with :func:`certificate_email_send_claimed` once this has returned (committed). The
    e-mail stays at most once: the claim is committed before anything is sent, and a
    worker that dies in between loses the e-mail, never sends it twice.

    Idempotent and safe against duplicates: the certificate's row is locked for the
    whole render, so a second worker waits and then finds it issued. On success the
    PDF is stored under a name fixed by the certificate, its SHA-256 and the snapshot
    of what it printed (with the SHA-256 of each signature image, and the traceability
    chain: :func:`_traceability`) are recorded, and it becomes ``issued`` (the caller e-mails the
    learner once this has committed: :func:`certificate_email_learner`). Returns the
    certificate (``None`` if there is no such id).

    Raises :class:`CertificateRenderError` when the data cannot make a certificate
    (no doctor's profile); any other exception (database, storage, WeasyPrint) leaves
    the certificate pending for a retry.
    """
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__run__course", "enrolment__learner__doctor_profile")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None or certificate.status != CertificateStatus.PENDING:
            return certificate, False

        signatories = list(Signatory.objects.filter(active=True).select_related("signature"))
        document = _document(certificate, signatories)
        started = time.perf_counter()
        pdf = _render_pdf(document)
        render_ms = round((time.perf_counter() - started) * 1000)

        field = Certificate._meta.get_field("pdf")
        storage = field.storage
        name = field.generate_filename(certificate, "certificate.pdf")
        if storage.exists(name):  # left by a render that died before its commit
            storage.delete(name)
        stored_name = storage.save(name, ContentFile(pdf))

        now = timezone.now()
        sha256 = hashlib.sha256(pdf).hexdigest()
        snapshot = {
            "holder_name": document.holder_name,
            "council": document.council,
            "registration_number": document.registration_number,
            "course_title": document.course_title,
            "track": document.track,
            "run_label": document.run_label,
            "cme_credit_hours": document.cme_credit_hours,
            "completed_on": document.completed_on,
            "claimed_credits": [
                {
                    "credits": str(line.credits),
                    "credit_type": line.credit_type,
                    "awarding_body": line.awarding_body,
                    "statement": line.statement,
                }
                for line in document.credits
            ],
            "signatories": [
                {"name": line.name, "title": line.title, "signature_sha256": _signature_sha256(signatory)}
                for line, signatory in zip(document.signatories, signatories, strict=True)
            ],
            "traceability": _traceability(certificate, at=now),
        }
        email_claimed = claim_email and certificate.emailed_at is None
        snapshot_and_claim = {**snapshot, "emailed_at": now} if email_claimed else snapshot
        Certificate.objects.filter(pk=certificate.pk).update(
            status=CertificateStatus.ISSUED,
            pdf=stored_name,
            pdf_sha256=sha256,
            issued_at=now,
            render_ms=render_ms,
            render_attempts=F("render_attempts") + 1,
            last_error="",
            **snapshot_and_claim,
        )
        for key, value in snapshot_and_claim.items():
            setattr(certificate, key, value)
        certificate.status = CertificateStatus.ISSUED
        certificate.pdf.name = stored_name
        certificate.issued_at = now
        certificate.render_ms = render_ms
        certificate.pdf_sha256 = sha256
        certificate.render_attempts += 1
        certificate.last_error = ""
        # The same task, the same transaction: a certificate is never issued without its credential.
        credential_issue(certificate=certificate)
        log(instance=certificate, action="certificates.issue", user=None, data={"render_ms": render_ms})
    logger.info("Issued certificate %s (%s) in %d ms", certificate.serial, certificate.pk, render_ms)
    return certificate, email_claimed


def render_error_is_transient(error: BaseException) -> bool:
    """Whether a render failed because something it needs was unreachable for a while.

    Storage (a filesystem or S3 error, a refused connection, a timeout), the database
    and the broker: retrying later will work without anyone changing anything. Those
    leave the certificate pending however long they last; anything else is a fault of
    the render itself.
    """
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    transient: tuple[type[BaseException], ...] = (
        OSError,  # ConnectionError, TimeoutError, a full or unmounted disk
        OperationalError,
        InterfaceError,
        BrokerError,
        RedisConnectionError,
        RedisTimeoutError,
    )
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        transient += (BotoCoreError, ClientError)
    except ImportError:  # pragma: no cover - django-storages[s3] is a dependency
        pass
    return not isinstance(error, CertificateRenderError) and isinstance(error, transient)


def certificate_record_render_failure(*, certificate_id: int, error: str, final: bool) -> None:
    """Record a failed render attempt; ``final`` marks the certificate failed for administrators.

    Only a pending certificate changes. One that stays pending has ``queued_at`` moved
    to now, so the sweeper leaves it to the retry in progress and takes it up only once
    that has given up too. A failed certificate still counts as the enrolment's
    certificate (the constraint keeps it unique) until it is retried.
    """
    now = timezone.now()
    changes = {
        "render_attempts": Least(F("render_attempts") + 1, Value(32767)),
        "last_error": error[:4000],
    }
    if final:
        changes.update(status=CertificateStatus.FAILED, failed_at=now)
    else:
        changes.update(queued_at=now)
    with transaction.atomic():
        updated = Certificate.objects.filter(pk=certificate_id, status=CertificateStatus.PENDING).update(
            **changes
        )
        if updated and final:
            certificate = Certificate.objects.get(pk=certificate_id)
            log(instance=certificate, action="certificates.fail", user=None, data={"error": error[:500]})
    if final:
        logger.error("Certificate %s failed to render: %s", certificate_id, error)


def certificate_email_learner(*, certificate_id: int) -> bool:
    """E-mail the learner that their issued certificate is ready, at most once.

    The ``emailed_at`` mark is committed *before* the e-mail is handed to the mail
    server, so a redelivered or duplicated task finds it and sends nothing. If the mail
    server refuses (an exception), the mark is taken back and the exception raised, so
    the caller's retry sends it; only a worker that dies between the two loses the
    e-mail (the certificate itself is on the learner's dashboard). Returns whether it
    sent now.
    """
    marked_at = timezone.now()
    with transaction.atomic():
        marked = Certificate.objects.filter(
            pk=certificate_id, status=CertificateStatus.ISSUED, emailed_at__isnull=True
        ).update(emailed_at=marked_at)
    if not marked:
        return False
    certificate_email_send_claimed(
        certificate=Certificate.objects.select_related("enrolment__learner").get(pk=certificate_id)
    )
    return True


def certificate_email_send_claimed(*, certificate: Certificate) -> None:
    """Send the "certificate ready" e-mail whose claim (``certificate.emailed_at``) is committed.

    If the mail server refuses (an exception), the claim is taken back and the exception
    raised, so the caller's retry sends it (:func:`certificate_email_learner`).
    """
    learner = certificate.enrolment.learner
    context = {
        "certificate": certificate,
        "learner": learner,
        "dashboard_url": f"{settings.LMS_BASE_URL}{reverse('dashboard')}",
        "academy_name": settings.LMS_ACADEMY_NAME,
    }
    try:
        send_mail(
            subject=f"Your certificate for {certificate.course_title} is ready",
            message=render_to_string("certificates/email/certificate_ready.txt", context),
            from_email=None,
            recipient_list=[learner.email],
        )
    except Exception:
        Certificate.objects.filter(pk=certificate.pk, emailed_at=certificate.emailed_at).update(
            emailed_at=None
        )
        raise


# --- Administrators' actions ---------------------------------------------------------------


def _required_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(f"Give a reason for {what}; it is kept in the audit log.")
    return reason


def certificate_issue_manually(*, enrolment: Enrolment, by, reason: str) -> Certificate:
    """Issue a certificate for ``enrolment`` by an administrator's decision.

    An enrolment not yet completed is marked complete first (e.g. completed in person),
    which requests the certificate through the usual completion path. Raises
    :class:`CertificateError` without a reason or when the enrolment already has a
    valid certificate (reissue that instead), and the courses app's error for a
    withdrawn enrolment.
    """
    reason = _required_reason(reason, "issuing a certificate by hand")
    with transaction.atomic():
        enrolment = enrolment_get(enrolment_id=enrolment.pk)
        existing = Certificate.objects.filter(enrolment=enrolment, status__in=VALID_STATUSES).first()
        if existing is not None:
            raise CertificateError(
                f"{enrolment.learner.display_name} already has a certificate for this run "
                f"({existing}, {existing.get_status_display().lower()}). Reissue it instead."
            )
        if not enrolment.is_completed:
            enrolment = enrolment_mark_completed(enrolment=enrolment)  # the signal requests it
        request = certificate_request(enrolment=enrolment, by=by, reason=reason)
        certificate = request.certificate
        if not request.created:  # requested by the completion just above: it was us
            Certificate.objects.filter(pk=certificate.pk).update(requested_by=by, request_reason=reason)
            certificate.requested_by, certificate.request_reason = by, reason
        log(instance=certificate, action="certificates.issue_manually", user=by, data={"reason": reason})
    return certificate


def certificate_revoke(*, certificate: Certificate, by, category: str, note: str = "") -> Certificate:
    """Revoke a certificate: verifiers see it revoked (with date and category) and its holder can no longer download it.

    A pending or failed certificate may be revoked too (it will then never render).
    Raises :class:`CertificateError` for an unknown category or a certificate already
    revoked or superseded.
    """
    if category not in RevocationReason.values:
        raise CertificateError("Choose why the certificate is revoked.")
    with transaction.atomic():
        # The lock order: the enrolment first, so a revocation and a completion
        # requesting this enrolment's certificate take turns instead of crossing.
        enrolment_lock(enrolment_id=certificate.enrolment_id)
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if refusal := certificate_action_refusal(certificate=certificate, action="revoke"):
            raise CertificateError(refusal)
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = by
        certificate.revocation_reason = category
        certificate.revocation_note = note.strip()
        certificate.save(
            update_fields=["status", "revoked_at", "revoked_by", "revocation_reason", "revocation_note"]
        )
        credential_status_revoke(certificate=certificate)
        log(
            instance=certificate,
            action="certificates.revoke",
            user=by,
            data={"category": category, "note": certificate.revocation_note},
        )
    return certificate


def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Replace an issued certificate with a new one rendered from current data.

    The old certificate becomes ``superseded`` (its verification page links to the new
    one) and is taken out of the valid set *before* the new one is inserted, in the same
    transaction, so the one-valid-certificate constraint holds throughout. The new
    certificate has its own serial and code and is rendered by a worker. Raises
    :class:`CertificateError` unless the certificate is issued and its enrolment still
    completed, or without a reason.
    """
    reason = _required_reason(reason, "reissuing a certificate")
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment")
            .get(pk=certificate.pk)
        )
        if refusal := certificate_action_refusal(certificate=old, action="reissue"):
            raise CertificateError(refusal)
        Certificate.objects.filter(pk=old.pk).update(status=CertificateStatus.SUPERSEDED)
        old.status = CertificateStatus.SUPERSEDED
        # The old credential no longer stands for a valid certificate: its bit is set too.
        credential_status_revoke(certificate=old)
        new = certificate_request(enrolment=old.enrolment, by=by, reason=reason, supersedes=old).certificate
        log(
            instance=old,
            action="certificates.supersede",
            user=by,
            data={"reason": reason, "by_certificate": new.pk},
        )
        log(
            instance=new,
            action="certificates.reissue",
            user=by,
            data={"reason": reason, "supersedes": old.serial},
        )
    return new


def certificate_retry(*, certificate: Certificate, by=None) -> Certificate:
    """Put a failed certificate back to pending and queue its render again.

    Raises :class:`CertificateError` unless the certificate has failed
    (:func:`~certificates.selectors.certificate_action_refusal`).
    """
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if refusal := certificate_action_refusal(certificate=certificate, action="retry"):
            raise CertificateError(refusal)
        Certificate.objects.filter(pk=certificate.pk).update(
            status=CertificateStatus.PENDING, failed_at=None, queued_at=timezone.now()
        )
        certificate.refresh_from_db()
        log(instance=certificate, action="certificates.retry", user=by)
        task_send_on_commit(RENDER_TASK, certificate.pk)
    return certificate


@dataclass(frozen=True)
class BulkIssueResult:
    requested: int
    retried: int
    already_valid: int
    skipped_revoked: int
    errors: tuple[str, ...]


def certificates_bulk_issue(*, run: CourseRun, by) -> BulkIssueResult:
    """Request a certificate for every completed enrolment of ``run`` that lacks a valid one.

    Each enrolment is handled in its own transaction and rendered by its own task, so
    one learner's problem (recorded in ``errors``, or a render that fails later) never
    stops the others. Failed certificates are retried; enrolments whose certificate was
    revoked are left alone (revocation was a decision: issue those one by one).
    """
    enrolments = list(run_completed_enrolments(run=run))
    by_enrolment: dict[int, list[Certificate]] = {e.pk: [] for e in enrolments}
    for certificate in Certificate.objects.filter(enrolment__in=enrolments).only(
        "id", "enrolment_id", "status"
    ):
        by_enrolment[certificate.enrolment_id].append(certificate)

    requested = retried = already_valid = skipped_revoked = 0
    errors: list[str] = []
    for enrolment in enrolments:
        certificates = by_enrolment[enrolment.pk]
        valid = next((c for c in certificates if c.status in VALID_STATUSES), None)
        try:
            if valid is not None and valid.status == CertificateStatus.FAILED:
                certificate_retry(certificate=valid, by=by)
                retried += 1
            elif valid is not None:
                already_valid += 1
            elif any(c.status == CertificateStatus.REVOKED for c in certificates):
                skipped_revoked += 1
            else:
                with transaction.atomic():
                    result = certificate_request(enrolment=enrolment, by=by, reason=f"Bulk issue for {run}")
                    if result.created:
                        log(
                            instance=result.certificate,
                            action="certificates.bulk_issue",
                            user=by,
                            data={"run": run.pk},
                        )
                requested += result.created
                already_valid += not result.created
        except Exception as error:  # one learner's problem must not stop the run
            logger.exception("Bulk issue: enrolment %s failed", enrolment.pk)
            errors.append(f"{enrolment.learner.display_name}: {error}")
    log(
        instance=run,
        action="certificates.bulk_issue",
        user=by,
        data={
            "requested": requested,
            "retried": retried,
            "skipped_revoked": skipped_revoked,
            "errors": len(errors),
        },
    )
    return BulkIssueResult(requested, retried, already_valid, skipped_revoked, tuple(errors))


# --- The sweeper --------------------------------------------------------------------------


def certificates_requeue_stale(
    *, older_than: datetime.timedelta, now: datetime.datetime | None = None, limit: int = 500
) -> int:
    """Queue again every certificate still pending ``older_than`` after its last queueing.

    This is how a completion that happened while Redis or every worker was down gets
    its certificate: the pending row was committed with the completion, and this runs
    every minute from Celery beat. Sending a render twice is harmless (renders are
    idempotent). Returns how many were queued.
    """
    now = now or timezone.now()
    ids = list(
        Certificate.objects.filter(status=CertificateStatus.PENDING, queued_at__lte=now - older_than)
        .order_by("queued_at")
        .values_list("id", flat=True)[:limit]
    )
    if ids:
        Certificate.objects.filter(pk__in=ids, status=CertificateStatus.PENDING).update(queued_at=now)
    queued = sum(task_send(RENDER_TASK, certificate_id) for certificate_id in ids)
    # A worker that died between issuing and e-mailing leaves the learner uninformed.
    unsent = list(
        Certificate.objects.filter(
            status=CertificateStatus.ISSUED, emailed_at__isnull=True, issued_at__lte=now - older_than
        ).values_list("id", flat=True)[:limit]
    )
    for certificate_id in unsent:
        task_send(EMAIL_TASK, certificate_id)
    if ids or unsent:
        logger.info(
            "Sweeper re-queued %d of %d stale pending certificates and %d unsent e-mails",
            queued,
            len(ids),
            len(unsent),
        )
    return queued


# --- Open Badges 3.0 credentials -----------------------------------------------------------


def _status_list_locked(purpose: str = STATUS_PURPOSE) -> StatusList:
    """The status list's row, created if missing, locked for a change of its bits or credential.

    ``FOR NO KEY UPDATE``: it excludes another change of the list, but not the key-share
    lock a credential's insert takes on it (its foreign key), so issuing never waits for
    a revocation re-signing the list.
    """
    status_list = StatusList.objects.select_for_update(no_key=True).filter(purpose=purpose).first()
    if status_list is not None:
        return status_list
    size = credentials.STATUS_LIST_BITS
    StatusList.objects.bulk_create(
        [StatusList(purpose=purpose, size=size, bits=bytes(size // 8))], ignore_conflicts=True
    )
    return StatusList.objects.select_for_update(no_key=True).get(purpose=purpose)


def _status_list_for_issue(purpose: str = STATUS_PURPOSE) -> StatusList:
    """The status list a credential takes its index in, without its row lock (signed once, first).

    Issuing changes nothing in the list (a new index's bit is already clear), and the
    unique constraint on (list, index) decides which index is free, so two workers issue
    at once. Only the first issue of all signs the empty list, under its lock (and only
    if no one did meanwhile).
    """
    status_list = (
        StatusList.objects.only("id", "purpose", "size")
        .annotate(signed=ExpressionWrapper(Q(credential__isnull=False), output_field=BooleanField()))
        .filter(purpose=purpose)
        .first()
    )
    if status_list is None or not status_list.signed:
        status_list = _status_list_locked(purpose)
        if status_list.credential is None:
            _status_list_sign(status_list)
    return status_list


def _status_list_sign(status_list: StatusList) -> None:
    document = credentials.status_list_credential(
        url=status_list_url(status_list.purpose),
        issuer_did=issuer_did(),
        bits=bytes(status_list.bits),
        valid_from=timezone.now(),
    )
    status_list.credential = credentials.sign(
        document, key=credential_keys()[-1], did=issuer_did(), created=timezone.now()
    )
    status_list.save(update_fields=["bits", "credential", "updated_at"])


def _insert_at_random_index(status_list: StatusList, make, attempts: int = 32):
    # A random place, so an index says nothing about when or in what order it was issued;
    # the unique constraint, not a prior read, decides that it is free.
    if attempts == 0:
        raise CertificateError(
            "No free place was found in the credential status list; it may be nearly full."
        )
    index = secrets.randbelow(status_list.size)
    return insert_or(
        lambda: make(index),
        on_conflict=lambda: _insert_at_random_index(status_list, make, attempts - 1),
    )


def credential_issue(*, certificate: Certificate) -> BadgeCredential:
    """Sign and store the Open Badges 3.0 credential of a certificate being issued.

    Called by :func:`certificate_render` inside its transaction, with the pending
    certificate's row locked (so it runs once per certificate, and a render that fails
    rolls its credential back too): the credential is stored beside the PDF, with its
    SHA-256, and never changed afterwards. It takes a random free index of the
    revocation status list — the unique constraint on (list, index) decides, not the
    list's row lock, which issuing never holds (:func:`_status_list_for_issue`): two
    workers sign and commit their credentials at the same time.
    """
    enrolment = certificate.enrolment
    course = enrolment.run.course
    status_list = _status_list_for_issue()
    course_url = course.get_url() or "/"
    if course_url.startswith("/"):
        course_url = f"{settings.LMS_BASE_URL}{course_url}"
    key = credential_keys()[-1]

    def make(index: int) -> BadgeCredential:
        facts = credentials.BadgeFacts(
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            issuer_did=issuer_did(),
            issuer_name=settings.LMS_ACADEMY_NAME,
            issuer_url=settings.LMS_BASE_URL,
            holder_name=certificate.holder_name,
            email=enrolment.learner.email,
            salt=secrets.token_hex(16),
            course_id=course_url,
            course_title=certificate.course_title,
            course_summary=getattr(course, "summary", ""),
            criteria=(
                f"Completed every module and passed every required assessment of {certificate.course_title} "
                f"({certificate.run_label} run) at the {settings.LMS_ACADEMY_NAME}, content endorsed by its "
                "Faculty of Pain Medicine."
            ),
            credit_hours=certificate.cme_credit_hours,
            completed_on=certificate.completed_on,
            issued_at=certificate.issued_at or timezone.now(),
            status_list_url=status_list_url(),
            status_index=index,
            verification_url=certificate.verification_url,
        )
        signed = credentials.sign(
            credentials.badge_credential(facts), key=key, did=issuer_did(), created=timezone.now()
        )
        text = credentials.serialise(signed)
        return BadgeCredential.objects.create(
            certificate=certificate,
            status_list=status_list,
            status_index=index,
            document=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            verification_method=signed["proof"]["verificationMethod"],
        )

    return _insert_at_random_index(status_list, make)


def credential_status_revoke(*, certificate: Certificate) -> bool:
    """Set the revocation bit of the certificate's credential and re-sign the list; whether it had one.

    Runs inside the caller's transaction (revoking or superseding the certificate), so
    the certificate's status and its bit change together.
    """
    credential = BadgeCredential.objects.filter(certificate=certificate).first()
    if credential is None:
        return False
    status_list = _status_list_locked(credential.status_list.purpose)
    if not credentials.bit_is_set(bytes(status_list.bits), credential.status_index):
        status_list.bits = credentials.bit_set(bytes(status_list.bits), credential.status_index)
        _status_list_sign(status_list)
    return True


# --- Transcript PDFs ----------------------------------------------------------------------------

TRANSCRIPT_RENDER_TASK = "certificates.render_transcript_pdf"


@dataclass(frozen=True)
class TranscriptPDFRequest:
    transcript: TranscriptPDF
    created: bool


def _statement_fingerprint(statement: dict) -> str:
    return hashlib.sha256(json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def transcript_pdf_request(
    *, user, window_start: datetime.date | None = None, today: datetime.date | None = None
) -> TranscriptPDFRequest:
    """Record a pending transcript PDF of ``user`` for the window from ``window_start`` and queue its render.

    What it states is fixed now (:func:`certificates.selectors.transcript_statement`).
    Asking again for the same statement on the same day — a double click, two tabs,
    two racing requests — returns the row already there (``created=False``) and
    queues nothing; a partial unique constraint decides, never check-then-insert. A
    pending one older than ``CERTIFICATES_STALE_AFTER_SECONDS`` (its worker was lost)
    is queued again; the render itself acts only on a pending row, so that is
    harmless. A failed one is left as it was and a new one made. Raises
    :class:`CertificateError`, writing nothing, when the doctor's profile lacks the
    name or registration number a transcript is stated for.
    """
    from certificates.selectors import transcript_statement

    profile = doctor_profile_for(user=user)
    if profile is None or not profile.full_name.strip() or not profile.registration_number.strip():
        raise CertificateError(
            "A transcript states your name and medical registration number. Complete your profile, then ask again."
        )
    today = today or timezone.localdate()
    statement = transcript_statement(user=user, window_start=window_start, today=today)
    fingerprint = _statement_fingerprint(statement)
    live = (TranscriptPDFStatus.PENDING, TranscriptPDFStatus.ISSUED)

    def existing() -> TranscriptPDF:
        return TranscriptPDF.objects.get(learner=user, fingerprint=fingerprint, status__in=live)

    with transaction.atomic():
        created_row = insert_or(
            lambda: TranscriptPDF.objects.create(
                learner=user,
                window_start=window_start,
                issued_on=today,
                statement=statement,
                fingerprint=fingerprint,
            ),
            on_conflict=lambda: None,
        )
        if created_row is not None:
            task_send_on_commit(TRANSCRIPT_RENDER_TASK, created_row.pk)
            return TranscriptPDFRequest(transcript=created_row, created=True)
        transcript = existing()
        stale_before = timezone.now() - datetime.timedelta(seconds=settings.CERTIFICATES_STALE_AFTER_SECONDS)
        if transcript.status == TranscriptPDFStatus.PENDING and transcript.requested_at < stale_before:
            TranscriptPDF.objects.filter(pk=transcript.pk).update(requested_at=timezone.now())
            task_send_on_commit(TRANSCRIPT_RENDER_TASK, transcript.pk)
        return TranscriptPDFRequest(transcript=transcript, created=False)


def transcript_pdf_render(*, transcript_id: int) -> TranscriptPDF | None:
    """Render and store a pending transcript PDF; do nothing for any other status.

    The row is locked for the whole render, so a duplicate message waits and then finds
    it issued. The PDF goes to the private storage under a name fixed by the row (an
    interrupted render's file is replaced), with its SHA-256. Returns the row (``None``
    for an unknown id); whatever rendering or storage raises leaves it pending for the
    task's retry.
    """
    with transaction.atomic():
        transcript = TranscriptPDF.objects.select_for_update().filter(pk=transcript_id).first()
        if transcript is None or transcript.status != TranscriptPDFStatus.PENDING:
            return transcript
        document = TranscriptDocument(
            statement=transcript.statement,
            verification_code=transcript.verification_code,
            verification_url=transcript.verification_url,
        )
        started = time.perf_counter()
        pdf = render_transcript_pdf(document)
        render_ms = round((time.perf_counter() - started) * 1000)

        field = TranscriptPDF._meta.get_field("pdf")
        storage = field.storage
        name = field.generate_filename(transcript, "transcript.pdf")
        if storage.exists(name):
            storage.delete(name)
        stored_name = storage.save(name, ContentFile(pdf))
        now = timezone.now()
        sha256 = hashlib.sha256(pdf).hexdigest()
        TranscriptPDF.objects.filter(pk=transcript.pk).update(
            status=TranscriptPDFStatus.ISSUED,
            pdf=stored_name,
            pdf_sha256=sha256,
            issued_at=now,
            render_ms=render_ms,
            render_attempts=F("render_attempts") + 1,
            last_error="",
        )
        transcript.refresh_from_db()
    logger.info("Rendered transcript PDF %s in %d ms", transcript.pk, render_ms)
    return transcript


def transcript_pdf_record_failure(*, transcript_id: int, error: str, final: bool) -> None:
    """Record a failed render of a pending transcript PDF; ``final`` marks it failed (the doctor may ask again)."""
    changes = {"render_attempts": Least(F("render_attempts") + 1, Value(32767)), "last_error": error[:4000]}
    if final:
        changes["status"] = TranscriptPDFStatus.FAILED
    TranscriptPDF.objects.filter(pk=transcript_id, status=TranscriptPDFStatus.PENDING).update(**changes)
    if final:
        logger.error("Transcript PDF %s failed to render: %s", transcript_id, error)
