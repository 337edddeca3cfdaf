"""The run dashboard in the Wagtail admin: one run, or every run of a course.

Actions of the course-run snippet (``courses.wagtail_hooks``) on the shared bases of
:mod:`lms.admin_views`; who may open them is the course run's permission policy
(``dashboard`` and ``course_dashboard``: those who may view enrolments). The figures come
from :mod:`courses.reports`; the view only parses the learner list's filter, search and
page and renders. A bad filter or search is shown with its error beside the whole list.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.utils.functional import cached_property
from django.utils.text import slugify

from courses.charts import likert_chart
from courses.exports import csv_download
from courses.models import CourseRun
from courses.report_forms import LearnerListForm
from courses.reports import LEARNER_FILTERS, RunReport, course_for_report, course_report, run_report
from courses.selectors import course_runs, evaluation_report
from lms.admin_views import AdminObjectView, AdminTemplateView

LEARNERS_PER_PAGE = 50


class _DashboardMixin:
    template_name = "courses/admin/run_dashboard.html"

    def get_template_names(self):
        return [self.template_name]

    def get_report(self) -> RunReport:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.get_report()
        form = LearnerListForm(self.request.GET or None)
        filter_key = query = ""
        if form.is_valid():
            filter_key, query = form.cleaned_data["filter"], form.cleaned_data["q"]
        page, rows = report.learners_page(
            filter_key=filter_key, query=query, page=self.request.GET.get("p"), per_page=LEARNERS_PER_PAGE
        )
        params = self.request.GET.copy()
        params.pop("p", None)
        context.update(
            report=report,
            form=form,
            filter_key=filter_key,
            filter_label=LEARNER_FILTERS.get(filter_key, ""),
            query=query,
            filters=[(key, label, report.filter_counts[key]) for key, label in LEARNER_FILTERS.items()],
            page=page,
            rows=rows,
            matching=page.paginator.count,
            page_query=params.urlencode(),
            chart=report.funnel_chart,
        )
        return context


class RunDashboardView(_DashboardMixin, AdminObjectView):
    """How one run is going: funnel, assessments, learners."""

    def get_queryset(self):
        return CourseRun.objects.select_related("course")

    def get_report(self):
        return run_report(run=self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["course_dashboard_url"] = self.sibling_url("course_dashboard", self.object.course_id)
        return context


class _CourseMixin:
    """A screen about one course, named by the URL's ``course_id`` (404 for an unknown one)."""

    @cached_property
    def course(self):
        course = course_for_report(course_id=self.kwargs["course_id"])
        if course is None:
            raise Http404("No such course.")
        return course

    def get_page_subtitle(self):
        return self.course.title


class CourseDashboardView(_CourseMixin, _DashboardMixin, AdminTemplateView):
    """Every run of one course together."""

    def get_report(self):
        return course_report(course=self.course)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["run_dashboards"] = [
            (run, self.sibling_url("dashboard", run.pk)) for run in context["report"].runs
        ]
        return context


# --- The course evaluation report -------------------------------------------------------------

EVALUATION_CSV_HEADER = (
    "Question",
    "Type",
    "Option or answer",
    "Run",
    "Count",
    "Percent of responses",
    "Mean (1 = first option)",
)
_KIND_LABELS = {"scale": "Scale", "choice": "Choice (several allowed)", "text": "Free text"}


def evaluation_csv_rows(report) -> list[tuple]:
    """The CSV's rows: per scale or choice item one row per option (and its mean), per free-text item one per answer."""
    rows = []
    for item in report.items:
        question, kind = item.question.label, _KIND_LABELS[item.question.kind]
        for option in item.options:
            rows.append(
                (question, kind, option.label, "", option.count, Decimal(f"{option.percent:.1f}"), None)
            )
        if item.no_longer_offered:
            rows.append(
                (question, kind, "(an option no longer offered)", "", item.no_longer_offered, None, None)
            )
        if item.mean is not None:
            rows.append((question, kind, "Mean", "", item.responses, None, Decimal(f"{item.mean:.2f}")))
        for answer in item.answers:
            rows.append((question, kind, answer.text, answer.run_label, None, None, None))
    return rows


class _EvaluationMixin:
    template_name = "courses/admin/evaluation_report.html"

    def get_template_names(self):
        return [self.template_name]

    def get_report(self):
        raise NotImplementedError

    def get_filename(self) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.report = self.get_report()
        if request.GET.get("export") == "csv":
            return csv_download(
                filename=self.get_filename(),
                header=EVALUATION_CSV_HEADER,
                rows=evaluation_csv_rows(self.report),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            report=self.report,
            chart=likert_chart(self.report.items),
            csv_url=f"{self.request.path}?export=csv",
        )
        return context


class RunEvaluationReportView(_EvaluationMixin, AdminObjectView):
    """What one run's learners answered in the course evaluation; ``?export=csv`` downloads it."""

    def get_queryset(self):
        return CourseRun.objects.select_related("course")

    def get_report(self):
        return evaluation_report(course=self.object.course, runs=[self.object])

    def get_filename(self) -> str:
        return f"evaluation-{slugify(self.object.course.title)[:50]}-{slugify(self.object.label)[:30]}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["course_report_url"] = self.sibling_url("course_evaluation", self.object.course_id)
        return context


class CourseEvaluationReportView(_CourseMixin, _EvaluationMixin, AdminTemplateView):
    """Every run's answers to the course evaluation together, with a link to each run's."""

    def get_report(self):
        return evaluation_report(course=self.course, runs=course_runs(course_id=self.course.pk))

    def get_filename(self) -> str:
        return f"evaluation-{slugify(self.course.title)[:60]}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["run_reports"] = [(run, self.sibling_url("evaluation", run.pk)) for run in self.report.runs]
        return context
