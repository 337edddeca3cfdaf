"""GET /api/v1/transcript: the doctor's credit transcript, as the transcript page shows it."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from certificates.models import CertificateStatus
from tests.api.conftest import authorization_code_token, bearer, client_credentials_token
from tests.certificates.test_transcript import claimed
from tests.courses.factories import CreditTypeFactory
from tests.factories import learner
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/transcript"


def test_lines_and_totals_match_the_page_and_a_revoked_line_counts_for_nothing(doctor, doctor_client):
    cpd = CreditTypeFactory(name="State Medical Council CPD credit hours")
    claimed(doctor, cpd, "5.25")
    claimed(doctor, cpd, "3.00", certificate_status=CertificateStatus.REVOKED)
    claimed(learner(), cpd, "6.00")  # someone else's

    response = doctor_client.get(URL)

    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted((line["credits"], line["counts"]) for line in body["lines"]) == [
        ("3.00", False),
        ("5.25", True),
    ]
    assert all(line["credit_type"] == cpd.name and line["certificate_serial"] for line in body["lines"])
    issued = next(line for line in body["lines"] if line["counts"])
    assert issued["verification_url"] and issued["status"] == "Issued"
    assert [(t["credit_type"], t["credits"]) for t in body["totals"]] == [(cpd.name, "5.25")]
    assert body["external"] == [] and body["window_start"] is None
    page = doctor_client.get("/transcript/").content.decode()
    assert "5.25" in page


def test_any_window_is_answered_and_a_malformed_date_is_a_problem(doctor, doctor_client):
    claimed(doctor, CreditTypeFactory(renewal_cycle_years=5), "2.00")
    for start, credits in (("9999-12-31", "0.00"), ("0001-01-01", "0.00"), ("2000-01-01", "0.00")):
        response = doctor_client.get(URL, {"window_start": start})
        assert response.status_code == 200, (start, response.content)
        assert [t["credits"] for t in response.json()["totals"]] == [credits]
        assert doctor_client.get("/transcript/", {"start": start}).status_code == 200
    this_cycle = (datetime.date.today() - datetime.timedelta(days=400)).isoformat()
    body = doctor_client.get(URL, {"window_start": this_cycle}).json()
    assert (body["window_start"], [t["credits"] for t in body["totals"]]) == (this_cycle, ["2.00"])
    refused = doctor_client.get(URL, {"window_start": "7 January"})
    assert refused.status_code == 422 and refused["Content-Type"].startswith("application/problem+json")


def test_anonymous_is_401_and_an_apps_token_needs_the_certificates_scope(doctor):
    assert Client().get(URL).status_code == 401
    catalogue_only = authorization_code_token(user=doctor, scope="catalogue:read")
    assert Client().get(URL, **bearer(catalogue_only)).status_code == 403
    readable = authorization_code_token(user=doctor, scope="certificates:read")
    assert Client().get(URL, **bearer(readable)).status_code == 200
    # An institution's client-credentials token acts for no doctor.
    integration = client_credentials_token(owner=doctor, scope="certificates:read")
    assert Client().get(URL, **bearer(integration)).status_code == 403


def test_queries_are_flat_in_the_number_of_claims(doctor, doctor_client):
    cpd = CreditTypeFactory()

    def queries() -> int:
        doctor_client.get(URL)
        with count_queries() as captured:
            assert doctor_client.get(URL).status_code == 200
        return len(captured)

    claimed(doctor, cpd, "1.00")
    few = queries()
    for _ in range(9):
        claimed(doctor, cpd, str(Decimal("0.25")))
    assert queries() == few
