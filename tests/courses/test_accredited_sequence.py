"""The accredited sequence on the enrolment: modules → evaluation → attestation and claim → certificate.

Through the services and over HTTP; a course without designated credit keeps today's path.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from certificates.models import Certificate
from courses.exceptions import CreditClaimError, EvaluationError
from courses.models import CreditClaim, EnrolmentStatus, EvaluationSubmission, TranscriptEntry
from courses.services import credit_claim_submit, enrolment_create, evaluation_submit, module_complete
from tests.courses.factories import (
    EVALUATION_ANSWERS,
    CourseRunFactory,
    CreditTypeFactory,
    ModulePageFactory,
    designate,
    evaluation_page,
)
from tests.factories import PASSWORD, learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def accredited():
    """A course designating 6 credits of one type (and 3 of another), one module and an evaluation."""
    run = CourseRunFactory()
    course = run.course
    hours, council = (
        CreditTypeFactory(name="AMA PRA Category 1 Credit™", awarding_body="AMA"),
        CreditTypeFactory(),
    )
    designate(course, hours, "6")
    designate(course, council, "3")
    module = ModulePageFactory(parent=course, estimated_minutes=360)
    page = evaluation_page(course)
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)
    return enrolment, module, page


def _refresh(enrolment):
    enrolment.refresh_from_db()
    return enrolment


def test_a_course_with_designated_credit_puts_new_enrolments_on_the_accredited_sequence(accredited):
    enrolment, _, _ = accredited
    assert enrolment.accredited
    plain = enrolment_create(learner=learner(), run=CourseRunFactory())
    assert not plain.accredited


def test_the_whole_sequence_claims_credit_rounded_and_capped_and_requests_the_certificate(accredited):
    enrolment, module, page = accredited
    doctor = enrolment.learner

    assert not module_complete(learner=doctor, module=module).course_completed  # evaluation and claim remain
    evaluation_submit(learner=doctor, page=page, form_data=EVALUATION_ANSWERS)
    assert _refresh(enrolment).status == EnrolmentStatus.ACTIVE
    assert not Certificate.objects.filter(enrolment=enrolment).exists()

    claim = credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=5 * 60 + 10, attested=True)

    entries = {e.credit_type_name: e for e in TranscriptEntry.objects.filter(claim=claim)}
    assert entries["AMA PRA Category 1 Credit™"].credits == Decimal("5.25")
    assert entries["AMA PRA Category 1 Credit™"].designated_max == Decimal("6.00")
    council = next(e for name, e in entries.items() if name.startswith("State"))
    assert council.credits == Decimal("3.00")  # capped at its own designation
    assert all(
        e.learner_id == doctor.pk and e.course_title == enrolment.run.course.title for e in entries.values()
    )
    assert _refresh(enrolment).status == EnrolmentStatus.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment, status="pending").count() == 1
    assert (
        EvaluationSubmission.objects.get(enrolment=enrolment).form_data[
            "the_course_was_relevant_to_my_practice"
        ]
        == "Agree"
    )


def test_seven_hours_against_six_designated_claims_six(accredited):
    enrolment, module, page = accredited
    module_complete(learner=enrolment.learner, module=module)
    evaluation_submit(learner=enrolment.learner, page=page, form_data=EVALUATION_ANSWERS)
    claim = credit_claim_submit(
        learner=enrolment.learner, enrolment=enrolment, minutes_spent=420, attested=True
    )
    assert claim.entries.get(credit_type_name="AMA PRA Category 1 Credit™").credits == Decimal("6.00")


def test_each_step_is_refused_until_the_one_before_is_done_and_nothing_is_written(accredited):
    enrolment, module, page = accredited
    doctor = enrolment.learner

    with pytest.raises(EvaluationError, match="first finish “Modules” \\(0 of 1 done\\)"):
        evaluation_submit(learner=doctor, page=page, form_data=EVALUATION_ANSWERS)
    with pytest.raises(CreditClaimError, match="first finish “Modules”"):
        credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=300, attested=True)
    module_complete(learner=doctor, module=module)
    with pytest.raises(CreditClaimError, match="first finish “Course evaluation”"):
        credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=300, attested=True)
    assert not EvaluationSubmission.objects.exists() and not CreditClaim.objects.exists()
    assert not TranscriptEntry.objects.exists()


def test_bad_claims_and_evaluations_are_refused_with_a_message_and_write_nothing(accredited):
    enrolment, module, page = accredited
    doctor = enrolment.learner
    module_complete(learner=doctor, module=module)
    evaluation_submit(learner=doctor, page=page, form_data=EVALUATION_ANSWERS)

    with pytest.raises(EvaluationError, match="already submitted"):
        evaluation_submit(learner=doctor, page=page, form_data=EVALUATION_ANSWERS)
    with pytest.raises(EvaluationError, match="enrolled in a current run"):
        evaluation_submit(learner=learner(), page=page, form_data=EVALUATION_ANSWERS)
    with pytest.raises(CreditClaimError, match="took part in this activity personally"):
        credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=300, attested=False)
    with pytest.raises(CreditClaimError, match="between 1 minute"):
        credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=0, attested=True)
    with pytest.raises(CreditClaimError, match="hours and minutes"):
        credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=310.5, attested=True)
    with pytest.raises(CreditClaimError, match="your own enrolment"):
        credit_claim_submit(learner=learner(), enrolment=enrolment, minutes_spent=300, attested=True)
    assert not CreditClaim.objects.exists() and not TranscriptEntry.objects.exists()

    credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=300, attested=True)
    with pytest.raises(CreditClaimError, match="already claimed"):
        credit_claim_submit(learner=doctor, enrolment=enrolment, minutes_spent=360, attested=True)
    assert CreditClaim.objects.count() == 1 and TranscriptEntry.objects.count() == 2
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_a_course_without_credit_types_keeps_todays_path():
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course)
    evaluation_page(run.course)  # even with an evaluation page, it is not a step of today's path
    enrolment = enrolment_create(learner=learner(), run=run)
    assert module_complete(learner=enrolment.learner, module=module).course_completed
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    with pytest.raises(CreditClaimError, match="no accredited credit"):
        credit_claim_submit(learner=enrolment.learner, enrolment=enrolment, minutes_spent=60, attested=True)


def test_the_journey_over_http(client, accredited):
    enrolment, module, page = accredited
    doctor = enrolment.learner
    client.login(username=doctor.username, password=PASSWORD)
    claim_url = reverse("credit_claim", args=[enrolment.pk])

    response = client.get(page.url)
    assert response.status_code == 200 and "first finish “Modules”" in response.content.decode()
    assert "first finish “Modules”" in client.get(claim_url).content.decode()

    module_complete(learner=doctor, module=module)
    response = client.get(page.url)
    assert "The course was relevant to my practice" in response.content.decode()
    response = client.post(page.url, {"the_course_was_relevant_to_my_practice": "Agree"})
    assert response.status_code == 400  # a required Likert item left out
    assert not EvaluationSubmission.objects.exists()
    response = client.post(page.url, EVALUATION_ANSWERS)
    assert response.status_code == 302 and response["Location"] == claim_url

    response = client.post(claim_url, {"hours": "5", "minutes": "10"})
    assert response.status_code == 400 and "took part personally" in response.content.decode()
    response = client.post(claim_url, {"hours": "5", "minutes": "10", "attest": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("transcript")
    assert TranscriptEntry.objects.get(credit_type_name="AMA PRA Category 1 Credit™").credits == Decimal(
        "5.25"
    )

    response = client.get(reverse("transcript"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "5.25" in body and "AMA PRA Category 1 Credit™" in body and enrolment.run.course.title in body


def test_someone_elses_claim_page_is_not_found(client, accredited):
    enrolment, _, _ = accredited
    other = learner()
    client.login(username=other.username, password=PASSWORD)
    url = reverse("credit_claim", args=[enrolment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"hours": "5", "minutes": "0", "attest": "on"}).status_code == 404
    assert not CreditClaim.objects.exists()


def test_the_course_page_and_dashboard_lead_to_the_next_credit_step(client, accredited):
    enrolment, module, page = accredited
    doctor = enrolment.learner
    client.login(username=doctor.username, password=PASSWORD)
    course_url = enrolment.run.course.url
    claim_url = reverse("credit_claim", args=[enrolment.pk])

    body = client.get(course_url).content.decode()
    assert "Up to 6.00 AMA PRA Category 1 Credit™" in body and "Study time: 6 h" in body
    assert "Evaluate the course" not in body  # the modules come first

    module_complete(learner=doctor, module=module)
    for url in (course_url, reverse("dashboard")):
        body = client.get(url).content.decode()
        assert f'href="{page.url}">Evaluate the course<' in body, url

    evaluation_submit(learner=doctor, page=page, form_data=EVALUATION_ANSWERS)
    for url in (course_url, reverse("dashboard")):
        body = client.get(url).content.decode()
        assert f'href="{claim_url}">Attest and claim your credit<' in body, url


def test_the_course_page_says_before_enrolment_that_the_certificate_waits_for_evaluation_and_claim(
    client, accredited
):
    from tests.quizzes.factories import make_question, make_quiz

    enrolment, _, _ = accredited
    course = enrolment.run.course
    make_quiz(course, questions=[make_question()])
    plain_run = CourseRunFactory()
    make_quiz(plain_run.course, questions=[make_question()])
    says = "then evaluate the course and claim your credit"

    assert says in client.get(course.url).content.decode()  # anyone, before enrolling
    client.login(username=enrolment.learner.username, password=PASSWORD)
    assert says in client.get(course.url).content.decode()
    assert says not in client.get(plain_run.course.url).content.decode()
