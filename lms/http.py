"""What a request says about itself: who sent it, and the JSON body it carries.

Two helpers every interface of the academy uses, so that one rule holds everywhere:

* :func:`client_ip` — the address of the person behind a request, honouring exactly
  ``settings.LMS_TRUSTED_PROXY_COUNT`` reverse proxies (``DJANGO_TRUSTED_PROXY_COUNT``).
  Every rate limit keys on it: allauth's (through ``lms.adapters.AccountAdapter``) and
  ours (:mod:`lms.throttling`). Never read ``REMOTE_ADDR`` or ``X-Forwarded-For`` directly.
* :func:`json_body` — a request's JSON body, parsed with a byte limit and a nesting-depth
  limit. Anything else (too big, too deep, not UTF-8, not JSON, the wrong content type)
  raises :class:`RequestBodyError`, whose ``message`` a person can read and whose
  ``status`` (400, or 413 for a body over the limit) the view answers with. Nothing is
  parsed, so nothing is saved, when it raises.

The REST API (django-ninja, ``/api/v1/``) uses the same limits by giving its ``NinjaAPI``
a parser whose ``parse_body`` returns ``json_body(request, ...)`` and an exception
handler that turns :class:`RequestBodyError` into ``{"detail": error.message}`` with
``error.status``.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest

from lms.exceptions import DomainError

logger = logging.getLogger(__name__)

# --- Who is asking --------------------------------------------------------------------------


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's IP address, as seen by the outermost proxy we run.

    With ``N = settings.LMS_TRUSTED_PROXY_COUNT`` proxies in front of the application,
    each appending the address it received the request from to ``X-Forwarded-For``, the
    client is the N-th entry from the right; entries further left were written by the
    client and are ignored (so a forged header cannot buy a fresh rate-limit bucket).
    With ``N = 0`` (development, or clients connecting directly) the header is ignored and
    ``REMOTE_ADDR`` is the client.

    A request with fewer entries than proxies did not come through all of them (a health
    probe from inside the network, or a miscounted setting): it is keyed on
    ``REMOTE_ADDR`` and a warning is logged, never an error for the visitor. Returns
    ``"unknown"`` only if even ``REMOTE_ADDR`` is unusable.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "unknown"
    trusted = settings.LMS_TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < trusted:
        logger.warning(
            "X-Forwarded-For has %d entries but DJANGO_TRUSTED_PROXY_COUNT is %d; keying %s on REMOTE_ADDR",
            len(forwarded),
            trusted,
            request.path,
        )
        return remote
    client = _valid_ip(forwarded[-trusted])
    if client is None:
        logger.warning("Unparseable client address in X-Forwarded-For for %s", request.path)
        return remote
    return client


# --- What they sent ---------------------------------------------------------------------------

#: Enough for any JSON the academy's pages send (an autosave of a 200-question attempt is
#: under 10 KB); endpoints may ask for less or more.
DEFAULT_MAX_BYTES = 64 * 1024
#: Our payloads nest three or four levels deep; well below Python's recursion limit.
DEFAULT_MAX_DEPTH = 8


class RequestBodyError(DomainError):
    """A request body we refuse to read. ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


def _nesting_depth_exceeds(text: str, max_depth: int) -> bool:
    # A linear scan before parsing: ``json.loads`` recurses once per level, so a few
    # kilobytes of "[[[[…" would otherwise end in a RecursionError (a 500).
    depth = 0
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def json_body(
    request: HttpRequest,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    content_types: tuple[str, ...] = ("application/json",),
) -> Any:
    """Parse the request's body as JSON, within ``max_bytes`` and ``max_depth``.

    Raises :class:`RequestBodyError` (status 413) for a body over ``max_bytes`` — judged
    from ``Content-Length`` before anything is read, and again on what was read — and
    (status 400) for a content type not in ``content_types``, an empty body, bytes
    that are not UTF-8, nesting deeper than ``max_depth``, ``NaN``/``Infinity``, or
    anything else that is not JSON. Returns the parsed value (any JSON type: the caller
    checks the shape it expects).
    """
    if request.content_type not in content_types:
        raise RequestBodyError(f"Send the data as JSON (Content-Type: {content_types[0]}).")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise RequestBodyError("The Content-Length header is not a number.") from None
    too_big = RequestBodyError(
        f"The data sent is too large (the limit is {max_bytes // 1024} KB).",
        status=413,
    )
    if declared > max_bytes:
        raise too_big
    try:
        raw = request.body
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        raise too_big from None
    if len(raw) > max_bytes:
        raise too_big
    if not raw.strip():
        raise RequestBodyError("The request has no data.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestBodyError("The data sent is not valid UTF-8 text.") from None
    if _nesting_depth_exceeds(text, max_depth):
        raise RequestBodyError(f"The data sent is nested too deeply (the limit is {max_depth} levels).")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise RequestBodyError("The data sent is not valid JSON.") from None
