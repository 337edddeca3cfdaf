"""The "certificates" export (registered with :func:`courses.api.register_export_kind` in ``CertificatesConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from certificates.models import Certificate, CertificateStatus
from courses.api import ExportKind, ExportScope

HEADER = (
    "Serial",
    "Status",
    "Name (as printed)",
    "Council",
    "Registration number",
    "Course",
    "Run",
    "CME credit hours",
    "Completed on",
    "Issued at",
    "Revoked at",
    "Revocation reason",
)


def _certificates(scope: ExportScope):
    return Certificate.objects.filter(enrolment__in=scope.enrolments)


def certificate_rows(scope: ExportScope) -> Iterator[Sequence]:
    statuses = dict(CertificateStatus.choices)
    rows = (
        _certificates(scope)
        .order_by("requested_at", "id")
        .values_list(
            "serial",
            "status",
            "holder_name",
            "council",
            "registration_number",
            "course_title",
            "run_label",
            "cme_credit_hours",
            "completed_on",
            "issued_at",
            "revoked_at",
            "revocation_reason",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        row = list(row)
        row[1] = statuses.get(row[1], row[1])
        yield row


EXPORT = ExportKind(
    key="certificates",
    label="Certificates",
    header=HEADER,
    rows=certificate_rows,
    count=lambda scope: _certificates(scope).count(),
    order=40,
)
