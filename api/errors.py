"""Every error of the API in one shape: RFC 9457 problem details, with a message a person can read.

``{"type": "about:blank" or a URI naming the kind of problem, "title": the status's phrase or the
kind's name, "status": the HTTP status, "detail": what went wrong for this request,
in the academy's words, "instance": the path asked for, "errors": for invalid input,
where and what}``, served as ``application/problem+json``.

Domain refusals (:class:`lms.exceptions.DomainError`) carry their message as the
``detail``; their status is 409 (the request, well-formed, conflicts with the state of
things: a full run, a closed window, an attempt already submitted, a choice that is not
one of this attempt's) or their own ``status`` attribute where they have one (body and
Idempotency-Key errors). 422 is kept for requests that break the published schema.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.auth import InsufficientScope
from lms.exceptions import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://academy.ipsc.example.org/api/problems/"


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: str,
    kind: str | None = None,
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {
        "type": f"{PROBLEM_BASE}{kind}" if kind else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _location(loc) -> str:
    # ninja prefixes the parameter source ("body", "query", "path", "header"); keep it, it helps.
    return ".".join(str(part) for part in loc)


def _validation_error(request, exc: ValidationError) -> HttpResponse:
    errors = [
        {"location": _location(e.get("loc", ())), "message": e.get("msg", "is not valid")} for e in exc.errors
    ]
    summary = "; ".join(f"{e['location']}: {e['message']}" for e in errors[:5])
    return problem_response(
        request,
        status=422,
        detail=f"The request is not valid — {summary}." if summary else "The request is not valid.",
        kind="invalid-request",
        errors=errors,
    )


def _authentication_error(request, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        status=401,
        detail="Sign in first, or send an OAuth2 access token (Authorization: Bearer …) that is valid and not revoked.",
        kind="not-authenticated",
        headers={"WWW-Authenticate": 'Bearer realm="IPSC Pain Academy"'},
    )


def _http_error(request, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):
        # ninja wraps what the body parser (lms.http.json_body) refused: say what it said.
        return _domain_error(request, exc.__cause__)
    headers = {}
    kind = None
    if isinstance(exc, InsufficientScope):
        headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{exc.scope}"'
        kind = "insufficient-scope"
    elif exc.status_code == 403 and "CSRF" in str(exc):
        return problem_response(
            request,
            status=403,
            detail="The CSRF token is missing or wrong: send the csrftoken cookie's value in an X-CSRFToken header.",
            kind="csrf",
        )
    return problem_response(request, status=exc.status_code, detail=str(exc), kind=kind, headers=headers)


def _not_found(request, exc: Http404) -> HttpResponse:
    detail = str(exc) if exc.args and str(exc) else "There is nothing here, or it is not yours to see."
    return problem_response(request, status=404, detail=detail, kind="not-found")


def _domain_error(request, exc: DomainError) -> HttpResponse:
    status = getattr(exc, "status", None) or 409
    kind = "".join(f"-{c.lower()}" if c.isupper() else c for c in type(exc).__name__).strip("-")
    return problem_response(request, status=status, detail=exc.message, kind=kind.removesuffix("-error"))


def install(api) -> None:
    """Register the handlers on a ``NinjaAPI``."""
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(AuthenticationError, _authentication_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(DomainError, _domain_error)
