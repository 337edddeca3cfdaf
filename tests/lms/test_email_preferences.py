"""E-mail preferences on the profile, and one-click unsubscribe (RFC 8058) by a signed token."""

from __future__ import annotations

import datetime
import email

import pytest
from django.core import mail, signing
from django.test import override_settings
from django.urls import reverse

from lms.mail import (
    UNSUBSCRIBE_SALT,
    notification_message,
    unsubscribe_token,
    unsubscribe_token_read,
    unsubscribe_url,
)
from lms.models import NotificationKind, NotificationOptOut
from lms.selectors import notification_kinds_wanted, notification_wanted
from tests.factories import learner

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_every_kind_is_on_until_turned_off_on_the_profile(client):
    doctor = learner()
    client.force_login(doctor)
    page = client.get(reverse("profile"))
    html = page.content.decode()
    assert 'id="email-preferences"' in html
    for kind in NotificationKind:
        assert f'value="{kind.value}"' in html
    assert html.count("checked") >= len(NotificationKind.values)
    response = client.post(
        reverse("notification_preferences"), {"wanted": ["run_starting", "waitlist_offer"]}
    )
    assert response.status_code == 302 and response["Location"].endswith("#email-preferences")
    assert notification_kinds_wanted(user=doctor) == {"run_starting", "waitlist_offer"}
    assert not notification_wanted(user_id=doctor.pk, kind="inactive")
    # Ticking one back on removes only that opt-out.
    client.post(
        reverse("notification_preferences"), {"wanted": ["run_starting", "waitlist_offer", "inactive"]}
    )
    assert notification_kinds_wanted(user=doctor) == {"run_starting", "waitlist_offer", "inactive"}


def test_an_unknown_kind_changes_nothing(client):
    doctor = learner()
    client.force_login(doctor)
    response = client.post(
        reverse("notification_preferences"), {"wanted": ["run_starting", "newsletter"]}, follow=True
    )
    assert "could not be saved" in response.content.decode()
    assert NotificationOptOut.objects.count() == 0


def test_the_preferences_form_needs_a_signed_in_doctor(client):
    response = client.post(reverse("notification_preferences"), {"wanted": []})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert NotificationOptOut.objects.count() == 0


def test_get_shows_a_confirmation_and_changes_nothing(client):
    doctor = learner()
    response = client.get(path_of(unsubscribe_url(user_id=doctor.pk, kind="inactive")))
    html = response.content.decode()
    assert response.status_code == 200
    assert NotificationKind.INACTIVE.label in html
    assert '<button type="submit" class="btn btn-primary">Unsubscribe</button>' in html
    assert (
        '<form method="post" action="'
        + reverse(
            "notification_unsubscribe",
            args=[path_of(unsubscribe_url(user_id=doctor.pk, kind="inactive")).split("/")[-2]],
        ).rsplit("/", 2)[0]
        in html
    )
    assert notification_wanted(user_id=doctor.pk, kind="inactive")


def test_one_click_post_without_login_or_csrf_unsubscribes_that_kind_only():
    from django.test import Client

    doctor = learner()
    client = Client(enforce_csrf_checks=True)
    url = path_of(unsubscribe_url(user_id=doctor.pk, kind="run_closing"))
    # What a mail client sends for List-Unsubscribe-Post (RFC 8058 §3.1).
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert notification_kinds_wanted(user=doctor) == set(NotificationKind.values) - {"run_closing"}
    assert NotificationOptOut.objects.get(user=doctor).source == "unsubscribe"
    # Twice is harmless.
    assert client.post(url).status_code == 200
    assert NotificationOptOut.objects.filter(user=doctor).count() == 1


def test_a_forged_token_is_refused_and_changes_nothing(client):
    doctor = learner()
    forged = signing.dumps([doctor.pk, "inactive"], salt="some.other.salt", compress=False)
    tampered = unsubscribe_token(user_id=doctor.pk, kind="inactive").replace(":", ":x", 1)
    other_user = unsubscribe_token(user_id=doctor.pk, kind="inactive")
    payload, _, signature = other_user.partition(":")
    swapped = signing.dumps([doctor.pk + 1, "inactive"], salt=UNSUBSCRIBE_SALT, compress=False)
    swapped = swapped.split(":", 1)[0] + ":" + signature
    for token in (forged, tampered, swapped, "not-a-token"):
        url = reverse("notification_unsubscribe", args=[token])
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert "not valid" in response.content.decode()
    assert NotificationOptOut.objects.count() == 0


