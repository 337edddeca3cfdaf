"""Issue 10, retention: participation records are kept; deleting an account anonymises it.

Accreditors require six years of records. No foreign key lets a user's deletion take
enrolments, attempts, claims, transcript lines, external credits or certificates with it;
the doctor's "Delete my account" and the Wagtail admin's user delete (one or in bulk) both
go through :func:`lms.services.account_anonymise`, which erases who the person is and
keeps what they did — the certificates stay verifiable.
"""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from wagtail.models import ModelLogEntry

from api.models import IdempotentRequest
from certificates.models import Certificate
from courses.models import Enrolment, ExternalCredit, ModuleCompletion
from lms.models import DoctorProfile
from lms.services import AccountDeletionError, account_anonymise, account_delete_own
from tests.certificates.factories import issued_certificate
from tests.courses.factories import CreditTypeFactory
from tests.courses.test_external_credits import add, pdf_bytes, upload
from tests.factories import PASSWORD, UserFactory, learner

pytestmark = pytest.mark.django_db

User = get_user_model()

# Rows that belong to the person alone, not to the participation record: a CASCADE from
# the user is right for them (the anonymising service deletes them itself).
PERSONAL_ROWS = {
    "lms.User_groups",
    "lms.User_user_permissions",
    "lms.DoctorProfile",
    "api.IdempotentRequest",
    "wagtailusers.UserProfile",
    "wagtailadmin.EditingSession",
    "wagtailadmin.FormState",
    "wagtailcore.APIToken",
    "wagtailcore.Comment",
    "wagtailcore.CommentReply",
    "wagtailcore.PageSubscription",
    "oauth2_provider.Application",
    "oauth2_provider.Grant",
    "oauth2_provider.AccessToken",
    "oauth2_provider.RefreshToken",
    "oauth2_provider.IDToken",
    "oauth2_provider.DeviceGrant",
    "account.EmailAddress",
    "lms.CalendarFeed",
    "lms.NotificationOptOut",
    # A place on a waiting list is a wish to take part, not a record of having taken part.
    "courses.WaitlistEntry",
}
PARTICIPATION_RECORDS = {
    "courses.Enrolment",
    "quizzes.Attempt",
    "courses.TranscriptEntry",
    "courses.ExternalCredit",
}


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def foreign_keys_to_user():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model is User:
                yield model._meta.label, field.name, field.remote_field.on_delete


def test_no_foreign_key_lets_a_users_deletion_take_a_participation_record_with_it():
    cascading = {label for label, _, on_delete in foreign_keys_to_user() if on_delete is models.CASCADE}
    # Every CASCADE is a personal row; a new one must be thought about (and listed) here.
    assert cascading <= PERSONAL_ROWS, cascading - PERSONAL_ROWS
    protecting = {label for label, _, on_delete in foreign_keys_to_user() if on_delete is models.PROTECT}
    assert protecting >= PARTICIPATION_RECORDS
    # Claims, evaluations, completions and certificates hang off the enrolment, which nothing deletes.
    for model in ("courses.CreditClaim", "courses.EvaluationSubmission", "certificates.Certificate"):
        assert apps.get_model(model)._meta.get_field("enrolment").remote_field.on_delete is models.PROTECT


def test_deleting_the_user_row_itself_is_refused_while_it_has_records(media_root):
    certificate = issued_certificate()
    with pytest.raises(ProtectedError):
        certificate.enrolment.learner.delete()
    assert Certificate.objects.filter(pk=certificate.pk).exists()


@pytest.fixture
def doctor_with_records(media_root, client):
    """A doctor with an issued certificate, an external credit with evidence, a session, tokens."""
    doctor = learner(full_name="Dr Kavya Raghunathan", registration_number="KMC 123456")
    certificate = issued_certificate(doctor)
    credit = add(doctor, CreditTypeFactory(), upload(pdf_bytes()))
    application = Application.objects.create(
        name="Council app",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://council.example.org/callback",
    )
    AccessToken.objects.create(
        user=doctor,
        application=application,
        token="secret-token",
        expires=timezone.now() + datetime.timedelta(hours=1),
        scope="read",
    )
    IdempotentRequest.objects.create(
        user=doctor, key="k1", operation="enrol", fingerprint="0" * 64, response_status=201, response_body={}
    )
    client.force_login(doctor)
    return doctor, certificate, credit


