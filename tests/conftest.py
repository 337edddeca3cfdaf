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
