"""How ``certificates`` hears about completions: one receiver, one service call."""

import logging

from django.db import transaction
from django.dispatch import receiver

from certificates.services import certificate_request
from courses.api import enrolment_completed

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
