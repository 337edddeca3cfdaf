"""Bulk enrolment end to end: upload in the admin, the dry run, confirm, a Celery job that applies
it exactly once, per-row results; new doctors invited to set a password and complete their profile."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses.bulk_enrolment import (
    APPLY_TASK,
    Applied,
    bulk_enrolment_apply,
    bulk_enrolment_confirm,
    bulk_enrolment_upload,
)
from courses.exceptions import BulkEnrolmentError
from courses.models import (
    BulkEnrolment,
    BulkEnrolmentStatus,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    WaitlistEntry,
)
from courses.services import enrolment_create, enrolment_withdraw
from lms.invitations import INVITATION_TASK, invitation_send, invitation_url
from lms.models import EmailSend, OutboxMessage
from lms.roles import ADMINISTRATORS, FACULTY_AUTHORS
from tests.certificates.processes import wait_until
from tests.courses.factories import CourseRunFactory
from tests.factories import UserFactory, learner
from tests.support.queries import count_queries

User = get_user_model()


def staff(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def hospital_file(known_email: str, enrolled_email: str) -> bytes:
    # As Excel saves it in a locale with decimal commas: BOM, semicolons, quoted cells, CRLF.
    return (
        "\ufeffE-mail address;Name as printed;Registration number\r\n"
        f"{enrolled_email};Dr Already;\r\n"
        f"{known_email.upper()};;\r\n"
        'new.one@hospital.example.org;"Rao; Dr ""Ananya""";KMC-77001\r\n'
        'formula@hospital.example.org;=HYPERLINK("http://evil.example","x");\r\n'
        "not-an-email;Dr Typo;\r\n"
        "nameless@hospital.example.org;;\r\n"
        "NEW.ONE@hospital.example.org;Dr Again;\r\n"
        "late@hospital.example.org;Dr Late;\r\n"
    ).encode()


