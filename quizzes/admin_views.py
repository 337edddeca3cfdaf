"""Wagtail admin screens for quizzes: item analysis (with CSV) and extra attempts.

Each screen checks a permission, reads or calls one service and reports back; the
services write the audit log.
"""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify

from lms.admin_policies import require_permission
from lms.exceptions import DomainError
from quizzes.charts import distribution_chart
from quizzes.forms import ExtraAttemptForm
from quizzes.models import Attempt, Quiz
from quizzes.selectors import quiz_attempt_versions, quiz_item_analysis
from quizzes.services import attempt_grant_extra


def quiz_statistics(request, pk: int):
    require_permission(request, "quizzes.view_quiz")
    quiz = get_object_or_404(Quiz.objects.select_related("course", "module"), pk=pk)
    analysis = quiz_item_analysis(quiz=quiz)
    return TemplateResponse(
        request,
        "quizzes/admin/statistics.html",
        {
            "quiz": quiz,
            "analysis": analysis,
            "chart": distribution_chart(
                analysis.summary.distribution, pass_mark_percent=quiz.pass_mark_percent
            ),
            "page_title": f"Statistics: {quiz.title}",
            "header_icon": "table",
        },
    )


def quiz_statistics_csv(request, pk: int):
    require_permission(request, "quizzes.view_quiz")
    quiz = get_object_or_404(Quiz, pk=pk)
    analysis = quiz_item_analysis(quiz=quiz)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="item-analysis-{slugify(quiz.title)}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "question_id",
            "question",
            "attempts",
            "facility",
            "sd",
            "discrimination",
            "flags",
            "choice_picks",
            "versions",
        ]
    )
    for item in analysis.items:
        s = item.stats
        writer.writerow(
            [
                s.question_id,
                item.label,
                s.attempts,
                f"{s.facility:.4f}",
                "" if s.sd is None else f"{s.sd:.4f}",
                "" if s.discrimination is None else f"{s.discrimination:.4f}",
                "; ".join(s.flags),
                "; ".join(
                    f"{text}{' (correct)' if correct else ''}: {n}" for _, text, correct, n in item.choices
                ),
                "; ".join(
                    f"{v.label}: {v.stats.attempts} attempts, facility {v.stats.facility:.4f}"
                    for v in item.versions
                ),
            ]
        )
    return response


def quiz_attempt_versions_csv(request, pk: int):
    """Which version of the quiz and of each question every graded attempt used, one row per question."""
    require_permission(request, "quizzes.view_quiz")
    quiz = get_object_or_404(Quiz, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attempt-versions-{slugify(quiz.title)}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "attempt_id",
            "attempt_number",
            "submitted_at",
            "score_percent",
            "quiz_revision",
            "position",
            "question_id",
            "question_revision",
            "question_version",
        ]
    )
    for row in quiz_attempt_versions(quiz=quiz):
        writer.writerow(
            [
                row.attempt_id,
                row.number,
                row.submitted_at.isoformat() if row.submitted_at else "",
                row.score_percent,
                row.quiz_revision_id or "",
                row.position,
                row.question_id,
                row.question_revision_id or "",
                row.question_version,
            ]
        )
    return response


def grant_extra_attempt(request, pk: int):
    """Grant the learner of attempt ``pk`` more attempts at its quiz."""
    require_permission(request, "quizzes.add_extraattemptgrant")
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "enrolment__run", "learner"), pk=pk)
    form = ExtraAttemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = attempt_grant_extra(
                quiz=attempt.quiz,
                enrolment=attempt.enrolment,
                granted_by=request.user,
                reason=form.cleaned_data["reason"],
                extra=form.cleaned_data["extra"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{attempt.learner.display_name} may now make {grant.extra_attempts} more attempt(s).",
            )
            return redirect("quizzes_attempt:list")
    return TemplateResponse(
        request,
        "quizzes/admin/grant_extra_attempt.html",
        {"form": form, "attempt": attempt, "page_title": "Grant an extra attempt", "header_icon": "plus"},
    )
