"""allauth's pages and e-mails speak the academy's words, not the library's."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.factories import learner

pytestmark = pytest.mark.django_db

PASSWORD = "Sciatica-Relief-2027"


def sign_up(client, email="new.doctor@example.org", password=PASSWORD, again=PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": again}, follow=True
    )


def test_sign_up_page_and_confirmation_e_mail_name_the_academy_not_the_host(client, settings):
    page = client.get("/accounts/signup/").content.decode()
    assert "Create your account" in page and "Create account" in page
    assert "Signup" not in page and "Sign Up" not in page

    response = sign_up(client)
    assert "Check your e-mail" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (
        message.subject
        == f"[{settings.LMS_ACADEMY_NAME}] Welcome: confirm your e-mail address to finish signing up"
    )
    assert f"Thank you for creating an account with the {settings.LMS_ACADEMY_NAME}." in message.body
    assert settings.LMS_BASE_URL in message.body
    for library_words in ("Hello from", "has given your email address", "user ", "Thank you for using"):
        assert library_words not in message.body, library_words
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", message.body)


def test_a_used_confirmation_link_says_so_in_plain_words(client):
    sign_up(client)
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="new.doctor@example.org").verified
    page = client.get(link).content.decode()
    assert "This confirmation link has already been used, or it is too old." in page
    assert "expired or invalid" not in page


def test_the_passwords_stay_typed_when_only_the_address_was_refused(client):
    page = sign_up(client, email="not an address").content.decode()
    assert page.count(f'value="{PASSWORD}"') == 2
    # A refused password is not sent back.
    page = sign_up(client, email="another.doctor@example.org", again="Something-Else-2027").content.decode()
    assert PASSWORD not in page


def test_the_password_reset_e_mail_is_the_academys(client, settings):
    doctor = learner()
    EmailAddress.objects.update_or_create(
        user=doctor, email=doctor.email, defaults={"verified": True, "primary": True}
    )
    client.post("/accounts/password/reset/", {"email": doctor.email})
    message = mail.outbox[-1]
    assert message.subject == f"[{settings.LMS_ACADEMY_NAME}] Choose a new password"
    assert "Hello from" not in message.body and f"The {settings.LMS_ACADEMY_NAME}" in message.body
