"""Fixtures shared by the whole suite (PostgreSQL and Redis, as in production)."""

import os

import pytest
from django.core.cache import cache
from django.db import connections
from pytest_django.plugin import blocking_manager_key, validate_django_db

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run inside one unless told it is safe (tests do not share connections across it).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# --- The migrated data after a transactional test (pytest-xdist) -------------------------------
#
# Every transactional test here is serialized_rollback=True: it loads the rows the
# migrations made (locales, the site root, role groups, content types, …) when it starts
# and flushes every table when it ends. pytest-django runs the transactional tests after
# all the others, so in one process no test ever finds the tables empty. Under
# `pytest -n --dist loadfile` a worker runs one module after another, the transactional
# tests of the one before the ordinary tests of the next: those would find no locale, no
# root page, no groups. So before an ordinary database test that follows a flush, the rows
# are loaded back as a serialized_rollback test loads them (committed, outside the test's
# transaction).
_flushed_after: dict[str, str] = {}  # alias → serialized rows, set when a transactional test ends


def _database_use(item) -> tuple[bool, bool]:
    """(uses the database, transactionally), as pytest-django decides it for ``item``."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = bool(marker and any(validate_django_db(marker)[:2]))  # transaction, reset_sequences
    transactional = transactional or "transactional_db" in fixtures or "live_server" in fixtures
    uses_db = transactional or marker is not None or "db" in fixtures
    return uses_db, transactional


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    uses_db, transactional = _database_use(item)
    if not _flushed_after or not uses_db or transactional:
        return
    with item.config.stash[blocking_manager_key].unblock():
        for alias, contents in _flushed_after.items():
            connections[alias].creation.deserialize_db_from_string(contents)
    _flushed_after.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if _database_use(item)[1]:
        _flushed_after.update(
            (alias, connections[alias]._test_serialized_contents)
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        )
    return result


def pytest_collection_modifyitems(items):
    """Give each test its own node id.

    schemathesis names each API operation's test ``test_x[GET /api/v1/…]``, but under
    pytest 9.2 (which builds node ids from the original name and the parameters) they all
    get the node id ``…::test_x``. pytest-xdist schedules by node id: it ran one of the 23
    operations and reported nothing for the others. The operation becomes the id's
    parameters, as in the test's name.
    """
    seen: dict[str, int] = {}
    for item in items:
        seen[item.nodeid] = seen.get(item.nodeid, 0) + 1
    for item in items:
        _, bracket, params = item.name.partition("[")
        if seen[item.nodeid] > 1 and bracket and item.id.params is None:
            item._id = item.id.with_params(params.removesuffix("]"))
    duplicated = {nodeid for nodeid, count in seen.items() if count > 1} & {item.nodeid for item in items}
    assert not duplicated, (
        f"tests share a node id, so pytest-xdist would run one of them: {sorted(duplicated)}"
    )


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
