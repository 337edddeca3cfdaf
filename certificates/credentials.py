"""Open Badges 3.0 credentials: building, signing and verifying them, and the revocation status list.

Plain data in, plain data out: no ORM here (the services store what this returns).

* **Signing** is a W3C Data Integrity proof with the ``eddsa-rdfc-2022`` cryptosuite:
  the credential (without its proof) and the proof's options are each canonicalised
  with RDF Dataset Canonicalization (PyLD's URDNA2015, which RDFC-1.0 standardises),
  hashed with SHA-256, and the two hashes, options first, signed with Ed25519
  (``cryptography``). The signature is ``proofValue``, base58btc multibase (``z…``).
  No cryptographic primitive is written here; base58 is only an encoding.
* **Keys** come from settings (``LMS_CREDENTIAL_KEYS``: the environment or a file, never
  the database). Several may be configured: the last signs, every one stays in the
  issuer's ``did:web`` document, so credentials signed before a rotation keep
  verifying.
* **Contexts** are loaded offline only (see ``certificates/contexts/README.md``).
* **Revocation** is a Bitstring Status List: bit *i* of the GZIP-compressed list is
  the *i*-th bit counting from the most significant bit of the first byte (the spec's
  left-most bit), so index 9 is ``0x40`` of byte 1 — not byte 9.
"""

from __future__ import annotations

import base64
import copy
import datetime
import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyld import jsonld
from pyld.documentloader.frozen import BUNDLED_CONTEXTS, FrozenDocumentLoader

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CRYPTOSUITE = "eddsa-rdfc-2022"
#: The minimum length the Bitstring Status List spec allows (16 KB): it hides which
#: few credentials an academy has issued among many possible indexes.
STATUS_LIST_BITS = 131_072

_CONTEXTS = Path(__file__).parent / "contexts"
_frozen_loader = FrozenDocumentLoader(
    documents={**BUNDLED_CONTEXTS, OB_CONTEXT: _CONTEXTS / "ob-v3p0-terms.jsonld"}
)


def _loader(url: str, options: dict) -> dict:
    # Our contexts never change while a process runs, so each document is tagged
    # ``static``: PyLD then keeps the resolved context in its shared cache instead of
    # resolving it again (and canonicalising it to make its cache key) on every call —
    # about a quarter of the CPU of signing a credential. The canonical form is the same.
    return {**_frozen_loader(url, options), "tag": "static"}


class CredentialError(Exception):
    """A credential that cannot be signed or does not verify; the message says why."""


# --- Encodings -----------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB = b"\xed\x01"  # multicodec prefix of an Ed25519 public key


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = _B58[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = _B58.find(char)
        if index < 0:
            raise CredentialError("The value is not base58btc.")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58btc_encode(_ED25519_PUB + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise CredentialError("The public key is not base58btc multibase.")
    raw = base58btc_decode(value[1:])
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise CredentialError("The public key is not an Ed25519 Multikey.")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


# --- Keys and the issuer's DID --------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


def parse_keys(text: str) -> list[SigningKey]:
    """``"<key id>:<base64url 32-byte seed>"`` entries, separated by commas or lines; the last one signs.

    Raises :class:`CredentialError` naming the entry that is not a key.
    """
    keys = []
    for entry in (part.strip() for part in text.replace("\n", ",").split(",")):
        if not entry or entry.startswith("#"):
            continue
        key_id, sep, seed = entry.partition(":")
        try:
            raw = base64.urlsafe_b64decode(seed + "=" * (-len(seed) % 4))
            if not sep or not re.fullmatch(r"[A-Za-z0-9._-]{1,40}", key_id) or len(raw) != 32:
                raise ValueError
        except ValueError:
            raise CredentialError(
                f"Credential key {key_id or entry[:8]!r} is not '<id>:<base64url of 32 random bytes>'."
            ) from None
        keys.append(SigningKey(key_id=key_id, private_key=Ed25519PrivateKey.from_private_bytes(raw)))
    if len({k.key_id for k in keys}) != len(keys):
        raise CredentialError("Two credential keys share an id: each key needs its own.")
    return keys


def new_key_entry(key_id: str) -> str:
    """A fresh key for the settings (``make`` prints one for operators)."""
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return f"{key_id}:{base64.urlsafe_b64encode(seed).decode().rstrip('=')}"


def did_web(base_url: str) -> str:
    """The ``did:web`` of the site at ``base_url`` (its document is ``/.well-known/did.json``)."""
    return "did:web:" + quote(urlsplit(base_url).netloc, safe="")


def did_document(*, did: str, keys: list[SigningKey]) -> dict:
    """The issuer's DID document: every configured key, so older credentials keep verifying."""
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(key.public_key),
        }
        for key in keys
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


# --- Data Integrity: eddsa-rdfc-2022 --------------------------------------------------------


def canonical_nquads(document: dict) -> str:
    """RDF Dataset Canonicalization of a JSON-LD document, as N-Quads (unknown terms are refused)."""
    try:
        return jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": _loader,
                "safe": True,
            },
        )
    except jsonld.JsonLdError as error:
        raise CredentialError(f"The document is not valid JSON-LD for these contexts: {error}") from None


