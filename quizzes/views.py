"""Learner-facing quiz views. Each parses input, calls one service, renders.

Another learner's attempt, an unknown id and a forged id all answer 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lms.exceptions import DomainError
from lms.http import RequestBodyError, json_body
from quizzes.deadlines import attempt_is_past_grace
from quizzes.exceptions import AnswerInvalidError, AttemptClosedError, AttemptExpiredError
from quizzes.forms import answers_from_post
from quizzes.models import Quiz
from quizzes.selectors import attempt_for_learner, attempt_outcome, attempt_public_questions, quiz_status
from quizzes.services import attempt_save_answers, attempt_start, attempt_submit


def _attempt_or_404(request, attempt_id):
    attempt = attempt_for_learner(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


@login_required
def quiz_detail(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.filter(live=True).select_related("course", "module"), pk=quiz_id)
    status = quiz_status(quiz=quiz, user=request.user)
    if status.enrolment is None:
        return render(request, "quizzes/quiz_locked.html", {"quiz": quiz}, status=403)
    return render(request, "quizzes/quiz_detail.html", {"quiz": quiz, "status": status})


@login_required
@require_POST
def start(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.filter(live=True), pk=quiz_id)
    try:
        attempt = attempt_start(learner=request.user, quiz=quiz)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("quiz_detail", quiz_id=quiz.pk)
    return redirect("attempt_take", attempt_id=attempt.pk)


def _late_submit(request, attempt):
    outcome = attempt_submit(attempt=attempt, learner=request.user)
    if outcome.graded_now:
        messages.warning(
            request,
            "Time ran out before this attempt was submitted. It was graded on the answers saved before the deadline.",
        )
    return redirect("attempt_result", attempt_id=attempt.pk)


@login_required
def take(request, attempt_id: int):
    attempt = _attempt_or_404(request, attempt_id)
    if not attempt.is_in_progress:
        return redirect("attempt_result", attempt_id=attempt.pk)
    questions = attempt_public_questions(attempt)
    if request.method == "POST":
        answers = answers_from_post(request.POST, [q.position for q in questions])
        try:
            if "submit" in request.POST:
                outcome = attempt_submit(attempt=attempt, learner=request.user, answers=answers)
                if outcome.attempt.submitted_late:
                    messages.warning(
                        request,
                        "Your submission arrived after the time limit. It was graded on the answers "
                        "saved before the deadline.",
                    )
                if outcome.course_completed:
                    messages.success(request, "You have completed the course. Congratulations!")
                return redirect("attempt_result", attempt_id=attempt.pk)
            attempt_save_answers(attempt=attempt, learner=request.user, answers=answers)
            messages.success(request, "Your answers are saved.")
            return redirect("attempt_take", attempt_id=attempt.pk)
        except AttemptExpiredError:
            return _late_submit(request, attempt)
        except AttemptClosedError:
            return redirect("attempt_result", attempt_id=attempt.pk)
        except AnswerInvalidError as error:
            messages.error(request, error.message)
            return redirect("attempt_take", attempt_id=attempt.pk)
    if attempt_is_past_grace(attempt):
        return _late_submit(request, attempt)
    seconds_left = attempt.seconds_left()
    return render(
        request,
        "quizzes/attempt_take.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": questions,
            "seconds_left": seconds_left,
            "autosave_url": reverse("attempt_autosave", args=[attempt.pk]),
        },
    )


# An autosave carries at most one entry per question, a few choice ids each: far below
# these limits, which keep a forged body from costing more than a real one.
AUTOSAVE_MAX_BYTES = 32 * 1024
AUTOSAVE_MAX_DEPTH = 3
MAX_POSITION_DIGITS = 4
MAX_CHOICE_ID_LENGTH = 64


def _answers_from_json(payload) -> dict[int, list[str]]:
    """``{"answers": {"<position>": ["<choice id>", …]}}`` → ``{position: [choice id, …]}``, or AnswerInvalidError."""
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        raise AnswerInvalidError('Malformed answer: expected {"answers": {"<question>": [<choice ids>]}}.')
    answers = {}
    for position, choices in payload["answers"].items():
        if not (position.isascii() and position.isdigit() and len(position) <= MAX_POSITION_DIGITS):
            raise AnswerInvalidError("Malformed answer: questions are numbered 1, 2, 3…")
        if not isinstance(choices, list) or not all(
            isinstance(choice, str | int)
            and not isinstance(choice, bool)
            and len(str(choice)) <= MAX_CHOICE_ID_LENGTH
            for choice in choices
        ):
            raise AnswerInvalidError("Malformed answer: each question's answer is a list of choice ids.")
        answers[int(position)] = [str(choice) for choice in choices]
    return answers


@login_required
@require_POST
def autosave(request, attempt_id: int):
    """Save answers sent as JSON ``{"answers": {"<position>": ["<choice id>", …]}}``.

    The body goes through :func:`lms.http.json_body` (size, depth, content type); a
    refused body answers 400 (413 when too large) with a message, and saves nothing.
    """
    attempt = _attempt_or_404(request, attempt_id)
    try:
        answers = _answers_from_json(
            json_body(request, max_bytes=AUTOSAVE_MAX_BYTES, max_depth=AUTOSAVE_MAX_DEPTH)
        )
    except RequestBodyError as error:
        return JsonResponse({"saved": False, "error": error.message}, status=error.status)
    except AnswerInvalidError as error:
        return JsonResponse({"saved": False, "error": error.message}, status=400)
    try:
        attempt_save_answers(attempt=attempt, learner=request.user, answers=answers)
    except AnswerInvalidError as error:
        return JsonResponse({"saved": False, "error": error.message}, status=400)
    except (AttemptClosedError, AttemptExpiredError) as error:
        return JsonResponse(
            {
                "saved": False,
                "error": error.message,
                "result_url": reverse("attempt_result", args=[attempt.pk]),
            },
            status=409,
        )
    attempt.refresh_from_db(fields=["deadline"])
    return JsonResponse({"saved": True, "seconds_left": attempt.seconds_left()})


@login_required
def result(request, attempt_id: int):
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.is_in_progress:
        return redirect("attempt_take", attempt_id=attempt.pk)
    return render(
        request,
        "quizzes/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "outcome": attempt_outcome(attempt),
            "status": quiz_status(quiz=attempt.quiz, user=request.user),
        },
    )
