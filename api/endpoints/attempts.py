"""Assessments: start an attempt, autosave answers, submit, read the result.

The same rules as the pages, from the same functions: what is shown while answering
carries no key, feedback or explanation (``quizzes.api.attempt_public_questions``), and
a result's review exists only when the assessment's policy allows it
(``quizzes.api.attempt_outcome``). Another learner's attempt answers 404.
"""

from django.http import Http404
from ninja import Path, Router, Status
from ninja.errors import HttpError

from api.auth import LEARNING, session_or_token
from api.schemas import MAX_ID, AnswersIn, AttemptOut, Problem, ResultOut, SavedOut, SubmitIn
from quizzes.api import (
    attempt_for_learner,
    attempt_outcome,
    attempt_public_questions,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    live_quiz_get,
)

router = Router(tags=["Assessments"], auth=session_or_token(LEARNING))

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _own_attempt(request, attempt_id: int):
    attempt = attempt_for_learner(attempt_id=attempt_id, user=request.auth)
    if attempt is None:
        raise Http404("You have no attempt with this id.")
    return attempt


def _attempt(attempt) -> dict:
    return {
        "id": attempt.pk,
        "assessment_id": attempt.quiz_id,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": attempt.seconds_left() if attempt.is_in_progress else None,
        "submitted_at": attempt.submitted_at,
        "questions": attempt_public_questions(attempt),
    }


def _result(attempt, *, course_completed: bool = False) -> dict:
    outcome = attempt_outcome(attempt)
    return {
        "attempt_id": attempt.pk,
        "assessment_id": attempt.quiz_id,
        "state": attempt.state,
        "score_percent": attempt.score_percent,
        "pass_mark_percent": attempt.pass_mark_percent,
        "passed": attempt.passed,
        "submitted_at": attempt.submitted_at,
        "submitted_late": attempt.submitted_late,
        "answered": outcome.answered,
        "total": outcome.total,
        "course_completed": course_completed,
        "review": outcome.review,
    }


@router.post(
    "/assessments/{assessment_id}/attempts",
    response={201: AttemptOut, 409: Problem, **ERRORS},
    summary="Start (or resume) an attempt",
)
def start_attempt(request, assessment_id: int = Path(..., ge=1, le=MAX_ID)):
    """Starts a new attempt, or returns the one already in progress. ``409`` when you may not: not
    enrolled in a current run, already passed, or every allowed attempt used."""
    quiz = live_quiz_get(quiz_id=assessment_id)
    if quiz is None:
        raise Http404("No published assessment has this id.")
    attempt = attempt_start(learner=request.auth, quiz=quiz)
    return Status(201, _attempt(attempt))


@router.get(
    "/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS}, summary="An attempt and its questions"
)
def get_attempt(request, attempt_id: int = Path(..., ge=1, le=MAX_ID)):
    return _attempt(_own_attempt(request, attempt_id))


@router.put(
    "/attempts/{attempt_id}/answers",
    response={200: SavedOut, 409: Problem, 413: Problem, **ERRORS},
    summary="Save answers (autosave)",
)
def save_answers(request, data: AnswersIn, attempt_id: int = Path(..., ge=1, le=MAX_ID)):
    """Saves the answers given; ``409`` once the attempt is submitted or its time is up (then submit it)."""
    attempt = attempt_save_answers(
        attempt=_own_attempt(request, attempt_id), learner=request.auth, answers=data.by_position()
    )
    attempt.refresh_from_db(fields=["deadline"])
    return {"saved": True, "seconds_left": attempt.seconds_left()}


@router.post(
    "/attempts/{attempt_id}/submit",
    response={200: ResultOut, 409: Problem, 413: Problem, **ERRORS},
    summary="Submit an attempt for grading",
)
def submit_attempt(request, data: SubmitIn, attempt_id: int = Path(..., ge=1, le=MAX_ID)):
    """Grades the attempt (answers sent here are saved first, unless the time is up). Submitting a graded
    attempt again returns its result unchanged."""
    outcome = attempt_submit(
        attempt=_own_attempt(request, attempt_id), learner=request.auth, answers=data.by_position()
    )
    return _result(outcome.attempt, course_completed=outcome.course_completed)


@router.get(
    "/attempts/{attempt_id}/result",
    response={200: ResultOut, 409: Problem, **ERRORS},
    summary="The result of a submitted attempt",
)
def attempt_result(request, attempt_id: int = Path(..., ge=1, le=MAX_ID)):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_in_progress:
        raise HttpError(409, "This attempt is still in progress: submit it to see the result.")
    return _result(attempt)