def test_an_expired_token_is_refused_and_changes_nothing(client):
    doctor = learner()
    url = path_of(unsubscribe_url(user_id=doctor.pk, kind="inactive"))
    with override_settings(LMS_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS=0):
        import time

        time.sleep(1.1)
        response = client.post(url)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert NotificationOptOut.objects.count() == 0


def test_notification_messages_carry_the_rfc_8058_headers():
    doctor = learner()
    message = notification_message(
        user_id=doctor.pk, email=doctor.email, kind="waitlist_offer", subject="A seat", body="Hello."
    )
    message.send()
    # Read back as a mail client would: the headers of the message on the wire.
    wire = email.message_from_bytes(mail.outbox[0].message().as_bytes())
    header = " ".join(wire["List-Unsubscribe"].split())
    assert header.startswith("<http") and header.endswith(">") and " " not in header
    assert wire["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url.startswith(
        unsubscribe_url(user_id=doctor.pk, kind="waitlist_offer").split("/notifications/")[0]
    )
    assert url in wire.get_payload(decode=True).decode()
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert unsubscribe_token_read(token=token).kind == "waitlist_offer"


def test_transactional_emails_carry_no_unsubscribe_header(client):
    """Password reset and e-mail confirmation (allauth) and the certificate issued (its own
    test below) are not suppressible: no List-Unsubscribe, whatever the preferences."""
    doctor = learner()
    NotificationOptOut.objects.bulk_create(
        [NotificationOptOut(user=doctor, kind=kind) for kind in NotificationKind.values]
    )
    client.post(reverse("account_reset_password"), {"email": doctor.email})
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].message().as_string()


def test_certificate_issued_email_is_sent_whatever_the_preferences(django_capture_on_commit_callbacks):
    from certificates.services import certificate_email_learner
    from tests.certificates.factories import issued_certificate

    certificate = issued_certificate()
    doctor = certificate.enrolment.learner
    NotificationOptOut.objects.bulk_create(
        [NotificationOptOut(user=doctor, kind=kind) for kind in NotificationKind.values]
    )
    mail.outbox.clear()
    from certificates.models import Certificate

    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)
    assert certificate_email_learner(certificate_id=certificate.pk)
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].message().as_string()


def test_token_names_one_doctor_and_one_kind():
    doctor = learner()
    token = unsubscribe_token(user_id=doctor.pk, kind="inactive")
    assert signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=datetime.timedelta(days=1)) == [
        doctor.pk,
        "inactive",
    ]


def test_a_waitlist_offer_is_a_notification_email():
    """It carries the one-click headers, and a doctor who turned these off gets none (the
    offer itself stands; it is on their dashboard)."""
    from courses.models import WaitlistEntry, WaitlistStatus
    from courses.services import enrolment_create, enrolment_withdraw
    from courses.waitlists import waitlist_join, waitlist_offer_email
    from tests.courses.factories import CourseRunFactory

    def offered_to(doctor):
        run = CourseRunFactory(capacity=1)
        taken = enrolment_create(learner=learner(), run=run)
        entry = waitlist_join(learner=doctor, run=run)
        enrolment_withdraw(enrolment=taken)
        entry = WaitlistEntry.objects.get(pk=entry.pk)
        assert entry.status == WaitlistStatus.OFFERED
        return entry

    wants, opted_out = learner(), learner()
    NotificationOptOut.objects.create(user=opted_out, kind="waitlist_offer")
    mail.outbox.clear()
    assert waitlist_offer_email(entry_id=offered_to(wants).pk) is True
    assert waitlist_offer_email(entry_id=offered_to(opted_out).pk) is False
    assert [m.to for m in mail.outbox] == [[wants.email]]
    wire = email.message_from_bytes(mail.outbox[0].message().as_bytes())
    assert wire["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = " ".join(wire["List-Unsubscribe"].split()).strip("<>").rstrip("/").rsplit("/", 1)[-1]
    assert unsubscribe_token_read(token=token).kind == "waitlist_offer"
