"""Doctor accounts: sign-up with verification, throttled log-in, the profile and its return path."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from lms.models import DoctorProfile
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "  Dr   Meera   Iyer ",
    "council": "TNMC",
    "council_other": "",
    "registration_number": "tnmc 98765",
    "specialty": "anaesthesiology",
    "institution": "Government General Hospital",
    "city": "Chennai",
    "country": "IN",
}


def test_sign_up_sends_a_verification_mail_and_refuses_log_in_until_verified(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "Sciatica-Relief-2027",
            "password2": "Sciatica-Relief-2027",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "confirm-email" in mail.outbox[0].body
    client.logout()
    login = client.post("/accounts/login/", {"login": "new@example.org", "password": "Sciatica-Relief-2027"})
    assert "/accounts/confirm-email/" in login["Location"]
    assert not EmailAddress.objects.get(email="new@example.org").verified


def test_failed_log_ins_are_throttled(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    throttled = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert throttled.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Sign-in to this account is paused" in throttled.content.decode()


def test_a_new_doctor_is_sent_to_the_profile_after_log_in(client):
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"].startswith("/profile/")


def test_profile_is_saved_normalised_and_returns_to_where_the_doctor_was(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/profile/?next=/courses/some-course/", {**PROFILE, "next": "/courses/some-course/"}
    )
    assert response.status_code == 302 and response["Location"] == "/courses/some-course/"
    profile = DoctorProfile.objects.get(user=user)
    assert profile.full_name == "Dr Meera Iyer"
    assert profile.registration_number == "TNMC 98765"
    assert profile.is_complete


def test_profile_refuses_an_external_next_url(client):
    client.force_login(UserFactory())
    response = client.post("/profile/", {**PROFILE, "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("registration_number", "<script>", "Enter the registration number"),
        ("council_other", "", "Tell us the name of your council"),
        ("full_name", "", "This field is required"),
    ],
)
def test_malformed_profile_is_refused_and_nothing_is_saved(client, field, value, message):
    client.force_login(UserFactory())
    data = {**PROFILE, field: value}
    if field == "council_other":
        data["council"] = "INTL"
    response = client.post("/profile/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DoctorProfile.objects.exists()
