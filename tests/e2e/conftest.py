"""Browser tests: Playwright driving Debian's headless Chromium against a live server.

Every browser context any test opens watches for Content-Security-Policy violations
(the page's ``securitypolicyviolation`` events and Chromium's console reports) and for
Permissions-Policy header errors; a test during which one happened fails at teardown,
naming each. So every journey — public pages and the Wagtail admin alike — also proves
the policies let it work.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's services, which this closed
# network refuses (slowly).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Runs in every frame before the page's own scripts (Playwright injects it outside the
# page's CSP); reports each violation on the console, where the listener below hears it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
    console.error("CSP violation: " + event.effectiveDirective + " blocked " + (event.blockedURI || "inline")
        + " at " + event.sourceFile + ":" + event.lineNumber + " on " + event.documentURI);
});
"""
POLICY_MESSAGES = ("CSP violation", "Content Security Policy", "Permissions-Policy", "Permissions policy")
policy_violations: list[str] = []


def _watch_policies(context):
    context.add_init_script(script=CSP_LISTENER)

    def watch(page):
        page.on(
            "console",
            lambda message: (
                policy_violations.append(f"{page.url}: {message.text}")
                if any(marker in message.text for marker in POLICY_MESSAGES)
                else None
            ),
        )

    context.on("page", watch)
    return context


@pytest.fixture(autouse=True)
def no_policy_violations():
    """Fail the test if any page it drove reported a CSP or Permissions-Policy problem."""
    policy_violations.clear()
    yield
    found, policy_violations[:] = list(policy_violations), []
    assert not found, "Content-Security-Policy / Permissions-Policy problems:\n" + "\n".join(found)


# One browser per test module, not per session: while Playwright's sync API is open, its
# event loop runs in the test thread, and Django refuses a synchronous request to an async
# view there (the test client's /healthz: "You cannot use AsyncToSync in the same thread as
# an async event loop"). Run serially, pytest-django puts the browser tests after every
# such test; on a pytest-xdist worker (--dist loadfile) other modules follow them.
@pytest.fixture(scope="module")
def browser(django_db_setup):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package.")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright runs the test inside its event loop, where Django hands out a fresh
    # connection object per alias. serialized_rollback restores the migrated data
    # (groups, workflow, locale) from a copy kept on the connection object made when the
    # test database was created: carry that copy over.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        new_context = browser.new_context
        browser.new_context = lambda *args, **kwargs: _watch_policies(new_context(*args, **kwargs))
        yield browser
        browser.close()
        # The connections Django opened inside the event loop are reachable only there.
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def staff(role: str):
    """A staff account in one of the academy's role groups (created by migrations)."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def roles():
    """A faculty author and a board member. The roles and the "Faculty endorsement"
    workflow come from migrations; a transactional test restores them."""
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow

    from lms.roles import BOARD, FACULTY_AUTHORS

    assert Group.objects.filter(name__in=[FACULTY_AUTHORS, BOARD]).count() == 2, (
        "The migrated data is gone: serialized_rollback restored nothing after an earlier "
        "transactional test (the serialized copy must reach the connection the tests use)."
    )
    assert Workflow.objects.get(name="Faculty endorsement").active
    return staff(FACULTY_AUTHORS), staff(BOARD)


@pytest.fixture
def session(browser, live_server):
    """``session()`` opens a fresh browser context: one person, one set of cookies."""
    contexts = []

    def open_session():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_session
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(live_server):
    """``sign_in(page, user)``: give the page's browser context a saved session for ``user``.

    For journeys whose subject is not signing in: the form costs a page load and a
    redirect per sign-in. Signing in through the form is itself covered by
    test_learner_journey and test_endorsement.
    """
    from django.conf import settings

    from tests.support.processes import session_key_for

    def sign_in_as(page, user):
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_key_for(user), "url": live_server.url}]
        )

    return sign_in_as
