"""Who signs the academy's credentials: its keys (from settings), its ``did:web`` and its status list's address."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import reverse

from certificates import credentials
from certificates.exceptions import CertificateError

STATUS_PURPOSE = "revocation"


@lru_cache(maxsize=4)
def _keys_for(text: str) -> tuple[credentials.SigningKey, ...]:
    keys = credentials.parse_keys(text)
    if not keys:
        raise CertificateError("No credential signing key is configured (DJANGO_CREDENTIAL_KEYS).")
    return tuple(keys)


def credential_keys() -> tuple[credentials.SigningKey, ...]:
    """The configured Ed25519 keys (settings, never the database); the last one signs."""
    return _keys_for(settings.LMS_CREDENTIAL_KEYS)


def issuer_did() -> str:
    return credentials.did_web(settings.LMS_BASE_URL)


def issuer_did_document() -> dict:
    """The DID document served at ``/.well-known/did.json``: every configured key."""
    return credentials.did_document(did=issuer_did(), keys=list(credential_keys()))


def status_list_url(purpose: str = STATUS_PURPOSE) -> str:
    return f"{settings.LMS_BASE_URL}{reverse('credential_status_list', args=[purpose])}"
