"""Writes for quizzes: starting, answering, submitting and grading attempts.

Integrity rules, on the database's terms:

* a learner's starts are serialised by locking their enrolment row; the attempt's
  ``number`` is unique per quiz and enrolment and a partial unique index allows one
  open attempt, so racing starts can neither exceed the limit nor open two attempts;
* a submission locks the attempt row and moves it out of ``in_progress`` with a
  conditional update, so however many submits race, exactly one grades it;
* the deadline is fixed when the attempt starts; answers arriving after the deadline
  plus grace are refused (:mod:`quizzes.deadlines`), and a late submission is graded on
  what was saved.

**Lock order: the enrolment, then the attempt.** Every path that may lock both —
starting (which grades an overdue open attempt), submitting and the overdue sweeper
(which may complete the enrolment) — locks the enrolment first, through
:func:`courses.api.enrolment_lock`, so two of them can never wait on each other.
Saving answers locks only the attempt.

Grading (:func:`_grade`) only grades. What follows a graded attempt — re-evaluating the
enrolment's completion, which may in turn request a certificate through courses' signal
— is :func:`_evaluate_completion_after`, called by each service that grades.

Other apps reach these services through :mod:`quizzes.api`.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from courses.api import (
    enrolment_evaluate_completion,
    enrolment_giving_access,
    enrolment_lock,
    enrolments_progress,
)
from lms.db import insert_or
from quizzes.deadlines import GRACE, attempt_deadline, attempt_is_past_grace, attempts_past_grace
from quizzes.exceptions import (
    AnswerInvalidError,
    AttemptClosedError,
    AttemptExpiredError,
    AttemptLimitError,
    QuizUnavailableError,
)
from quizzes.grading import (
    GradeResult,
    GradingPolicy,
    MultipleResponseScoring,
    QuestionKey,
    QuestionKind,
    grade,
)
from quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    ExtraAttemptGrant,
    Question,
    Quiz,
    QuizRole,
    SelectionMode,
)
from quizzes.selectors import attempts_allowed, extra_attempt_refusal
from quizzes.validation import ChoiceData, question_problems, quiz_problems

if TYPE_CHECKING:
    from courses.models import Enrolment

__all__ = [
    "GRACE",
    "SubmitOutcome",
    "attempt_grant_extra",
    "attempt_save_answers",
    "attempt_start",
    "attempt_submit",
    "attempts_allowed",
    "attempts_close_overdue",
    "assessment_endorse",
    "assessment_problems",
    "assessment_submit_for_endorsement",
]

_random = random.SystemRandom()


def _snapshot(question: Question, marks: Decimal) -> dict:
    choices = [
        {"id": str(c.pk), "text": c.text, "is_correct": c.is_correct, "feedback": c.feedback}
        for c in question.choices.all()
    ]
    return {
        "question_id": question.pk,
        "revision_id": question.live_revision_id,
        "kind": question.kind,
        "stem": question.stem,
        "choices": choices,
        "explanation": question.explanation,
        "marks": str(marks),
    }


NOT_ENDORSED = (
    "This assessment includes a question that the Faculty of Pain Medicine has not endorsed yet, "
    "so it cannot be started. Please try again later."
)


def _draw_questions(quiz: Quiz) -> list[tuple[Question, Decimal]]:
    """The questions for a new attempt, in the order they will be shown.

    Only endorsed versions reach a learner: the quiz's live rows (its fixed questions and
    draw tags) and each question's live row with its choices, which Wagtail leaves
    untouched while an author edits a draft. A question that was never published is
    never drawn, and a fixed quiz that lists one refuses to start.
    """
    if quiz.selection == SelectionMode.FIXED:
        links = list(quiz.quiz_questions.select_related("question").prefetch_related("question__choices"))
        if any(not link.question.live for link in links):
            raise QuizUnavailableError(NOT_ENDORSED)
        picked = [(link.question, link.marks) for link in links]
    else:
        pool = list(
            Question.objects.filter(live=True, tags__in=quiz.draw_tags.all())
            .distinct()
            .prefetch_related("choices")
        )
        pool = [
            q
            for q in pool
            if not question_problems(q.kind, [ChoiceData(c.text, c.is_correct) for c in q.choices.all()])
        ]
        if len(pool) < (quiz.draw_count or 0):
            raise QuizUnavailableError("This assessment is being revised. Please try again later.")
        picked = [(q, Decimal(1)) for q in _random.sample(pool, quiz.draw_count)]
    for question, _ in picked:
        problems = question_problems(
            question.kind, [ChoiceData(c.text, c.is_correct) for c in question.choices.all()]
        )
        if problems:
            raise QuizUnavailableError("This assessment is being revised. Please try again later.")
    if not picked:
        raise QuizUnavailableError("This assessment has no questions yet.")
    if quiz.shuffle_questions:
        _random.shuffle(picked)
    return picked


def attempt_start(*, learner, quiz: Quiz, now: datetime.datetime | None = None) -> Attempt:
    """Start a new attempt, or return the learner's attempt already in progress.

    Raises :class:`QuizUnavailableError` if the learner has no current enrolment in the
    quiz's course or the quiz is not published, and :class:`AttemptLimitError` when the
    quiz is already passed or every allowed attempt is used.
    """
    now = now or timezone.now()
    quiz = Quiz.objects.get(pk=quiz.pk)
    if not quiz.live:
        raise QuizUnavailableError("This assessment is not available.")
    enrolment = enrolment_giving_access(user=learner, course_id=quiz.course_id)
    if enrolment is None:
        raise QuizUnavailableError(
            "Only learners enrolled in a current run of this course can take this assessment."
        )
    with transaction.atomic():
        enrolment = enrolment_lock(enrolment_id=enrolment.pk)
        if quiz.role == QuizRole.FINAL and enrolment.accredited:
            # The accredited sequence: the post-test assesses the whole course, after its modules.
            refusal = enrolments_progress([enrolment])[enrolment.pk].step_refusal(
                "assessments", "start the post-test"
            )
            if refusal:
                raise QuizUnavailableError(refusal)
        open_attempt = (
            Attempt.objects.select_related("quiz")
            .filter(quiz=quiz, enrolment=enrolment, state=AttemptState.IN_PROGRESS)
            .first()
        )
        if open_attempt is not None:
            if not attempt_is_past_grace(open_attempt, now):
                return open_attempt
            open_attempt.enrolment = enrolment
            if _grade(open_attempt, now=now, late=True):
                _evaluate_completion_after(open_attempt)
        # A refusal must not roll back the grading of the overdue attempt just above (nor
        # the completion it may have caused): it is raised once that has committed.
        refusal, used = _start_refusal(quiz=quiz, enrolment=enrolment)
        if refusal is None:
            attempt = _attempt_create(quiz=quiz, enrolment=enrolment, learner=learner, now=now, used=used)
    if refusal is not None:
        raise refusal
    return attempt


def _start_refusal(*, quiz: Quiz, enrolment) -> tuple[AttemptLimitError | None, int]:
    """Why the learner may not start another attempt (``None`` if they may), and how many they used."""
    previous = Attempt.objects.filter(quiz=quiz, enrolment=enrolment)
    if previous.filter(passed=True).exists():
        return AttemptLimitError("You have already passed this assessment."), 0
    used = previous.count()
    limit = attempts_allowed(quiz=quiz, enrolment=enrolment)
    if limit is not None and used >= limit:
        return AttemptLimitError(
            f"You have used all {limit} attempts at this assessment. "
            "Please contact the academy if you need another attempt."
        ), used
    return None, used


def _attempt_create(*, quiz: Quiz, enrolment, learner, now, used: int) -> Attempt:
    """Attempt number ``used + 1``, its questions drawn and frozen (the caller holds the enrolment's lock)."""
    picked = _draw_questions(quiz)
    attempt = insert_or(
        lambda: Attempt.objects.create(
            quiz=quiz,
            enrolment=enrolment,
            learner=learner,
            number=used + 1,
            started_at=now,
            deadline=attempt_deadline(started_at=now, time_limit_minutes=quiz.time_limit_minutes),
            pass_mark_percent=quiz.pass_mark_percent,
            review_policy=quiz.review_policy,
            multiple_response_scoring=quiz.multiple_response_scoring,
            quiz_revision_id=quiz.live_revision_id,
        ),
        on_conflict=AttemptLimitError("An attempt was started at the same moment; please reload the page."),
    )
    rows = []
    for position, (question, marks) in enumerate(picked, start=1):
        snapshot = _snapshot(question, marks)
        if quiz.shuffle_choices and question.kind != QuestionKind.TRUE_FALSE:
            _random.shuffle(snapshot["choices"])
        rows.append(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                question=question,
                question_revision_id=question.live_revision_id,
                snapshot=snapshot,
            )
        )
    AttemptQuestion.objects.bulk_create(rows)
    return attempt


