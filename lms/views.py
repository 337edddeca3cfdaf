"""Pages of the project itself: the doctor's profile, stored images, the 429 page, CSP reports."""

import logging
import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from lms.forms import DoctorProfileForm
from lms.http import RequestBodyError, json_body
from lms.media import image_file_for_request
from lms.selectors import doctor_profile_for
from lms.services import doctor_profile_save
from lms.throttling import client_bucket, rate_limit_consume

logger = logging.getLogger(__name__)


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def profile_edit(request):
    profile = doctor_profile_for(user=request.user)
    next_url = _safe_next(request)
    if request.method == "POST":
        form = DoctorProfileForm(request.POST, instance=profile)
        if form.is_valid():
            doctor_profile_save(user=request.user, **form.cleaned_data)
            messages.success(request, "Your profile is saved.")
            return redirect(next_url or "dashboard")
        messages.error(request, "Please correct the highlighted fields.")
    else:
        initial = {}
        if profile is None and request.user.get_full_name():
            initial["full_name"] = request.user.get_full_name()
        form = DoctorProfileForm(instance=profile, initial=initial)
    return render(
        request,
        "lms/profile_form.html",
        {"form": form, "next": next_url, "is_new": profile is None},
    )


# --- Stored files -------------------------------------------------------------------------

# Served images never run anything, even an SVG opened on its own.
MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_safe
def media_file(request, name: str):
    """``/media/<name>``: a stored image the visitor may see (lms.media), else 404.

    Streams the file from a filesystem storage, or redirects to a short-lived signed URL
    on S3. Public images may be cached by anyone for a day; an image behind a collection
    restriction only privately, never stored.
    """
    image = image_file_for_request(name=name, request=request)
    if image is None:
        raise Http404("No such file.")
    storage = image.file.storage
    content_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404("No such file.")
    if hasattr(storage, "signed_url"):
        response = HttpResponseRedirect(storage.signed_url(image.file.name))
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = storage.open(image.file.name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400" if image.public else "private, no-store"
    response["Content-Security-Policy"] = MEDIA_CONTENT_SECURITY_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Refusals -----------------------------------------------------------------------------


def too_many_requests(request, *, lockout: str | None = None, minutes: int = 1):
    """The academy's 429 page: a throttled log-in, sign-up, password reset or look-up.

    allauth calls it through ``lms.urls.handler429`` for its own limits; the failed log-in
    limits (``lms.adapters``) pass ``lockout`` — ``"account"`` when that account has
    failed too often, ``"network"`` when the client's address has — and the window's
    ``minutes``.
    """
    return render(request, "429.html", {"lockout": lockout, "minutes": minutes}, status=429)


def server_error(request):
    """The 500 page, with the academy's contact address from settings only: whatever
    failed (the database included) must not stop this page from rendering."""
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"support_email": settings.LMS_SUPPORT_EMAIL}))


# --- Content-Security-Policy reports ------------------------------------------------------

CSP_REPORT_TYPES = ("application/csp-report", "application/reports+json", "application/json")
CSP_REPORTS_PER_MINUTE = 30


def _report_field(body: dict, *names: str) -> str:
    return next((str(body[name])[:300] for name in names if body.get(name)), "")


@csrf_exempt
@require_POST
def csp_report(request):
    """``/csp-report/``: log what a browser says the Content-Security-Policy blocked.

    Browsers post these without cookies or CSRF tokens. Bodies are small (8 KB at most)
    and limited per client, so the endpoint cannot be used to flood the logs; anything
    malformed gets a 400 and is not logged. Answers 204.
    """
    if not rate_limit_consume(
        scope="lms:csp-report",
        identity=client_bucket(request),
        limit=CSP_REPORTS_PER_MINUTE,
        window_seconds=60,
    ):
        return HttpResponse(status=429)
    try:
        payload = json_body(request, max_bytes=8 * 1024, max_depth=4, content_types=CSP_REPORT_TYPES)
    except RequestBodyError as error:
        return JsonResponse({"error": error.message}, status=error.status)
    # report-uri sends {"csp-report": {...}}; the Reporting API a list of {"body": {...}}.
    reports = payload if isinstance(payload, list) else [payload]
    for report in reports[:10]:
        if not isinstance(report, dict):
            continue
        body = report.get("csp-report") or report.get("body") or {}
        if not isinstance(body, dict):
            continue
        logger.warning(
            "Content-Security-Policy violation: %s blocked %s on %s",
            _report_field(body, "effective-directive", "effectiveDirective", "violated-directive"),
            _report_field(body, "blocked-uri", "blockedURL") or "inline",
            _report_field(body, "document-uri", "documentURL"),
        )
    return HttpResponse(status=204)


def admin_avatar(request, user_id: int):
    """``/admin/avatar/<user_id>/``: the profile picture a staff member uploaded in the admin.

    Wagtail would link it at its plain media address, which the academy never serves
    (:func:`media_file` answers only for image-library images), so the picture showed as
    broken beside every comment and review. Staff who may use the admin see each other's
    pictures; nobody else sees any. No picture uploaded: 404 (Wagtail shows its own default).
    """
    from wagtail.users.models import UserProfile

    if not (request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin")):
        raise Http404("No such file.")
    profile = UserProfile.objects.filter(user_id=user_id).exclude(avatar="").first()
    if profile is None:
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(profile.avatar.name)[0] or ""
    if not content_type.startswith("image/"):
        raise Http404("No such file.")
    storage = profile.avatar.storage
    if hasattr(storage, "signed_url"):
        response = HttpResponseRedirect(storage.signed_url(profile.avatar.name))
    else:
        try:
            handle = storage.open(profile.avatar.name, "rb")
        except (FileNotFoundError, SuspiciousFileOperation):
            raise Http404("No such file.") from None
        response = FileResponse(handle, content_type=content_type)
        response["Content-Security-Policy"] = MEDIA_CONTENT_SECURITY_POLICY
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
