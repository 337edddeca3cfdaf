"""Errors raised by the courses services."""

from lms.exceptions import DomainError


class EnrolmentError(DomainError):
    """Enrolment or withdrawal refused (window, capacity, duplicate, state)."""


class WaitlistError(DomainError):
    """Joining or leaving a waitlist, or accepting a seat offered from it, was refused."""


class ProfileIncompleteError(EnrolmentError):
    """The learner must complete their doctor's profile first."""


class ModuleAccessError(DomainError):
    """The learner has no current enrolment that gives access to the module."""


class RunSchedulingError(DomainError):
    """Runs could not be scheduled as asked."""


class DisclosureError(DomainError):
    """A disclosure confirmation was refused."""


class EndorsementError(DomainError):
    """Submitting content for endorsement, or approving it, was refused.

    ``problems`` lists every rule the content breaks (empty when the refusal is about
    the workflow or the person, not the content).
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


class ExportError(DomainError):
    """An export was refused (unknown kind or format, a run of another course)."""


class EvaluationError(DomainError):
    """A course evaluation submission was refused (not enrolled, too early, twice)."""


class CreditClaimError(DomainError):
    """An attestation and credit claim was refused (too early, twice, not the learner's, bad time)."""


class ExternalCreditError(DomainError):
    """An external (self-reported) credit was refused: bad credits, date or evidence."""


class BulkEnrolmentError(DomainError):
    """An uploaded enrolment file was refused (too large, not CSV, empty, unknown columns)."""
