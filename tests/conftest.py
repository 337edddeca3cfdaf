"""Fixtures shared by the whole suite (PostgreSQL and Redis, as in production)."""

import os

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run inside one unless told it is safe (tests do not share connections across it).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and site-root caches live in Redis: start each test from nothing."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    from tests.courses.factories import site_tree

    return site_tree()


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """``seed_demo`` run once for the test module on the empty test database; returns its output.

    The seed stays in an open transaction for the module: each test runs in a savepoint
    inside it (pytest-django's ``db``), so a test's own changes roll back, and the seed
    rolls back after the module's last test. Seeding takes seconds; this keeps it to one
    run per module instead of one per test.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = str(tmp_path_factory.mktemp("demo-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def _shared_worker_processes(django_db_setup, django_db_blocker, tmp_path_factory):
    """A private Redis and one Celery worker (as ``start_worker()`` starts it) for the session.

    Started by the first test that asks for ``shared_worker`` (starting a worker takes
    seconds, up to twenty on a loaded machine), stopped at the end of the session. Its
    MEDIA_ROOT is a symbolic link that ``shared_worker`` points at each test's own media root.
    """
    from tests.certificates.processes import CeleryWorker, PrivateRedis, worker_database_url

    redis = PrivateRedis()
    redis.start()
    folder = tmp_path_factory.mktemp("shared-worker")
    (folder / "no-test").mkdir()
    link = folder / "media"
    link.symlink_to(folder / "no-test")
    with django_db_blocker.unblock():
        database_url = worker_database_url()
    worker = CeleryWorker(database_url=database_url, redis_url=redis.url, media_root=str(link))
    yield redis, worker, link
    worker.stop()
    redis.close()


@pytest.fixture
def shared_worker(_shared_worker_processes, media_root):
    """The session's Celery worker, for a test that needs a worker doing its job and nothing more.

    The worker sees the test's committed data (the test database, a transactional test),
    writes into the test's own ``media_root``, and this process publishes to its Redis for
    the test's duration; whatever an earlier test left queued is purged first. Tests that
    start workers with settings of their own, kill them or stop their Redis use
    ``start_worker`` instead.
    """
    import os

    from lms.celery import app
    from tests.certificates.processes import point_celery_at

    redis, worker, link = _shared_worker_processes
    assert worker.process.poll() is None, f"The shared Celery worker has exited:\n{worker.log[-4000:]}"
    if not redis.ping():
        redis.start()
    repointed = link.with_name("media-next")
    repointed.unlink(missing_ok=True)
    repointed.symlink_to(media_root)
    os.replace(repointed, link)
    previous = app.conf.broker_url
    point_celery_at(redis.url)
    app.control.purge()
    yield worker
    point_celery_at(previous)
