"""Open Badges 3.0 credentials beside each PDF: what they say, their proof checked independently,
one-byte tampering, the Bitstring Status List read as a standard verifier reads it, key rotation."""

import base64
import gzip
import hashlib
import json

import pytest
from django.test import Client, override_settings

from certificates import credentials
from certificates.models import BadgeCredential
from certificates.services import certificate_reissue, certificate_revoke
from tests.certificates import ed25519_reference
from tests.certificates.factories import issued_certificate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58decode(text: str) -> bytes:
    # Written again here, so a bug in the signer's encoder cannot hide itself.
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def independent_verify(document: dict, did_doc: dict) -> bool:
    """eddsa-rdfc-2022 as its specification states it, with the reference Ed25519 verifier above."""
    proof = dict(document["proof"])
    value = proof.pop("proofValue")
    method = next(m for m in did_doc["verificationMethod"] if m["id"] == proof["verificationMethod"])
    public = _b58decode(method["publicKeyMultibase"][1:])
    assert public[:2] == b"\xed\x01"
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {**proof, "@context": document["@context"]}
    message = (
        hashlib.sha256(credentials.canonical_nquads(options).encode()).digest()
        + hashlib.sha256(credentials.canonical_nquads(unsecured).encode()).digest()
    )
    return ed25519_reference.verify(public[2:], message, _b58decode(value[1:]))


def _did_document():
    return Client().get("/.well-known/did.json").json()


def _status_bit(document: dict) -> bool:
    """What a standard verifier does: fetch the list, decode it, read bit *index* from the left."""
    entry = document["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    path = entry["statusListCredential"].split("://", 1)[1].split("/", 1)[1]
    status_list = Client().get("/" + path).json()
    assert independent_verify(status_list, _did_document())
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072
    index = int(entry["statusListIndex"])
    return bool((bits[index // 8] >> (7 - index % 8)) & 1)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)


def _issued(media=None, **kwargs):
    certificate = issued_certificate(**kwargs)
    stored = BadgeCredential.objects.get(certificate=certificate)
    return certificate, stored, json.loads(stored.document)


def test_each_issued_certificate_has_a_signed_open_badge_beside_it(media):
    certificate, stored, document = _issued()
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert document["issuer"]["id"] == "did:web:" + _did_document()["id"].removeprefix("did:web:")
    subject = document["credentialSubject"]
    assert subject["name"] == certificate.holder_name
    achievement = subject["achievement"]
    assert achievement["name"] == certificate.course_title
    assert achievement["creditsAvailable"] == float(certificate.cme_credit_hours)
    assert "narrative" in achievement["criteria"]
    (identity,) = subject["identifier"]
    email = certificate.enrolment.learner.email
    assert email not in stored.document
    assert (
        identity["identityHash"]
        == "sha256$" + hashlib.sha256((email + identity["salt"]).encode()).hexdigest()
    )
    assert stored.sha256 == hashlib.sha256(stored.document.encode()).hexdigest()
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert independent_verify(document, _did_document())
    assert credentials.verify(document, did_doc=_did_document()).endswith("#test-key-1")


def test_any_one_byte_tamper_is_detected(media):
    _, stored, document = _issued()
    raw = stored.document.encode()
    did_doc = _did_document()
    positions = range(0, len(raw), max(1, len(raw) // 150))
    for position in positions:
        tampered = bytearray(raw)
        tampered[position] ^= 0x01
        try:
            accepted = credentials.verify(json.loads(tampered.decode()), did_doc=did_doc)
        except (ValueError, credentials.CredentialError, KeyError, TypeError, AttributeError):
            accepted = False
        assert not accepted, f"a flip at byte {position} ({raw[position : position + 20]!r}) went unnoticed"


def test_revoking_sets_exactly_its_bit_and_re_signs_the_list(media):
    certificate, stored, document = _issued()
    _, other_stored, other = _issued()
    assert stored.status_index != other_stored.status_index
    assert _status_bit(document) is False
    certificate_revoke(certificate=certificate, by=UserFactory(is_superuser=True), category="issued_in_error")
    assert _status_bit(document) is True
    assert _status_bit(other) is False  # a byte-per-index list would get neighbours wrong
    page = Client().get(f"/certificates/verify/{certificate.verification_code}/").content.decode()
    assert "Marked revoked" in page and "Valid — Signed by" in page


def test_a_reissue_gets_a_new_credential_and_index_and_the_old_bit_is_set(media):
    certificate, stored, document = _issued()
    from certificates.services import certificate_render

    new = certificate_reissue(
        certificate=certificate, by=UserFactory(is_superuser=True), reason="Name corrected"
    )
    new = certificate_render(certificate_id=new.pk)
    replacement = BadgeCredential.objects.get(certificate=new)
    assert replacement.status_index != stored.status_index
    assert _status_bit(document) is True
    assert _status_bit(json.loads(replacement.document)) is False


def test_old_credentials_keep_verifying_after_a_new_key_is_added(media, settings):
    _, _, old = _issued()
    settings.LMS_CREDENTIAL_KEYS = settings.LMS_CREDENTIAL_KEYS + "," + credentials.new_key_entry("key-2")
    _, _, new = _issued()
    did_doc = _did_document()
    assert [m["id"].rsplit("#", 1)[1] for m in did_doc["verificationMethod"]] == ["test-key-1", "key-2"]
    assert new["proof"]["verificationMethod"].endswith("#key-2")
    assert independent_verify(old, did_doc) and independent_verify(new, did_doc)


def test_the_holder_downloads_the_credential_and_nobody_else_does(media):
    certificate, stored, _ = _issued()
    holder = Client()
    holder.force_login(certificate.enrolment.learner)
    response = holder.get(f"/certificates/{certificate.pk}/credential.json")
    assert response.status_code == 200 and response.content == stored.document.encode()
    api = holder.get(f"/api/v1/certificates/{certificate.pk}/credential")
    assert api.status_code == 200 and api.content == stored.document.encode()
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(f"/certificates/{certificate.pk}/credential.json").status_code == 404


@override_settings(LMS_CREDENTIAL_KEYS="not a key")
def test_a_malformed_key_setting_is_named():
    with pytest.raises(credentials.CredentialError, match="is not '<id>:<base64url"):
        credentials.parse_keys("not a key")
