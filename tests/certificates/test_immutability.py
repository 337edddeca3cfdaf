"""Acceptance 4: an issued PDF never changes; a reissue makes a new one and supersedes the old."""

import copy
import hashlib

import pytest
from django.conf import settings as django_settings

from certificates.exceptions import CertificateError
from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_reissue, certificate_render
from lms.models import DoctorProfile
from tests.certificates.factories import issued_certificate, pdf_text, stored_pdf, stored_pdf_files
from tests.factories import learner

pytestmark = pytest.mark.django_db


def test_template_edits_and_name_changes_after_issue_change_nothing_issued(
    media_root, client, admin_user, settings, tmp_path
):
    doctor = learner(full_name="Dr Ananya Rao")
    old = issued_certificate(doctor)
    old_bytes = stored_pdf(old)
    old_name = old.pdf.name

    # Later: the template is redesigned, the learner corrects their name, the course is renamed.
    original = (django_settings.BASE_DIR / "templates" / "certificates" / "certificate.html").read_text()
    folder = tmp_path / "templates" / "certificates"
    folder.mkdir(parents=True)
    (folder / "certificate.html").write_text(
        original.replace("Certificate of Completion</h1>", "Certificate of Completion — 2028 design</h1>")
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    DoctorProfile.objects.filter(user=doctor).update(full_name="Dr Ananya Rao-Sharma")
    course = old.enrolment.run.course
    course.title = "Chronic Pain, Revised Edition"
    course.save_revision().publish()

    # The stored PDF, its hash and what the verification page shows are unchanged.
    old.refresh_from_db()
    assert old.pdf.name == old_name
    assert stored_pdf(old) == old_bytes
    assert hashlib.sha256(old_bytes).hexdigest() == old.pdf_sha256
    assert old.holder_name == "Dr Ananya Rao"
    client.force_login(doctor)
    download = client.get(f"/certificates/{old.pk}/download/")
    assert b"".join(download.streaming_content) == old_bytes
    assert "Dr Ananya Rao-Sharma" not in client.get(old.verification_path).content.decode()

    # A reissue renders a new certificate from current data, with the new design.
    new = certificate_reissue(
        certificate=old, by=admin_user, reason="Name corrected at the learner's request"
    )
    new = certificate_render(certificate_id=new.pk)
    new_text = pdf_text(stored_pdf(new))
    assert "Dr Ananya Rao-Sharma" in new_text
    assert "Chronic Pain, Revised Edition" in new_text
    assert "2028 design" in new_text
    assert new.serial != old.serial and new.verification_code != old.verification_code
    assert new.pdf_sha256 != old.pdf_sha256
    assert stored_pdf(old) == old_bytes
    assert len(stored_pdf_files(media_root)) == 2

    # The old one stays verifiable, as superseded, pointing at the new one.
    old.refresh_from_db()
    assert old.status == CertificateStatus.SUPERSEDED
    assert old.superseded_by == new
    page = client.get(old.verification_path).content.decode()
    assert "Superseded certificate" in page
    assert new.verification_path in page
    assert "Valid certificate" in client.get(new.verification_path).content.decode()
    # The learner now downloads the new one; the superseded one is no longer theirs to download.
    assert client.get(f"/certificates/{old.pk}/download/").status_code == 404
    assert client.get(f"/certificates/{new.pk}/download/").status_code == 200


def test_reissue_keeps_one_valid_certificate_and_refuses_what_is_not_issued(media_root, admin_user):
    old = issued_certificate()
    new = certificate_reissue(certificate=old, by=admin_user, reason="Typo in the name")
    assert (
        Certificate.objects.filter(
            enrolment=old.enrolment, status__in=["pending", "issued", "failed"]
        ).count()
        == 1
    )
    with pytest.raises(CertificateError):
        certificate_reissue(certificate=old, by=admin_user, reason="again")  # superseded now
    with pytest.raises(CertificateError):
        certificate_reissue(certificate=new, by=admin_user, reason="still pending")
    with pytest.raises(CertificateError):
        certificate_reissue(certificate=Certificate.objects.get(pk=new.pk), by=admin_user, reason="  ")
