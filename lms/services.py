"""Writes for accounts: the doctor's profile."""

from django.db import transaction

from lms.models import DoctorProfile, User


def doctor_profile_save(*, user: User, **fields) -> DoctorProfile:
    """Create or update ``user``'s profile with already validated ``fields``.

    The printed name is also kept in ``User.first_name``/``last_name`` loosely (first
    word / rest) so the Wagtail admin lists learners by a readable name.
    """
    with transaction.atomic():
        profile, _ = DoctorProfile.objects.select_for_update().get_or_create(user=user, defaults=fields)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.full_clean()
        profile.save()
        first, _, rest = profile.full_name.partition(" ")
        User.objects.filter(pk=user.pk).update(first_name=first[:150], last_name=rest[:150])
    return profile


def user_sync_staff_flag(*, user: User) -> User:
    """Mark ``user`` as staff exactly when they hold an admin role (or are a superuser).

    Learners never hold one, which lets page views tell staff from learners without a
    permission query.
    """
    from django.contrib.auth.models import Permission

    has_role = (
        user.is_superuser
        or Permission.objects.filter(
            group__user=user, content_type__app_label="wagtailadmin", codename="access_admin"
        ).exists()
    )
    if user.is_staff != has_role:
        User.objects.filter(pk=user.pk).update(is_staff=has_role)
        user.is_staff = has_role
    return user


# --- E-mail preferences and calendar feeds ---------------------------------------------------


def notification_preferences_save(*, user: User, wanted: set[str]) -> None:
    """Turn off every notification kind not in ``wanted`` and on every kind in it, for ``user``."""
    from lms.models import NotificationKind, NotificationOptOut

    unknown = set(wanted) - set(NotificationKind.values)
    if unknown:
        raise ValueError(f"Unknown notification kinds: {sorted(unknown)}")
    off = set(NotificationKind.values) - set(wanted)
    with transaction.atomic():
        NotificationOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
        NotificationOptOut.objects.bulk_create(
            [NotificationOptOut(user=user, kind=kind) for kind in sorted(off)], ignore_conflicts=True
        )


def notification_unsubscribe(*, user_id: int, kind: str) -> bool:
    """Turn ``kind`` off for the user ``user_id`` (idempotent). ``False`` if there is no such user."""
    from lms.models import NotificationOptOut

    if not User.objects.filter(pk=user_id).exists():
        return False
    NotificationOptOut.objects.bulk_create(
        [NotificationOptOut(user_id=user_id, kind=kind, source="unsubscribe")], ignore_conflicts=True
    )
    return True


def calendar_feed_regenerate(*, user: User):
    """Give ``user`` a new secret calendar address; the previous one (if any) stops working at once."""
    import secrets

    from lms.models import CalendarFeed

    with transaction.atomic():
        feed, _ = CalendarFeed.objects.select_for_update().get_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(32)}
        )
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])
    return feed


def calendar_feed_revoke(*, user: User) -> None:
    """Turn the doctor's private calendar feed off: its address answers 404 from now on."""
    from lms.models import CalendarFeed

    CalendarFeed.objects.filter(user=user).delete()
