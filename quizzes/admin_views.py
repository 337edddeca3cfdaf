"""Faculty and administrators' quiz screens: item statistics (with CSV and XLSX exports),
the versions each attempt used (a download), knowledge gain from a pre-test to the
post-test (with a CSV) and extra attempts.

They are actions of the quiz and attempt snippets (``quizzes.wagtail_hooks``), on the
shared bases of :mod:`lms.admin_views`. The statistics come from
:func:`quizzes.selectors.quiz_item_analysis`, the versions from
:func:`quizzes.selectors.quiz_attempt_versions`; the exports are Wagtail's spreadsheet
export (the one ``ReportView`` uses) over their rows. Granting calls one service, which
writes the audit log.
"""

from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.permissions import policy_registry

from courses.api import csv_download, spreadsheet_safe
from lms.admin_views import AdminObjectFormView, AdminObjectView
from quizzes.charts import distribution_chart, gain_chart
from quizzes.forms import ExtraAttemptForm
from quizzes.models import Attempt, Question, Quiz
from quizzes.selectors import knowledge_gain_analysis, quiz_attempt_versions, quiz_item_analysis
from quizzes.services import attempt_grant_extra


def _optional(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _choice_picks(choices) -> str:
    return "; ".join(f"{text}{' (correct)' if correct else ''}: {n}" for _, text, correct, n in choices)


def _version_figures(versions) -> str:
    return "; ".join(
        f"{v.label}: {v.stats.attempts} attempts, facility {v.stats.facility:.4f}" for v in versions
    )


def _iso(value) -> str:
    return value.isoformat() if value else ""


class QuizSpreadsheetView(SpreadsheetExportMixin, AdminObjectView):
    """A quiz screen whose rows download through Wagtail's spreadsheet export: ``?export=csv``
    (UTF-8) or ``xlsx``, named ``<filename_prefix>-<quiz title>``."""

    filename_prefix = ""

    def get_queryset(self):
        return Quiz.objects.select_related("course", "module")

    def get_page_subtitle(self):
        return self.object.title

    def get_filename(self):
        return f"{self.filename_prefix}-{slugify(self.object.title)}"

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"  # stems and choices are not ASCII
        return response

    def write_csv_row(self, writer, row_dict):
        """Wagtail's CSV row, with every text cell through ``spreadsheet_safe`` as in the
        academy's other CSVs: a stem or choice written ``=HYPERLINK(…)`` is not a formula on
        the reader's machine. Figures (a negative discrimination) are written as they are."""
        cells = {}
        for field, value in row_dict.items():
            cell = self.preprocess_field_value(field, value, self.FORMAT_CSV)
            figure = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            cells[field] = cell if figure or not isinstance(cell, str) else spreadsheet_safe(cell)
        return writer.writerow(cells)


class QuizStatisticsView(QuizSpreadsheetView):
    """Item analysis of a quiz: summary, score distribution and per-question figures (across
    each question's versions, and split by version); ``?export=csv`` (or ``xlsx``)
    downloads one row per question."""

    filename_prefix = "item-analysis"
    list_export = [
        "stats.question_id",
        "label",
        "stats.attempts",
        "stats.facility",
        "stats.sd",
        "stats.discrimination",
        "stats.flags",
        "choices",
        "versions",
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
        "versions": "versions",
    }
    custom_field_preprocess = {
        "stats.facility": {"csv": "{:.4f}".format},
        "stats.sd": {"csv": _optional},
        "stats.discrimination": {"csv": _optional},
        "stats.flags": {"csv": "; ".join, "xlsx": "; ".join},
        "choices": {"csv": _choice_picks, "xlsx": _choice_picks},
        "versions": {"csv": _version_figures, "xlsx": _version_figures},
    }

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
            versions_csv_url=(
                f"{self.sibling_url('attempt_versions', self.object.pk)}?export=csv"
                if self.permission_policy.user_has_permission(self.request.user, "attempt_versions")
                else None
            ),
            edit_url=self.edit_url_for(self.object),
            may_edit_questions=policy_registry.get_by_type(Question).user_has_permission(
                self.request.user, "change"
            ),
        )
        return context


