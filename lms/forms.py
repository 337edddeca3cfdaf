"""Forms for the doctor's own account pages."""

from django import forms

from lms.models import DoctorProfile, MedicalCouncil


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
