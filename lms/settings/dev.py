"""Development settings: ``make run`` on a laptop.

An embedded SQLite database, console e-mail, and Celery tasks run in-process unless
``REDIS_URL`` is set — then a real worker runs beside the web server.
"""

import os
from pathlib import Path

_BASE_DIR = Path(__file__).resolve().parent.parent.parent

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_BASE_DIR / 'db.sqlite3'}")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# A published, dev-only credential key: credentials signed with it prove nothing.
os.environ.setdefault("DJANGO_CREDENTIAL_KEYS", "dev-key-1:fFvkSPw26wX9ugyJp9XoR9SC6JMV53aC4NjLSRUYims")

from .base import *  # noqa: E402,F403
from .base import REDIS_URL, STORAGES  # noqa: E402

DEBUG = True
LMS_ENVIRONMENT = "development"

# Without a broker, tasks run in the request that queued them; with one, the worker
# that `make run` starts beside the web server takes them.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Serve static files straight from the source folders (no collectstatic needed here).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
