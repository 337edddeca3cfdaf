"""The Pain Academy LMS project package: settings, URLs, the Celery app, doctor accounts."""

from lms.celery import app as celery_app

__all__ = ("celery_app",)
