"""Issue 10's "Bad input" list, over HTTP, the way a doctor (or someone else) would send it.

Each refusal answers with a clear message and writes nothing: no evaluation submission,
no claim, no transcript line, no certificate, no stored evidence file. (The services'
own refusals are in test_accredited_sequence.py and test_external_credits.py; two
racing claims are in test_claim_races.py.)
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CreditClaim, EvaluationSubmission, ExternalCredit, TranscriptEntry
from courses.services import CLAIM_MAX_MINUTES, enrolment_create, evaluation_submit, module_complete
from lms.evidence import EVIDENCE_MAX_BYTES
from tests.courses.factories import (
    EVALUATION_ANSWERS,
    CourseRunFactory,
    CreditTypeFactory,
    ModulePageFactory,
    designate,
    evaluation_page,
)
from tests.courses.test_external_credits import JAVASCRIPT, pdf_bytes, upload
from tests.factories import PASSWORD, learner

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def course(client):
    """A course designating 6 credits, its one module and evaluation; a doctor enrolled and signed in."""
    run = CourseRunFactory()
    designate(run.course, CreditTypeFactory(name="State Medical Council CPD credit hours"), "6")
    module = ModulePageFactory(parent=run.course, estimated_minutes=360)
    page = evaluation_page(run.course)
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)
    client.login(username=doctor.username, password=PASSWORD)
    return enrolment, module, page


def nothing_written() -> bool:
    return not (
        CreditClaim.objects.exists() or TranscriptEntry.objects.exists() or Certificate.objects.exists()
    )


def claim_url(enrolment) -> str:
    return reverse("credit_claim", args=[enrolment.pk])


ATTESTED = {"hours": "5", "minutes": "10", "attest": "on"}


# --- Claims --------------------------------------------------------------------------------


def test_a_claim_before_the_evaluation_is_refused_and_writes_nothing(client, course):
    enrolment, module, page = course
    module_complete(learner=enrolment.learner, module=module)

    response = client.post(claim_url(enrolment), ATTESTED)

    assert response.status_code == 400
    assert "first finish “Course evaluation”" in response.content.decode()
    assert nothing_written()


def test_a_claim_before_the_modules_is_refused_and_writes_nothing(client, course):
    enrolment, _, _ = course

    response = client.post(claim_url(enrolment), ATTESTED)

    assert response.status_code == 400 and "first finish “Modules”" in response.content.decode()
    assert nothing_written()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"hours": "334", "minutes": "0", "attest": "on"}, "enter the time you actually spent"),
        (
            {"hours": "333", "minutes": "59", "attest": "on"},
            f"between 1 minute and {CLAIM_MAX_MINUTES // 60} hours",
        ),
        ({"hours": "5", "minutes": "75", "attest": "on"}, "60 minutes or more go in the hours"),
        ({"hours": "5.5", "minutes": "0", "attest": "on"}, "Enter the hours as a whole number"),
        ({"hours": "-1", "minutes": "0", "attest": "on"}, "Hours cannot be negative"),
        ({"hours": "0", "minutes": "0", "attest": "on"}, "at least one minute"),
        ({"hours": "5", "minutes": "10"}, "took part personally"),
    ],
    ids=[
        "hours-above-the-form",
        "time-above-any-claim",
        "minutes-off-the-clock",
        "fraction",
        "negative",
        "zero",
        "not-attested",
    ],
)
def test_a_claim_with_bad_time_or_no_attestation_is_refused_with_a_message(client, course, data, message):
    enrolment, module, page = course
    module_complete(learner=enrolment.learner, module=module)
    evaluation_submit(learner=enrolment.learner, page=page, form_data=EVALUATION_ANSWERS)

    response = client.post(claim_url(enrolment), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_written()


def test_time_above_the_designation_is_capped_not_refused_and_a_second_claim_writes_nothing(client, course):
    enrolment, module, page = course
    module_complete(learner=enrolment.learner, module=module)
    evaluation_submit(learner=enrolment.learner, page=page, form_data=EVALUATION_ANSWERS)

    response = client.post(claim_url(enrolment), {"hours": "9", "minutes": "0", "attest": "on"})
    assert response.status_code == 302
    assert [str(e.credits) for e in TranscriptEntry.objects.all()] == ["6.00"]

    again = client.post(claim_url(enrolment), {"hours": "5", "minutes": "0", "attest": "on"})
    body = again.content.decode()
    assert again.status_code in (200, 400) and "You claimed" in body and "6.00" in body
    assert CreditClaim.objects.count() == 1 and TranscriptEntry.objects.count() == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert CreditClaim.objects.get().minutes_spent == 9 * 60


def test_a_claim_for_someone_elses_enrolment_is_not_found_and_writes_nothing(client, course):
    enrolment, module, page = course
    module_complete(learner=enrolment.learner, module=module)
    evaluation_submit(learner=enrolment.learner, page=page, form_data=EVALUATION_ANSWERS)
    intruder = learner()
    client.login(username=intruder.username, password=PASSWORD)

    assert client.get(claim_url(enrolment)).status_code == 404
    assert client.post(claim_url(enrolment), ATTESTED).status_code == 404
    assert nothing_written()


# --- Evaluations ---------------------------------------------------------------------------


def test_an_evaluation_submitted_twice_keeps_the_first_and_says_so(client, course):
    enrolment, module, page = course
    module_complete(learner=enrolment.learner, module=module)
    assert client.post(page.url, EVALUATION_ANSWERS).status_code == 302

    response = client.post(
        page.url, {**EVALUATION_ANSWERS, "the_course_was_relevant_to_my_practice": "Disagree"}
    )

    assert "already submitted the evaluation" in response.content.decode()
    assert EvaluationSubmission.objects.count() == 1
    assert EvaluationSubmission.objects.get().form_data["the_course_was_relevant_to_my_practice"] == "Agree"


def test_an_evaluation_from_a_doctor_not_enrolled_is_refused_and_writes_nothing(client, course):
    _, _, page = course
    outsider = learner()
    client.login(username=outsider.username, password=PASSWORD)

    shown = client.get(page.url).content.decode()
    response = client.post(page.url, EVALUATION_ANSWERS)

    assert "enrolled in a current run" in shown
    assert "enrolled in a current run" in response.content.decode()
    assert not EvaluationSubmission.objects.exists()


def test_an_evaluation_before_the_modules_is_refused_and_writes_nothing(client, course):
    _, _, page = course

    response = client.post(page.url, EVALUATION_ANSWERS)

    assert "first finish “Modules”" in response.content.decode()
    assert not EvaluationSubmission.objects.exists()


# --- Evidence of external credit -----------------------------------------------------------

FIELDS = {
    "activity": "Pain Update 2026",
    "provider": "ISSP",
    "credits": "2.00",
}


def stored(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize(
    "evidence, message",
    [
        (lambda: upload(b"MZ\x90\x00\x03" + b"\x00" * 4096, "certificate.pdf"), "PDF, PNG or JPEG"),
        (lambda: upload(b"%PDF-1.4\n" + b"0" * (50 * MB), "certificate.pdf"), "the limit is 5 MB"),
        (lambda: upload(pdf_bytes(open_action=JAVASCRIPT), "certificate.pdf"), "JavaScript"),
    ],
    ids=["executable-renamed-pdf", "fifty-megabytes", "pdf-with-javascript"],
)
def test_bad_evidence_over_http_gets_a_message_and_stores_nothing(client, media_root, evidence, message):
    doctor, credit_type = learner(), CreditTypeFactory()
    client.login(username=doctor.username, password=PASSWORD)
    completed_on = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()

    response = client.post(
        reverse("external_credit_add"),
        {**FIELDS, "completed_on": completed_on, "credit_type": credit_type.pk, "evidence": evidence()},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExternalCredit.objects.exists()
    assert stored(media_root) == []
    assert EVIDENCE_MAX_BYTES == 5 * MB
