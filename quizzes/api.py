"""The public surface of ``quizzes``: what other apps (and the REST API, issue 13) may use.

Other apps import from this module only (import-linter keeps it so); they never query or
write quizzes' models. Inside ``quizzes`` the code lives in ``selectors`` (reads, and
what a learner may see before review), ``services`` (writes: starting, answering,
submitting, grading), ``deadlines`` (the deadline-plus-grace rule) and the pure cores
``grading``, ``statistics`` and ``validation``.

Reads
    :func:`quiz_status` — a learner's standing at a quiz; :func:`attempt_for_learner` —
    an attempt if it is the learner's (``None`` otherwise: answer 404);
    :func:`live_quiz_get` — a published quiz (``None`` otherwise);
    :func:`attempt_public_questions` — an attempt's questions without any key;
    :func:`attempt_outcome` — a graded attempt, with the review only when its policy
    allows; :func:`quizzes_for_course`; :func:`quiz_item_analysis` — item statistics
    for faculty; :func:`attempts_allowed`; :func:`attempt_is_past_grace`;
    :func:`enrolment_passed_attempts_trail` — the quiz versions of an enrolment's passed
    attempts, for a certificate's snapshot.

Writes
    :func:`attempt_start`, :func:`attempt_save_answers`, :func:`attempt_submit`,
    :func:`attempts_close_overdue`, :func:`attempt_grant_extra`. Each is one transaction
    and raises a :class:`~lms.exceptions.DomainError` subclass with a message for the
    person (listed below). Paths that lock an enrolment and an attempt lock the
    enrolment first.

Signals
    ``quizzes`` sends none of its own. A passed required assessment re-evaluates the
    enrolment's completion, and a completion is announced by
    :data:`courses.api.enrolment_completed`.

What quizzes registers with ``courses`` (in ``QuizzesConfig.ready``)
    the "assessments" completion step, the course page's "Assessments" panel and the
    module page's "Check your understanding" panel.
"""

from quizzes.deadlines import GRACE, attempt_is_past_grace
from quizzes.exceptions import (
    AnswerInvalidError,
    AttemptClosedError,
    AttemptExpiredError,
    AttemptLimitError,
    QuizUnavailableError,
)
from quizzes.selectors import (
    attempt_for_learner,
    attempt_outcome,
    attempt_public_questions,
    attempts_allowed,
    enrolment_passed_attempts_trail,
    live_quiz_get,
    quiz_item_analysis,
    quiz_status,
    quizzes_for_course,
)
from quizzes.services import (
    SubmitOutcome,
    attempt_grant_extra,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
)

__all__ = [
    "GRACE",
    "AnswerInvalidError",
    "AttemptClosedError",
    "AttemptExpiredError",
    "AttemptLimitError",
    "QuizUnavailableError",
    "SubmitOutcome",
    "attempt_for_learner",
    "attempt_grant_extra",
    "attempt_is_past_grace",
    "attempt_outcome",
    "attempt_public_questions",
    "attempt_save_answers",
    "attempt_start",
    "attempt_submit",
    "attempts_allowed",
    "attempts_close_overdue",
    "enrolment_passed_attempts_trail",
    "live_quiz_get",
    "quiz_item_analysis",
    "quiz_status",
    "quizzes_for_course",
]
