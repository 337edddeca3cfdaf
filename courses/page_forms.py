"""Admin page forms enforcing the content standard (``courses.standards``).

Drafts may be saved incomplete (Wagtail's deferred validation); submitting for
endorsement, approving it in the editor (which publishes) and publishing require the
standard. Stale faculty disclosures block submission, approval and publication.
"""

from __future__ import annotations

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from courses.standards import (
    Designation,
    DisclosureState,
    course_problems,
    module_problems,
    stale_disclosure_problems,
)


class _StandardForm(WagtailAdminPageForm):
    def _live_formset_rows(self, name: str) -> list[dict]:
        formset = self.formsets.get(name)
        if formset is None:
            return []
        # ClusterForm validates inline formsets only after this form's clean(); validating
        # them here (Django caches the result) gives their cleaned_data now.
        formset.is_valid()
        rows = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data and not data.get("DELETE"):
                rows.append(data)
        return rows

    def _live_formset_values(self, name: str, field: str) -> list:
        return [row[field] for row in self._live_formset_rows(name) if row.get(field) is not None]

    @property
    def is_submitting(self) -> bool:
        """Submitting for endorsement, approving it (which publishes) or publishing."""
        if any(
            self.data.get(action) for action in ("action-submit", "action-publish", "action-restart-workflow")
        ):
            return True
        return (
            bool(self.data.get("action-workflow-action"))
            and self.data.get("workflow-action-name") == "approve"
        )

    def _disclosure_problems(self, faculty_members) -> list[str]:
        from courses.models import FacultyMember

        people = {member.pk: member for member in faculty_members}
        if self.for_user is not None and self.for_user.is_authenticated:
            for member in FacultyMember.objects.filter(user=self.for_user):
                people.setdefault(member.pk, member)
        return stale_disclosure_problems(
            [DisclosureState(name=m.name, confirmed_on=m.disclosures_confirmed_on) for m in people.values()],
            timezone.localdate(),
        )

    def _report(self, problems: list[str]) -> None:
        """Each problem beside the field it concerns (the page's banner lists the rest).

        A StreamField shows one error of its own, so a field's problems are one message.
        """
        beside: dict[str, list[str]] = {}
        for problem in problems:
            field = getattr(problem, "field", None)
            if field in self.fields:
                beside.setdefault(field, []).append(problem)
            else:
                self._standard_error(None, problem)
        for field, messages in beside.items():
            self._standard_error(field, " ".join(messages))

    def _standard_error(self, field: str | None, message: str) -> None:
        self.__dict__.setdefault("standard_messages", []).append(message)
        self.add_error(field, message)

    @property
    def refused_only_by_standard(self) -> bool:
        """Whether the form is invalid only because of the standard (or stale disclosures):
        every field is well formed, so the content could be kept as a draft."""
        reported = set(self.__dict__.get("standard_messages", ()))
        if not reported:
            return False
        if any(any(formset.errors) or formset.non_form_errors() for formset in self.formsets.values()):
            return False
        return all(error in reported for errors in self.errors.values() for error in errors)


class ModulePageForm(_StandardForm):
    def clean(self):
        cleaned = super().clean()
        if getattr(self, "is_deferred_validation", False):
            return cleaned
        body = [(block.block_type, block.value) for block in (cleaned.get("body") or [])]
        references = sum(len(value["references"]) for block_type, value in body if block_type == "references")
        self._report(
            module_problems(
                objectives=len(cleaned.get("objectives") or []),
                body_blocks=body,
                references=references,
                estimated_minutes=cleaned.get("estimated_minutes"),
            )
        )
        if self.is_submitting:
            self._report(
                self._disclosure_problems(self._live_formset_values("module_authors", "faculty_member"))
            )
        return cleaned


class CoursePageForm(_StandardForm):
    def clean(self):
        cleaned = super().clean()
        designated = [
            row
            for row in self._live_formset_rows("designated_credits")
            if row.get("credit_type") is not None and row.get("max_credits") is not None
        ]
        if self.instance.pk:
            from courses.selectors import designated_credit_lock_refusal

            # Checked on drafts too: a changed designation must not wait in a draft for an approval.
            refusal = designated_credit_lock_refusal(
                course_id=self.instance.pk,
                proposed={(row["credit_type"].pk, row["max_credits"]) for row in designated},
            )
            if refusal:
                self.add_error(None, refusal)
        if getattr(self, "is_deferred_validation", False):
            return cleaned
        from courses.models import ModulePage

        faculty = self._live_formset_values("faculty_links", "faculty_member")
        modules = (
            ModulePage.objects.child_of(self.instance).live()
            if self.instance.pk
            else ModulePage.objects.none()
        )
        minutes = [m or 0 for m in modules.values_list("estimated_minutes", flat=True)]
        self._report(
            course_problems(
                track=cleaned.get("track") or "",
                cme_credit_hours=cleaned.get("cme_credit_hours"),
                faculty=len(faculty),
                published_modules=len(minutes),
                designations=[
                    Designation(
                        credit_type=row["credit_type"].name,
                        max_credits=row["max_credits"],
                        minutes_per_credit=row["credit_type"].minutes_per_credit,
                        step=row["credit_type"].step,
                    )
                    for row in designated
                ],
                study_minutes=sum(minutes),
            )
        )
        if self.is_submitting:
            self._report(self._disclosure_problems(faculty))
        return cleaned
