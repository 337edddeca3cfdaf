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


def user_for_email(*, email: str) -> User | None:
    """The account using ``email`` (compared without regard to letter case), or ``None``."""
    return User.objects.filter(email__iexact=email.strip()).first()


def doctor_profile_is_complete(*, user: User) -> bool:
    """Whether ``user`` has filled in everything a certificate needs."""
    profile = doctor_profile_for(user=user)
    return profile is not None and profile.is_complete


ACADEMY_SETTINGS_CACHE_KEY = "lms:academy-settings"


def academy_settings():
    """The academy's contact details, cached (saving them in the admin clears the cache)."""
    from django.core.cache import cache

    from lms.models import AcademySettings

    value = cache.get(ACADEMY_SETTINGS_CACHE_KEY)
    if value is None:
        value = AcademySettings.load()
        cache.set(ACADEMY_SETTINGS_CACHE_KEY, value, timeout=3600)
    return value
