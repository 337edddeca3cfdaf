"""Forms for verifying certificates (public) and for administrators' certificate actions."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from certificates.codes import normalise_code, normalise_serial
from certificates.models import RevocationReason
from courses.api import enrolment_of, runs_for_choice
from lms.forms import AccountByEmailField


class VerifyForm(forms.Form):
    """A verification code, or a serial together with the holder's registration number."""

    code = forms.CharField(
        label="Verification code",
        required=False,
        max_length=80,
        help_text="The 32-character code printed beside the QR code, e.g. ABCD EFGH … (spaces and case do not matter).",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    serial = forms.CharField(
        label="Serial number",
        required=False,
        max_length=40,
        help_text="As printed on the certificate, e.g. PA-2027-000123.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    registration_number = forms.CharField(
        label="Holder's medical registration number",
        required=False,
        max_length=40,
        help_text="Needed with a serial number.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        code, serial, number = (cleaned.get(k, "").strip() for k in ("code", "serial", "registration_number"))
        if code:
            if normalise_code(code) is None:
                self.add_error("code", "A verification code has 32 letters and digits (A–Z, 2–7).")
        elif serial or number:
            if not serial:
                self.add_error("serial", "Enter the serial number printed on the certificate.")
            elif normalise_serial(serial) is None:
                self.add_error("serial", "A serial number looks like PA-2027-000123.")
            if not number:
                self.add_error(
                    "registration_number", "Enter the holder's registration number with the serial number."
                )
        else:
            raise forms.ValidationError(
                "Enter a verification code, or a serial number with the holder's registration number."
            )
        return cleaned


class _LearnerRunForm(forms.Form):
    learner_email = AccountByEmailField(label="Learner's e-mail address")
    run = forms.ModelChoiceField(queryset=runs_for_choice())

    def clean(self):
        cleaned = super().clean()
        learner, run = cleaned.get("learner_email"), cleaned.get("run")
        if learner is not None and run is not None:
            enrolment = enrolment_of(learner=learner, run=run)
            if enrolment is None:
                raise forms.ValidationError(f"{learner.display_name} is not enrolled in {run}.")
            cleaned["enrolment"] = enrolment
        return cleaned


class IssueManuallyForm(_LearnerRunForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the certificate is issued by hand, e.g. “Completed the course in person on 12 March”. Kept in the audit log.",
    )


class RevokeForm(forms.Form):
    category = forms.ChoiceField(label="Reason", choices=[("", "---------"), *RevocationReason.choices])
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the audit log only; verifiers see the reason above, not this note.",
    )


class ReissueForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. “Name corrected at the learner's request”. Kept in the audit log.",
    )


class BulkIssueForm(forms.Form):
    run = forms.ModelChoiceField(queryset=runs_for_choice())


class SignatoryAdminForm(WagtailAdminModelForm):
    """A signatory's signature must be an image of the "Certificate signatures" collection,
    the one only academy administrators may change — never an image authors can replace."""

    def clean_signature(self):
        from certificates.selectors import signatures_collection

        image = self.cleaned_data.get("signature")
        collection = signatures_collection()
        if image is not None and (collection is None or image.collection_id != collection.pk):
            raise forms.ValidationError(
                "Choose a signature from the “Certificate signatures” collection: only academy "
                "administrators can change the images there, so nobody else can replace it."
            )
        return image


class TranscriptWindowForm(forms.Form):
    """The start of the renewal window the transcript totals over (empty: the cycle ending today)."""

    start = forms.DateField(
        label="Renewal cycle starting on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for each credit type's cycle ending today.",
    )
