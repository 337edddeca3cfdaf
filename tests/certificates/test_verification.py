"""Acceptance 5 and 6: verification pages, revocation, and who may download a PDF."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from certificates.models import new_verification_code
from certificates.services import certificate_render, certificate_revoke
from tests.certificates.factories import complete, course_to_complete, issued_certificate, stored_pdf
from tests.courses.factories import with_faculty
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


def test_revoking_shows_revoked_with_date_and_reason_and_blocks_the_learners_download(
    media_root, client, admin_user
):
    certificate = issued_certificate()
    doctor = certificate.enrolment.learner
    client.force_login(doctor)
    assert client.get(f"/certificates/{certificate.pk}/download/").status_code == 200

    certificate = certificate_revoke(
        certificate=certificate,
        by=admin_user,
        category="registration_invalid",
        note="Council letter of 3 March",
    )

    page = client.get(certificate.verification_path).content.decode()
    assert "Revoked certificate" in page
    assert f"revoked on {timezone.localtime(certificate.revoked_at):%-d %B %Y}" in page
    assert "Medical registration not valid" in page
    assert "Council letter" not in page  # the note is for the audit log only
    assert "Valid certificate" not in page
    assert client.get(f"/certificates/{certificate.pk}/download/").status_code == 404
    dashboard = client.get("/dashboard/").content.decode()
    assert "was revoked on" in dashboard and "Download certificate" not in dashboard


def test_the_verification_page_shows_what_was_certified_and_hides_contact_details(media_root, client):
    certificate = issued_certificate(
        learner(full_name="Dr Kavya Raghunathan", registration_number="KMC 123456")
    )
    page = client.get(certificate.verification_path).content.decode()
    for expected in [
        "Valid certificate",
        "Dr Kavya Raghunathan",
        certificate.course_title,
        certificate.run_label,
        "8",
        certificate.serial,
        "Karnataka Medical Council",
        "•••••••456",
    ]:
        assert expected in page, expected
    assert "KMC 123456" not in page
    assert certificate.enrolment.learner.email not in page


def test_nobody_else_can_download_a_learners_pdf(media_root, client):
    certificate = issued_certificate()
    url = f"/certificates/{certificate.pk}/download/"

    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(learner())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True))  # staff, but without the permission
    assert client.get(url).status_code == 404
    assert client.get("/certificates/999999/download/").status_code == 404

    records = UserFactory(is_staff=True)
    records.user_permissions.add(Permission.objects.get(codename="download_any_certificate"))
    client.force_login(records)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_pdf(certificate)
    assert response["Content-Type"] == "application/pdf"


def test_the_holder_downloads_the_stored_file(media_root, client):
    certificate = issued_certificate()
    client.force_login(certificate.enrolment.learner)
    response = client.get(f"/certificates/{certificate.pk}/download/")
    assert response.status_code == 200
    assert f'filename="{certificate.serial}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == stored_pdf(certificate)


def test_unknown_and_malformed_codes_get_the_same_404(media_root, client):
    pending_enrolment, pages = course_to_complete()
    pending = complete(pending_enrolment, pages)  # not issued yet: it verifies nothing

    responses = [
        client.get(f"/certificates/verify/{code}/")
        for code in [
            new_verification_code(),  # well-formed, unknown
            pending.verification_code,
            "abc",
            "A" * 200,
            "<script>alert(1)</script>",
            "ABCD/EFGH",
            "%00",
            "0000000000000000000000000000000O",  # 0 and O are not base32 digits
        ]
    ]
    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1
    assert b"No certificate matches this code" in responses[0].content


def test_codes_verify_whatever_their_case_and_grouping(media_root, client):
    certificate = issued_certificate()
    response = client.get("/certificates/verify/", {"code": certificate.grouped_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == certificate.verification_path
    assert client.get(certificate.verification_path.lower()).status_code == 200


def test_a_serial_verifies_only_with_the_holders_registration_number(media_root, client):
    certificate = issued_certificate(learner(registration_number="KMC/40012"))

    alone = client.get("/certificates/verify/", {"serial": certificate.serial})
    assert alone.status_code == 200
    assert "registration number with the serial" in alone.content.decode()

    wrong = client.get(
        "/certificates/verify/", {"serial": certificate.serial, "registration_number": "KMC-99999"}
    )
    assert "No certificate matches" in wrong.content.decode()

    right = client.get(
        "/certificates/verify/", {"serial": certificate.serial.lower(), "registration_number": "kmc 40012"}
    )
    assert right.status_code == 302
    assert right["Location"] == certificate.verification_path


def test_the_verification_form_explains_why_a_serial_is_not_enough(client):
    page = client.get("/certificates/verify/").content.decode()
    assert "Verify a certificate" in page
    assert "serial number alone would let anyone look up every certificate" in page


def test_serial_lookups_are_rate_limited_so_registration_numbers_cannot_be_guessed(media_root, client):
    certificate = issued_certificate(learner(registration_number="KMC-40012"))
    for attempt in range(20):
        response = client.get(
            "/certificates/verify/", {"serial": certificate.serial, "registration_number": f"KMC-{attempt}"}
        )
        assert response.status_code == 200
    blocked = client.get(
        "/certificates/verify/", {"serial": certificate.serial, "registration_number": "KMC-40012"}
    )
    assert blocked.status_code == 429
    assert "Too many serial number look-ups" in blocked.content.decode()
    # The verification code still works: it cannot be guessed, so it needs no limit.
    assert client.get("/certificates/verify/", {"code": certificate.verification_code}).status_code == 302


def _endorse_course(course, *, author, reviewer, summary: str):
    course.summary = summary
    if not course.faculty_links.exists():
        with_faculty(course)
    course.save_revision(user=author)
    course.get_workflow().start(course, author)
    task_state = course.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")


def test_the_verification_page_shows_when_the_faculty_endorsed_the_course_the_holder_completed(
    media_root, client
):
    from django.contrib.auth.models import Group

    from courses.models import Endorsement
    from lms.roles import BOARD, FACULTY_AUTHORS

    author, reviewer = UserFactory(is_staff=True), UserFactory(is_staff=True)
    author.groups.add(Group.objects.get(name=FACULTY_AUTHORS))
    reviewer.groups.add(Group.objects.get(name=BOARD))
    enrolment, pages = course_to_complete()
    course = enrolment.run.course
    _endorse_course(course, author=author, reviewer=reviewer, summary="Endorsed overview.")
    endorsed = Endorsement.objects.get(page=course)
    # Pin the endorsement to a day of its own, so the page must show this one's date.
    endorsed_on = timezone.now() - datetime.timedelta(days=40)
    Endorsement.objects.filter(pk=endorsed.pk).update(approved_at=endorsed_on)
    certificate = certificate_render(certificate_id=complete(enrolment, pages).pk)

    # Re-endorsed after the holder completed: the certificate still shows what they studied.
    _endorse_course(course, author=author, reviewer=reviewer, summary="Second edition.")
    assert Endorsement.objects.filter(page=course).count() == 2

    page = client.get(certificate.verification_path).content.decode()
    assert "Endorsed by the Faculty of Pain Medicine" in page
    assert f'<time datetime="{timezone.localtime(endorsed_on):%Y-%m-%d}">' in page


def test_a_course_published_outside_the_workflow_shows_no_endorsement_on_verification(media_root, client):
    certificate = issued_certificate()  # its course was published by a factory, not endorsed
    page = client.get(certificate.verification_path).content.decode()
    assert "Valid certificate" in page and "Endorsed by the Faculty of Pain Medicine" not in page
