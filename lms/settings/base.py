"""Settings shared by every environment.

Every value that differs between machines is read from the environment through one
reader (django-environ). ``dev.py`` and ``test.py`` supply safe defaults for a
developer's machine; ``production.py`` supplies none for secrets.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from wagtail.embeds.oembed_providers import vimeo, youtube

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -----------------------------------------------------------------------------

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, printed into e-mails, certificates and QR codes (so
# it outlives the request that made them). `make run` sets it from its port;
# production requires an https:// address.
LMS_BASE_URL = env("LMS_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# How many reverse proxies we run in front of the application, each appending to
# X-Forwarded-For (1 behind one TLS-terminating load balancer). Every rate limit keys on
# the client address this yields (lms.http.client_ip; allauth's through our adapter and
# ALLAUTH_TRUSTED_PROXY_COUNT). Too low, and everyone shares the proxy's address (one
# bucket for the whole academy); too high, and a client can forge its address. 0 ignores
# the header. Production requires it to be set explicitly.
TRUSTED_PROXY_COUNT_HELP = (
    "the number of reverse proxies in front of gunicorn that append to X-Forwarded-For "
    "(1 behind one TLS-terminating load balancer, 0 if clients connect directly)"
)
_trusted_proxies = env.str("DJANGO_TRUSTED_PROXY_COUNT", default="0").strip()
if not (_trusted_proxies.isascii() and _trusted_proxies.isdigit()):
    raise ImproperlyConfigured(
        f"DJANGO_TRUSTED_PROXY_COUNT must be {TRUSTED_PROXY_COUNT_HELP}; it is {_trusted_proxies!r}."
    )
LMS_TRUSTED_PROXY_COUNT = int(_trusted_proxies)
ALLAUTH_TRUSTED_PROXY_COUNT = LMS_TRUSTED_PROXY_COUNT
LMS_ACADEMY_NAME = "IPSC Pain Academy"
# Named on the error page, which must render without the database (the academy's
# settings, with their contact details, live there).
LMS_SUPPORT_EMAIL = env("LMS_SUPPORT_EMAIL", default="academy@ipsc.example.org")

INSTALLED_APPS = [
    # Project apps: imports point one way, api → certificates → quizzes → courses → lms.
    "lms",
    "courses",
    "quizzes",
    "certificates",
    "api",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    # After wagtail.admin: it replaces Wagtail's in-request workflow e-mails (see its docstring).
    "lms.notifications.apps.WorkflowNotificationsConfig",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # The REST API (api/): django-ninja serves it (its static files: the docs page),
    # django-oauth-toolkit its OAuth2 applications and tokens.
    "ninja",
    "oauth2_provider",
    # Accounts
    "allauth",
    "allauth.account",
    "django_countries",
    "csp",
    "health_check",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "lms.middleware.permissions_policy_middleware",
    "lms.middleware.refuse_unreadable_query_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.middleware.DomainErrorMessageMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.academy",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    # An unreachable Redis is a cold cache, not an error page (lms/cache.py); short
    # timeouts so a request never hangs on it.
    CACHES = {
        "default": {
            "BACKEND": "lms.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache and written through to the database: a signed-in
# page skips the session query, and a Redis outage (a cold cache, lms/cache.py) falls
# back to the database without signing anyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts -------------------------------------------------------------------------

AUTH_USER_MODEL = "lms.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "lms.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "lms.forms.AcademySignupForm"}
# Throttling lives in the cache (Redis in production, so it holds across web hosts) and
# keys on the client address behind our proxies (LMS_TRUSTED_PROXY_COUNT).
#
# Failed log-ins lock the *account* ("key", the e-mail address): 5 wrong passwords pause
# that account for 5 minutes, whoever sent them, and a password reset lifts the pause.
# The per-address failure limit is separate and much higher: a credential-stuffing
# script on one address gets 30 guesses across all accounts per 15 minutes, while a
# hospital NAT with 200 doctors behind one address is not locked out by a few typos.
# The key rate comes first: once an account is paused, further guesses at it are refused
# before they count against the address, so hammering one account cannot lock out the
# colleagues who share its network. Every log-in POST, right or wrong, is limited per
# address at a rate a shift change at a large hospital stays under.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,30/15m/ip",
    "login": "60/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[IPSC Pain Academy] "

# Paths whose clients read JSON: refusals made before a view runs (lms.middleware) answer
# them with an RFC 9457 problem document instead of an HTML page.
LMS_JSON_PATH_PREFIXES = ["/api/"]

# Open Badges 3.0 credentials (certificates.credentials): Ed25519 keys as
# "<id>:<base64url 32-byte seed>", comma- or line-separated, the last one signing and
# every one published in /.well-known/did.json (rotation: add a key at the end, keep the
# old ones). From DJANGO_CREDENTIAL_KEYS or the file DJANGO_CREDENTIAL_KEYS_FILE names
# (a mounted secret); never the database. production.py refuses to start without one.
_credential_keys_file = env("DJANGO_CREDENTIAL_KEYS_FILE", default="")
LMS_CREDENTIAL_KEYS = (
    Path(_credential_keys_file).read_text()
    if _credential_keys_file
    else env("DJANGO_CREDENTIAL_KEYS", default="")
)

# --- OAuth2 for apps (django-oauth-toolkit; api/auth.py checks the tokens) ----------------

# The scopes an application may ask for; each REST API operation names the one it needs.
OAUTH2_SCOPES = {
    "catalogue:read": "Read the course catalogue: courses, runs, seats and enrolment windows",
    "learning": "Act as the doctor: profile, enrolments, progress and assessments",
    "certificates:read": "Read the doctor's certificates and download them",
    "admin:reports": "Read the academy's reports (staff applications only)",
}
OAUTH2_PROVIDER = {
    "SCOPES": OAUTH2_SCOPES,
    "DEFAULT_SCOPES": ["catalogue:read"],
    # Authorization code only with PKCE (S256): a mobile app cannot keep a secret.
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    # No implicit or password grants: apps use the authorization code or client credentials.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    # Tokens are stored as SHA-256 checksums only (RFC 9700 §4.14): a copy of the
    # database hands out no usable token. Client secrets are hashed as passwords.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 60 * 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Redirects only to https addresses, or to the academy app's own private-use scheme
    # (RFC 8252 §7.1); the authorization response names its issuer (RFC 9207).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "org.ipsc.academy"],
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
}

# --- Security headers -------------------------------------------------------------------

# The public site runs no inline script or style (static/js/*.js wire every behaviour;
# static/css holds every style) and frames only the video players the embed finders
# allow. Violations are reported to /csp-report/ and logged (lms.views.csp_report).
VIDEO_FRAME_ORIGINS = ["https://www.youtube.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": VIDEO_FRAME_ORIGINS,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": "/csp-report/",
    }
}
# The Wagtail admin (lms.middleware.ContentSecurityPolicyMiddleware applies it under
# /admin/). Wagtail 8 writes inline <script> elements into its widget and panel templates
# (date pickers, inline panels, choosers) — rendered without a request, so they cannot
# carry a nonce — and its vendor bundle runs the scripts and styles of the HTML its
# modals fetch; with script-src 'self' the page editor, snippet editors and choosers
# break (seen in tests/e2e/test_admin_content_security_policy.py). So scripts and styles
# may be inline there, and nowhere else; everything else stays as strict as on the
# public site, except that the admin frames its own previews (frame-ancestors 'self')
# and draws upload previews (blob:). Only signed-in staff reach these pages.
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-src": [SELF, *VIDEO_FRAME_ORIGINS],
    "frame-ancestors": [SELF],
}
ADMIN_CONTENT_SECURITY_POLICY_PREFIX = "/admin/"

# Powerful browser features the academy never uses are switched off for its pages and
# for anything they frame. The video players get what their iframes ask for (full
# screen, picture-in-picture, protected playback; motion sensors for 360° video) and
# nothing else does. Only features Chromium recognises: an unknown one is a console error.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "midi": [],
    "magnetometer": [],
    "display-capture": [],
    "xr-spatial-tracking": [],
    "screen-wake-lock": [],
    "autoplay": VIDEO_FRAME_ORIGINS,
    "accelerometer": VIDEO_FRAME_ORIGINS,
    "gyroscope": VIDEO_FRAME_ORIGINS,
    "encrypted-media": VIDEO_FRAME_ORIGINS,
    "fullscreen": ["self", *VIDEO_FRAME_ORIGINS],
    "picture-in-picture": ["self", *VIDEO_FRAME_ORIGINS],
}

# --- Internationalisation -------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
# The academy's words over Wagtail's moderation messages (scripts/academy_words.py).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Adds the admin's date display formats (WAGTAIL_DATE_FORMAT) to what forms accept.
FORMAT_MODULE_PATH = ["lms.formats"]
USE_TZ = True

# --- Static and media -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Every stored file is private (lms/storage.py): documents go through Wagtail's serve
# view and its access hooks, certificate PDFs through certificates.views.download, and
# images through lms.views.media_file at MEDIA_URL, which serves only the images
# lms.media says the visitor may see. "private" is the named storage for other private
# files (evidence uploads, exports, transcripts): same backend, its own folder/prefix.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
# How long a pre-signed S3 URL handed out after an access check stays valid.
LMS_SIGNED_URL_SECONDS = env.int("LMS_SIGNED_URL_SECONDS", default=120)


def _file_storage(prefix: str) -> dict:
    if AWS_STORAGE_BUCKET_NAME:
        # S3-compatible object storage, shared by every web and worker host; private
        # objects, reached through our views (signed URLs), never by a public address.
        return {
            "BACKEND": "lms.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
                "location": prefix,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": LMS_SIGNED_URL_SECONDS,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        }
    if not prefix:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {"BACKEND": "lms.storage.FolderFileSystemStorage", "OPTIONS": {"folder": prefix}}


STORAGES = {
    "default": _file_storage(""),
    "private": _file_storage("private"),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Request bodies. Django holds a non-file body in memory up to this size and refuses
# larger ones with a 400: the largest legitimate one is the Wagtail page editor posting a
# long module (StreamField JSON, tables, revisions) — well under 5 MB. JSON endpoints set
# far lower limits of their own (lms.http.json_body).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploads (handouts up to WAGTAILDOCS_MAX_UPLOAD_SIZE, images) larger than this are
# spooled to a temporary file instead of being held in a web worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ---------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="IPSC Pain Academy <academy@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail --------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "IPSC Pain Academy"
WAGTAILADMIN_BASE_URL = LMS_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents are always streamed by Wagtail's serve view, after the before_serve_document
# hooks have checked access: never "direct" or "redirect" to the storage's own URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
# Approval is the only way content goes live: the workflow publishes on its own authority
# (no role holds a bare publish permission) and records the Faculty's endorsement of the
# revision it publishes (courses.services.endorsement_publish).
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.workflow.finish_endorsement"
# Videos are YouTube or Vimeo players, and only those: the Content-Security-Policy frames
# exactly these origins (frame-src below). Wagtail's responsive wrapper is an inline
# style, which the policy forbids; the video block's CSS keeps the 16:9 frame instead.
WAGTAILEMBEDS_RESPONSIVE_HTML = False
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [youtube, vimeo],
    }
]
# No Gravatar: the admin would send a hash of every author's e-mail to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Parsed back by the formats in lms/formats/en_GB (FORMAT_MODULE_PATH below).
WAGTAIL_DATE_FORMAT = "%d %b %Y"
WAGTAIL_DATETIME_FORMAT = "%d %b %Y %H:%M"

# --- Celery ---------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Tasks are idempotent, so a message is acknowledged only once the work is done and a
# worker that dies mid-task hands it back to the broker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker outlives any broker outage (lms/celery.py explains the kombu fix this relies
# on): it retries the connection for ever (Celery's default gives up after 100 tries,
# about a quarter of an hour, and exits), and the task in hand finishes instead of being
# cancelled: it writes to PostgreSQL, so it commits, and the redelivery its lost
# acknowledgement may cause is a no-op (every task is idempotent).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# A web request that queues a task must not hang on a dead broker: a couple of quick
# tries, then the caller logs and moves on (the certificate sweeper re-queues later).
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 15 * 60,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 2.0,
    "retry_on_timeout": False,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.3,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "lms.sweep_outbox", "schedule": 30.0},
    "close-overdue-attempts": {"task": "quizzes.close_overdue_attempts", "schedule": 60.0},
    "requeue-stale-certificates": {"task": "certificates.requeue_stale_certificates", "schedule": 60.0},
    "purge-expired-exports": {"task": "courses.purge_expired_exports", "schedule": 600.0},
    "sweep-waitlist-offers": {"task": "courses.sweep_waitlist_offers", "schedule": 60.0},
    # Hourly is enough: each reminder goes at most once per enrolment and kind, whenever
    # the sweep first finds it due (courses.reminders).
    "send-reminders": {"task": "courses.send_reminders", "schedule": 3600.0},
}

# How long a seat offered from a run's waitlist is held for the doctor before it passes
# to the next in line (courses.waitlists).
LMS_WAITLIST_OFFER_HOURS = env.int("LMS_WAITLIST_OFFER_HOURS", default=48)

# Reminders (courses.reminders): "no activity for N days while the run is open", "the run
# closes in N days and required steps are left", and how long after a certificate is
# issued without its e-mail (a mail server that refused it every time) the reminder
# tells the doctor it is ready (never when the certificate's own e-mail went out).
LMS_REMINDER_INACTIVE_DAYS = env.int("LMS_REMINDER_INACTIVE_DAYS", default=7)
LMS_REMINDER_CLOSING_DAYS = env.int("LMS_REMINDER_CLOSING_DAYS", default=3)
LMS_REMINDER_CERTIFICATE_AFTER_HOURS = env.int("LMS_REMINDER_CERTIFICATE_AFTER_HOURS", default=6)
# A reminder recorded but not sent (the mail server refused it) is tried again by the next
# sweeps for this long, then dropped: a day-old "starts tomorrow" would be wrong.
LMS_REMINDER_SEND_WITHIN_HOURS = 20
# How long an unsubscribe link in a notification e-mail keeps working.
LMS_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = env.int("LMS_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS", default=365)

# How long an administrator's export file may be downloaded before it is deleted.
LMS_EXPORT_LIFETIME_SECONDS = env.int("LMS_EXPORT_LIFETIME_SECONDS", default=24 * 3600)

# The transactional outbox (lms.outbox): a task the broker did not take at commit time
# is sent again by the sweeper this long after it was written (or last tried); sent rows
# are kept this many days.
LMS_OUTBOX_RETRY_AFTER_SECONDS = env.int("LMS_OUTBOX_RETRY_AFTER_SECONDS", default=30)
LMS_OUTBOX_KEEP_DAYS = 7

# --- Certificates ---------------------------------------------------------------------

CERTIFICATES_SERIAL_PREFIX = "PA"
# A certificate still pending this long after its render was queued is queued again
# by the sweeper (a completion while Redis or every worker was down).
CERTIFICATES_STALE_AFTER_SECONDS = env.int("CERTIFICATES_STALE_AFTER_SECONDS", default=120)
# A render is tried this many times in a row, with exponential backoff (5 s, 10 s, 20 s …).
# After that, a transient failure (storage, database, broker) leaves the certificate
# pending, and the sweeper starts another round once it is stale: an outage of any
# length delays certificates, it never fails them. Any other error marks the
# certificate failed after this many tries, with the error for an administrator to read;
# an error in the certificate's own data (no doctor's profile) fails it at once.
CERTIFICATES_MAX_RENDER_ATTEMPTS = env.int("CERTIFICATES_MAX_RENDER_ATTEMPTS", default=5)
# The function that turns a certificate's document into PDF bytes (a dotted path). The
# fault-injection tests name a slower one for their workers; nothing else changes it.
CERTIFICATES_PDF_RENDERER = "certificates.rendering.render_certificate_pdf"

# --- Logging --------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail runs its reference-index updates as django-tasks; one line each is noise.
        "django_tasks": {"level": "WARNING"},
    },
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: take the write lock when a transaction begins, so the
    # conditional updates and unique constraints serialise instead of failing late.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
