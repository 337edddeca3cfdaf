"""Writes for accounts: the doctor's profile, and deleting an account.

Deleting an account anonymises it (:func:`account_anonymise`): accreditors require the
participation record — enrolments, attempts, evaluations, claims, transcript lines,
certificates — to be kept and verifiable for six years, so the user row stays as the
anchor of that record (every foreign key from it is ``PROTECT``) while everything that
identifies the person, or lets anyone sign in as them, is erased.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from lms.exceptions import DomainError
from lms.models import DoctorProfile, User
from lms.signals import account_anonymised, account_deletion_checks

ANONYMISED_EMAIL_DOMAIN = "deleted.invalid"

# What lets anyone act as the person, or belongs to them alone (not to the record):
# deleted with the account. Refresh tokens go before the access tokens they point at.
SIGN_IN_AND_PERSONAL_ROWS = (
    "oauth2_provider.RefreshToken",
    "oauth2_provider.AccessToken",
    "oauth2_provider.IDToken",
    "oauth2_provider.Grant",
    "oauth2_provider.DeviceGrant",
    "wagtailcore.APIToken",
    "wagtailcore.PageSubscription",
    "wagtailadmin.EditingSession",
    "wagtailadmin.FormState",
    "lms.CalendarFeed",  # its secret address would still serve the person's course dates
    "lms.NotificationOptOut",
)


class AccountDeletionError(DomainError):
    """Deleting an account was refused (wrong password, already deleted, another app's reason).

    ``field`` names the form field at fault, when one is (``"password"``).
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


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


def account_is_anonymised(user) -> bool:
    return user.email.endswith(f"@{ANONYMISED_EMAIL_DOMAIN}") and not user.is_active


def _sessions_delete(user_id: int) -> int:
    """Sign the account out everywhere: delete every stored session that belongs to it.

    Sessions store the user's id inside their encoded data, so each live one is decoded;
    deleting through the session store clears the cache copy too (``cached_db``).
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    deleted = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            store(session_key=session.session_key).delete()
            deleted += 1
    return deleted


def account_anonymise(*, user, by) -> User:
    """Delete ``user``'s account by anonymising it, keeping their participation record.

    Erased: the name, e-mail address and username (replaced by ``deleted-<id>``), the
    password (unusable), staff rights, groups and permissions, the doctor's profile,
    allauth's e-mail addresses, every session (signed out everywhere), OAuth2 tokens and
    grants, the Wagtail admin profile, and — through :data:`lms.signals.account_anonymised`
    — what other apps keep beyond the record (``courses``: the evidence files of external
    credits; ``api``: stored API responses). Kept: enrolments, attempts, evaluations, credit
    claims and transcript lines, external credits' entries, and certificates, which print
    their own snapshot of the holder and stay verifiable. One transaction; an entry in
    Wagtail's audit log names who did it (``by``: the person themself or an administrator).

    Raises :class:`AccountDeletionError` for an account already anonymised, or one another
    app cannot let go of yet (:data:`lms.signals.account_deletion_checks`).
    """
    from allauth.account.models import EmailAddress
    from django.apps import apps
    from wagtail.users.models import UserProfile

    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if account_is_anonymised(user):
            raise AccountDeletionError("This account has already been deleted.")
        for _, reason in account_deletion_checks.send(sender=get_user_model(), user=user):
            if reason:
                raise AccountDeletionError(reason)
        by_self = by is not None and by.pk == user.pk
        user.username = f"deleted-{user.pk}"
        user.email = f"deleted-{user.pk}@{ANONYMISED_EMAIL_DOMAIN}"
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        DoctorProfile.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        for label in SIGN_IN_AND_PERSONAL_ROWS:
            apps.get_model(label).objects.filter(user=user).delete()
        avatars = [p.avatar.name for p in UserProfile.objects.filter(user=user) if p.avatar]
        UserProfile.objects.filter(user=user).delete()
        account_anonymised.send(sender=get_user_model(), user=user)
        log(
            instance=user,
            action="lms.account_anonymise",
            user=None if by_self else by,
            data={"by": "the account holder" if by_self else "an administrator", "account": user.pk},
        )

        def delete_files():
            from wagtail.users.models import UserProfile as Profile

            storage = Profile._meta.get_field("avatar").storage
            for name in avatars:
                storage.delete(name)

        transaction.on_commit(delete_files)
        transaction.on_commit(lambda: _sessions_delete(user.pk))
    return user


def account_delete_own(*, user, password: str) -> User:
    """A doctor deletes their own account, confirming it with their password.

    Raises :class:`AccountDeletionError` (and changes nothing) when the password is not
    the account's own; otherwise :func:`account_anonymise`.
    """
    if not password or not user.check_password(password):
        raise AccountDeletionError(
            "That is not your password. Your account has not been deleted.", field="password"
        )
    return account_anonymise(user=user, by=user)


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
