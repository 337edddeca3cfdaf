"""Submitting an attempt runs the same queries with 5 questions and with 50."""

import pytest

from courses.services import enrolment_create
from quizzes.services import attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def submit_queries(size: int) -> int:
    run = CourseRunFactory()
    ModulePageFactory(parent=run.course)  # an unfinished module: passing cannot complete the course
    questions = [make_question(stem=f"Q{i}") for i in range(size)]
    quiz = make_quiz(run.course, questions=questions)
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    attempt = attempt_start(learner=doctor, quiz=quiz)
    by_pk = {q.pk: q for q in questions}
    answers = {aq.position: correct_ids(by_pk[aq.question_id]) for aq in attempt.questions.all()}
    with count_queries() as captured:
        outcome = attempt_submit(attempt=attempt, learner=doctor, answers=answers)
    assert outcome.graded_now and outcome.attempt.passed
    return len(captured)


def test_submit_is_flat_in_the_number_of_questions():
    five, fifty = submit_queries(5), submit_queries(50)
    assert five == fifty
    assert fifty <= 10
