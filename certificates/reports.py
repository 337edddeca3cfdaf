"""What ``certificates`` adds to the administrators' run dashboard (``courses.reports``).

Registered with :func:`courses.api.register_run_report` in ``CertificatesConfig.ready``:
the funnel's last stage, *Certified* — enrolments with an issued certificate (a
condition over one grouped pass of the scope's certificates, which PostgreSQL counts with
the other figures) — and, for the learners on screen, their certificate (the
one :func:`certificates.selectors.certificates_for_enrolments` shows them: the valid
one, else the latest revoked one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from certificates.models import Certificate, CertificateStatus
from certificates.selectors import certificates_for_enrolments
from courses.api import (
    LearnerFacts,
    ReadCache,
    ReportFigures,
    ReportScope,
    ReportStage,
    ReportTable,
    RunReportProvider,
)

if TYPE_CHECKING:
    from courses.models import Enrolment


def certified_figures(scope: ReportScope) -> ReportFigures:
    """Each enrolment's certificates in one grouped pass; *Certified*: one of them issued."""
    table = ReportTable(
        key="certificates",
        rows=Certificate.objects.filter(enrolment__in=scope.enrolments),
        columns={"issued_count": Count("pk", filter=Q(status=CertificateStatus.ISSUED))},
    )
    certified = ReportStage(
        key="certified", label="Certified", condition=f"{table.column('issued_count')} > 0", order=100
    )
    return ReportFigures(table=table, stages=[certified])


def learner_certificates(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, LearnerFacts]:
    return {
        enrolment_id: LearnerFacts(
            certificate=certificate.serial or "(serial pending)",
            certificate_status=certificate.get_status_display(),
        )
        for enrolment_id, certificate in certificates_for_enrolments(e.pk for e in enrolments).items()
    }


RUN_REPORT = RunReportProvider(key="certificates", figures=certified_figures, facts=learner_certificates)
