"""Pre-test and post-test in the accredited sequence: a pre-test never gates; the post-test waits for the modules."""

import pytest

from courses.api import enrolments_progress
from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment_create, module_complete
from quizzes.exceptions import QuizUnavailableError
from quizzes.models import QuizRole
from quizzes.services import attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory, CreditTypeFactory, ModulePageFactory, designate
from tests.factories import PASSWORD, learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz, wrong_ids

pytestmark = pytest.mark.django_db


def _answer(attempt, question, ids):
    position = attempt.questions.get().position
    return attempt_submit(attempt=attempt, learner=attempt.learner, answers={position: ids(question)})


@pytest.fixture
def course_with_tests():
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course, estimated_minutes=120)
    question = make_question()
    pre = make_quiz(run.course, questions=[question], title="Pre-test", role=QuizRole.PRE_TEST)
    post = make_quiz(run.course, questions=[question], title="Post-test", role=QuizRole.FINAL)
    return run, module, question, pre, post


def _progress(enrolment):
    enrolment = Enrolment.objects.select_related("run__course").get(pk=enrolment.pk)
    return enrolments_progress([enrolment])[enrolment.pk]


def test_a_failed_pre_test_never_gates_completion_even_marked_required(course_with_tests):
    run, module, question, pre, post = course_with_tests
    assert pre.required_for_completion  # the box says required; the role wins
    enrolment = enrolment_create(learner=learner(), run=run)

    _answer(attempt_start(learner=enrolment.learner, quiz=pre), question, wrong_ids)
    module_complete(learner=enrolment.learner, module=module)
    progress = _progress(enrolment)
    assert progress.step("pre_test").done == 1 and not progress.step("pre_test").required
    assert progress.next_step.key == "assessments"

    _answer(attempt_start(learner=enrolment.learner, quiz=post), question, correct_ids)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED  # today's path: no credit designated


def test_the_post_test_of_an_accredited_course_waits_for_the_modules(course_with_tests):
    run, module, question, pre, post = course_with_tests
    designate(run.course, CreditTypeFactory(), "2")
    enrolment = enrolment_create(learner=learner(), run=run)
    assert enrolment.accredited

    with pytest.raises(QuizUnavailableError, match="cannot start the post-test yet: first finish “Modules”"):
        attempt_start(learner=enrolment.learner, quiz=post)
    attempt_start(learner=enrolment.learner, quiz=pre)  # the pre-test is open from the start

    module_complete(learner=enrolment.learner, module=module)
    failed = _answer(attempt_start(learner=enrolment.learner, quiz=post), question, wrong_ids)
    assert not failed.attempt.passed
    passed = _answer(attempt_start(learner=enrolment.learner, quiz=post), question, correct_ids)
    assert passed.attempt.passed
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE  # the claim is still to come
    assert _progress(enrolment).next_step.key == "claim"  # no evaluation page: straight to the claim


def test_the_course_page_shows_the_post_tests_pass_mark_and_attempts_before_enrolment(
    client, course_with_tests
):
    run, *_ = course_with_tests
    designate(run.course, CreditTypeFactory(name="AMA PRA Category 1 Credit™"), "2")
    visitor = learner()
    client.login(username=visitor.username, password=PASSWORD)
    body = client.get(run.course.url).content.decode()
    assert "Post-test (final assessment)" in body and "pass mark 60 % · 2 attempts" in body
    assert "never counts against you" in body
    assert "Up to 2.00 AMA PRA Category 1 Credit™" in body and "Study time: 2 h" in body
