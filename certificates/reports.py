"""What ``certificates`` adds to the administrators' run dashboard (``courses.reports``).

Registered with :func:`courses.api.register_run_report` in ``CertificatesConfig.ready``:
each learner's certificate (the one :func:`certificates.selectors.certificates_for_enrolments`
shows them: the valid one, else the latest revoked one) and the funnel's last stage,
*Certified* — the enrolments whose certificate is issued. One query whatever the number
of enrolments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from certificates.models import CertificateStatus
from certificates.selectors import certificates_for_enrolments
from courses.api import LearnerFacts, ReadCache, ReportSection, StageContribution

if TYPE_CHECKING:
    from courses.models import Enrolment


def run_certificates_report(enrolments: Sequence[Enrolment], reads: ReadCache) -> ReportSection:
    certificates = certificates_for_enrolments(e.pk for e in enrolments)
    facts = {
        enrolment_id: LearnerFacts(
            certificate=certificate.serial or "(serial pending)",
            certificate_status=certificate.get_status_display(),
        )
        for enrolment_id, certificate in certificates.items()
    }
    issued = frozenset(
        enrolment_id
        for enrolment_id, certificate in certificates.items()
        if certificate.status == CertificateStatus.ISSUED
    )
    return ReportSection(
        facts=facts, stages=[StageContribution(key="certified", label="Certified", enrolment_ids=issued)]
    )
