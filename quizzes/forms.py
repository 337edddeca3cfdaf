"""Forms for taking a quiz and for the admin's quiz and question editors."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from quizzes.validation import ChoiceData, question_problems, quiz_problems


def answers_from_post(data, positions) -> dict[int, list[str]]:
    """Read ``q<position>`` fields (radio or checkboxes) from a submitted attempt form.

    Only positions whose field is present are returned; a checkbox question with
    nothing ticked sends the hidden marker ``q<position>-present`` so that clearing
    every box is saved too.
    """
    answers: dict[int, list[str]] = {}
    for position in positions:
        name = f"q{position}"
        if name in data or f"{name}-present" in data:
            answers[position] = [value for value in data.getlist(name) if value]
    return answers


class QuestionAdminForm(WagtailAdminModelForm):
    """Refuses to submit, approve or publish a question whose choices do not fit its kind.

    Drafts may be saved incomplete (Wagtail's deferred "save draft" validation): a draft
    never reaches a learner.
    """

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "is_deferred_validation", False):
            return cleaned
        formset = self.formsets.get("choices")
        if formset is None or not formset.is_valid():
            return cleaned
        choices = [
            ChoiceData(form.cleaned_data.get("text", ""), bool(form.cleaned_data.get("is_correct")))
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for problem in question_problems(cleaned.get("kind", ""), choices):
            self.add_error(None, problem)
        return cleaned


class QuizAdminForm(WagtailAdminModelForm):
    """Refuses to submit for endorsement, approve or publish a quiz that learners could not
    take fairly — including one that lists a question with no endorsed (live) version.

    Questions are judged as learners would get them: by their live rows. Drafts may be
    saved incomplete; the checks run when the form is not in Wagtail's deferred ("save
    draft") validation.
    """

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "is_deferred_validation", False):
            return cleaned
        from quizzes.models import Question

        formset = self.formsets.get("quiz_questions")
        fixed_ids = []
        if formset is not None and formset.is_valid():
            fixed_ids = [
                form.cleaned_data["question"].pk
                for form in formset.forms
                if form.cleaned_data
                and not form.cleaned_data.get("DELETE")
                and form.cleaned_data.get("question")
            ]
        tags = cleaned.get("draw_tags") or []
        pool_ids = (
            set(Question.objects.filter(tags__in=list(tags)).values_list("pk", flat=True)) if tags else set()
        )
        questions = {
            q.pk: q
            for q in Question.objects.filter(pk__in=set(fixed_ids) | pool_ids).prefetch_related("choices")
        }

        def described(pk):
            question = questions[pk]
            return pk, question.kind, [ChoiceData(c.text, c.is_correct) for c in question.choices.all()]

        course, module = cleaned.get("course"), cleaned.get("module")
        for problem in quiz_problems(
            selection=cleaned.get("selection", "fixed"),
            role=cleaned.get("role", ""),
            course_path=course.path if course else None,
            module_path=module.path if module else None,
            fixed_questions=[described(pk) for pk in fixed_ids],
            draw_count=cleaned.get("draw_count"),
            draw_pool=[described(pk) for pk in pool_ids],
            endorsed_ids={pk for pk, question in questions.items() if question.live},
        ):
            self.add_error(None, problem)
        return cleaned


class ExtraAttemptForm(forms.Form):
    extra = forms.IntegerField(label="Extra attempts", min_value=1, max_value=5, initial=1)
    reason = forms.CharField(label="Reason", max_length=250, widget=forms.TextInput)
