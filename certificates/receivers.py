"""How ``certificates`` hears about completions and account deletions: one receiver each."""

import logging

from django.db import transaction
from django.dispatch import receiver

from certificates.selectors import certificate_being_prepared_for
from certificates.services import certificate_request
from courses.api import enrolment_completed
from lms.signals import account_deletion_checks

logger = logging.getLogger(__name__)


@receiver(enrolment_completed, dispatch_uid="certificates.request_on_completion")
def request_certificate_on_completion(sender, enrolment, **kwargs) -> None:
    """Record the pending certificate in the completion's own transaction.

    In a savepoint: whatever goes wrong on the certificate's side rolls back only the
    certificate, never the learner's completion (an administrator can issue it from the
    run's bulk issue, which requests every completed enrolment's missing certificate).
    """
    try:
        with transaction.atomic():
            certificate_request(enrolment=enrolment)
    except Exception:
        logger.exception("Could not request the certificate of completed enrolment %s", enrolment.pk)


@receiver(account_deletion_checks, dispatch_uid="certificates.pending_certificate_keeps_account")
def pending_certificate_keeps_account(sender, user, **kwargs) -> str | None:
    """A certificate still being prepared prints its holder's name from their profile,
    which deleting the account erases: the deletion waits until it is issued."""
    course_title = certificate_being_prepared_for(user=user)
    if course_title is None:
        return None
    return (
        f"The certificate for “{course_title}” is still being prepared and must print its "
        "holder's name. Delete the account once it is issued (usually within a few minutes)."
    )
