"""The API's own writes: replaying requests sent with an ``Idempotency-Key``.

:func:`idempotent_perform` runs an operation once per (user, key): the first request
performs it and stores its response in the same transaction; a retry with the same
key and the same request gets that response back (``replayed=True``); the same key
with a different request raises :class:`IdempotencyKeyError` (422). Two requests with
the same key at the same moment cannot both perform it: the second either meets the
first's row (unique constraint; its own work rolls back) or is refused by the domain
rule the first one satisfied, and in both cases replays the first's response.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from api.models import IdempotentRequest
from lms.exceptions import DomainError

MAX_KEY_LENGTH = 255
#: Visible ASCII, no spaces: what a UUID or any generated token is made of.
KEY_PATTERN = r"^[!-~]{1,255}$"


class IdempotencyKeyError(DomainError):
    """An ``Idempotency-Key`` that cannot be honoured; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Performed:
    status: int
    body: Any
    replayed: bool = False


def request_fingerprint(*, operation: str, payload: Any) -> str:
    """The SHA-256 of an operation and its (JSON) input: what makes two requests "the same"."""
    canonical = json.dumps(
        {"operation": operation, "payload": payload}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _validated_key(key: str) -> str:
    if not re.fullmatch(KEY_PATTERN, key):
        raise IdempotencyKeyError(
            f"The Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} visible ASCII characters, without "
            "spaces (a UUID is a good choice).",
            status=400,
        )
    return key


def _replay(record: IdempotentRequest, *, operation: str, fingerprint: str) -> Performed:
    if record.operation != operation or record.fingerprint != fingerprint:
        raise IdempotencyKeyError(
            "This Idempotency-Key was already used for a different request. Use a new key for a new request."
        )
    return Performed(status=record.response_status, body=record.response_body, replayed=True)


def idempotent_perform(
    *,
    user,
    key: str | None,
    operation: str,
    payload: Any,
    perform: Callable[[], tuple[int, Any]],
) -> Performed:
    """Run ``perform`` (returning ``(status, JSON body)``) at most once for ``user`` and ``key``.

    Without a key, ``perform`` simply runs. Raises :class:`IdempotencyKeyError` for a
    malformed key (400) or a key reused for a different request (422), and whatever
    ``perform`` raises when it refuses (nothing is stored then).
    """
    if key is None:
        status, body = perform()
        return Performed(status=status, body=body)
    key = _validated_key(key)
    fingerprint = request_fingerprint(operation=operation, payload=payload)

    def stored() -> IdempotentRequest | None:
        return IdempotentRequest.objects.filter(user=user, key=key).first()

    if (record := stored()) is not None:
        return _replay(record, operation=operation, fingerprint=fingerprint)
    try:
        with transaction.atomic():
            status, body = perform()
            IdempotentRequest.objects.create(
                user=user,
                key=key,
                operation=operation,
                fingerprint=fingerprint,
                response_status=status,
                response_body=body,
            )
    except (IntegrityError, DomainError):
        # A concurrent request with the same key got there first (and committed).
        if (record := stored()) is not None:
            return _replay(record, operation=operation, fingerprint=fingerprint)
        raise
    return Performed(status=status, body=body)
