"""The learner's dashboard and course page show each certificate's state, in constant queries."""

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_render, certificate_revoke
from tests.certificates.factories import complete, course_to_complete, issued_certificate
from tests.courses.test_query_counts import queries
from tests.factories import learner

pytestmark = pytest.mark.django_db


def test_each_certificate_state_reads_clearly(media_root, client, admin_user):
    doctor = learner()
    pending_enrolment, pending_pages = course_to_complete(doctor)
    complete(pending_enrolment, pending_pages)
    issued = issued_certificate(doctor)
    revoked = certificate_revoke(
        certificate=issued_certificate(doctor), by=admin_user, category="issued_in_error"
    )
    failed_enrolment, failed_pages = course_to_complete(doctor)
    failed = complete(failed_enrolment, failed_pages)
    Certificate.objects.filter(pk=failed.pk).update(status=CertificateStatus.FAILED, last_error="boom")

    client.force_login(doctor)
    page = client.get("/dashboard/").content.decode()

    assert "Your certificate is being prepared" in page
    assert f'href="/certificates/{issued.pk}/download/"' in page
    assert f'href="{issued.verification_path}"' in page
    assert f"was revoked on {timezone.localtime(revoked.revoked_at):%-d %B %Y}" in page
    assert "We are looking into it" in page
    assert "boom" not in page  # the error is for administrators
    assert f"/certificates/{revoked.pk}/download/" not in page


def test_the_course_page_shows_the_learners_certificate(media_root, client):
    certificate = issued_certificate()
    client.force_login(certificate.enrolment.learner)
    page = client.get(certificate.enrolment.run.course.url).content.decode()
    assert f"/certificates/{certificate.pk}/download/" in page


def test_the_dashboard_is_flat_in_the_number_of_certificates(media_root, client):
    one, many = learner(), learner()
    for doctor, count in ((one, 1), (many, 20)):
        for _ in range(count):
            enrolment, pages = course_to_complete(doctor, modules=2)
            certificate = complete(enrolment, pages)
            certificate_render(certificate_id=certificate.pk)

    client.force_login(one)
    with_one = queries(client, "/dashboard/")
    client.force_login(many)
    with_twenty = queries(client, "/dashboard/")
    assert "Download certificate" in client.get("/dashboard/").content.decode()

    assert with_one == with_twenty
    assert with_twenty <= 12