def assert_anonymised_and_records_kept(doctor, certificate, credit, *, client):
    doctor.refresh_from_db()
    assert doctor.email == f"deleted-{doctor.pk}@deleted.invalid"
    assert doctor.username == f"deleted-{doctor.pk}"
    assert (doctor.first_name, doctor.last_name) == ("", "")
    assert not doctor.is_active and not doctor.has_usable_password()
    assert not DoctorProfile.objects.filter(user=doctor).exists()
    assert not EmailAddress.objects.filter(user=doctor).exists()
    assert not AccessToken.objects.filter(user=doctor).exists()
    assert not IdempotentRequest.objects.filter(user=doctor).exists()
    assert not [
        s for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(doctor.pk)
    ]
    # The record stays: enrolment, completions, certificate and the external credit's entry.
    assert Enrolment.objects.filter(learner=doctor).count() == 1
    assert ModuleCompletion.objects.filter(enrolment__learner=doctor).exists()
    credit.refresh_from_db()
    assert credit.evidence.name == "" and len(credit.evidence_sha256) == 64
    assert ExternalCredit.objects.filter(learner=doctor).count() == 1
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.holder_name == "Dr Kavya Raghunathan"
    page = client.get(certificate.verification_path).content.decode()
    assert "Valid certificate" in page and "Dr Kavya Raghunathan" in page
    assert ModelLogEntry.objects.filter(action="lms.account_anonymise", object_id=str(doctor.pk)).count() == 1


def test_a_doctor_deletes_their_account_with_their_password(doctor_with_records, client, media_root):
    doctor, certificate, credit = doctor_with_records
    evidence_name = credit.evidence.name
    storage = credit.evidence.storage
    assert storage.exists(evidence_name)
    profile_page = client.get(reverse("profile")).content.decode()
    assert "Delete my account" in profile_page

    page = client.get(reverse("account_delete"))
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
    with django_capture_on_commit():
        response = client.post(reverse("account_delete"), {"password": PASSWORD, "understood": "on"})

    assert response.status_code == 302 and response["Location"] == "/"
    assert not storage.exists(evidence_name)
    assert client.get("/dashboard/").status_code == 302  # signed out
    assert not client.login(username="doctor@example.org", password=PASSWORD)
    assert_anonymised_and_records_kept(doctor, certificate, credit, client=client)
    entry = ModelLogEntry.objects.get(action="lms.account_anonymise", object_id=str(doctor.pk))
    assert entry.data["by"] == "the account holder"


