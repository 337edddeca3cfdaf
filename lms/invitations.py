"""Invitations: an account an administrator created for a doctor, who sets its password from an e-mail.

* :func:`doctor_invite` creates the account (no usable password) with what the
  administrator knew — e-mail, printed name, registration number — in a profile the
  doctor completes on first sign-in; an address already in use returns its account.
* :func:`doctors_invite` does the same for a hospital's list of doctors at once;
* :func:`invitation_send` e-mails the link (through allauth's adapter, in the academy's
  words: ``templates/account/email/invitation_*``), at most once per ``key``.
* :func:`invitation_accept` is what the link's page does: a valid token lets the doctor
  set their password, confirms their address (they received the e-mail) and the page
  signs them in and opens their profile.

The token is Django's password-reset token with a salt of its own
(:class:`InvitationTokenGenerator`): it is bound to the account's password hash and last
log-in, so it works once, and it expires after ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from lms.db import insert_or
from lms.models import DoctorProfile, User
from lms.outbox import email_claim, email_release

INVITATION_TASK = "lms.send_invitation"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "lms.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def invitation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{settings.LMS_BASE_URL}{reverse('invitation_accept', args=[uid, invitation_tokens.make_token(user)])}"


def doctor_invite(*, email: str, full_name: str, registration_number: str = "") -> tuple[User, bool]:
    """The account for ``email``, created (with an incomplete profile) if there was none.

    Returns ``(user, created)``. Safe against a racing creation of the same address (the
    unique e-mail constraint decides; the other account is returned).
    """
    from allauth.account.adapter import get_adapter

    email = email.strip()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing, False
    first, _, rest = full_name.partition(" ")
    username = get_adapter().generate_unique_username([full_name, email, "doctor"])
    user = User(username=username, email=email, first_name=first[:150], last_name=rest[:150])
    user.set_unusable_password()
    with transaction.atomic():
        created = insert_or(lambda: (user.save(), user)[1], on_conflict=lambda: None)
        if created is None:
            return User.objects.get(email__iexact=email), False
        DoctorProfile.objects.create(
            user=user, full_name=full_name[:150], registration_number=registration_number[:40]
        )
    return user, True


def _first_valid_username(adapter, candidates: list[str], taken: set[str]) -> str:
    """The first of allauth's candidates not ``taken`` that its adapter accepts (as allauth picks)."""
    from django.core.exceptions import ValidationError

    for candidate in candidates:
        if candidate.lower() in taken:
            continue
        try:
            return adapter.clean_username(candidate, shallow=True)
        except ValidationError:
            continue
    raise NotImplementedError("Unable to find a unique username")


def doctors_invite(people: list[tuple[str, str, str]]) -> list[tuple[User, bool]]:
    """:func:`doctor_invite` for many doctors at once — ``(email, full_name, registration_number)``
    each, distinct addresses — in a constant number of queries; ``[(user, created)]`` in order.

    Usernames are allauth's (its candidates for each doctor, checked against the database
    in one query and against each other). If another request creates one of the addresses
    or usernames meanwhile, the unique constraints refuse the batch's insert (rolled back
    to a savepoint) and each doctor goes through :func:`doctor_invite` instead.
    """
    from allauth.account.adapter import get_adapter
    from allauth.utils import _generate_unique_username_base, generate_username_candidates
    from django.db import IntegrityError
    from django.db.models.functions import Lower

    from lms.db import is_unique_violation

    people = [(email.strip(), full_name, number) for email, full_name, number in people]
    existing = {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=[email.lower() for email, _, _ in people]
        )
    }
    new = [person for person in people if person[0].lower() not in existing]
    adapter = get_adapter()
    candidates = [
        generate_username_candidates(_generate_unique_username_base([full_name, email, "doctor"]))
        for email, full_name, _ in new
    ]
    # One query for every candidate of every doctor, compared without regard to case as
    # allauth's own lookup does (its per-name OR would be thousands of terms here).
    wanted = {name.lower() for names in candidates for name in names}
    taken = (
        set(
            User.objects.annotate(username_lower=Lower("username"))
            .filter(username_lower__in=wanted)
            .values_list("username_lower", flat=True)
        )
        if wanted
        else set()
    )
    users = []
    for (email, full_name, _), names in zip(new, candidates, strict=True):
        username = _first_valid_username(adapter, names, taken)
        taken.add(username.lower())
        first, _, rest = full_name.partition(" ")
        user = User(
            username=username,
            email=email,
            first_name=first[:150],
            last_name=rest[:150],
        )
        user.set_unusable_password()
        users.append(user)
    try:
        with transaction.atomic():
            User.objects.bulk_create(users)
            DoctorProfile.objects.bulk_create(
                [
                    DoctorProfile(user=user, full_name=full_name[:150], registration_number=number[:40])
                    for user, (_, full_name, number) in zip(users, new, strict=True)
                ]
            )
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        return [
            doctor_invite(email=email, full_name=name, registration_number=number)
            for email, name, number in people
        ]
    created = {user.email.lower(): user for user in users}
    return [
        (existing[email.lower()], False) if email.lower() in existing else (created[email.lower()], True)
        for email, _, _ in people
    ]


def invitation_send(*, user_id: int, what: str, key: str) -> bool:
    """E-mail the doctor their invitation to ``what`` (a course and run), at most once per ``key``.

    Sends nothing to an account that has set a password since. Returns whether it sent.
    """
    from allauth.account.adapter import get_adapter

    user = User.objects.filter(pk=user_id).first()
    if user is None or user.has_usable_password():
        return False
    if not email_claim(key=key):
        return False
    try:
        get_adapter().send_mail_outside_request(
            "account/email/invitation",
            user.email,
            {
                "user": user,
                "what": what,
                "invitation_url": invitation_url(user),
                "full_name": user.get_full_name(),
            },
        )
    except Exception:
        email_release(key=key)
        raise
    return True


def invitation_user(*, uidb64: str, token: str) -> User | None:
    """The invited account the link names, if its token is valid (unused, not expired)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not invitation_tokens.check_token(user, token):
        return None
    return user


def invitation_accept(*, user: User, password: str) -> User:
    """Set the invited doctor's password and confirm their address (the invitation reached it)."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        if not address.verified:
            EmailAddress.objects.filter(pk=address.pk).update(verified=True)
    return user
