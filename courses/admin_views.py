"""Administrators' screens for runs, enrolments and faculty: schedule monthly runs, enrol a
learner, withdraw an enrolment, confirm a faculty member's disclosures.

They are actions of the course-run, enrolment and faculty snippets (``courses.wagtail_hooks``),
on the shared bases of :mod:`lms.admin_views`: each parses its form, calls one service
(which writes the audit log) and reports. Who may use them is each model's permission
policy; whether a withdrawal applies is :func:`courses.selectors.enrolment_withdraw_refusal`.
"""

from courses.forms import AdminEnrolForm, ScheduleRunsForm
from courses.models import Enrolment, FacultyMember
from courses.services import (
    course_runs_schedule_monthly,
    enrolment_create,
    enrolment_withdraw,
    faculty_disclosures_confirm,
)
from lms.admin_views import AdminFormView, AdminObjectFormView


class ScheduleRunsView(AdminFormView):
    form_class = ScheduleRunsForm
    submit_label = "Schedule runs"
    initial_from_query = ("course",)

    def perform(self, form):
        runs = course_runs_schedule_monthly(**form.cleaned_data, by=self.request.user)
        labels = ", ".join(run.label for run in runs)
        return f"Scheduled {len(runs)} runs of {form.cleaned_data['course'].title}: {labels}."


class EnrolLearnerView(AdminFormView):
    form_class = AdminEnrolForm
    submit_label = "Enrol learner"
    initial_from_query = ("run",)

    def perform(self, form):
        learner, run = form.cleaned_data["learner_email"], form.cleaned_data["run"]
        enrolment_create(
            learner=learner, run=run, ignore_window=form.cleaned_data["ignore_window"], by=self.request.user
        )
        return f"{learner.display_name} is enrolled in {run}."


class WithdrawEnrolmentView(AdminObjectFormView):
    submit_label = "Yes, withdraw"
    submit_classname = "serious"
    cancel_label = "No, don't withdraw"

    def get_queryset(self):
        return Enrolment.objects.select_related("run", "run__course", "learner")

    def perform(self, form):
        enrolment_withdraw(enrolment=self.object, by=self.request.user)
        return f"{self.object.learner.display_name} is withdrawn from {self.object.run}."


class ConfirmDisclosuresView(AdminObjectFormView):
    """The faculty member (or an administrator) confirms their disclosures are complete and current."""

    submit_label = "Confirm these disclosures are complete and current"

    def get_queryset(self):
        return FacultyMember.objects.prefetch_related("disclosures")

    def perform(self, form):
        faculty_disclosures_confirm(faculty_member=self.object, by=self.request.user)
        return f"{self.object.name}'s disclosures are confirmed as current today."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edit_url"] = self.edit_url_for(self.object)
        return context
