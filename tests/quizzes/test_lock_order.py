"""Submitting and the overdue sweeper lock the enrolment before the attempt (the services' lock order).

Two paths that take the same two rows in opposite orders can deadlock on PostgreSQL (a
start racing beat's close of an overdue, required attempt). These tests hold the
enrolment's lock in one transaction and look at what the other path holds meanwhile.
"""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from courses.api import enrolment_lock
from courses.services import enrolment_create, module_complete
from quizzes.exceptions import AttemptLimitError
from quizzes.models import Attempt, AttemptState
from quizzes.services import attempt_save_answers, attempt_start, attempt_submit, attempts_close_overdue
from tests.certificates.processes import wait_until
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz
from tests.support.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def required_attempt():
    """An attempt at the course's required quiz; passing it completes the course (which locks the enrolment)."""
    return _required_attempt()


def _required_attempt():
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course)
    question = make_question()
    quiz = make_quiz(run.course, questions=[question], time_limit_minutes=10)
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)
    module_complete(learner=doctor, module=module)
    return attempt_start(learner=doctor, quiz=quiz), enrolment, {1: correct_ids(question)}


def _in_thread(function):
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except Exception as error:  # noqa: BLE001 - the test reads it
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        # pg_locks is read live (pg_stat_activity would be a snapshot inside this transaction).
        # It covers the whole server: only a wait for a lock this connection holds counts,
        # not one of another xdist worker or of another session sharing PostgreSQL.
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        )
        return cursor.fetchone()[0] > 0


def _attempt_is_free(attempt) -> bool:
    try:
        with transaction.atomic():
            Attempt.objects.select_for_update(nowait=True).filter(pk=attempt.pk).exists()
        return True
    except DatabaseError:
        return False


def test_a_submission_waits_for_the_enrolment_before_it_locks_the_attempt(required_attempt):
    attempt, enrolment, answers = required_attempt
    with transaction.atomic():
        enrolment_lock(enrolment_id=enrolment.pk)
        thread, outcome = _in_thread(
            lambda: attempt_submit(attempt=attempt, learner=attempt.learner, answers=answers)
        )
        wait_until(lambda: _someone_waits_for_a_lock() or outcome, message="the submission to wait")
        assert not outcome, outcome  # it did not finish without the enrolment
        # Waiting for the enrolment, the submission holds nothing of the attempt's.
        assert _attempt_is_free(attempt)
    thread.join(timeout=60)
    assert not thread.is_alive() and "error" not in outcome, outcome
    assert outcome["value"].graded_now and outcome["value"].course_completed


def test_the_overdue_sweeper_skips_an_enrolment_someone_holds_and_touches_nothing(required_attempt):
    attempt, enrolment, _ = required_attempt
    later = attempt.deadline + (attempt.deadline - attempt.started_at)
    with transaction.atomic():
        enrolment_lock(enrolment_id=enrolment.pk)
        thread, outcome = _in_thread(lambda: attempts_close_overdue(now=later))
        thread.join(timeout=60)
        assert not thread.is_alive(), "the sweeper waited on a held enrolment instead of skipping it"
        assert outcome == {"value": 0}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert attempts_close_overdue(now=later) == 1  # once the enrolment is free, it is closed


def test_a_start_racing_the_overdue_close_of_a_passing_required_attempt_never_deadlocks():
    """On PostgreSQL, again and again: the learner starts anew the moment beat closes the overdue attempt.

    Both take the enrolment and then the attempt, and closing it completes the course
    (a certificate is requested under the enrolment's lock). Before the one lock order,
    the start held the enrolment and waited for the attempt while the close held the
    attempt and waited for the enrolment: ``deadlock detected``. And a start that grades
    the overdue attempt itself and is then refused ("already passed") keeps that grading
    and the completion: the refusal is raised after they commit.
    """
    for _ in range(8):
        attempt, enrolment, answers = _required_attempt()
        attempt_save_answers(attempt=attempt, learner=attempt.learner, answers=answers)
        later = attempt.deadline + (attempt.deadline - attempt.started_at)
        outcomes = race(
            [
                lambda a=attempt, t=later: attempt_start(learner=a.learner, quiz=a.quiz, now=t),
                lambda t=later: attempts_close_overdue(now=t),
            ]
        )
        for kind, value in outcomes:
            # The start may find the quiz passed already; nothing else is acceptable.
            assert kind == "ok" or isinstance(value, AttemptLimitError), value
        attempt.refresh_from_db()
        enrolment.refresh_from_db()
        assert attempt.state == AttemptState.GRADED and attempt.passed and attempt.submitted_late, outcomes
        assert enrolment.is_completed
        assert Attempt.objects.filter(enrolment=enrolment).count() == 1  # passed: no second attempt
