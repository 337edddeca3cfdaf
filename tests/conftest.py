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
