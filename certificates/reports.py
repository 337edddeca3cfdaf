"""What ``certificates`` adds to the administrators' run dashboard (``courses.reports``).

Registered with :func:`courses.api.register_run_report` in ``CertificatesConfig.ready``:
the funnel's last stage, *Certified* — enrolments with an issued certificate (a
condition PostgreSQL counts) — and, for the learners on screen, their certificate (the
one :func:`certificates.selectors.certificates_for_enrolments` shows them: the valid
one, else the latest revoked one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Q

from certificates.models import Certificate, CertificateStatus
from certificates.selectors import certificates_for_enrolments
from courses.api import LearnerFacts, ReadCache, ReportScope, ReportStage, RunReportProvider

if TYPE_CHECKING:
    from courses.models import Enrolment


def certified_stage(scope: ReportScope) -> list[ReportStage]:
    issued = Certificate.objects.filter(enrolment__in=scope.enrolments, status=CertificateStatus.ISSUED)
    return [
        ReportStage(
            key="certified", label="Certified", condition=Q(pk__in=issued.values("enrolment")), order=100
        )
    ]


def learner_certificates(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, LearnerFacts]:
    return {
        enrolment_id: LearnerFacts(
            certificate=certificate.serial or "(serial pending)",
            certificate_status=certificate.get_status_display(),
        )
        for enrolment_id, certificate in certificates_for_enrolments(e.pk for e in enrolments).items()
    }


RUN_REPORT = RunReportProvider(key="certificates", stages=certified_stage, facts=learner_certificates)