def _validated_answers(
    questions: Sequence[AttemptQuestion], answers: Mapping[int, Sequence[str]]
) -> dict[int, list[str]]:
    by_position = {q.position: q for q in questions}
    cleaned: dict[int, list[str]] = {}
    for position, selected in answers.items():
        question = by_position.get(position)
        if question is None:
            raise AnswerInvalidError("That question is not part of this attempt.")
        choice_ids = {c["id"] for c in question.snapshot["choices"]}
        selected = list(dict.fromkeys(str(s) for s in selected))
        if not set(selected) <= choice_ids:
            raise AnswerInvalidError(f"Question {position}: that choice is not one of the options.")
        if question.snapshot["kind"] != QuestionKind.MULTIPLE and len(selected) > 1:
            raise AnswerInvalidError(f"Question {position}: choose one answer only.")
        cleaned[position] = selected
    return cleaned


def _apply_answers(questions: Sequence[AttemptQuestion], answers: dict[int, list[str]], now) -> None:
    changed = []
    for question in questions:
        if question.position in answers and question.selected != answers[question.position]:
            question.selected = answers[question.position]
            question.answered_at = now
            changed.append(question)
    if changed:
        AttemptQuestion.objects.bulk_update(changed, ["selected", "answered_at"])


def _locked_attempt(attempt: Attempt, learner) -> Attempt:
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz")
        .get(pk=attempt.pk, learner=learner)
    )


