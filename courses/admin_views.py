"""Wagtail admin screens for administrators: scheduling runs, enrolling and withdrawing.

Each screen checks a permission, parses a form, calls one service and reports back; the
services write the audit log.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from courses.exceptions import EnrolmentError, RunSchedulingError
from courses.forms import AdminEnrolForm, ScheduleRunsForm
from courses.models import CourseRun, Enrolment, FacultyMember
from courses.selectors import faculty_disclosures_may_confirm
from courses.services import (
    course_runs_schedule_monthly,
    enrolment_create,
    enrolment_withdraw,
    faculty_disclosures_confirm,
)
from lms.admin_policies import require_permission
from lms.exceptions import DomainError


def schedule_runs(request):
    require_permission(request, "courses.add_courserun")
    form = ScheduleRunsForm(request.POST or None, initial={"course": request.GET.get("course")})
    if request.method == "POST" and form.is_valid():
        try:
            runs = course_runs_schedule_monthly(**form.cleaned_data, by=request.user)
        except RunSchedulingError as error:
            form.add_error(None, error.message)
        else:
            labels = ", ".join(run.label for run in runs)
            messages.success(
                request, f"Scheduled {len(runs)} runs of {form.cleaned_data['course'].title}: {labels}."
            )
            return redirect("courses_courserun:list")
    return TemplateResponse(
        request,
        "courses/admin/schedule_runs.html",
        {"form": form, "page_title": "Schedule monthly runs", "header_icon": "date"},
    )


def enrol_learner(request):
    require_permission(request, "courses.add_enrolment")
    form = AdminEnrolForm(request.POST or None, initial={"run": request.GET.get("run")})
    if request.method == "POST" and form.is_valid():
        learner = form.cleaned_data["learner_email"]
        run = form.cleaned_data["run"]
        try:
            enrolment_create(
                learner=learner, run=run, ignore_window=form.cleaned_data["ignore_window"], by=request.user
            )
        except EnrolmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{learner.display_name} is enrolled in {run}.")
            return redirect("courses_enrolment:list")
    return TemplateResponse(
        request,
        "courses/admin/enrol_learner.html",
        {"form": form, "page_title": "Enrol a learner", "header_icon": "user"},
    )


def withdraw_enrolment(request, pk: int):
    require_permission(request, "courses.change_enrolment")
    enrolment = get_object_or_404(Enrolment.objects.select_related("run", "run__course", "learner"), pk=pk)
    if request.method == "POST":
        try:
            enrolment_withdraw(enrolment=enrolment, by=request.user)
        except EnrolmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{enrolment.learner.display_name} is withdrawn from {enrolment.run}.")
        return redirect("courses_enrolment:list")
    return TemplateResponse(
        request,
        "courses/admin/withdraw_enrolment.html",
        {"enrolment": enrolment, "page_title": "Withdraw enrolment", "header_icon": "user"},
    )


def confirm_disclosures(request, pk: int):
    """The faculty member (or an administrator) confirms their disclosures are complete and current."""
    member = get_object_or_404(FacultyMember.objects.prefetch_related("disclosures"), pk=pk)
    if request.method == "POST":
        try:
            faculty_disclosures_confirm(faculty_member=member, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{member.name}'s disclosures are confirmed as current today.")
        return redirect("courses_facultymember:inspect", member.pk)
    if not faculty_disclosures_may_confirm(faculty_member=member, user=request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "courses/admin/confirm_disclosures.html",
        {"member": member, "page_title": "Confirm disclosures", "header_icon": "tick"},
    )


def run_seats(run: CourseRun) -> str:
    return f"{run.seats_taken} / {run.capacity}"
