"""How ``certificates`` hears about completions: one receiver, one service call."""

from django.dispatch import receiver

from certificates.services import certificate_request
from courses.api import enrolment_completed


@receiver(enrolment_completed, dispatch_uid="certificates.request_on_completion")
def request_certificate_on_completion(sender, enrolment, **kwargs) -> None:
    """Record the pending certificate in the completion's own transaction."""
    certificate_request(enrolment=enrolment)