def attempt_save_answers(
    *, attempt: Attempt, learner, answers: Mapping[int, Sequence[str]], now: datetime.datetime | None = None
) -> Attempt:
    """Save some answers of an attempt in progress (autosave or the plain form).

    ``answers`` maps question positions to selected choice ids. Raises
    :class:`AttemptClosedError` once graded, :class:`AttemptExpiredError` after the
    deadline plus grace, and :class:`AnswerInvalidError` for an unknown question or
    choice (nothing is saved then).
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_attempt(attempt, learner)
        if attempt.state != AttemptState.IN_PROGRESS:
            raise AttemptClosedError("This attempt has already been submitted.")
        if attempt_is_past_grace(attempt, now):
            raise AttemptExpiredError("Time is up: this answer arrived after the deadline and was not saved.")
        questions = list(attempt.questions.all())
        _apply_answers(questions, _validated_answers(questions, answers), now)
    return attempt


@dataclass(frozen=True)
class SubmitOutcome:
    attempt: Attempt
    graded_now: bool
    course_completed: bool


def attempt_submit(
    *,
    attempt: Attempt,
    learner,
    answers: Mapping[int, Sequence[str]] | None = None,
    now: datetime.datetime | None = None,
) -> SubmitOutcome:
    """Submit and grade an attempt; idempotent.

    Answers sent with the submission are saved first, unless it arrives after the
    deadline plus grace: then it is graded on the answers saved in time and marked
    ``submitted_late``. A second submission of a graded attempt returns it unchanged.
    Passing a quiz required for completion re-evaluates the enrolment's completion.
    Raises :class:`AnswerInvalidError` (nothing saved or graded) for an answer that is not
    one of the attempt's questions or choices.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The lock order: the enrolment (which completing the course locks), then the attempt.
        enrolment = enrolment_lock(enrolment_id=attempt.enrolment_id)
        attempt = _locked_attempt(attempt, learner)
        attempt.enrolment = enrolment
        if attempt.state != AttemptState.IN_PROGRESS:
            return SubmitOutcome(attempt=attempt, graded_now=False, course_completed=False)
        late = attempt_is_past_grace(attempt, now)
        questions = list(attempt.questions.all())
        if answers and not late:
            _apply_answers(questions, _validated_answers(questions, answers), now)
        graded_now = _grade(attempt, now=now, late=late, questions=questions)
        completed = _evaluate_completion_after(attempt) if graded_now else False
        return SubmitOutcome(attempt=attempt, graded_now=graded_now, course_completed=completed)


def _evaluate_completion_after(attempt: Attempt) -> bool:
    """Re-evaluate the enrolment's completion after ``attempt`` was graded; whether it is now complete.

    Only a pass of a quiz required for completion, in an active enrolment, can complete it.
    """
    if attempt.passed and attempt.quiz.required_for_completion and attempt.enrolment.is_active:
        # Every caller holds the enrolment's lock already (the lock order) and set it on the attempt.
        return enrolment_evaluate_completion(enrolment=attempt.enrolment, already_locked=True)
    return False


