"""The "certificate ready" reminder (:mod:`courses.reminders`), for certificates whose own e-mail never went out.

The certificate's e-mail (:func:`certificates.services.certificate_email_learner`) is sent
by the render task once it is issued, and marks ``emailed_at`` before sending. The
reminder is due only for a certificate issued more than
``LMS_REMINDER_CERTIFICATE_AFTER_HOURS`` ago (within the last 30 days) that is still not
marked — its e-mail failed every retry. Its ``claim`` sets the same ``emailed_at`` mark
under a row lock in the transaction that commits before the reminder leaves, so whichever
of the two comes second finds the mark and sends nothing: the doctor never gets both.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q

from certificates.models import Certificate, CertificateStatus
from courses.api import ReminderKind
from lms.models import NotificationKind

RECENT_DAYS = 30


def _unannounced():
    return Certificate.objects.filter(status=CertificateStatus.ISSUED, emailed_at__isnull=True)


def certificate_ready_due(now: datetime.datetime) -> Q:
    issued_before = now - datetime.timedelta(hours=settings.LMS_REMINDER_CERTIFICATE_AFTER_HOURS)
    certificates = _unannounced().filter(
        issued_at__lte=issued_before, issued_at__gte=now - datetime.timedelta(days=RECENT_DAYS)
    )
    return Q(pk__in=certificates.values("enrolment"))


def certificate_ready_claim(enrolment_ids, now: datetime.datetime) -> set[int]:
    locked = list(
        _unannounced()
        .select_for_update()
        .filter(enrolment_id__in=enrolment_ids)
        .values_list("pk", "enrolment_id")
    )
    if locked:
        Certificate.objects.filter(pk__in=[pk for pk, _ in locked]).update(emailed_at=now)
    return {enrolment_id for _, enrolment_id in locked}


def certificate_ready_release(enrolment_ids) -> None:
    Certificate.objects.filter(enrolment_id__in=enrolment_ids, status=CertificateStatus.ISSUED).update(
        emailed_at=None
    )


def certificate_ready_context(enrolments) -> dict[int, dict]:
    certificates = Certificate.objects.filter(
        enrolment_id__in=[e.pk for e in enrolments], status=CertificateStatus.ISSUED
    )
    return {c.enrolment_id: {"certificate": c} for c in certificates}


CERTIFICATE_READY = ReminderKind(
    kind=NotificationKind.CERTIFICATE_READY,
    due=certificate_ready_due,
    subject=lambda enrolment: f"Your certificate for {enrolment.run.course.title} is ready to download",
    template="certificates/email/reminder_certificate_ready.txt",
    context=certificate_ready_context,
    claim=certificate_ready_claim,
    release=certificate_ready_release,
)
