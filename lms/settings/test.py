"""Test settings: the whole suite runs on PostgreSQL and Redis, as production does."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms")
# A database number of its own, so tests never touch a developer's cached data.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "*")


def _isolate_xdist_worker() -> None:
    """Under ``pytest -n`` (pytest-xdist), give worker gwN a Redis database and a media root of its own.

    pytest-django already gives each worker its own test database (``test_lms_gw0``, …);
    Redis and the media root would be shared, and every test clears the cache. Worker gwN
    uses Redis database (REDIS_URL's number + N) and MEDIA_ROOT + "-gwN". The values are
    written back to the environment, marked with LMS_TEST_WORKER, so the processes a test
    starts (Celery workers) inherit them, or the URLs they are given, without the offset
    being applied a second time.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or os.environ.get("LMS_TEST_WORKER") == worker:
        return
    index = int(worker.removeprefix("gw"))
    url = urlsplit(os.environ["REDIS_URL"])
    database = int(url.path.strip("/") or 0) + index
    if database > 15:
        raise RuntimeError(
            f"pytest-xdist worker {worker} would use Redis database {database} "
            f"({os.environ['REDIS_URL']} + {index}), and Redis has 0-15: run fewer workers (-n) "
            "or set REDIS_URL to a lower database."
        )
    os.environ["REDIS_URL"] = urlunsplit(url._replace(path=f"/{database}"))
    media_root = os.environ.get("DJANGO_MEDIA_ROOT", "/tmp/lms-test-media").rstrip("/")
    os.environ["DJANGO_MEDIA_ROOT"] = f"{media_root}-{worker}"
    os.environ["LMS_TEST_WORKER"] = worker


_isolate_xdist_worker()

# A published, test-only credential key: credentials signed with it prove nothing.
os.environ.setdefault("DJANGO_CREDENTIAL_KEYS", "test-key-1:domFbMaWHFqvkJVDhvfWiVjrQqknlI-UL-anydo-b5c")

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

DEBUG = False
LMS_ENVIRONMENT = "test"

# Fast hashing: the suite creates many users; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# PostgreSQL, with a flush between transactional tests that deletes rows instead of
# truncating every table (tests/support/postgresql/base.py says why it is the same).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.support.postgresql"  # noqa: F405
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", "/tmp/lms-test-media"))

# Serve static files straight from the source folders (no collectstatic needed here).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Production gives up on Redis after a second and treats the cache as cold (lms/cache.py).
# On a loaded test machine a reply can take that long; the extra database query of a
# cold cache would then break the query-count tests, so the suite waits longer.
# The outage tests stop Redis, which refuses connections at once whatever this says.
CACHES["default"].setdefault("OPTIONS", {})["socket_timeout"] = 5.0  # noqa: F405
