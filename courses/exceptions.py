"""Errors raised by the courses services."""

from lms.exceptions import DomainError


class EnrolmentError(DomainError):
    """Enrolment or withdrawal refused (window, capacity, duplicate, state)."""


class ProfileIncompleteError(EnrolmentError):
    """The learner must complete their doctor's profile first."""


class ModuleAccessError(DomainError):
    """The learner has no current enrolment that gives access to the module."""


class RunSchedulingError(DomainError):
    """Runs could not be scheduled as asked."""


class DisclosureError(DomainError):
    """A disclosure confirmation was refused."""
