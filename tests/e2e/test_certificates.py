"""Certificates in a real browser, with a real Celery worker rendering.

An administrator revokes one certificate and reissues another (corrected name) in the
Wagtail admin; the learner downloads the new PDF from the dashboard; a verifier opens the
URL its QR code encodes and sees it valid, and the old ones as superseded and revoked.
"""

import io
import re

import pypdf
import pytest
from django.conf import settings
from playwright.sync_api import expect

from certificates.models import Certificate, CertificateStatus
from courses.services import module_complete
from lms.models import DoctorProfile
from tests.certificates.conftest import broker, media_root, private_redis, start_worker  # noqa: F401 - fixtures
from tests.certificates.factories import SignatoryFactory, course_to_complete
from tests.certificates.processes import wait_until
from tests.factories import learner
from tests.support.processes import session_key_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, user, live_server) -> None:
    """Give the browser a session for ``user`` (signing in itself is covered elsewhere)."""
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key_for(user), "url": live_server.url}]
    )


def issued(**filters) -> Certificate:
    return wait_until(
        lambda: Certificate.objects.filter(status=CertificateStatus.ISSUED, **filters).first(),
        timeout=60,
        message=f"a certificate issued for {filters}",
    )


def test_admin_revokes_and_reissues_learner_downloads_verifier_checks(
    browser,
    live_server,
    start_worker,  # noqa: F811 - a fixture, imported above
    django_user_model,
):
    start_worker(LMS_BASE_URL=live_server.url)  # the QR code points at this server
    SignatoryFactory(name="Dr Meera Iyer", title="Dean, Faculty of Pain Medicine")
    doctor = learner(full_name="Dr Kavya Ragunathan")  # misspelt: to be corrected
    wrong_enrolment, wrong_pages = course_to_complete(doctor)
    right_enrolment, right_pages = course_to_complete(doctor)
    module_complete(learner=doctor, module=wrong_pages[0])
    module_complete(learner=doctor, module=right_pages[0])
    wrong = issued(enrolment=wrong_enrolment)
    original = issued(enrolment=right_enrolment)
    admin = django_user_model.objects.create_superuser(
        "registrar", "registrar@example.org", "Registrar-Pass-42"
    )

    # --- The administrator ---------------------------------------------------------------
    admin_page = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    ).new_page()
    admin_page.set_default_timeout(15_000)
    sign_in(admin_page, admin, live_server)

    admin_page.goto("/admin/snippets/certificates/certificate/")
    admin_page.get_by_role("link", name=wrong.serial).click()
    expect(admin_page.get_by_role("heading", name="Audit trail")).to_be_visible()
    admin_page.get_by_role("button", name="Actions").click()
    admin_page.get_by_role("link", name="Revoke").click()
    admin_page.get_by_label("Reason").select_option(label="Issued in error")
    admin_page.get_by_label("Note").fill("Enrolled in the wrong course by mistake")
    admin_page.get_by_role("button", name="Revoke certificate").click()
    expect(admin_page.get_by_text(f"Certificate {wrong.serial} is revoked.")).to_be_visible()
    expect(admin_page.get_by_role("cell", name="Certificate revoked")).to_be_visible()

    DoctorProfile.objects.filter(user=doctor).update(
        full_name="Dr Kavya Raghunathan"
    )  # the learner's correction
    admin_page.goto("/admin/snippets/certificates/certificate/")
    admin_page.get_by_role("link", name=original.serial).click()
    admin_page.get_by_role("button", name="Actions").click()
    admin_page.get_by_role("link", name="Reissue").click()
    admin_page.get_by_label("Reason").fill("Name corrected at the learner's request")
    admin_page.get_by_role("button", name="Reissue certificate").click()
    expect(admin_page.get_by_text(re.compile(rf"replaces {original.serial}"))).to_be_visible()
    reissued = issued(supersedes=original)

    # --- The learner -----------------------------------------------------------------------
    learner_page = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    ).new_page()
    learner_page.set_default_timeout(15_000)
    sign_in(learner_page, doctor, live_server)
    learner_page.goto("/dashboard/")
    expect(learner_page.get_by_text(f"Your certificate {wrong.serial} was revoked")).to_be_visible()
    course_title = right_enrolment.run.course.title
    with learner_page.expect_download() as download_info:
        learner_page.get_by_role("link", name=f"Download certificate (PDF) for {course_title}").click()
    download = download_info.value
    assert download.suggested_filename == f"{reissued.serial}.pdf"
    with open(download.path(), "rb") as handle:
        pdf = handle.read()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Dr Kavya Raghunathan" in text
    qr_url = re.search(r"https?://\S+/certificates/verify/[A-Z2-7]{32}/", text).group(0)
    assert qr_url == f"{live_server.url}/certificates/verify/{reissued.verification_code}/"

    # --- The verifier (no account) ------------------------------------------------------------
    verifier = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    verifier.set_default_timeout(15_000)
    verifier.goto(qr_url)
    expect(verifier.get_by_role("heading", name="Valid certificate")).to_be_visible()
    expect(verifier.get_by_text("Dr Kavya Raghunathan")).to_be_visible()
    expect(verifier.get_by_text(course_title)).to_be_visible()

    verifier.goto(f"{live_server.url}{original.verification_path}")
    expect(verifier.get_by_role("heading", name="Superseded certificate")).to_be_visible()
    verifier.get_by_role("link", name=f"certificate {reissued.serial}").click()
    expect(verifier.get_by_role("heading", name="Valid certificate")).to_be_visible()

    verifier.goto(f"{live_server.url}/certificates/verify/")
    verifier.get_by_label("Verification code").fill(wrong.grouped_code.lower())
    verifier.get_by_role("button", name="Verify").click()
    expect(verifier.get_by_role("heading", name="Revoked certificate")).to_be_visible()
    expect(verifier.get_by_text("Reason: Issued in error")).to_be_visible()
