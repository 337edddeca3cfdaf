"""Writes for accounts: the doctor's profile."""

from django.db import transaction

from lms.models import DoctorProfile, User


def doctor_profile_save(*, user: User, **fields) -> DoctorProfile:
    """Create or update ``user``'s profile with already validated ``fields``.

    The printed name is also kept in ``User.first_name``/``last_name`` loosely (first
    word / rest) so the Wagtail admin lists learners by a readable name.
    """
    with transaction.atomic():
        profile, _ = DoctorProfile.objects.select_for_update().get_or_create(
            user=user, defaults=fields
        )
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.full_clean()
        profile.save()
        first, _, rest = profile.full_name.partition(" ")
        User.objects.filter(pk=user.pk).update(first_name=first[:150], last_name=rest[:150])
    return profile
