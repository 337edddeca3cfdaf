"""The administrators' "Export" form: what to export (kind, format) of which run or course."""

from django import forms

from courses.exports import FORMATS, export_kinds
from courses.selectors import courses_for_choice, runs_for_choice


class RequestExportForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=courses_for_choice(), required=False, help_text="Every run of it."
    )
    run = forms.ModelChoiceField(
        queryset=runs_for_choice(), required=False, help_text="Or one run (its course is taken from it)."
    )
    kind = forms.ChoiceField(label="What", choices=())
    file_format = forms.ChoiceField(label="Format", choices=list(FORMATS.items()), initial="csv")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in export_kinds()]

    def clean(self):
        cleaned = super().clean()
        course, run = cleaned.get("course"), cleaned.get("run")
        if course is None and run is None and not self.errors:
            raise forms.ValidationError("Choose a course or a run to export.")
        if run is not None and course is not None and run.course_id != course.pk:
            raise forms.ValidationError(f"{run} is a run of another course, not of {course.title}.")
        if run is not None and course is None:
            cleaned["course"] = run.course
        return cleaned
