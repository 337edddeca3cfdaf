"""Security headers on every response: Content-Security-Policy and Permissions-Policy.

* :class:`ContentSecurityPolicyMiddleware` is django-csp's middleware with one addition:
  under ``settings.ADMIN_CONTENT_SECURITY_POLICY_PREFIX`` (the Wagtail admin) it applies
  ``settings.ADMIN_CONTENT_SECURITY_POLICY`` instead of the public
  ``CONTENT_SECURITY_POLICY``; Wagtail's previews (the public page rendered for the
  admin's preview panel) keep the public policy, framed only by the site itself. A view
  that sets its own policy (``csp_replace``,
  ``csp_update``, or a ``Content-Security-Policy`` header of its own, as the media and
  document views do) keeps it.
* :func:`refuse_unreadable_query_middleware` answers 400 (templates/400.html) to a query
  string carrying NUL characters: no view can use them, and PostgreSQL refuses them in
  any query, so a search for "%00" would otherwise be a 500.
* :func:`permissions_policy_middleware` sets ``Permissions-Policy`` from
  ``settings.PERMISSIONS_POLICY`` (feature → allowed origins; ``[]`` switches it off).
* :class:`DomainErrorMessageMiddleware`: a rule refusing an action inside one of
  Wagtail's own admin views (a :class:`lms.exceptions.DomainError`, such as the board
  approving a draft that breaks the content standard) is shown to the person as an error
  message on the page they came from, instead of a 500; the refused action wrote nothing.
"""

from __future__ import annotations

from functools import cache

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from lms.exceptions import DomainError


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if request.path_info.startswith(settings.ADMIN_CONTENT_SECURITY_POLICY_PREFIX):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        elif getattr(request, "is_dummy", False):
            # Wagtail's preview renders the public page through a dummy request with the
            # page's own path, for the admin to frame: the public policy, framed by us.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


@cache
def _permissions_policy(items: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    def origins(values):
        return " ".join(value if value == "self" else f'"{value}"' for value in values)

    return ", ".join(f"{feature}=({origins(values)})" for feature, values in items)


def permissions_policy_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        if "Permissions-Policy" not in response:
            items = tuple((feature, tuple(values)) for feature, values in settings.PERMISSIONS_POLICY.items())
            response["Permissions-Policy"] = _permissions_policy(items)
        return response

    return middleware


class UnreadableQueryString(SuspiciousOperation):
    """A query string no view can use (Django answers it with a 400)."""


def refuse_unreadable_query_middleware(get_response):
    def middleware(request):
        if any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith(tuple(settings.LMS_JSON_PATH_PREFIXES)):
                # JSON clients (the REST API) get the same refusal as a problem document.
                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": "Bad Request",
                        "status": 400,
                        "detail": "The query string contains a NUL character, which no address may carry.",
                        "instance": request.path,
                    },
                    status=400,
                    content_type="application/problem+json",
                )
            raise UnreadableQueryString("NUL character in the query string")
        return get_response(request)

    return middleware


class DomainErrorMessageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if not request.path_info.startswith(settings.ADMIN_CONTENT_SECURITY_POLICY_PREFIX):
            return None
        messages.error(request, exception.message)
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's workflow modals post by XHR and follow the redirect they are given.
            return JsonResponse({"step": "success", "redirect": back})
        return redirect(back)
