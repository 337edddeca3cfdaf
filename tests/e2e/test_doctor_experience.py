"""What a doctor expects of every page, in a real browser, on a desktop and on a 390 px phone.

The navigation (the menu, Profile, Sign out) works without JavaScript; the icons are the
page's own inline SVGs (no icon font); the certificates page lists each certificate with
its download, verification page and a link to share.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.certificates.factories import issued_certificate
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.support.processes import session_key_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_page(browser, live_server, *, viewport, javascript=True, user=None):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport,
        java_script_enabled=javascript,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
    )
    context.set_default_timeout(15_000)
    if user is not None:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_key_for(user), "url": live_server.url}]
        )
    return context.new_page()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_navigation_reaches_profile_and_signs_out_with_or_without_javascript(
    browser, live_server, viewport, javascript
):
    doctor = learner()
    CourseRunFactory()
    page = open_page(browser, live_server, viewport=viewport, javascript=javascript, user=doctor)
    page.goto("/dashboard/")
    nav = page.get_by_role("navigation", name="Main")
    courses = nav.get_by_role("link", name="Courses", exact=True)
    if viewport is PHONE:
        expect(courses).to_be_hidden()
        nav.get_by_text("Menu").click()
    expect(courses).to_be_visible()
    expect(nav.get_by_role("link", name="Certificates")).to_be_visible()
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    nav.get_by_text("Account").click()
    nav.get_by_role("link", name="Profile").click()
    expect(page).to_have_url(re.compile(r"/profile/$"))

    nav = page.get_by_role("navigation", name="Main")
    if viewport is PHONE:
        nav.get_by_text("Menu").click()
    nav.get_by_text("Account").click()
    nav.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    if viewport is PHONE:
        nav.get_by_text("Menu").click()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    page.context.close()


def test_icons_are_inline_svg_from_the_pages_own_sprite_and_no_icon_font(browser, live_server):
    run = CourseRunFactory()
    ModulePageFactory(parent=run.course)
    page = open_page(browser, live_server, viewport=DESKTOP)
    fonts = []
    page.on(
        "request", lambda request: fonts.append(request.url) if "bootstrap-icons" in request.url else None
    )
    page.goto(run.course.url)
    used = set(page.eval_on_selector_all("svg.bi use", "uses => uses.map(u => u.getAttribute('href'))"))
    defined = set(page.eval_on_selector_all(".icon-sprite symbol", "symbols => symbols.map(s => '#' + s.id)"))
    assert used and used <= defined, used - defined
    assert defined <= used  # only the icons this page uses
    assert fonts == []
    page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_certificates_page_lists_download_verification_and_a_link_to_share(
    browser, live_server, viewport
):
    doctor = learner()
    certificate = issued_certificate(doctor)
    page = open_page(browser, live_server, viewport=viewport, user=doctor)
    page.goto("/certificates/")
    expect(page.get_by_role("heading", name="Your certificates", level=1)).to_be_visible()
    card = page.get_by_role("article", name=certificate.course_title)
    expect(card.get_by_text("Issued", exact=True)).to_be_visible()
    expect(card.get_by_text(f"Serial {certificate.serial}")).to_be_visible()
    verify = card.get_by_role("link", name=re.compile("Verification page"))
    share = card.get_by_label(re.compile("Link to share"))
    expect(share).to_have_value(f"{live_server.url}/certificates/verify/{certificate.verification_code}/")
    with page.expect_download() as download:
        card.get_by_role("link", name=re.compile("Download")).click()
    assert download.value.suggested_filename == f"{certificate.serial}.pdf"
    verify.click()
    expect(page.get_by_text(re.compile("valid", re.I)).first).to_be_visible()
    page.context.close()
