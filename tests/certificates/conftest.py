"""Fixtures for certificate tests: private media storage, a private Redis, real Celery workers."""

from __future__ import annotations

import pytest

from tests.certificates.processes import CeleryWorker, PrivateRedis, point_celery_at, worker_database_url


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


@pytest.fixture
def broker(private_redis):
    """This process's Celery app publishes to the private Redis for the test's duration."""
    from lms.celery import app

    previous = app.conf.broker_url
    point_celery_at(private_redis.url)
    yield private_redis
    point_celery_at(previous)


@pytest.fixture
def start_worker(broker, media_root):
    """Start Celery worker processes against the test database, the private Redis and media root."""
    workers: list[CeleryWorker] = []
    database_url = worker_database_url()

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
