"""Forms for the doctor's own account pages, and the account field other apps' admin forms use."""

from allauth.account.forms import SignupForm
from django import forms

from lms.models import DoctorProfile, MedicalCouncil, NotificationKind
from lms.selectors import user_for_email


class AccountByEmailField(forms.EmailField):
    """An e-mail address whose cleaned value is the account that uses it (any letter case).

    Administrators' screens (enrol a learner, issue a certificate by hand) name a learner by
    e-mail; an address no account uses is refused with a message, never guessed at.
    """

    default_error_messages = {"unknown_account": "No account uses this e-mail address."}

    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        user = user_for_email(email=email)
        if user is None:
            raise forms.ValidationError(self.error_messages["unknown_account"], code="unknown_account")
        return user


class DoctorProfileForm(forms.ModelForm):
    class Meta:
        model = DoctorProfile
        fields = [
            "full_name",
            "council",
            "council_other",
            "registration_number",
            "specialty",
            "institution",
            "city",
            "country",
        ]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "institution": forms.TextInput(attrs={"autocomplete": "organization"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 3:
            raise forms.ValidationError("Enter your full name as it should be printed.")
        return name

    def clean_registration_number(self) -> str:
        return " ".join(self.cleaned_data["registration_number"].split()).upper()

    def clean(self):
        cleaned = super().clean()
        council = cleaned.get("council")
        if (
            council in (MedicalCouncil.OTHER_STATE, MedicalCouncil.OUTSIDE_INDIA)
            and not cleaned.get("council_other", "").strip()
        ):
            self.add_error("council_other", "Tell us the name of your council or regulator.")
        if council not in (MedicalCouncil.OTHER_STATE, MedicalCouncil.OUTSIDE_INDIA):
            cleaned["council_other"] = ""
        return cleaned


class AccountDeleteForm(forms.Form):
    """A doctor confirms deleting their own account: their password, and that they understand."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type the password you sign in with, to confirm it is you.",
    )
    understood = forms.BooleanField(
        label="I understand that I can no longer sign in, and that my course records and certificates are kept.",
        error_messages={
            "required": "Tick the box to confirm you understand what deleting your account does."
        },
    )


class AcademySignupForm(SignupForm):
    """allauth's sign-up form, keeping the typed passwords when only another field (an
    address already registered, say) was refused, so the doctor need not type them again.
    A refused password is cleared, as before."""

    def full_clean(self):
        super().full_clean()
        keep = not any(name in self.errors for name in ("password1", "password2"))
        for name in ("password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.render_value = keep


class NotificationPreferencesForm(forms.Form):
    """Which notification e-mails the doctor receives; unticked kinds are turned off."""

    wanted = forms.MultipleChoiceField(
        label="Send me an e-mail when",
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "E-mails about your account and your certificates being issued are always sent: "
            "confirming your address, resetting your password, a certificate issued to you."
        ),
    )