class QuizAttemptVersionsView(QuizSpreadsheetView):
    """Which version of the quiz and of each question every graded attempt used, one row
    per question of an attempt: a download (CSV, or ``?export=xlsx``), no page."""

    filename_prefix = "attempt-versions"
    list_export = [
        "attempt_id",
        "number",
        "submitted_at",
        "score_percent",
        "quiz_revision_id",
        "position",
        "question_id",
        "question_revision_id",
        "question_version",
    ]
    export_headings = {
        "attempt_id": "attempt_id",
        "number": "attempt_number",
        "submitted_at": "submitted_at",
        "score_percent": "score_percent",
        "quiz_revision_id": "quiz_revision",
        "position": "position",
        "question_id": "question_id",
        "question_revision_id": "question_revision",
        "question_version": "question_version",
    }
    custom_field_preprocess = {"submitted_at": {"csv": _iso}}

    def get(self, request, *args, **kwargs):
        export_format = request.GET["export"] if self.is_export else self.FORMAT_CSV
        return self.as_spreadsheet(quiz_attempt_versions(quiz=self.object), export_format)


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


KNOWLEDGE_GAIN_HEADER = (
    "Run",
    "Objective (tag)",
    "Learners with both tests (n)",
    "Pre-test mean (%)",
    "Post-test mean (%)",
    "Pre-test median (%)",
    "Post-test median (%)",
    "Mean difference (points)",
    "95% CI low",
    "95% CI high",
)


def _figure(value: float | None) -> Decimal | None:
    # A number, not text: a negative gain written as text would be escaped as a formula.
    return None if value is None else Decimal(f"{value:.2f}")


def _report_rows(report) -> list[tuple]:
    """``[(label, KnowledgeGain)]``: all questions, then each objective."""
    return [("All questions", report.overall)] + [(item.tag, item.gain) for item in report.by_tag]


def knowledge_gain_rows(analysis) -> list[tuple]:
    """The CSV's rows: all runs together, then each run; in each, the overall line, then each objective."""
    scopes = [("All runs", analysis.overall)] + [(item.run.label, item.report) for item in analysis.runs]
    rows = []
    for scope, report in scopes:
        for objective, gain in _report_rows(report):
            rows.append(
                (
                    scope,
                    objective,
                    gain.n,
                    *(
                        _figure(value)
                        for value in (
                            gain.pre_mean,
                            gain.post_mean,
                            gain.pre_median,
                            gain.post_median,
                            gain.mean_difference,
                            gain.ci_low,
                            gain.ci_high,
                        )
                    ),
                )
            )
    return rows


class KnowledgeGainView(AdminObjectView):
    """Knowledge gain from a pre-test to its course's post-test: every run together and each
    run, overall and per objective (question tag), as a chart with its table; ``?export=csv``
    downloads the figures (text cells that look like formulas are escaped)."""

    def get_queryset(self):
        return Quiz.objects.select_related("course")

    def get_page_subtitle(self):
        return self.object.title

    def get(self, request, *args, **kwargs):
        if self.refusal is None:
            self.analysis = knowledge_gain_analysis(pre_test=self.object)
            if request.GET.get("export") == "csv":
                return self.csv_response()
        return super().get(request, *args, **kwargs)

    def csv_response(self) -> HttpResponse:
        return csv_download(
            filename=f"knowledge-gain-{slugify(self.object.course.title)[:60]}",
            header=KNOWLEDGE_GAIN_HEADER,
            rows=knowledge_gain_rows(self.analysis),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.refusal is None:
            overall_rows = _report_rows(self.analysis.overall)
            run_rows = [(item.run.label, item.report.overall) for item in self.analysis.runs]
            context.update(
                analysis=self.analysis,
                overall_rows=overall_rows,
                run_rows=run_rows,
                run_tag_rows=[
                    (item.run.label, _report_rows(item.report)[1:])
                    for item in self.analysis.runs
                    if item.report.by_tag
                ],
                chart=gain_chart(overall_rows),
                runs_chart=gain_chart(run_rows),
                csv_url=f"{self.request.path}?export=csv",
            )
        return context