def _hash_data(unsecured: dict, proof_options: dict) -> bytes:
    options = {**proof_options, "@context": unsecured["@context"]}
    return (
        hashlib.sha256(canonical_nquads(options).encode()).digest()
        + hashlib.sha256(canonical_nquads(unsecured).encode()).digest()
    )


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sign(document: dict, *, key: SigningKey, did: str, created: datetime.datetime) -> dict:
    """``document`` with a ``DataIntegrityProof`` (``eddsa-rdfc-2022``) by ``key`` added."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created),
        "verificationMethod": f"{did}#{key.key_id}",
        "proofPurpose": "assertionMethod",
    }
    signature = key.private_key.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": {**options, "proofValue": "z" + base58btc_encode(signature)}}


def verify(document: dict, *, did_doc: dict) -> str:
    """Check the proof of ``document`` against the issuer's DID document; return the key's id.

    Raises :class:`CredentialError` saying what is wrong (no proof, another suite, a key
    the issuer does not list, or a signature that does not match the content).
    """
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise CredentialError("The credential carries no proof.")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise CredentialError(f"The proof is not a DataIntegrityProof with {CRYPTOSUITE}.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise CredentialError("The proof is not for assertion.")
    method_id = proof.get("verificationMethod")
    if method_id not in did_doc.get("assertionMethod", []):
        raise CredentialError("The proof's key is not one the issuer lists for assertions.")
    method = next((m for m in did_doc.get("verificationMethod", []) if m.get("id") == method_id), None)
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if method is None or not str(method_id).startswith(f"{issuer_id}#"):
        raise CredentialError("The proof's key does not belong to the credential's issuer.")
    value = proof.get("proofValue", "")
    if not isinstance(value, str) or not value.startswith("z"):
        raise CredentialError("The proof value is not base58btc multibase.")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        public_key_from_multibase(method["publicKeyMultibase"]).verify(
            base58btc_decode(value[1:]), _hash_data(unsecured, options)
        )
    except InvalidSignature:
        raise CredentialError("The signature does not match the credential's content.") from None
    return method_id


# --- The Open Badges credential -------------------------------------------------------------


def identity_hash(email: str, salt: str) -> str:
    """The subject's identifier: SHA-256 of the e-mail (lower-cased) and a salt, never the e-mail itself."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


@dataclass(frozen=True)
class BadgeFacts:
    """What the credential states, taken from the certificate's snapshot."""

    credential_id: str
    issuer_did: str
    issuer_name: str
    issuer_url: str
    holder_name: str
    email: str
    salt: str
    course_id: str
    course_title: str
    course_summary: str
    criteria: str
    credit_hours: Decimal | None
    completed_on: datetime.date | None
    issued_at: datetime.datetime
    status_list_url: str
    status_index: int
    verification_url: str


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def badge_credential(facts: BadgeFacts) -> dict:
    """An unsigned ``OpenBadgeCredential`` (VC 2.0 data model) for a completed course."""
    achievement = {
        "id": facts.course_id,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": facts.course_title,
        "description": facts.course_summary or facts.course_title,
        "criteria": {"narrative": facts.criteria},
        "fieldOfStudy": "Pain medicine",
    }
    subject = {
        "type": ["AchievementSubject"],
        "name": facts.holder_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(facts.email, facts.salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": facts.salt,
            }
        ],
        "achievement": achievement,
    }
    if facts.credit_hours is not None:
        achievement["creditsAvailable"] = _number(facts.credit_hours)
        subject["creditsEarned"] = _number(facts.credit_hours)
    if facts.completed_on is not None:
        subject["activityEndDate"] = facts.completed_on.isoformat()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": facts.issuer_did,
            "type": ["Profile"],
            "name": facts.issuer_name,
            "url": facts.issuer_url,
        },
        "validFrom": _timestamp(facts.issued_at),
        "name": f"{facts.course_title} — certificate of completion",
        "description": f"Verify it at {facts.verification_url}",
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{facts.status_list_url}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(facts.status_index),
            "statusListCredential": facts.status_list_url,
        },
    }


def serialise(document: dict) -> str:
    """The one way a credential is written down (stored, hashed and served byte for byte)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


# --- Bitstring Status List ------------------------------------------------------------------


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def bit_set(bits: bytes, index: int) -> bytes:
    data = bytearray(bits)
    data[index // 8] |= 0x80 >> (index % 8)
    return bytes(data)


def encode_list(bits: bytes) -> str:
    """Multibase base64url (``u…``, no padding) of the GZIP-compressed bitstring."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise CredentialError("The encoded list is not multibase base64url.")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def status_list_credential(*, url: str, issuer_did: str, bits: bytes, valid_from: datetime.datetime) -> dict:
    """An unsigned ``BitstringStatusListCredential`` for revocation."""
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": _timestamp(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(bits),
        },
    }


def copy_document(document: dict) -> dict:
    return copy.deepcopy(document)
