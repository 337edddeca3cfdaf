"""Bad input in an address or a form gets a clear refusal, never a 500, and changes nothing."""

import pytest

from tests.factories import learner

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/search/?q=%00",
    "/search/?q=" + "a" * 20_000,
    "/search/?q=pain&page=abc",
    "/search/?q=pain&page=-1",
    "/search/?q=pain&page=99999999999999999999",
    "/courses/?track=%00",
    "/courses/?track=" + "x" * 5_000,
    "/courses/?track=acute&page=%00",
    "/certificates/verify/?code=%00",
    "/certificates/verify/?serial=%00&registration_number=%00",
    "/certificates/verify/%00/",
    "/certificates/verify/" + "A" * 3_000 + "/",
    "/profile/?next=%00",
    "/accounts/login/?next=%00",
    "/quizzes/999999/",
    "/attempts/999999/",
    "/documents/999999/x.pdf",
    "/media/%00",
    "/courses/%00/",
    "/calendar/%00.ics",
    "/calendar/" + "a" * 3_000 + ".ics",
    "/calendar/courses/99999999999999999999.ics",
    "/notifications/unsubscribe/%00/",
    "/notifications/unsubscribe/" + "A" * 3_000 + "/",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_malformed_address_is_never_a_server_error(client, catalogue, address):
    client.force_login(learner())
    response = client.get(address)
    assert response.status_code < 500, response.status_code


def test_a_nul_character_in_the_query_string_is_a_400_with_the_academys_page(client, catalogue):
    response = client.get("/search/?q=%00")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The academy could not read that request" in page and "Nothing was changed" in page
    assert "script-src 'self'" in response["Content-Security-Policy"]  # the outer headers still apply


FORMS = [
    ("/accounts/login/", {"login": "a\x00@example.org", "password": "x"}),
    ("/accounts/signup/", {"email": "a\x00@example.org", "password1": "x", "password2": "x"}),
    ("/accounts/password/reset/", {"email": "\x00"}),
    ("/runs/999999/enrol/", {}),
    ("/modules/999999/complete/", {}),
    ("/profile/", {"full_name": "\x00", "council": "\x00"}),
    ("/profile/e-mail-preferences/", {"wanted": ["\x00"]}),
    ("/profile/calendar/", {"action": "\x00"}),
    ("/notifications/unsubscribe/%00/", {}),
]


@pytest.mark.parametrize(("path", "data"), FORMS)
def test_a_malformed_form_is_never_a_server_error(client, catalogue, path, data):
    client.force_login(learner())
    assert client.post(path, data).status_code < 500
