"""The one Celery application of the project.

Configured from Django settings (every ``CELERY_*`` setting), it discovers the
``tasks.py`` module of each installed app. Workers, beat and the web processes all
import it through ``lms/__init__.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
