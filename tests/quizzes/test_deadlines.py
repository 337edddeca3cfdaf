"""The deadline-plus-grace rule, as a function and as the sweeper's query, agree."""

import datetime

import pytest

from courses.services import enrolment_create
from quizzes.deadlines import GRACE, attempt_is_past_grace, attempts_past_grace
from quizzes.models import Attempt
from quizzes.services import attempt_start
from tests.courses.factories import CourseRunFactory
from tests.factories import learner
from tests.quizzes.factories import make_question, make_quiz

pytestmark = pytest.mark.django_db


def test_past_grace_in_python_and_in_sql_agree_on_every_side_of_the_deadline():
    run = CourseRunFactory()
    timed = make_quiz(run.course, questions=[make_question()], time_limit_minutes=10, title="Timed")
    untimed = make_quiz(run.course, questions=[make_question()], title="Untimed")
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    attempts = [attempt_start(learner=doctor, quiz=timed), attempt_start(learner=doctor, quiz=untimed)]
    deadline = attempts[0].deadline
    second = datetime.timedelta(seconds=1)
    moments = [
        deadline - second,
        deadline,
        deadline + GRACE - second,
        deadline + GRACE,
        deadline + GRACE + second,
    ]
    for now in moments:
        for attempt in attempts:
            in_sql = Attempt.objects.filter(attempts_past_grace(now), pk=attempt.pk).exists()
            assert attempt_is_past_grace(attempt, now) == in_sql, (attempt.quiz.title, now - deadline)
    assert [attempt_is_past_grace(attempts[0], now) for now in moments] == [False, False, False, False, True]
    assert not any(attempt_is_past_grace(attempts[1], now) for now in moments)
