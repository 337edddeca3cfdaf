"""Reads for accounts."""

from lms.models import DoctorProfile, User


def doctor_profile_for(*, user: User) -> DoctorProfile | None:
    """The user's profile, or ``None`` if they have not started one."""
    if not user.is_authenticated:
        return None
    try:
        return user.doctor_profile
    except DoctorProfile.DoesNotExist:
        return None


def doctor_profile_is_complete(*, user: User) -> bool:
    """Whether ``user`` has filled in everything a certificate needs."""
    profile = doctor_profile_for(user=user)
    return profile is not None and profile.is_complete
