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
