"""Notification e-mails a doctor may turn off: one-click unsubscribe (RFC 8058) and preferences.

Every e-mail of a :class:`~lms.models.NotificationKind` is built by
:func:`notification_message`, which

* refuses nothing itself — callers ask :func:`lms.selectors.notification_wanted` (or
  exclude :func:`lms.selectors.users_opted_out` in SQL) before sending;
* adds a link to ``/notifications/unsubscribe/<token>/`` at the foot of the text, and the
  ``List-Unsubscribe`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` headers
  of RFC 8058 with the same address, so a mail client's "Unsubscribe" button works
  without the doctor signing in.

The token is Django's signing of ``(user id, kind)`` with a salt of its own and a
timestamp: it cannot be forged without the secret key, it names exactly one kind for
one doctor, and it expires after ``LMS_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS`` (long enough for
an old e-mail's link to keep working for months, as RFC 8058 expects).

Transactional e-mails (e-mail confirmation, password reset, certificate issued) never go
through here: they carry no unsubscribe link or header and cannot be turned off.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse

from lms.models import NotificationKind

UNSUBSCRIBE_SALT = "lms.notifications.unsubscribe"


class UnsubscribeTokenError(Exception):
    """The token is forged, damaged, expired, or names a kind that does not exist."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    kind: str

    @property
    def kind_label(self) -> str:
        return NotificationKind(self.kind).label


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed, timestamped token that unsubscribes ``user_id`` from ``kind`` (and nothing else)."""
    NotificationKind(kind)  # a kind that does not exist is a programming error
    return signing.dumps([user_id, kind], salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_token_read(*, token: str) -> UnsubscribeRequest:
    """What ``token`` asks for. Raises :class:`UnsubscribeTokenError` with a message a person can read."""
    max_age = datetime.timedelta(days=settings.LMS_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS)
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise UnsubscribeTokenError(
            "This unsubscribe link has expired. Sign in and change your e-mail preferences on your profile."
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise UnsubscribeTokenError(
            "This unsubscribe link is not valid (it may have been cut short when it was copied). "
            "Sign in and change your e-mail preferences on your profile."
        ) from None
    if not isinstance(user_id, int) or kind not in NotificationKind.values:
        raise UnsubscribeTokenError("This unsubscribe link is not valid.")
    return UnsubscribeRequest(user_id=user_id, kind=kind)


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    """The absolute address a doctor (or their mail client, by POST) uses to turn ``kind`` off."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return f"{settings.LMS_BASE_URL}{reverse('notification_unsubscribe', args=[token])}"


def notification_message(
    *, user_id: int, email: str, kind: str, subject: str, body: str, connection=None
) -> EmailMessage:
    """The e-mail of ``kind`` to one doctor, with its unsubscribe link and RFC 8058 headers."""
    url = unsubscribe_url(user_id=user_id, kind=kind)
    label = NotificationKind(kind).label
    footer = (
        f"\n\n--\nYou receive this because of your e-mail preferences (“{label}”).\n"
        f"Stop these e-mails: {url}\n"
        f"Change all your preferences: {settings.LMS_BASE_URL}{reverse('profile')}#email-preferences\n"
    )
    return EmailMessage(
        subject=subject,
        body=body.rstrip() + footer,
        to=[email],
        connection=connection,
        headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
