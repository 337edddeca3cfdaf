"""Fixtures for the REST API: signed-in clients, and OAuth2 applications and tokens made the way apps get them."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from oauth2_provider.models import Application

from tests.courses.factories import site_tree
from tests.factories import PASSWORD, learner


@pytest.fixture(autouse=True)
def _catalogue_root(db):
    site_tree()


@pytest.fixture
def doctor(db):
    return learner()


@pytest.fixture
def doctor_client(doctor):
    client = Client()
    client.force_login(doctor)
    return client


@pytest.fixture
def csrf_client(doctor):
    """A browser session that enforces CSRF, as a real browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(doctor)
    return client


def client_credentials_token(*, owner, scope: str) -> str:
    """Register a confidential application owned by ``owner`` and get a token as an integration would."""
    secret = secrets.token_urlsafe(32)
    application = Application.objects.create(
        name="Hospital integration",
        user=owner,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    response = Client().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{application.client_id}:{secret}".encode()).decode(),
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def authorization_code_token(*, user, scope: str) -> str:
    """A public (mobile) app's authorization code flow with PKCE S256, the doctor approving in the browser."""
    application = Application.objects.create(
        name="Academy mobile app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.org/callback",
        client_secret="",
    )
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    browser = Client()
    browser.force_login(user)
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": "https://app.example.org/callback",
        "scope": scope,
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    assert browser.get("/o/authorize/", params).status_code == 200
    approval = browser.post("/o/authorize/", {**params, "allow": "Authorize"})
    assert approval.status_code == 302, approval.content
    code = parse_qs(urlparse(approval["Location"]).query)["code"][0]
    response = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "https://app.example.org/callback",
            "client_id": application.client_id,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


__all__ = ["PASSWORD", "authorization_code_token", "bearer", "client_credentials_token"]
