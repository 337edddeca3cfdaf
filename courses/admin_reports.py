"""The run dashboard in the Wagtail admin: one run, or every run of a course.

Actions of the course-run snippet (``courses.wagtail_hooks``) on the shared bases of
:mod:`lms.admin_views`; who may open them is the course run's permission policy
(``dashboard`` and ``course_dashboard``: those who may view enrolments). The figures come
from :mod:`courses.reports`; the view only parses the learner list's filter, search and
page and renders. A bad filter or search is shown with its error beside the whole list.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.functional import cached_property

from courses.models import CourseRun
from courses.report_forms import LearnerListForm
from courses.reports import LEARNER_FILTERS, RunReport, course_for_report, course_report, run_report
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


class CourseDashboardView(_DashboardMixin, AdminTemplateView):
    """Every run of one course together."""

    @cached_property
    def course(self):
        course = course_for_report(course_id=self.kwargs["course_id"])
        if course is None:
            raise Http404("No such course.")
        return course

    def get_page_subtitle(self):
        return self.course.title

    def get_report(self):
        return course_report(course=self.course)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["run_dashboards"] = [
            (run, self.sibling_url("dashboard", run.pk)) for run in context["report"].runs
        ]
        return context
