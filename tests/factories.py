"""Factories for accounts (shared by every app's tests)."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from lms.models import DoctorProfile, MedicalCouncil, Specialty

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"doctor{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class DoctorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoctorProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Dr Asha Menon {n}")
    council = MedicalCouncil.KARNATAKA
    registration_number = factory.Sequence(lambda n: f"KMC-{40000 + n}")
    specialty = Specialty.ANAESTHESIOLOGY
    institution = "IPSC Pain and Spine Hospital"
    city = "Bengaluru"
    country = "IN"


def learner(**kwargs):
    """A user with a complete doctor's profile."""
    return DoctorProfileFactory(**kwargs).user