def _grade(attempt: Attempt, *, now, late: bool, questions: list[AttemptQuestion] | None = None) -> bool:
    """Grade an attempt in progress from its frozen snapshot; whether this call graded it.

    The conditional update out of ``in_progress`` is what lets exactly one of several
    racing callers grade. Grading only: what follows is the caller's business.
    """
    if questions is None:
        questions = list(attempt.questions.all())
    keys, responses = [], {}
    for question in questions:
        snapshot = question.snapshot
        keys.append(
            QuestionKey(
                question_id=question.key_id,
                kind=QuestionKind(snapshot["kind"]),
                choice_ids=frozenset(c["id"] for c in snapshot["choices"]),
                correct_ids=frozenset(c["id"] for c in snapshot["choices"] if c["is_correct"]),
                marks=Decimal(snapshot["marks"]),
            )
        )
        responses[question.key_id] = question.selected
    result: GradeResult = grade(
        keys=keys,
        responses=responses,
        policy=GradingPolicy(
            pass_mark_percent=attempt.pass_mark_percent,
            multiple_response=MultipleResponseScoring(attempt.multiple_response_scoring),
        ),
    )
    graded = Attempt.objects.filter(pk=attempt.pk, state=AttemptState.IN_PROGRESS).update(
        state=AttemptState.GRADED,
        submitted_at=now,
        score_percent=result.percent,
        passed=result.passed,
        result=result.as_dict(),
        submitted_late=late,
    )
    attempt.state = AttemptState.GRADED
    attempt.submitted_at, attempt.score_percent, attempt.passed = now, result.percent, result.passed
    attempt.result, attempt.submitted_late = result.as_dict(), late
    return bool(graded)


