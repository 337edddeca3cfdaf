"""An accredited course's certificate prints the claimed credit per type, the awarding body and
the accreditation statement — rendered by a real Celery worker, read back from the PDF."""

import dataclasses
import io
from decimal import Decimal

import pypdf
import pytest

from certificates.exceptions import CertificateRenderError
from certificates.models import Certificate, CertificateStatus
from certificates.rendering import CreditLine, render_certificate
from courses.models import DESIGNATED_CREDITS_MAX, CreditType
from courses.services import credit_claim_submit, enrolment_create, evaluation_submit, module_complete
from tests.certificates.factories import pdf_text, stored_pdf
from tests.certificates.processes import wait_until
from tests.certificates.test_layout import LATIN, longest, typical
from tests.courses.factories import (
    EVALUATION_ANSWERS,
    CourseRunFactory,
    CreditTypeFactory,
    ModulePageFactory,
    designate,
    evaluation_page,
)
from tests.factories import learner

STATEMENT_MAX = CreditType._meta.get_field("accreditation_statement").max_length
NAME_MAX = CreditType._meta.get_field("name").max_length
BODY_MAX = CreditType._meta.get_field("awarding_body").max_length


def cut(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_prints_the_claimed_credits_awarding_body_and_statement(start_worker, media_root, client):
    start_worker()
    run = CourseRunFactory()
    ama = CreditTypeFactory(
        name="AMA PRA Category 1 Credit™",
        awarding_body="Accreditation Council for CME",
        accreditation_statement="The IPSC Pain Academy designates this enduring material for a maximum of 6.00 "
        "AMA PRA Category 1 Credits™. Physicians should claim only the credit commensurate with the extent "
        "of their participation in the activity.",
    )
    designate(run.course, ama, "6")
    module = ModulePageFactory(parent=run.course, estimated_minutes=360)
    page = evaluation_page(run.course)
    doctor = learner(full_name="Dr Kavya Raghunathan")
    enrolment = enrolment_create(learner=doctor, run=run)
    module_complete(learner=doctor, module=module)
    evaluation_submit(learner=doctor, page=page, form_data=EVALUATION_ANSWERS)

    credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=310, attested=True)

    certificate = wait_until(
        lambda: Certificate.objects.filter(enrolment=enrolment, status=CertificateStatus.ISSUED).first(),
        timeout=60,
        message="the certificate to be issued",
    )
    text = squeeze(pdf_text(stored_pdf(certificate)))
    for expected in [
        "5.25 AMA PRA Category 1 Credit™",
        "awarded by Accreditation Council for CME",
        ama.accreditation_statement,
        "Dr Kavya Raghunathan",
    ]:
        assert squeeze(expected) in text, expected
    assert "CMEcredithours" not in text  # the claim replaces the course's advertised hours
    assert certificate.claimed_credits == [
        {
            "credits": "5.25",
            "credit_type": "AMA PRA Category 1 Credit™",
            "awarding_body": "Accreditation Council for CME",
            "statement": ama.accreditation_statement,
        }
    ]
    body = client.get(certificate.verification_path).content.decode()
    assert (
        "Credit claimed" in body
        and "5.25 AMA PRA Category 1 Credit™, awarded by Accreditation Council for CME" in body
    )
    assert client.get("/transcript/").status_code == 302  # signed out: to the log-in page


def _longest_credits():
    return tuple(
        CreditLine(
            credits=Decimal("999.75"),
            credit_type=cut(f"State Medical Council CPD credit hours {n} ", NAME_MAX),
            awarding_body=cut("Maharashtra Medical Council, Mumbai ", BODY_MAX),
            statement=cut(
                f"Statement {n}: accredited for the credit shown; claim only your participation. ",
                STATEMENT_MAX,
            ),
        )
        for n in range(DESIGNATED_CREDITS_MAX)
    )


def test_three_credit_types_with_the_longest_statements_fit_one_page():
    credits = _longest_credits()
    document = dataclasses.replace(typical(), credits=credits, cme_credit_hours=None)

    rendered = render_certificate(document)  # raises rather than print text off its area

    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    assert len(reader.pages) == 1
    text = squeeze(reader.pages[0].extract_text())
    for line in credits:
        assert squeeze(line.statement) in text


def test_credits_beside_every_other_field_at_its_longest_are_refused_not_cut():
    """The known limit: three full credit statements do not fit beside a 150-character name, a
    255-character title and three 150-character signatories. The renderer refuses (the
    certificate is marked failed for an administrator) rather than print text off the page."""
    document = dataclasses.replace(longest(**LATIN), credits=_longest_credits(), cme_credit_hours=None)
    with pytest.raises(CertificateRenderError, match="does not fit"):
        render_certificate(document)
