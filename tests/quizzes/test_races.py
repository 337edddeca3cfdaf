"""Concurrent submits and starts on PostgreSQL."""

import pytest
from django.db import connection

from courses.services import enrolment_create
from quizzes.models import Attempt, AttemptState
from quizzes.services import attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz
from tests.support.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_twenty_concurrent_submits_produce_one_graded_result():
    assert connection.vendor == "postgresql"
    run = CourseRunFactory()
    questions = [make_question(stem=f"Q{i}") for i in range(5)]
    quiz = make_quiz(run.course, questions=questions)
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    attempt = attempt_start(learner=doctor, quiz=quiz)
    by_pk = {q.pk: q for q in questions}
    answers = {aq.position: correct_ids(by_pk[aq.question_id]) for aq in attempt.questions.all()}

    outcomes = race(
        [lambda: attempt_submit(attempt=attempt, learner=doctor, answers=answers) for _ in range(20)]
    )

    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert sum(1 for _, outcome in outcomes if outcome.graded_now) == 1
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert str(attempt.score_percent) == "100.00"
    assert Attempt.objects.count() == 1


def test_racing_starts_never_exceed_the_attempt_limit():
    run = CourseRunFactory()
    quiz = make_quiz(run.course, questions=[make_question()], attempts_allowed=3)
    doctor = learner()
    enrolment_create(learner=doctor, run=run)

    for _ in range(3):
        outcomes = race([lambda: attempt_start(learner=doctor, quiz=quiz) for _ in range(10)])
        started = {value.pk for kind, value in outcomes if kind == "ok"}
        assert len(started) == 1, outcomes  # every racer got the same open attempt, or a clear refusal
        attempt = Attempt.objects.get(pk=started.pop())
        attempt_submit(attempt=attempt, learner=doctor, answers={1: []})

    outcomes = race([lambda: attempt_start(learner=doctor, quiz=quiz) for _ in range(10)])
    assert all(kind == "error" and "used all 3 attempts" in str(value) for kind, value in outcomes)
    assert Attempt.objects.filter(quiz=quiz).count() == 3
    assert Attempt.objects.filter(state=AttemptState.IN_PROGRESS).count() == 0
