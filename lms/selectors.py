"""Reads for accounts."""

import re

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


# --- E-mail preferences and calendar feeds ---------------------------------------------------


def notification_wanted(*, user_id: int, kind: str) -> bool:
    """Whether the doctor still wants e-mails of ``kind`` (every kind is on until they turn it off)."""
    from lms.models import NotificationOptOut

    return not NotificationOptOut.objects.filter(user_id=user_id, kind=kind).exists()


def users_opted_out(*, kind: str):
    """The ids of the users who turned ``kind`` off, as a query to exclude in SQL (``learner__in=``)."""
    from lms.models import NotificationOptOut

    return NotificationOptOut.objects.filter(kind=kind).values("user")


def notification_kinds_wanted(*, user: User) -> set[str]:
    """The kinds the doctor receives (for the preferences form)."""
    from lms.models import NotificationKind, NotificationOptOut

    off = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return set(NotificationKind.values) - off


def calendar_feed_user(*, token: str) -> User | None:
    """The doctor whose private calendar feed ``token`` opens, or ``None`` (wrong or revoked)."""
    from lms.models import CalendarFeed

    # secrets.token_urlsafe's alphabet only: anything else (a NUL byte, a slash) is no token.
    if not token or len(token) > 64 or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return feed.user if feed is not None else None


def calendar_feed_of(*, user: User):
    """The doctor's :class:`~lms.models.CalendarFeed`, or ``None`` if they have none (or revoked it)."""
    from lms.models import CalendarFeed

    return CalendarFeed.objects.filter(user=user).first()
