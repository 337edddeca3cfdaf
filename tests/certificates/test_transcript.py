"""The doctor's transcript at /transcript/: claims, certificates, totals per renewal window."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from certificates.selectors import learner_transcript, renewal_window
from courses.models import CreditClaim, EnrolmentStatus, TranscriptEntry
from tests.courses.factories import CourseRunFactory, CreditTypeFactory, EnrolmentFactory
from tests.factories import learner
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def claimed(doctor, credit_type, credits, *, completed_on=None, certificate_status=CertificateStatus.ISSUED):
    """A completed enrolment with its claim, transcript line and certificate, as the claim service leaves them
    (written directly: the service's own tests cover how they are made; here only the page's reads count)."""
    completed_on = completed_on or timezone.localdate()
    run = CourseRunFactory()
    enrolment = EnrolmentFactory(
        run=run,
        learner=doctor,
        accredited=True,
        status=EnrolmentStatus.COMPLETED,
        completed_at=timezone.now(),
    )
    claim = CreditClaim.objects.create(enrolment=enrolment, minutes_spent=300, attested_personally=True)
    TranscriptEntry.objects.create(
        claim=claim,
        learner=doctor,
        credit_type=credit_type,
        credit_type_name=credit_type.name,
        awarding_body=credit_type.awarding_body,
        accreditation_statement=credit_type.accreditation_statement,
        course_title=run.course.title,
        provider="IPSC Pain Academy",
        run_label=run.label,
        completed_on=completed_on,
        designated_max=max(Decimal("6"), Decimal(credits)),
        credits=Decimal(credits),
    )
    certificate = Certificate.objects.create(enrolment=enrolment, status=CertificateStatus.PENDING)
    certificate.serial = f"PA-2027-{certificate.pk:06d}"
    Certificate.objects.filter(pk=certificate.pk).update(
        serial=certificate.serial,
        status=certificate_status,
        issued_at=timezone.now(),
        revoked_at=timezone.now() if certificate_status == CertificateStatus.REVOKED else None,
        pdf=f"certificates/{certificate.serial}.pdf",
        pdf_sha256="0" * 64,
    )
    return enrolment


def page_queries(client) -> int:
    client.get("/transcript/")
    with count_queries() as captured:
        response = client.get("/transcript/")
    assert response.status_code == 200
    return len(captured)


def test_the_transcript_page_is_flat_from_one_to_fifty_claims(client):
    hours, council = CreditTypeFactory(), CreditTypeFactory()
    one, fifty = learner(), learner()
    claimed(one, hours, "5.25")
    for n in range(50):
        claimed(fifty, hours if n % 2 else council, "1.00")

    client.force_login(one)
    with_one = page_queries(client)
    client.force_login(fifty)
    with_fifty = page_queries(client)

    assert with_one == with_fifty
    assert with_fifty <= 8


def test_totals_count_the_claims_in_each_types_renewal_window_and_not_revoked_ones(client):
    today = timezone.localdate()
    nmc = CreditTypeFactory(name="NMC CPD credit hours", renewal_cycle_years=5)
    ama = CreditTypeFactory(name="AMA PRA Category 1 Credit™", renewal_cycle_years=3)
    doctor = learner()
    claimed(doctor, nmc, "5.25", completed_on=today)
    claimed(doctor, nmc, "2.00", completed_on=today - datetime.timedelta(days=4 * 365))
    claimed(doctor, nmc, "9.00", completed_on=today - datetime.timedelta(days=6 * 365))  # outside five years
    claimed(doctor, ama, "6.00", completed_on=today - datetime.timedelta(days=4 * 365))  # outside three years
    claimed(doctor, ama, "1.50", completed_on=today)
    claimed(doctor, ama, "4.00", completed_on=today, certificate_status=CertificateStatus.REVOKED)
    other = learner()
    claimed(other, nmc, "8.00")

    totals = {t.credit_type: t.credits for t in learner_transcript(user=doctor).totals}
    assert totals == {"NMC CPD credit hours": Decimal("7.25"), "AMA PRA Category 1 Credit™": Decimal("1.50")}

    chosen = today - datetime.timedelta(days=7 * 365)
    totals = {t.credit_type: t.credits for t in learner_transcript(user=doctor, window_start=chosen).totals}
    assert totals["NMC CPD credit hours"] == Decimal("11.00")  # six and four years ago; not today

    client.force_login(doctor)
    body = client.get("/transcript/").content.decode()
    assert 'data-credit-total="NMC CPD credit hours">7.25<' in body
    assert "8.00" not in body  # another doctor's claim
    assert client.get("/transcript/?start=not-a-date").status_code == 200


def test_a_renewal_window_ending_today_includes_today():
    today = datetime.date(2027, 3, 1)
    assert renewal_window(cycle_years=5, start=None, today=today) == (
        datetime.date(2022, 3, 2),
        datetime.date(2027, 3, 2),
    )
    assert renewal_window(cycle_years=5, start=datetime.date(2024, 2, 29), today=today) == (
        datetime.date(2024, 2, 29),
        datetime.date(2029, 2, 28),
    )


def test_the_transcript_asks_for_a_log_in(client):
    response = client.get("/transcript/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
