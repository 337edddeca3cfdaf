"""The public surface of ``certificates``: what other apps (and the REST API, issue 13) may use.

Nothing below ``certificates`` imports it (it is the top layer); a future app above it
(the REST API, transcripts) imports from this module only. Inside ``certificates`` the
code lives in ``selectors`` (reads), ``services`` (writes), ``tasks`` (the Celery
interface: each task takes an id and calls one service), ``rendering`` (the PDF, from
plain data) and ``codes`` (verification codes and serials).

Reads
    :func:`certificate_for_verification`, :func:`certificate_for_serial` — what a
    verifier may see; :func:`certificate_for_download` — what a holder (or staff with
    the permission) may download; :func:`learner_certificates`, :func:`learner_certificate_rows` (a queryset to page), :func:`learner_certificate_get`
    — a holder's own certificates; :func:`badge_credential_of` — its Open Badges credential;
    :func:`learner_transcript` — a doctor's credit transcript; :func:`certificates_for_enrolments` — the certificate
    to show for each enrolment; :func:`run_certificate_progress`;
    :func:`certificate_action_refusal` — whether an administrator's action (revoke,
    reissue, retry, download) applies to a certificate as it is, and why not: the rule
    the admin's buttons and screens, and the services themselves, ask.

Rate limits
    :func:`serial_lookup_allowed` — one lookup by serial and registration number (the
    verification page and the REST API share the budget).

Writes
    :func:`certificate_request` (the completion path), and the administrators' actions
    :func:`certificate_issue_manually`, :func:`certificate_revoke`,
    :func:`certificate_reissue`, :func:`certificate_retry`,
    :func:`certificates_bulk_issue` — each writes the audit log and raises
    :class:`CertificateError` with a message for the person.

Signals and tasks
    ``certificates`` receives :data:`courses.api.enrolment_completed` (and requests the
    certificate in the completion's transaction). It sends no signal. Its Celery tasks
    are named ``RENDER_TASK`` and ``EMAIL_TASK``; they are sent only through
    :mod:`lms.dispatch`.

What certificates registers with ``courses`` (in ``CertificatesConfig.ready``)
    the course page's and the dashboard's certificate panel.
"""

from certificates.codes import normalise_code, normalise_serial, verification_code_grouped
from certificates.exceptions import CertificateError, CertificateRenderError
from certificates.selectors import (
    badge_credential_of,
    certificate_action_refusal,
    certificate_for_download,
    certificate_for_serial,
    certificate_for_verification,
    certificates_for_enrolments,
    learner_certificate_get,
    learner_certificate_rows,
    learner_certificates,
    learner_transcript,
    run_certificate_progress,
)
from certificates.services import (
    EMAIL_TASK,
    RENDER_TASK,
    certificate_issue_manually,
    certificate_reissue,
    certificate_request,
    certificate_retry,
    certificate_revoke,
    certificates_bulk_issue,
)
from certificates.throttling import serial_lookup_allowed
from certificates.views import pdf_response

__all__ = [
    "badge_credential_of",
    "learner_transcript",
    "pdf_response",
    "EMAIL_TASK",
    "RENDER_TASK",
    "CertificateError",
    "CertificateRenderError",
    "certificate_action_refusal",
    "certificate_for_download",
    "certificate_for_serial",
    "certificate_for_verification",
    "certificate_issue_manually",
    "certificate_reissue",
    "certificate_request",
    "certificate_retry",
    "certificate_revoke",
    "certificates_bulk_issue",
    "certificates_for_enrolments",
    "learner_certificate_get",
    "learner_certificate_rows",
    "learner_certificates",
    "normalise_code",
    "normalise_serial",
    "run_certificate_progress",
    "serial_lookup_allowed",
    "verification_code_grouped",
]