def django_capture_on_commit():
    """Run on-commit callbacks at once (the test runs inside one transaction)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "not-my-password", "understood": "on"}, "That is not your password."),
        ({"password": PASSWORD}, "Tick the box to confirm"),
        ({"understood": "on"}, "This field is required."),
    ],
)
def test_a_wrong_password_or_no_confirmation_deletes_nothing(doctor_with_records, client, data, message):
    doctor, certificate, credit = doctor_with_records
    response = client.post(reverse("account_delete"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    doctor.refresh_from_db()
    assert doctor.is_active and doctor.email.endswith("@example.org")
    assert DoctorProfile.objects.filter(user=doctor).exists()
    assert client.get("/dashboard/").status_code == 200  # still signed in
    assert not ModelLogEntry.objects.filter(action="lms.account_anonymise").exists()


def test_nobody_can_delete_someone_elses_account(doctor_with_records, client):
    doctor, _, _ = doctor_with_records
    other = learner()
    # Another's password does not confirm mine, and nothing in the request can name another account.
    response = client.post(
        reverse("account_delete"), {"password": "wrong", "understood": "on", "user": other.pk}
    )
    assert response.status_code == 400
    with pytest.raises(AccountDeletionError):
        account_delete_own(user=other, password="not-theirs")
    other.refresh_from_db()
    doctor.refresh_from_db()
    assert other.is_active and doctor.is_active
    client.logout()
    assert (
        client.post(reverse("account_delete"), {"password": PASSWORD, "understood": "on"}).status_code == 302
    )
    other.refresh_from_db()
    assert other.is_active  # signed out: sent to the log-in page, nothing deleted


def test_an_account_is_anonymised_once(doctor_with_records, admin_user):
    doctor, _, _ = doctor_with_records
    account_anonymise(user=doctor, by=admin_user)
    with pytest.raises(AccountDeletionError, match="already been deleted"):
        account_anonymise(user=doctor, by=admin_user)


def test_the_admins_user_delete_anonymises_and_keeps_the_records(doctor_with_records, client, admin_user):
    doctor, certificate, credit = doctor_with_records
    admin = client.__class__()
    admin.force_login(admin_user)
    url = reverse("wagtailusers_users:delete", args=[doctor.pk])

    confirm = admin.get(url).content.decode()
    assert "participation records" in confirm and "Yes, delete and anonymise" in confirm
    with django_capture_on_commit():
        response = admin.post(url, follow=True)

    assert response.status_code == 200
    assert f"Account {doctor.pk} deleted" in response.content.decode()
    assert User.objects.filter(pk=doctor.pk).exists()
    assert_anonymised_and_records_kept(doctor, certificate, credit, client=client)
    entry = ModelLogEntry.objects.get(action="lms.account_anonymise", object_id=str(doctor.pk))
    assert entry.user_id == admin_user.pk and entry.data["by"] == "an administrator"


def test_the_admins_bulk_delete_anonymises_every_account_chosen(media_root, admin_client):
    first, second = issued_certificate().enrolment.learner, issued_certificate().enrolment.learner
    url = (
        reverse("wagtail_bulk_action", args=["lms", "user", "delete"])
        + f"?id={first.pk}&id={second.pk}&next=/admin/users/"
    )
    confirm = admin_client.get(url).content.decode()
    assert "participation records" in confirm and "Yes, delete and anonymise" in confirm

    response = admin_client.post(url, follow=True)

    assert response.status_code == 200
    assert "2 account(s) deleted" in response.content.decode()
    for user in (first, second):
        user.refresh_from_db()
        assert not user.is_active and user.email.endswith("@deleted.invalid")
        assert Certificate.objects.filter(enrolment__learner=user, status="issued").count() == 1


def test_someone_without_the_permission_cannot_delete_accounts_in_the_admin(doctor_with_records):
    doctor, _, _ = doctor_with_records
    editor = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff = doctor.__class__.objects.get(pk=editor.pk)
    from django.test import Client

    browser = Client()
    browser.force_login(staff)
    response = browser.post(reverse("wagtailusers_users:delete", args=[doctor.pk]))
    assert response.status_code in (302, 403)
    doctor.refresh_from_db()
    assert doctor.is_active


def test_an_account_waits_for_a_certificate_still_being_prepared(media_root, client, admin_user):
    """The pending certificate must print the holder's name, which the deletion erases."""
    from certificates.models import CertificateStatus

    certificate = issued_certificate()
    doctor = certificate.enrolment.learner
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.PENDING)
    course_title = certificate.enrolment.run.course.title
    client.force_login(doctor)

    response = client.post(reverse("account_delete"), {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 400
    assert f"The certificate for “{course_title}” is still being prepared" in response.content.decode()
    admin = client.__class__()
    admin.force_login(admin_user)
    page = admin.post(reverse("wagtailusers_users:delete", args=[doctor.pk]), follow=True)
    assert "is still being prepared" in page.content.decode()
    doctor.refresh_from_db()
    assert doctor.is_active and DoctorProfile.objects.filter(user=doctor).exists()
    assert not ModelLogEntry.objects.filter(action="lms.account_anonymise").exists()

    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.ISSUED)
    account_anonymise(user=doctor, by=admin_user)
    doctor.refresh_from_db()
    assert not doctor.is_active
