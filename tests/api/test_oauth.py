"""OAuth2 for apps: authorization code with PKCE, client credentials, scopes, revocation, hashed storage."""

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from tests.api.conftest import authorization_code_token, bearer, client_credentials_token
from tests.courses.factories import CourseRunFactory, EnrolmentFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_mobile_app_acts_for_the_doctor_with_pkce(doctor):
    token = authorization_code_token(user=doctor, scope="learning certificates:read")
    me = Client().get("/api/v1/me", **bearer(token))
    assert me.status_code == 200
    assert me.json()["email"] == doctor.email
    assert me.json()["profile"]["registration_number"] == doctor.doctor_profile.registration_number
    run = CourseRunFactory()
    enrolled = Client().post(
        "/api/v1/enrolments", {"run_id": run.pk}, content_type="application/json", **bearer(token)
    )
    assert enrolled.status_code == 201  # a token needs no CSRF token: no cookie is involved
    assert Client().get("/api/v1/certificates", **bearer(token)).status_code == 200


def test_the_authorization_code_flow_refuses_a_client_without_pkce(doctor):
    from oauth2_provider.models import Application

    application = Application.objects.create(
        name="Old app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.org/callback",
    )
    browser = Client()
    browser.force_login(doctor)
    response = browser.get(
        "/o/authorize/",
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": "https://app.example.org/callback",
            "scope": "learning",
        },
    )
    assert response.status_code == 302
    assert "error=invalid_request" in response["Location"]


def test_a_token_without_the_operations_scope_is_403_insufficient_scope(doctor):
    token = authorization_code_token(user=doctor, scope="catalogue:read")
    assert Client().get("/api/v1/courses", **bearer(token)).status_code == 200
    response = Client().get("/api/v1/enrolments", **bearer(token))
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert "“learning” scope" in response.json()["detail"]


def test_client_credentials_read_the_catalogue_but_cannot_act_as_a_doctor():
    owner = UserFactory(is_staff=True)
    token = client_credentials_token(owner=owner, scope="catalogue:read learning")
    assert Client().get("/api/v1/courses", **bearer(token)).status_code == 200
    response = Client().get("/api/v1/enrolments", **bearer(token))
    assert response.status_code == 403
    assert "authorization code flow" in response.json()["detail"]


def test_a_revoked_or_unknown_token_is_401_not_a_visitor(doctor):
    token = authorization_code_token(user=doctor, scope="catalogue:read learning")
    AccessToken.objects.get().revoke()
    for sent in (token, "made-up"):
        response = Client().get("/api/v1/courses", **bearer(sent))
        assert response.status_code == 401
        assert Client().get("/api/v1/me", **bearer(sent)).status_code == 401


def test_tokens_are_stored_as_checksums_only(doctor):
    import hashlib

    token = authorization_code_token(user=doctor, scope="learning")
    stored = AccessToken.objects.get()
    assert stored.token == ""
    assert stored.token_checksum == hashlib.sha256(token.encode()).hexdigest()


def test_tokens_see_only_their_doctors_objects(doctor):
    theirs = EnrolmentFactory()
    token = authorization_code_token(user=doctor, scope="learning")
    assert Client().get(f"/api/v1/enrolments/{theirs.pk}", **bearer(token)).status_code == 404


def test_administrators_revoke_a_token_in_the_wagtail_admin(doctor):
    token = authorization_code_token(user=doctor, scope="learning")
    assert Client().get("/api/v1/me", **bearer(token)).status_code == 200
    admin = UserFactory(is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)
    listing = browser.get("/admin/snippets/oauth2_provider/accesstoken/")
    assert listing.status_code == 200
    assert "Academy mobile app" in listing.content.decode()
    stored = AccessToken.objects.get()
    delete = f"/admin/snippets/oauth2_provider/accesstoken/delete/{stored.pk}/"
    assert browser.get(delete).status_code == 200
    assert browser.post(delete).status_code == 302
    assert Client().get("/api/v1/me", **bearer(token)).status_code == 401
    assert browser.get("/admin/snippets/oauth2_provider/application/").status_code == 200


def test_an_integration_reads_run_reports_as_its_staff_owner_only_with_the_permission():
    from django.contrib.auth.models import Permission

    run = CourseRunFactory()
    owner = UserFactory(is_staff=True)
    token = client_credentials_token(owner=owner, scope="admin:reports")
    path = f"/api/v1/reports/runs/{run.pk}/certificates"
    refused = Client().get(path, **bearer(token))
    assert refused.status_code == 403 and "may not read certificate reports" in refused.json()["detail"]
    owner.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    body = Client().get(path, **bearer(token)).json()
    assert body["run_id"] == run.pk and body["completed_enrolments"] == 0
    learner_token = client_credentials_token(owner=owner, scope="catalogue:read")
    assert Client().get(path, **bearer(learner_token)).status_code == 403
