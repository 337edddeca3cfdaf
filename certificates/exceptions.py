"""Errors raised by the certificates services."""

from lms.exceptions import DomainError


class CertificateError(DomainError):
    """An administrator's or a learner's request about a certificate was refused."""


class CertificateRenderError(DomainError):
    """A certificate cannot be rendered from the data as it is (not a passing fault).

    Retrying will not help until someone fixes the data (a learner without a doctor's
    profile, say), so the render is marked failed at once.
    """
