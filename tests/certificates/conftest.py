"""Fixtures for certificate tests: private media storage, a private Redis, real Celery workers."""

from __future__ import annotations

import pytest

from tests.certificates.processes import CeleryWorker, PrivateRedis


@pytest.fixture
def media_root(tmp_path, settings):
    """A MEDIA_ROOT of the test's own (shared with its workers), so file counts mean something."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def private_redis():
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.close()


def _point_celery_at(url: str) -> None:
    from lms.celery import app

    app.conf.broker_url = url
    app.conf.broker_write_url = None
    app.conf.broker_read_url = None
    # Forget pooled connections to the previous broker.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(private_redis):
    """This process's Celery app publishes to the private Redis for the test's duration."""
    from lms.celery import app

    previous = app.conf.broker_url
    _point_celery_at(private_redis.url)
    yield private_redis
    _point_celery_at(previous)


@pytest.fixture
def start_worker(broker, media_root):
    """Start Celery worker processes against the test database, the private Redis and media root."""
    from django.db import connection

    workers: list[CeleryWorker] = []
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
        f"{settings_dict['NAME']}"
    )

    def start(**extra_env) -> CeleryWorker:
        worker = CeleryWorker(
            database_url=database_url,
            redis_url=broker.url,
            media_root=str(media_root),
            extra_env={key: str(value) for key, value in extra_env.items()},
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
