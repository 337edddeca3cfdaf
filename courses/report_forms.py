"""The run dashboard's learner-list controls: a filter and a search (both optional, from the query string)."""

from django import forms

from courses.reports import LEARNER_FILTERS


class LearnerListForm(forms.Form):
    filter = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All learners"), *LEARNER_FILTERS.items()],
    )
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        strip=True,
        help_text="Name, e-mail or registration number.",
    )
