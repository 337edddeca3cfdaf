"""Admin forms for runs and enrolments."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CoursePage
from courses.selectors import courses_for_choice, runs_for_choice
from lms.forms import AccountByEmailField


class CourseRunAdminForm(WagtailAdminModelForm):
    """Validates a run's dates and never lets capacity drop below the seats taken."""

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        opens, closes = cleaned.get("enrolment_opens_at"), cleaned.get("enrolment_closes_at")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "A run cannot end before it starts.")
        if opens and closes and closes <= opens:
            self.add_error("enrolment_closes_at", "Enrolment must close after it opens.")
        if closes and ends and timezone.localtime(closes).date() > ends:
            self.add_error("enrolment_closes_at", "Enrolment must close before the run ends.")
        capacity = cleaned.get("capacity")
        if capacity is not None and self.instance.pk and capacity < self.instance.seats_taken:
            self.add_error(
                "capacity",
                f"{self.instance.seats_taken} learners are already enrolled; capacity cannot be lower.",
            )
        course = cleaned.get("course")
        if course is not None and not isinstance(course.specific, CoursePage):
            self.add_error("course", "Choose a course page.")
        return cleaned


def _next_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


class ScheduleRunsForm(forms.Form):
    course = forms.ModelChoiceField(queryset=CoursePage.objects.all().order_by("title"))
    first_month = forms.DateField(
        label="First month",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text="Each run covers one calendar month.",
    )
    count = forms.IntegerField(label="Number of monthly runs", min_value=1, max_value=24, initial=3)
    capacity = forms.IntegerField(label="Seats per run", min_value=1, max_value=10_000, initial=40)
    enrolment_opens_days_before = forms.IntegerField(
        label="Enrolment opens (days before the start)", min_value=0, max_value=180, initial=30
    )
    enrolment_closes_days_after_start = forms.IntegerField(
        label="Enrolment closes (days after the start)", min_value=0, max_value=27, initial=7
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_month"].initial = _next_month(timezone.localdate())

    def clean_first_month(self):
        return self.cleaned_data["first_month"].replace(day=1)


class AdminEnrolForm(forms.Form):
    learner_email = AccountByEmailField(label="Learner's e-mail address")
    run = forms.ModelChoiceField(queryset=runs_for_choice())
    ignore_window = forms.BooleanField(
        label="Enrol even though the enrolment window is closed",
        required=False,
        help_text="Capacity is always respected.",
    )


def _time_field(label: str, *, max_value: int, messages: dict[str, str], **kwargs) -> forms.IntegerField:
    """A whole, non-negative number of hours or minutes, with the claim form's own error wording."""
    return forms.IntegerField(
        min_value=0, max_value=max_value, label=label, error_messages=messages, **kwargs
    )


_MINUTES_ON_THE_CLOCK = "Enter the minutes as a whole number from 0 to 59"


class CreditClaimForm(forms.Form):
    """The learner's attestation and the time they actually spent (hours and minutes)."""

    hours = _time_field(
        "Hours",
        max_value=333,
        messages={
            "required": "Enter the hours you spent (0 if it was under an hour).",
            "invalid": "Enter the hours as a whole number, such as 3.",
            "min_value": "Hours cannot be negative.",
            "max_value": "That is more hours than anyone spends on one course: enter the time you actually spent.",
        },
    )
    minutes = _time_field(
        "Minutes",
        max_value=59,
        initial=0,
        messages={
            "required": "Enter the minutes (0 for whole hours).",
            "invalid": f"{_MINUTES_ON_THE_CLOCK}.",
            "min_value": f"{_MINUTES_ON_THE_CLOCK}.",
            "max_value": f"{_MINUTES_ON_THE_CLOCK}; 60 minutes or more go in the hours.",
        },
    )
    attest = forms.BooleanField(
        label="I confirm that I took part in this activity personally and that the time above is the time I spent.",
        required=True,
        error_messages={"required": "Confirm that you took part personally before claiming credit."},
    )

    def clean(self):
        cleaned = super().clean()
        hours, minutes = cleaned.get("hours"), cleaned.get("minutes")
        if hours is not None and minutes is not None and hours * 60 + minutes < 1:
            raise forms.ValidationError("Enter the time you spent: at least one minute.")
        return cleaned

    @property
    def minutes_spent(self) -> int:
        return self.cleaned_data["hours"] * 60 + self.cleaned_data["minutes"]


class ExternalCreditForm(forms.Form):
    """Credit earned elsewhere, with the certificate received as evidence."""

    activity = forms.CharField(max_length=200, label="Activity")
    provider = forms.CharField(max_length=200, label="Provider")
    completed_on = forms.DateField(label="Completed on", widget=forms.DateInput(attrs={"type": "date"}))
    credit_type = forms.ModelChoiceField(queryset=None, label="Credit type", empty_label=None)
    credits = forms.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.01"), label="Credits")
    evidence = forms.FileField(
        label="Evidence",
        help_text="The certificate you received: a PDF, PNG or JPEG of at most 5 MB. Only you and the academy's administrators can open it.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        from courses.models import CreditType

        super().__init__(*args, **kwargs)
        self.fields["credit_type"].queryset = CreditType.objects.order_by("name")


class BulkEnrolmentUploadForm(forms.Form):
    """A hospital's list of doctors for one run: the file is checked, nothing is enrolled yet."""

    course = forms.ModelChoiceField(
        queryset=courses_for_choice(),
        required=False,
        help_text="Optional: the run below must then be one of this course's.",
    )
    run = forms.ModelChoiceField(queryset=runs_for_choice(), help_text="The run to enrol the doctors in.")
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: email (required), name (as printed on the certificate; required for a doctor "
            "without an account) and registration number. Comma or semicolon separated, as Excel saves it; "
            "at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
