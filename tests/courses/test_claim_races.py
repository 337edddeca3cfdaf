"""Racing claims on PostgreSQL: real threads, real connections, lined up by a barrier."""

import pytest

from certificates.models import Certificate
from courses.exceptions import CreditClaimError
from courses.models import CreditClaim, TranscriptEntry
from courses.services import credit_claim_submit, enrolment_create, evaluation_submit, module_complete
from tests.courses.factories import (
    EVALUATION_ANSWERS,
    CourseRunFactory,
    CreditTypeFactory,
    ModulePageFactory,
    designate,
    evaluation_page,
)
from tests.factories import learner
from tests.support.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_racing_claims_for_one_enrolment_make_one_claim_and_one_certificate():
    run = CourseRunFactory()
    designate(run.course, CreditTypeFactory(), "6")
    module = ModulePageFactory(parent=run.course, estimated_minutes=360)
    page = evaluation_page(run.course)
    enrolment = enrolment_create(learner=learner(), run=run)
    module_complete(learner=enrolment.learner, module=module)
    evaluation_submit(learner=enrolment.learner, page=page, form_data=EVALUATION_ANSWERS)

    outcomes = race(
        [
            lambda minutes=minutes: credit_claim_submit(
                learner=enrolment.learner, enrolment=enrolment, minutes_spent=minutes, attested=True
            )
            for minutes in (310, 420)
        ]
    )

    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, CreditClaimError) and "already claimed" in str(error)
    assert CreditClaim.objects.filter(enrolment=enrolment).count() == 1
    assert TranscriptEntry.objects.filter(claim__enrolment=enrolment).count() == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
