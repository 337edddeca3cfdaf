"""Fixtures for course tests: the real-process fixtures of the certificate tests (private
Redis, Celery workers, a media root of the test's own), for the export jobs."""

from tests.certificates.conftest import broker, media_root, private_redis, start_worker  # noqa: F401 - fixtures
