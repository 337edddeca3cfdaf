"""A doctor deletes their account in the browser, on a desktop and on a 390 px phone.

From the profile, by role and label as a screen reader would: a wrong password is refused
with a message and changes nothing; the right one with the box ticked signs them out, and
their certificate still verifies. Every state is axe-clean and fits the phone's width.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.certificates.factories import issued_certificate
from tests.e2e.test_accessibility import VIEWPORTS, _context
from tests.factories import PASSWORD, learner
from tests.support.accessibility import assert_no_axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_a_doctor_deletes_their_account_from_the_profile(browser, live_server, screen, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    doctor = learner(full_name="Dr Kavya Raghunathan")
    certificate = issued_certificate(doctor)
    page = _context(browser, live_server, screen, user=doctor).new_page()

    page.goto("/profile/")
    page.get_by_role("link", name="Delete my account…").click()
    page.wait_for_url("**/profile/delete/")
    assert_no_axe_violations(page, f"delete my account, {screen}")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[screen]["width"]

    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_label("I understand that I can no longer sign in").check()
    page.get_by_role("button", name="Delete my account").click()
    assert page.get_by_text("That is not your password. Your account has not been deleted.").is_visible()
    assert_no_axe_violations(page, f"delete my account, wrong password, {screen}")
    assert get_user_model().objects.get(pk=doctor.pk).is_active

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that I can no longer sign in").check()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("Your account is deleted and you are signed out.").is_visible()

    doctor.refresh_from_db()
    assert not doctor.is_active and doctor.email.endswith("@deleted.invalid")
    page.goto(f"/certificates/verify/{certificate.verification_code}/")
    assert page.get_by_role("heading", name="Valid certificate").is_visible()
    assert page.get_by_text("Dr Kavya Raghunathan").is_visible()
