"""Security headers on every response, and what the limiters do when Redis is away."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, str]:
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip())


@pytest.mark.parametrize(
    "path", ["/", "/courses/", "/accounts/login/", "/accounts/signup/", "/certificates/verify/"]
)
def test_public_pages_send_the_strict_policy(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert policy["frame-src"] == "https://www.youtube.com https://player.vimeo.com"
    assert policy["report-uri"] == "/csp-report/"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert 'fullscreen=(self "https://www.youtube.com" "https://player.vimeo.com")' in permissions


def test_error_pages_send_it_too(client, catalogue):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_admin_has_its_own_policy_and_nothing_else_does(client, catalogue):
    admin = _directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert admin["script-src"] == "'self' 'unsafe-inline'" and admin["style-src"] == "'self' 'unsafe-inline'"
    assert admin["frame-ancestors"] == "'self'" and admin["object-src"] == "'none'"
    # A public path that merely starts like the admin's does not get it.
    assert "'unsafe-inline'" not in client.get("/administration/")["Content-Security-Policy"]


def test_a_view_with_its_own_policy_keeps_it(client, catalogue):
    """Served images (lms.views.media_file) are sandboxed, never scripted."""
    response = client.get(reverse("csp_report"))  # GET: refused, but still headed
    assert response.status_code == 405
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- Degrade, don't fail ------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    """The cache (as configured) points at a port nothing listens on: every call fails at once."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}


def test_serial_look_ups_still_answer_when_redis_is_down(client, redis_down):
    response = client.get(
        "/certificates/verify/", {"serial": "PA-2027-000001", "registration_number": "KMC-1"}
    )
    assert response.status_code == 200
    assert "No certificate matches" in response.content.decode()


def test_pages_and_log_in_still_work_when_redis_is_down(client, catalogue, redis_down):
    from tests.factories import PASSWORD, UserFactory

    assert client.get("/").status_code == 200  # the footer's academy settings come from the database
    doctor = UserFactory()
    response = client.post("/accounts/login/", {"login": doctor.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
