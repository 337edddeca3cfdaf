"""allauth behaviour specific to the academy."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.core.internal.ratelimit import parse_rates
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode

from lms.http import client_ip
from lms.selectors import doctor_profile_is_complete


def _failed_login_rates(per: str) -> list:
    return [rate for rate in parse_rates(account_settings.RATE_LIMITS.get("login_failed")) if rate.per == per]


def _lockout(request, credentials: dict, adapter) -> tuple[str, int]:
    """Which limit refused the log-in (``"account"`` or ``"network"``) and its window in minutes."""
    key_rates = _failed_login_rates("key")
    account_locked = bool(key_rates) and not ratelimit.consume(
        request,
        app="allauth.account",
        action="login_failed",
        config={"login_failed": ",".join(f"{rate.amount}/{rate.duration}s/key" for rate in key_rates)},
        key=adapter._get_login_attempts_cache_key(request, **credentials),
        dry_run=True,
    )
    rates = key_rates if account_locked else _failed_login_rates("ip")
    minutes = max(1, round(max((rate.duration for rate in rates), default=300) / 60))
    return ("account" if account_locked else "network"), minutes


class AccountAdapter(DefaultAccountAdapter):
    def academy_context(self) -> dict:
        """What every academy e-mail names: the academy, its address and its contact."""
        from django.conf import settings

        from lms.selectors import academy_settings

        return {
            "academy_name": settings.LMS_ACADEMY_NAME,
            "academy_url": settings.LMS_BASE_URL,
            "academy_contact_email": academy_settings().contact_email,
        }

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails in the academy's words: they name the academy and its address
        (``templates/account/email/``), never the host the request came through."""
        super().send_mail(template_prefix, email, {**self.academy_context(), **context})

    def send_mail_outside_request(self, template_prefix, email, context) -> None:
        """The same e-mail from a Celery worker, where there is no request to name a site from."""
        self.render_mail(template_prefix, email, {**self.academy_context(), **context}).send()

    def get_client_ip(self, request):
        """The client behind our proxies (lms.http.client_ip): allauth's limits key on it."""
        return client_ip(request)

    def pre_authenticate(self, request, **credentials):
        """Refuse a log-in whose account (or network) has failed too often with a 429 page.

        allauth reports this as a form error (HTTP 200); a lock-out is a throttle, so it
        answers 429 with the academy's explanation and the way out (a password reset,
        which clears the account's failed attempts).
        """
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            from lms.views import too_many_requests

            scope, minutes = _lockout(request, credentials, self)
            raise ImmediateHttpResponse(too_many_requests(request, lockout=scope, minutes=minutes)) from None

    def get_signup_redirect_url(self, request):
        """A new doctor (signed in once their address is confirmed) fills in their profile first."""
        return f"{reverse('profile')}?{urlencode({'next': super().get_signup_redirect_url(request)})}"

    def get_login_redirect_url(self, request):
        """Send a doctor without a complete profile to it first, then where they were going."""
        target = super().get_login_redirect_url(request)
        if request.user.is_authenticated and not doctor_profile_is_complete(user=request.user):
            if not request.user.has_perm("wagtailadmin.access_admin"):
                return f"{reverse('profile')}?{urlencode({'next': target})}"
        return target
