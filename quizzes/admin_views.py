"""Faculty and administrators' quiz screens: item statistics (with CSV and XLSX exports)
and extra attempts.

They are actions of the quiz and attempt snippets (``quizzes.wagtail_hooks``), on the
shared bases of :mod:`lms.admin_views`. The statistics come from
:func:`quizzes.selectors.quiz_item_analysis`; the exports are Wagtail's spreadsheet
export (the one ``ReportView`` uses) over its items. Granting calls one service, which
writes the audit log.
"""

from django.utils.text import slugify
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.permissions import policy_registry

from lms.admin_views import AdminObjectFormView, AdminObjectView
from quizzes.charts import distribution_chart
from quizzes.forms import ExtraAttemptForm
from quizzes.models import Attempt, Question, Quiz
from quizzes.selectors import quiz_item_analysis
from quizzes.services import attempt_grant_extra


def _optional(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _choice_picks(choices) -> str:
    return "; ".join(f"{text}{' (correct)' if correct else ''}: {n}" for _, text, correct, n in choices)


class QuizStatisticsView(SpreadsheetExportMixin, AdminObjectView):
    """Item analysis of a quiz: summary, score distribution and per-question figures;
    ``?export=csv`` (or ``xlsx``) downloads one row per question."""

    list_export = [
        "stats.question_id",
        "label",
        "stats.attempts",
        "stats.facility",
        "stats.sd",
        "stats.discrimination",
        "stats.flags",
        "choices",
    ]
    export_headings = {
        "stats.question_id": "question_id",
        "label": "question",
        "stats.attempts": "attempts",
        "stats.facility": "facility",
        "stats.sd": "sd",
        "stats.discrimination": "discrimination",
        "stats.flags": "flags",
        "choices": "choice_picks",
    }
    custom_field_preprocess = {
        "stats.facility": {"csv": "{:.4f}".format},
        "stats.sd": {"csv": _optional},
        "stats.discrimination": {"csv": _optional},
        "stats.flags": {"csv": "; ".join, "xlsx": "; ".join},
        "choices": {"csv": _choice_picks, "xlsx": _choice_picks},
    }

    def get_queryset(self):
        return Quiz.objects.select_related("course", "module")

    def get_page_subtitle(self):
        return self.object.title

    def get_filename(self):
        return f"item-analysis-{slugify(self.object.title)}"

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"  # stems and choices are not ASCII
        return response

    def get(self, request, *args, **kwargs):
        self.analysis = quiz_item_analysis(quiz=self.object)
        if self.is_export:
            return self.as_spreadsheet(self.analysis.items, request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            quiz=self.object,
            analysis=self.analysis,
            chart=distribution_chart(
                self.analysis.summary.distribution, pass_mark_percent=self.object.pass_mark_percent
            ),
            csv_url=self.csv_export_url,
            edit_url=self.edit_url_for(self.object),
            may_edit_questions=policy_registry.get_by_type(Question).user_has_permission(
                self.request.user, "change"
            ),
        )
        return context


class GrantExtraAttemptView(AdminObjectFormView):
    """Grant the learner of an attempt more attempts at its quiz."""

    form_class = ExtraAttemptForm
    submit_label = "Grant extra attempt"

    def get_queryset(self):
        return Attempt.objects.select_related("quiz", "enrolment__run", "learner")

    def perform(self, form):
        grant = attempt_grant_extra(
            quiz=self.object.quiz,
            enrolment=self.object.enrolment,
            granted_by=self.request.user,
            reason=form.cleaned_data["reason"],
            extra=form.cleaned_data["extra"],
        )
        return f"{self.object.learner.display_name} may now make {grant.extra_attempts} more attempt(s)."
