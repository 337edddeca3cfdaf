"""Taking quizzes through the services: starting, answering, time limits, grading."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import EnrolmentStatus
from courses.services import enrolment_create, module_complete
from quizzes.exceptions import (
    AnswerInvalidError,
    AttemptClosedError,
    AttemptExpiredError,
    AttemptLimitError,
    QuizUnavailableError,
)
from quizzes.models import Attempt, AttemptState, Choice, ReviewPolicy
from quizzes.selectors import attempt_outcome
from quizzes.services import (
    GRACE,
    attempt_grant_extra,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
)
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz, wrong_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course)
    questions = [make_question(stem=f"Question {i}") for i in range(5)]
    quiz = make_quiz(run.course, questions=questions, module=module, time_limit_minutes=20)
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)
    return doctor, enrolment, quiz, questions, module


def answers_for(attempt, questions, right: int):
    """Answer ``right`` questions correctly and the rest wrongly, by attempt position."""
    by_pk = {q.pk: q for q in questions}
    answers = {}
    for aq in attempt.questions.all():
        question = by_pk[aq.question_id]
        answers[aq.position] = correct_ids(question) if len(answers) < right else wrong_ids(question)
    return answers


def test_start_fixes_the_deadline_and_resuming_returns_the_same_attempt(setting):
    doctor, _, quiz, _, _ = setting
    now = timezone.now()
    attempt = attempt_start(learner=doctor, quiz=quiz, now=now)
    assert attempt.deadline == now + datetime.timedelta(minutes=20)
    assert attempt_start(learner=doctor, quiz=quiz, now=now + datetime.timedelta(minutes=5)).pk == attempt.pk
    assert Attempt.objects.count() == 1


def test_passing_submission_is_graded(setting):
    doctor, _, quiz, questions, _ = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    outcome = attempt_submit(
        attempt=attempt, learner=doctor, answers=answers_for(attempt, questions, right=4)
    )
    attempt.refresh_from_db()
    assert outcome.graded_now
    assert attempt.state == AttemptState.GRADED
    assert attempt.score_percent == Decimal("80.00")
    assert attempt.passed is True


def test_answers_saved_as_they_go_are_graded(setting):
    doctor, _, quiz, questions, _ = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    for position, selected in answers_for(attempt, questions, right=5).items():
        attempt_save_answers(attempt=attempt, learner=doctor, answers={position: selected})
    attempt_submit(attempt=attempt, learner=doctor)
    attempt.refresh_from_db()
    assert attempt.score_percent == Decimal("100.00")


def test_forged_choice_is_refused_and_nothing_is_saved(setting):
    doctor, _, quiz, questions, _ = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    other = make_question(stem="Unrelated")
    with pytest.raises(AnswerInvalidError):
        attempt_save_answers(attempt=attempt, learner=doctor, answers={1: [str(other.choices.first().pk)]})
    with pytest.raises(AnswerInvalidError):
        attempt_save_answers(attempt=attempt, learner=doctor, answers={99: []})
    with pytest.raises(AnswerInvalidError, match="choose one answer only"):
        attempt_save_answers(
            attempt=attempt,
            learner=doctor,
            answers={1: [c["id"] for c in attempt.questions.get(position=1).snapshot["choices"]]},
        )
    assert all(q.selected == [] for q in attempt.questions.all())


def test_someone_elses_attempt_cannot_be_answered_or_submitted(setting):
    doctor, _, quiz, _, _ = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    intruder = learner()
    with pytest.raises(Attempt.DoesNotExist):
        attempt_save_answers(attempt=attempt, learner=intruder, answers={})
    with pytest.raises(Attempt.DoesNotExist):
        attempt_submit(attempt=attempt, learner=intruder)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS


def test_answers_after_the_deadline_and_grace_are_refused(setting):
    doctor, _, quiz, questions, _ = setting
    start = timezone.now()
    attempt = attempt_start(learner=doctor, quiz=quiz, now=start)
    late = attempt.deadline + GRACE + datetime.timedelta(seconds=1)
    with pytest.raises(AttemptExpiredError):
        attempt_save_answers(
            attempt=attempt, learner=doctor, answers={1: correct_ids(questions[0])}, now=late
        )


def test_late_submission_is_graded_on_answers_saved_before_the_deadline(setting):
    doctor, _, quiz, questions, _ = setting
    start = timezone.now()
    attempt = attempt_start(learner=doctor, quiz=quiz, now=start)
    in_time = answers_for(attempt, questions, right=2)
    attempt_save_answers(
        attempt=attempt,
        learner=doctor,
        answers={p: in_time[p] for p in (1, 2)},
        now=start + datetime.timedelta(minutes=10),
    )
    everything_right = answers_for(attempt, questions, right=5)
    outcome = attempt_submit(
        attempt=attempt,
        learner=doctor,
        answers=everything_right,
        now=attempt.deadline + GRACE + datetime.timedelta(minutes=1),
    )
    assert outcome.attempt.submitted_late is True
    assert outcome.attempt.score_percent == Decimal("40.00")


def test_submission_within_grace_counts(setting):
    doctor, _, quiz, questions, _ = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    outcome = attempt_submit(
        attempt=attempt,
        learner=doctor,
        answers=answers_for(attempt, questions, right=5),
        now=attempt.deadline + GRACE - datetime.timedelta(seconds=1),
    )
    assert outcome.attempt.submitted_late is False
    assert outcome.attempt.score_percent == Decimal("100.00")


def test_abandoned_attempts_are_closed_by_the_periodic_task(setting):
    doctor, _, quiz, questions, _ = setting
    start = timezone.now() - datetime.timedelta(hours=1)
    attempt = attempt_start(learner=doctor, quiz=quiz, now=start)
    attempt_save_answers(
        attempt=attempt, learner=doctor, answers=answers_for(attempt, questions, right=5), now=start
    )
    assert attempts_close_overdue() == 1
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED and attempt.submitted_late and attempt.passed


def test_attempt_limit_then_extra_attempt_granted(setting):
    doctor, enrolment, quiz, questions, _ = setting
    for _ in range(2):
        attempt = attempt_start(learner=doctor, quiz=quiz)
        attempt_submit(attempt=attempt, learner=doctor, answers=answers_for(attempt, questions, right=0))
    with pytest.raises(AttemptLimitError, match="contact the academy"):
        attempt_start(learner=doctor, quiz=quiz)
    assert Attempt.objects.count() == 2

    attempt_grant_extra(
        quiz=quiz, enrolment=enrolment, granted_by=UserFactory(is_superuser=True), reason="Power cut"
    )
    third = attempt_start(learner=doctor, quiz=quiz)
    assert third.number == 3


def test_no_new_attempt_after_passing(setting):
    doctor, _, quiz, questions, _ = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(attempt=attempt, learner=doctor, answers=answers_for(attempt, questions, right=5))
    with pytest.raises(AttemptLimitError, match="already passed"):
        attempt_start(learner=doctor, quiz=quiz)


def test_submitting_twice_grades_once(setting):
    doctor, _, quiz, questions, _ = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    first = attempt_submit(attempt=attempt, learner=doctor, answers=answers_for(attempt, questions, right=5))
    second = attempt_submit(attempt=attempt, learner=doctor, answers=answers_for(attempt, questions, right=0))
    assert first.graded_now and not second.graded_now
    assert second.attempt.score_percent == Decimal("100.00")
    with pytest.raises(AttemptClosedError):
        attempt_save_answers(attempt=attempt, learner=doctor, answers={1: []})


def test_learners_not_enrolled_cannot_start(setting):
    _, _, quiz, _, _ = setting
    with pytest.raises(QuizUnavailableError):
        attempt_start(learner=learner(), quiz=quiz)


def test_unpublished_quiz_cannot_be_started(setting):
    doctor, _, quiz, _, _ = setting
    quiz.live = False
    quiz.save()
    with pytest.raises(QuizUnavailableError):
        attempt_start(learner=doctor, quiz=quiz)


def test_course_completes_only_after_the_required_quiz_is_passed(setting):
    doctor, enrolment, quiz, questions, module = setting
    module_complete(learner=doctor, module=module)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE

    failing = attempt_start(learner=doctor, quiz=quiz)
    assert (
        attempt_submit(
            attempt=failing, learner=doctor, answers=answers_for(failing, questions, right=1)
        ).course_completed
        is False
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE

    passing = attempt_start(learner=doctor, quiz=quiz)
    assert (
        attempt_submit(
            attempt=passing, learner=doctor, answers=answers_for(passing, questions, right=4)
        ).course_completed
        is True
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_editing_a_question_after_attempts_changes_neither_grade_nor_review(setting):
    doctor, _, quiz, questions, _ = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(attempt=attempt, learner=doctor, answers=answers_for(attempt, questions, right=5))
    attempt.refresh_from_db()
    before = (attempt.score_percent, attempt.passed, attempt.result, attempt_outcome(attempt).review)

    for question in questions:
        question.stem = "<p>Rewritten stem</p>"
        question.explanation = "<p>New rationale</p>"
        question.save()
        Choice.objects.filter(question=question).update(is_correct=False)
        Choice.objects.filter(question=question, text="Paracetamol").update(
            is_correct=True, text="Paracetamol (edited)"
        )

    attempt.refresh_from_db()
    after = (attempt.score_percent, attempt.passed, attempt.result, attempt_outcome(attempt).review)
    assert after == before
    assert "Rewritten stem" not in str(after[3])


@pytest.mark.parametrize(
    ("policy", "passing", "review_shown"),
    [
        (ReviewPolicy.AFTER_EACH_ATTEMPT, False, True),
        (ReviewPolicy.AFTER_PASSING, False, False),
        (ReviewPolicy.AFTER_PASSING, True, True),
        (ReviewPolicy.NEVER, True, False),
    ],
)
def test_review_follows_the_policy(setting, policy, passing, review_shown):
    doctor, _, quiz, questions, _ = setting
    quiz.review_policy = policy
    quiz.save()
    attempt = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(
        attempt=attempt, learner=doctor, answers=answers_for(attempt, questions, right=5 if passing else 0)
    )
    attempt.refresh_from_db()
    assert (attempt_outcome(attempt).review is not None) is review_shown