def upload(data: bytes, name="doctors.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


EXPECTED = [
    Applied.ALREADY,
    Applied.ENROLLED,
    Applied.INVITED,
    Applied.INVITED,
    Applied.BAD_EMAIL,
    Applied.NO_NAME,
    Applied.DUPLICATE,
    Applied.INVITED_WAITLISTED,  # four seats were free: the known doctor and two new ones took three
]


@pytest.mark.django_db
def test_applying_a_file_enrols_invites_and_queues_and_is_safe_twice():
    run = CourseRunFactory(capacity=4)
    enrolled, known = learner(), learner()
    enrolment_create(learner=enrolled, run=run)
    admin = staff(ADMINISTRATORS)
    bulk = bulk_enrolment_upload(run=run, upload=upload(hospital_file(known.email, enrolled.email)), by=admin)
    assert bulk.status == BulkEnrolmentStatus.PREVIEW and bulk.rows_total == 8
    assert Enrolment.objects.filter(run=run).count() == 1  # the upload changes nothing
    assert (
        bulk_enrolment_apply(bulk_id=bulk.pk).status == BulkEnrolmentStatus.PREVIEW
    )  # not confirmed: nothing

    bulk_enrolment_confirm(bulk=bulk, by=admin)
    with pytest.raises(BulkEnrolmentError, match="already been confirmed"):
        bulk_enrolment_confirm(bulk=bulk, by=admin)
    assert OutboxMessage.objects.filter(task=APPLY_TASK, args=[bulk.pk]).count() == 1

    done = bulk_enrolment_apply(bulk_id=bulk.pk, chunk=3)  # chunks of 3: results are kept across them
    assert done.status == BulkEnrolmentStatus.DONE and done.rows_done == 8
    assert [r[2] for r in done.results] == EXPECTED
    assert bulk_enrolment_apply(bulk_id=bulk.pk).results == done.results  # a second delivery does nothing

    run = CourseRun.objects.get(pk=run.pk)
    assert run.seats_taken == 4 == Enrolment.objects.filter(run=run, status=EnrolmentStatus.ACTIVE).count()
    ananya = User.objects.get(email="new.one@hospital.example.org")
    assert (
        ananya.doctor_profile.full_name == 'Rao; Dr "Ananya"'
        and ananya.doctor_profile.registration_number == "KMC-77001"
    )
    assert not ananya.has_usable_password() and not ananya.doctor_profile.is_complete
    assert User.objects.get(email="formula@hospital.example.org").doctor_profile.full_name.startswith(
        "=HYPERLINK("
    )
    assert WaitlistEntry.objects.filter(run=run, learner__email="late@hospital.example.org").exists()
    invitations = OutboxMessage.objects.filter(task=INVITATION_TASK)
    assert invitations.count() == 3  # two new doctors enrolled, one waitlisted

    # The same file again: nobody is enrolled twice, nobody invited twice.
    again = bulk_enrolment_upload(
        run=run, upload=upload(hospital_file(known.email, enrolled.email)), by=admin
    )
    bulk_enrolment_confirm(bulk=again, by=admin)
    again = bulk_enrolment_apply(bulk_id=again.pk)
    assert [r[2] for r in again.results] == [
        Applied.ALREADY,
        Applied.ALREADY,
        Applied.ALREADY,
        Applied.ALREADY,
        Applied.BAD_EMAIL,
        Applied.NO_NAME,
        Applied.DUPLICATE,
        Applied.ALREADY_WAITING,
    ]
    assert Enrolment.objects.filter(run=run).count() == 4 and invitations.count() == 3
    assert WaitlistEntry.objects.filter(run=run).count() == 1


@pytest.mark.django_db
def test_the_invitation_sets_a_password_once_and_lands_on_the_profile(client):
    run = CourseRunFactory()
    bulk = bulk_enrolment_upload(
        run=run, upload=upload(b"email,name\nmeera@hospital.example.org,Dr Meera Iyer\n"), by=None
    )
    bulk_enrolment_confirm(bulk=bulk, by=None)
    bulk_enrolment_apply(bulk_id=bulk.pk)
    meera = User.objects.get(email="meera@hospital.example.org")
    what = f"{run.course.title} ({run.label} run)"
    assert invitation_send(user_id=meera.pk, what=what, key=f"invitation:{meera.pk}") is True
    assert invitation_send(user_id=meera.pk, what=what, key=f"invitation:{meera.pk}") is False  # once
    (message,) = mail.outbox
    assert message.to == ["meera@hospital.example.org"] and "IPSC Pain Academy" in message.body
    assert what in message.body and "registration number" in message.body
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    assert link == invitation_url(meera) or path.startswith("/accounts/invitation/")

    page = client.get(path)
    assert page.status_code == 200 and "Choose the password" in page.content.decode()
    response = client.post(
        path, {"new_password1": "Pain-Academy-2027!", "new_password2": "Pain-Academy-2027!"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("profile"))
    meera.refresh_from_db()
    assert meera.check_password("Pain-Academy-2027!")
    assert meera.emailaddress_set.get().verified
    assert client.get(reverse("dashboard")).status_code == 200  # signed in
    client.logout()
    used = client.get(path)
    assert used.status_code == 400 and "no longer works" in used.content.decode()
    assert Enrolment.objects.get(learner=meera, run=run).is_active


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("doctors.xlsx", b"PK\x03\x04binary", "is not a CSV file"),
        ("doctors.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV file"),
        ("doctors.csv", b"", "is empty"),
        ("doctors.csv", b"email,name,password\na@example.org,A,x\n", "Unknown column(s): password"),
        ("doctors.csv", b"email\n" + b"a@example.org\n" * 160_000, "the limit is 2 MB"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_change_nothing(client, name, data, message):
    run = CourseRunFactory()
    client.force_login(staff(ADMINISTRATORS))
    response = client.post(
        reverse("courses_bulkenrolment:bulk_upload"), {"run": run.pk, "file": upload(data, name)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BulkEnrolment.objects.exists()


@pytest.mark.django_db
def test_a_run_of_another_course_is_refused(client):
    run, other = CourseRunFactory(), CourseRunFactory()
    client.force_login(staff(ADMINISTRATORS))
    response = client.post(
        reverse("courses_bulkenrolment:bulk_upload"),
        {"course": other.course.pk, "run": run.pk, "file": upload(b"email,name\na@example.org,Dr A\n")},
    )
    assert response.status_code == 200 and "is a run of another course" in response.content.decode()
    assert not BulkEnrolment.objects.exists()


@pytest.mark.django_db
def test_only_administrators_upload_or_confirm(client):
    run = CourseRunFactory()
    bulk = bulk_enrolment_upload(run=run, upload=upload(b"email,name\na@example.org,Dr A\n"), by=None)
    client.force_login(staff(FACULTY_AUTHORS))
    for url in (
        reverse("courses_bulkenrolment:bulk_upload"),
        reverse("courses_bulkenrolment:bulk_preview", args=[bulk.pk]),
        reverse("courses_bulkenrolment:bulk_progress", args=[bulk.pk]),
    ):
        assert client.get(url).status_code in (302, 403)
    client.post(reverse("courses_bulkenrolment:bulk_preview", args=[bulk.pk]))
    assert BulkEnrolment.objects.get(pk=bulk.pk).status == BulkEnrolmentStatus.PREVIEW
    client.force_login(learner())
    assert client.get(reverse("courses_bulkenrolment:bulk_upload")).status_code == 302


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_applies_an_uploaded_file_and_the_admin_shows_each_row(start_worker, client):
    start_worker()
    run = CourseRunFactory(capacity=4)
    enrolled, known = learner(), learner()
    enrolment_create(learner=enrolled, run=run)
    client.force_login(staff(ADMINISTRATORS))

    response = client.post(
        reverse("courses_bulkenrolment:bulk_upload"),
        {"run": run.pk, "file": upload(hospital_file(known.email, enrolled.email))},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bulk = BulkEnrolment.objects.get()
    preview = client.get(response["Location"]).content.decode()
    for label in (
        "Already enrolled",
        "Will enrol",
        "Will invite a new doctor",
        "Malformed e-mail address",
        "Missing name",
        "Duplicate row",
        "Run full: waitlist",
    ):
        assert label in preview
    assert Enrolment.objects.filter(run=run).count() == 1  # the dry run changed nothing

    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("courses_bulkenrolment:bulk_progress", args=[bulk.pk])
    wait_until(lambda: BulkEnrolment.objects.get(pk=bulk.pk).status == BulkEnrolmentStatus.DONE, timeout=90)
    progress = client.get(confirmed["Location"]).content.decode()
    assert 'data-bulk-status="done"' in progress and 'data-bulk-rows="8"' in progress
    assert "New doctor invited and enrolled: 2" in progress and "Enrolled: 1" in progress
    assert progress.count('data-result="') == 8
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 4
    # The worker sent each new doctor's invitation once (its idempotency key is recorded).
    invited = User.objects.filter(
        email__in=[
            "new.one@hospital.example.org",
            "formula@hospital.example.org",
            "late@hospital.example.org",
        ]
    )
    wait_until(lambda: EmailSend.objects.filter(key__startswith="invitation:").count() == 3, timeout=60)
    assert set(EmailSend.objects.filter(key__startswith="invitation:").values_list("key", flat=True)) == {
        f"invitation:{user.pk}" for user in invited
    }

    # The task delivered again (a redelivery) changes nothing.
    from lms.dispatch import task_send

    assert task_send(APPLY_TASK, bulk.pk)
    before = list(BulkEnrolment.objects.get(pk=bulk.pk).results)
    wait_until(
        lambda: OutboxMessage.objects.filter(task=APPLY_TASK, dispatched_at__isnull=False).exists(),
        timeout=30,
    )
    assert BulkEnrolment.objects.get(pk=bulk.pk).results == before
    assert Enrolment.objects.filter(run=run).count() == 4


def _mixed_file(rows: int, run) -> tuple[bytes, list[str]]:
    """A file of ``rows`` lines with every outcome, and the outcomes expected, in order.

    Known and new doctors alternate; the run has seats for all but the last two of them
    (one known, one new), who go on its waitlist.
    """
    enrolled, withdrawn = learner(), learner()
    enrolment_create(learner=enrolled, run=run)
    enrolment_withdraw(enrolment=enrolment_create(learner=withdrawn, run=run))
    lines = [f"{enrolled.email};;", f"{withdrawn.email};;", "not-an-email;Dr Typo;", "nameless@example.org;;"]
    expected = [Applied.ALREADY, Applied.ENROLLED, Applied.BAD_EMAIL, Applied.NO_NAME]
    alternating = rows - 5
    for i in range(alternating):
        full = i >= alternating - 2
        if i % 2:
            lines.append(f'new{run.pk}-{i}@hospital.example.org;"Dr New, {i}";KMC-{i}')
            expected.append(Applied.INVITED_WAITLISTED if full else Applied.INVITED)
        else:
            lines.append(f"{learner().email};;")
            expected.append(Applied.WAITLISTED if full else Applied.ENROLLED)
    lines.append(lines[-1].upper())
    expected.append(Applied.DUPLICATE)
    CourseRun.objects.filter(pk=run.pk).update(capacity=2 + alternating - 2)
    return ("email;name;registration number\n" + "\n".join(lines) + "\n").encode(), expected


@pytest.mark.django_db
def test_applying_a_chunk_costs_the_same_queries_for_ten_rows_as_for_fifty(
    django_capture_on_commit_callbacks,
):
    admin = staff(ADMINISTRATORS)
    counted = {}
    for rows in (10, 50):
        run = CourseRunFactory(capacity=rows)
        data, expected = _mixed_file(rows, run)
        bulk = bulk_enrolment_upload(run=run, upload=upload(data), by=admin)
        bulk_enrolment_confirm(bulk=bulk, by=admin)
        invitations = OutboxMessage.objects.filter(task=INVITATION_TASK)
        before = invitations.count()
        with django_capture_on_commit_callbacks() as callbacks, count_queries() as queries:
            done = bulk_enrolment_apply(bulk_id=bulk.pk, chunk=rows)
        assert [r[2] for r in done.results] == expected
        run.refresh_from_db()
        assert run.seats_taken == run.capacity == Enrolment.objects.filter(run=run, status="active").count()
        assert WaitlistEntry.objects.filter(run=run, status="waiting").count() == 2
        # The chunk's invitations are one outbox insert and one dispatch after commit.
        assert invitations.count() - before == expected.count(Applied.INVITED) + 1
        assert len(callbacks) == 1
        # Every enrolment the file made is in the audit log, by the administrator who uploaded it.
        logged = ModelLogEntry.objects.filter(
            action="wagtail.create", user=admin, object_id__in=[str(e.pk) for e in run.enrolments.all()]
        )
        assert logged.count() == expected.count(Applied.ENROLLED) + expected.count(Applied.INVITED)
        counted[rows] = len(queries)
    assert counted[10] == counted[50], counted
    assert counted[50] <= 30, counted