def attempts_close_overdue(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Grade attempts whose time ran out without a submission; returns how many.

    Each attempt is closed in its own transaction, taking the enrolment's lock and then
    the attempt's (the module's lock order). Rows another transaction holds are skipped
    for the next run rather than waited for.
    """
    now = now or timezone.now()
    overdue = list(
        Attempt.objects.filter(attempts_past_grace(now), state=AttemptState.IN_PROGRESS).values_list(
            "pk", "enrolment_id"
        )[:limit]
    )
    closed = 0
    for pk, enrolment_id in overdue:
        with transaction.atomic():
            enrolment = enrolment_lock(enrolment_id=enrolment_id, skip_locked=True)
            if enrolment is None:
                continue
            attempt = (
                Attempt.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("quiz")
                .filter(pk=pk, state=AttemptState.IN_PROGRESS)
                .first()
            )
            if attempt is not None:
                attempt.enrolment = enrolment
                if _grade(attempt, now=now, late=True):
                    closed += 1
                    _evaluate_completion_after(attempt)
    return closed


def attempt_grant_extra(
    *, quiz: Quiz, enrolment: Enrolment, granted_by, reason: str, extra: int = 1
) -> ExtraAttemptGrant:
    """Allow a learner ``extra`` more attempts at ``quiz``, recorded with who and why.

    The grant goes to the audit log on the learner's latest attempt at the quiz (where an
    administrator looks), or on the grant itself before any attempt. Raises
    :class:`AttemptLimitError` without a reason, for more than five at once, at a quiz
    with unlimited attempts (:func:`~quizzes.selectors.extra_attempt_refusal`), or for a
    learner not enrolled in the quiz's course.
    """
    reason = (reason or "").strip()
    if not reason:
        raise AttemptLimitError("Give a reason for the extra attempt.")
    if not 1 <= extra <= 5:
        raise AttemptLimitError("Grant between one and five extra attempts at a time.")
    if refusal := extra_attempt_refusal(quiz=quiz):
        raise AttemptLimitError(refusal)
    if quiz.course_id != enrolment.run.course_id:
        raise AttemptLimitError("That learner is not enrolled in this quiz's course.")
    with transaction.atomic():
        grant = ExtraAttemptGrant.objects.create(
            quiz=quiz, enrolment=enrolment, extra_attempts=extra, reason=reason, granted_by=granted_by
        )
        latest = Attempt.objects.filter(quiz=quiz, enrolment=enrolment).order_by("-number").first()
        log(
            instance=latest or grant,
            action="quizzes.extra_attempt",
            user=granted_by,
            data={"reason": reason, "extra_attempts": extra},
        )
    return grant


# --- Endorsement of questions and quizzes --------------------------------------------------


def assessment_problems(*, item) -> list[str]:
    """What the content standard finds wrong with ``item``, a question or a quiz as it stands
    in memory (typically a revision's content, ``revision.as_object()``).

    The rules the admin forms apply on submission and approval
    (:mod:`quizzes.validation`): a question's choices must fit its kind; a quiz must be
    attached sensibly, and every question it lists — and enough of its draw pool — must
    have an endorsed (live) version, judged by the live rows learners would get.
    """
    if isinstance(item, Question):
        return question_problems(item.kind, [ChoiceData(c.text, c.is_correct) for c in item.choices.all()])
    fixed_ids = [link.question_id for link in item.quiz_questions.all()]
    tag_ids = [tag.pk for tag in item.draw_tags.all()]
    pool_ids = (
        set(Question.objects.filter(tags__in=tag_ids).values_list("pk", flat=True))
        if item.selection == SelectionMode.RANDOM and tag_ids
        else set()
    )
    questions = {
        q.pk: q for q in Question.objects.filter(pk__in=set(fixed_ids) | pool_ids).prefetch_related("choices")
    }

    def described(pk):
        question = questions[pk]
        return pk, question.kind, [ChoiceData(c.text, c.is_correct) for c in question.choices.all()]

    return quiz_problems(
        selection=item.selection,
        role=item.role,
        course_path=item.course.path if item.course_id else None,
        module_path=item.module.path if item.module_id else None,
        fixed_questions=[described(pk) for pk in fixed_ids if pk in questions],
        draw_count=item.draw_count,
        draw_pool=[described(pk) for pk in pool_ids],
        endorsed_ids={pk for pk, question in questions.items() if question.live},
    )


def _label(item) -> str:
    return f"{item._meta.verbose_name} “{item}”"


def assessment_submit_for_endorsement(*, item, user):
    """Submit the latest revision of a question or quiz to its endorsement workflow, as the
    editor's "Submit to Faculty endorsement" does (or resume it after requested changes).

    Raises :class:`courses.exceptions.EndorsementError` when ``user`` may not change it,
    it has no workflow or no saved revision, it is already in review, or its latest
    revision breaks the content standard (``problems`` lists the rules); nothing is
    written then. Returns the workflow state.
    """
    from courses.api import EndorsementError, endorsement_start_or_resume

    model = type(item)
    with transaction.atomic():
        # The row lock makes two submissions of one item queue up; the second is refused.
        item = model.objects.select_for_update().get(pk=item.pk)
        label = _label(item)
        if not user.has_perm(f"quizzes.change_{model._meta.model_name}"):
            raise EndorsementError(f"You may not submit the {label} for endorsement.")
        workflow = item.get_workflow()
        if workflow is None:
            raise EndorsementError(f"The {label} is not under an endorsement workflow.")
        if item.workflow_in_progress:
            raise EndorsementError(f"The {label} is already awaiting endorsement.")
        return endorsement_start_or_resume(
            item=item,
            workflow=workflow,
            user=user,
            name=f"the {label}",
            problems_of=lambda draft: assessment_problems(item=draft),
        )


def assessment_endorse(*, item, user, comment: str = ""):
    """Approve a question or quiz awaiting endorsement, as a board member's "Approve" does.

    The workflow task's own approve action finishes the workflow, whose finish action
    publishes the latest revision and records its endorsement
    (:func:`courses.services.endorsement_publish`). That revision must meet the content
    standard. Raises :class:`courses.exceptions.EndorsementError` when the item is not
    awaiting endorsement, ``user`` may not approve this task, or the content breaks a
    rule; nothing is written then. Returns the endorsement
    (:class:`courses.selectors.EndorsementFact`) of the revision that went live.
    """
    from courses.api import EndorsementError, endorsements_for_revisions

    model = type(item)
    with transaction.atomic():
        item = model.objects.select_for_update().get(pk=item.pk)
        label = _label(item)
        task_state = item.current_workflow_task_state
        if task_state is None:
            raise EndorsementError(f"The {label} is not awaiting endorsement.")
        task = task_state.task.specific
        revision = item.get_latest_revision()
        problems = assessment_problems(item=revision.as_object())
        if problems:
            raise EndorsementError(f"The {label} cannot be endorsed: " + " ".join(problems), problems)
        if "approve" not in [name for name, _label, _modal in task.get_actions(item, user)]:
            raise EndorsementError(f"Only the reviewers of “{task.name}” can endorse the {label}.")
        task.on_action(task_state, user, "approve", comment=comment)
        return endorsements_for_revisions(revision_ids=[revision.pk])[revision.pk]
