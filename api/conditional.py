"""``ETag`` and ``If-None-Match`` for catalogue reads (RFC 9110 §13.1.2).

The tag is the SHA-256 of the JSON body the request would get, so it changes exactly
when what the client would see changes (a seat taken, a run added, a course edited),
with no bookkeeping anywhere else. A match answers ``304 Not Modified`` without a body:
the client keeps its copy and the bandwidth is saved.
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    # Weak comparison (RFC 9110 §8.8.3.2): W/"x" matches "x".
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return etag in candidates


def conditional_json(request: HttpRequest, payload) -> HttpResponse:
    """Answer ``payload`` (a Pydantic schema instance) as JSON with an ``ETag``, or 304 if the client has it."""
    body = json.dumps(payload.model_dump(mode="json", by_alias=True), cls=DjangoJSONEncoder).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and _matches(if_none_match, etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    # Seats change by the minute: a client may keep a copy but must ask before using it.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Authorization", "Cookie"])
    return response
