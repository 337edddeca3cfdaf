"""Pages of the project itself: the doctor's profile, stored images, the 429 page, CSP reports."""

import logging
import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from lms.forms import AccountDeleteForm, DoctorProfileForm
from lms.http import RequestBodyError, json_body
from lms.media import image_file_for_request
from lms.selectors import doctor_profile_for
from lms.services import AccountDeletionError, account_delete_own, doctor_profile_save
from lms.throttling import client_bucket, rate_limit_consume

logger = logging.getLogger(__name__)


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def invitation_accept_view(request, uidb64: str, token: str):
    """An invited doctor chooses their password, is signed in and lands on their profile."""
    from django.contrib.auth import login
    from django.contrib.auth.forms import SetPasswordForm
    from django.urls import reverse
    from django.utils.http import urlencode

    from lms.invitations import invitation_accept, invitation_user

    user = invitation_user(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "account/invitation.html", {"form": None}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, "Your password is set. Now complete your doctor's profile.")
        return redirect(f"{reverse('profile')}?{urlencode({'next': reverse('dashboard')})}")
    return render(request, "account/invitation.html", {"form": form, "invited": user})


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
        {"form": form, "next": next_url, "is_new": profile is None, **_profile_extras(request)},
    )


@login_required
def account_delete(request):
    """Delete my account: the doctor confirms with their password; the service anonymises it.

    Acts on the signed-in account only (nothing in the request names another). A wrong
    password changes nothing and says so; success signs the doctor out.
    """
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete_own(user=request.user, password=form.cleaned_data["password"])
        except AccountDeletionError as error:
            # A wrong password is the field's fault; anything else (a certificate still being
            # prepared) is the form's.
            form.add_error("password" if error.field == "password" else None, error.message)
        else:
            logout(request)
            messages.success(
                request,
                "Your account is deleted and you are signed out. Your certificates stay verifiable by their codes.",
            )
            return redirect("/")
    response = render(request, "lms/account_delete.html", {"form": form}, status=400 if form.errors else 200)
    response["Cache-Control"] = "private, no-store"
    return response


def _profile_extras(request) -> dict:
    """The profile page's other sections: e-mail preferences and the private calendar address."""
    from lms.forms import NotificationPreferencesForm
    from lms.selectors import calendar_feed_of, notification_kinds_wanted

    feed = calendar_feed_of(user=request.user)
    feed_url = (
        request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed is not None else None
    )
    return {
        "preferences_form": NotificationPreferencesForm(
            initial={"wanted": sorted(notification_kinds_wanted(user=request.user))}
        ),
        "calendar_feed_url": feed_url,
    }


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


# --- E-mail preferences, one-click unsubscribe, the private calendar address ----------------


@csrf_exempt
def notification_unsubscribe_view(request, token: str):
    """``/notifications/unsubscribe/<token>/``: turn one kind of e-mail off, without signing in.

    GET shows what the link will turn off and a button (a mail client's link preview or
    a virus scanner following the link changes nothing); POST turns it off — the button,
    or a mail client's one-click ``List-Unsubscribe-Post`` (RFC 8058), which carries no
    cookie or CSRF token: the signed token is the authority. A forged or expired token
    gets a clear page (400) and changes nothing.
    """
    from lms.mail import UnsubscribeTokenError, unsubscribe_token_read
    from lms.services import notification_unsubscribe

    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    try:
        wanted = unsubscribe_token_read(token=token)
    except UnsubscribeTokenError as error:
        return render(request, "lms/unsubscribe.html", {"error": error.message}, status=400)
    if request.method == "POST":
        if not notification_unsubscribe(user_id=wanted.user_id, kind=wanted.kind):
            return render(
                request, "lms/unsubscribe.html", {"error": "This account no longer exists."}, status=400
            )
        return render(request, "lms/unsubscribe.html", {"done": True, "kind_label": wanted.kind_label})
    return render(request, "lms/unsubscribe.html", {"kind_label": wanted.kind_label, "token": token})


@login_required
@require_POST
def notification_preferences_edit(request):
    """The profile's "E-mail preferences" form: which kinds of notification e-mail the doctor receives."""
    from lms.forms import NotificationPreferencesForm
    from lms.services import notification_preferences_save

    form = NotificationPreferencesForm(request.POST)
    if form.is_valid():
        notification_preferences_save(user=request.user, wanted=set(form.cleaned_data["wanted"]))
        messages.success(request, "Your e-mail preferences are saved.")
    else:
        messages.error(request, "Your e-mail preferences could not be saved: choose from the list.")
    return redirect(f"{reverse('profile')}#email-preferences")


@login_required
@require_POST
def calendar_feed_edit(request):
    """Create or replace (``action=regenerate``) or turn off (``action=revoke``) the private calendar address."""
    from lms.services import calendar_feed_regenerate, calendar_feed_revoke

    action = request.POST.get("action")
    if action == "regenerate":
        calendar_feed_regenerate(user=request.user)
        messages.success(
            request, "Your private calendar address is ready. Any address you used before no longer works."
        )
    elif action == "revoke":
        calendar_feed_revoke(user=request.user)
        messages.success(request, "Your private calendar address is turned off.")
    else:
        messages.error(request, "Choose whether to create a new calendar address or turn it off.")
    return redirect(f"{reverse('profile')}#calendar-feed")


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
