"""Production settings for ``bench/load.py``'s gunicorn, plus the floor: a bare view.

Everything is ``lms.settings.production`` (middleware, sessions, cache, security); the
only addition is ``/bench/floor/`` (:mod:`_load_urls`), a view that answers a few bytes
through the same middleware, so the bench can tell the cost of a page from the cost of
the stack around it.
"""

import os

from lms.settings.production import *  # noqa: F403

ROOT_URLCONF = "_load_urls"
STATIC_ROOT = os.environ.get("LOAD_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
