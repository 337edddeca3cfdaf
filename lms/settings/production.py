"""Production settings. Secrets and deployment facts have no default: a missing one stops the process.

Required beyond base.py's: ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``,
``DATABASE_URL``, ``REDIS_URL`` (the log-in lock-out and every other rate limit must be
shared by all web hosts, and Celery needs its broker), an ``https://`` ``LMS_BASE_URL``
(printed into certificates and e-mails that outlive this deployment's configuration) and
an explicit ``DJANGO_TRUSTED_PROXY_COUNT`` (the number of proxies in front of gunicorn:
guessing it wrong either puts every visitor in one rate-limit bucket or lets them forge
their address).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ADMIN_CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY,
    LMS_BASE_URL,
    LMS_CREDENTIAL_KEYS,
    REDIS_URL,
    TRUSTED_PROXY_COUNT_HELP,
    env,
)

DEBUG = False
LMS_ENVIRONMENT = "production"

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

if not REDIS_URL:
    raise ImproperlyConfigured(
        "Set REDIS_URL (e.g. redis://redis:6379/0): production keeps log-in lock-outs and rate limits "
        "in Redis so that every web host shares them, and Celery uses it as its broker."
    )

_base_url = urlsplit(LMS_BASE_URL)
if env("LMS_BASE_URL", default="") == "" or _base_url.scheme != "https" or not _base_url.hostname:
    raise ImproperlyConfigured(
        "Set LMS_BASE_URL to the academy's public https:// address (e.g. https://academy.example.org): "
        "it is printed into certificates, their QR codes and e-mails."
    )
if _base_url.query or _base_url.fragment:
    raise ImproperlyConfigured("LMS_BASE_URL must be a plain address, without a query string or fragment.")

if not env.str("DJANGO_TRUSTED_PROXY_COUNT", default="").strip():
    raise ImproperlyConfigured(f"Set DJANGO_TRUSTED_PROXY_COUNT to {TRUSTED_PROXY_COUNT_HELP}.")

if not LMS_CREDENTIAL_KEYS.strip():
    raise ImproperlyConfigured(
        "Set DJANGO_CREDENTIAL_KEYS (or DJANGO_CREDENTIAL_KEYS_FILE) to the Ed25519 key(s) that sign Open "
        "Badges credentials, as '<id>:<base64url of 32 random bytes>': python -c \"from certificates.credentials "
        "import new_key_entry; print(new_key_entry('key-1'))\"."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# /healthz is probed over plain HTTP by the load balancer and container healthchecks.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
ADMIN_CONTENT_SECURITY_POLICY["upgrade-insecure-requests"] = True

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
