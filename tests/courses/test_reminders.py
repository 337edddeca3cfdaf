"""Reminders by e-mail: due when they should be, at most once per enrolment and kind, preferences
respected, the certificate's own e-mail never doubled, and a sweep flat in queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_email_learner
from courses.models import Enrolment, EnrolmentStatus, Reminder, ReminderStatus
from courses.reminders import reminders_sweep
from lms.mail import unsubscribe_token_read
from lms.models import NotificationOptOut
from lms.services import notification_preferences_save
from tests.courses.factories import CourseRunFactory, EnrolmentFactory, ModulePageFactory
from tests.quizzes.factories import make_quiz
from tests.support.operations import populate_run
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def closing_run(n: int):
    """A run begun 25 days ago that closes in 2 days, with ``n`` learners at every step
    (``tests.support.operations``): a tenth never started, a tenth idle for 20 days, two
    tenths active yesterday, six completed (four with an issued certificate)."""
    run = CourseRunFactory(starts_on=today() - days(25), ends_on=today() + days(2), capacity=n + 10)
    modules = [ModulePageFactory(parent=run.course) for _ in range(2)]
    quiz = make_quiz(run.course, title="Post-test", pass_mark_percent=Decimal("60"))
    enrolments = populate_run(run, n, modules=modules, quiz=quiz)
    # Certificates issued a day ago whose e-mail never went out (the mail server refused it).
    Certificate.objects.filter(enrolment__run=run).update(issued_at=timezone.now() - days(1))
    return run, enrolments


def kinds_by_step(enrolments) -> dict[int, set[str]]:
    by_enrolment: dict[int, set[str]] = {}
    for reminder in Reminder.objects.filter(enrolment__in=enrolments):
        by_enrolment.setdefault(reminder.enrolment_id, set()).add(reminder.kind)
    steps: dict[int, set[str]] = {}
    for i, enrolment in enumerate(enrolments):
        steps.setdefault(i % 10, set()).update(by_enrolment.get(enrolment.pk, set()))
    return steps


def test_each_kind_goes_to_the_learners_it_is_due_for_once():
    run, enrolments = closing_run(10)
    result = reminders_sweep()
    steps = kinds_by_step(enrolments)
    assert steps[0] == {"inactive", "run_closing"}  # never started
    assert steps[1] == {"inactive", "run_closing"}  # idle for 20 days
    assert steps[2] == steps[3] == {"run_closing"}  # active yesterday
    assert steps[4] == steps[7] == {"certificate_ready"}  # completed, certificate never e-mailed
    assert steps[8] == steps[9] == set()  # completed, no certificate
    assert result.recorded == result.sent == 10 and result.failed == 0
    assert len(mail.outbox) == 10
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 10

    # The next sweep (hourly), a redelivered task, a second worker: nothing more.
    again = reminders_sweep()
    assert (again.recorded, again.sent) == (0, 0)
    assert len(mail.outbox) == 10


def test_the_record_is_unique_per_enrolment_and_kind():
    enrolment = EnrolmentFactory()
    Reminder.objects.create(enrolment=enrolment, kind="inactive")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(enrolment=enrolment, kind="inactive")


def test_run_starting_tomorrow_and_its_message():
    run = CourseRunFactory(starts_on=today() + days(1), ends_on=today() + days(29))
    enrolment = EnrolmentFactory(run=run)
    EnrolmentFactory(run=run, status=EnrolmentStatus.WITHDRAWN, withdrawn_at=timezone.now())
    EnrolmentFactory(run=CourseRunFactory(starts_on=today() + days(2), ends_on=today() + days(29)))
    reminders_sweep()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [enrolment.learner.email]
    assert message.subject == f"{run.course.title} starts tomorrow"
    assert "starts tomorrow" in message.body and enrolment.learner.doctor_profile.full_name in message.body
    assert run.course.url in message.body
    # RFC 8058: the one-click address, in the header and at the foot of the text.
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[-1]
    wanted = unsubscribe_token_read(token=token)
    assert (wanted.user_id, wanted.kind) == (enrolment.learner_id, "run_starting")
    assert header.strip("<>") in message.body


@override_settings(LMS_REMINDER_INACTIVE_DAYS=10, LMS_REMINDER_CLOSING_DAYS=1)
def test_the_days_are_settings():
    run, enrolments = closing_run(10)  # closes in 2 days: not within 1
    reminders_sweep()
    steps = kinds_by_step(enrolments)
    assert steps[0] == steps[1] == {"inactive"}  # 20 days idle > 10
    assert steps[2] == set()


@override_settings(LMS_REMINDER_INACTIVE_DAYS=30)
def test_no_inactivity_reminder_before_n_days():
    run, enrolments = closing_run(10)  # the learners enrolled 30 days ago, idle 20 days
    reminders_sweep(now=timezone.now())
    assert "inactive" not in set().union(*kinds_by_step(enrolments).values())


def test_a_doctor_who_turned_a_kind_off_gets_none_of_it():
    run, enrolments = closing_run(10)
    never_started = enrolments[0].learner
    notification_preferences_save(user=never_started, wanted={"inactive", "certificate_ready"})
    reminders_sweep()
    theirs = {r.kind for r in Reminder.objects.filter(enrolment=enrolments[0])}
    assert theirs == {"inactive"}
    assert [m.subject for m in mail.outbox if m.to == [never_started.email]] == [
        f"Pick up where you left off in {run.course.title}"
    ]


def test_a_reminder_pending_when_the_doctor_turns_it_off_is_skipped():
    run = CourseRunFactory(starts_on=today() + days(1), ends_on=today() + days(29))
    enrolment = EnrolmentFactory(run=run)
    Reminder.objects.create(enrolment=enrolment, kind="run_starting")
    NotificationOptOut.objects.create(user=enrolment.learner, kind="run_starting")
    result = reminders_sweep()
    assert (result.sent, result.skipped) == (0, 1)
    assert mail.outbox == []
    assert Reminder.objects.get(enrolment=enrolment).status == ReminderStatus.SKIPPED


def test_certificate_ready_never_doubles_the_certificate_email():
    run, enrolments = closing_run(10)
    first_certified = enrolments[4]
    certificate = Certificate.objects.get(enrolment=first_certified)
    # The certificate flow's own e-mail went out for this one (its retry succeeded).
    assert certificate_email_learner(certificate_id=certificate.pk) is True
    mail.outbox.clear()
    reminders_sweep()
    assert not Reminder.objects.filter(enrolment=first_certified).exists()
    reminded = {m.to[0] for m in mail.outbox if "certificate" in m.subject}
    assert first_certified.learner.email not in reminded and len(reminded) == 3
    # The other way round: after the reminder, the certificate flow sends nothing.
    other = Certificate.objects.get(enrolment=enrolments[5])
    assert other.emailed_at is not None
    mail.outbox.clear()
    assert certificate_email_learner(certificate_id=other.pk) is False
    assert mail.outbox == []


def test_a_certificate_just_issued_waits_for_its_own_email():
    run, enrolments = closing_run(10)
    Certificate.objects.filter(enrolment__run=run).update(issued_at=timezone.now())
    reminders_sweep()
    assert not Reminder.objects.filter(kind="certificate_ready").exists()


class RefusingBackend:
    """An e-mail backend whose server refuses every message (as an SMTP outage would)."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_refused_send_is_tried_again_by_the_next_sweep():
    run, enrolments = closing_run(10)
    with override_settings(EMAIL_BACKEND="tests.courses.test_reminders.RefusingBackend"):
        refused = reminders_sweep()
    assert (refused.sent, refused.failed) == (0, 10)
    assert Reminder.objects.filter(status=ReminderStatus.PENDING).count() == 10
    assert not Certificate.objects.filter(enrolment__run=run, emailed_at__isnull=False).exists()
    later = reminders_sweep()
    assert (later.recorded, later.sent) == (0, 10)
    assert len(mail.outbox) == 10


def test_a_reminder_left_unsent_too_long_is_dropped():
    run, enrolments = closing_run(10)
    with override_settings(EMAIL_BACKEND="tests.courses.test_reminders.RefusingBackend"):
        reminders_sweep()
    result = reminders_sweep(now=timezone.now() + datetime.timedelta(hours=21))
    assert result.sent == 0
    assert Reminder.objects.filter(status=ReminderStatus.SKIPPED).count() == 10


def test_the_sweep_runs_in_constant_queries():
    from wagtail.models import Site

    def measured(n: int) -> list[str]:
        run, enrolments = closing_run(n)
        Site.get_site_root_paths()  # Wagtail's cached site roots (read once per cache lifetime)
        mail.outbox.clear()
        with count_queries() as queries:
            result = reminders_sweep()
        assert result.sent == n  # (2 + 4 + 4 tenths: see test_each_kind…)
        Enrolment.objects.filter(run=run).update(status=EnrolmentStatus.WITHDRAWN)
        Certificate.objects.filter(enrolment__run=run).update(emailed_at=timezone.now())
        return queries.statements

    small = measured(10)
    large = measured(120)
    assert len(small) == len(large), "\n".join(q[:150] for q in small + ["----"] + large)
    assert len(small) <= 16


def test_administrators_see_who_was_reminded(client):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from lms.roles import ADMINISTRATORS, FACULTY_AUTHORS
    from tests.factories import UserFactory

    run = CourseRunFactory(starts_on=today() + days(1), ends_on=today() + days(29))
    enrolment = EnrolmentFactory(run=run)
    reminders_sweep()
    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name=ADMINISTRATORS))
    client.force_login(admin)
    html = client.get(reverse("courses_reminder:list")).content.decode()
    assert enrolment.learner.doctor_profile.full_name in html
    assert "A course I enrolled in starts tomorrow" in html and "Sent" in html
    author = UserFactory(is_staff=True)
    author.groups.add(Group.objects.get(name=FACULTY_AUTHORS))
    client.force_login(author)
    assert client.get(reverse("courses_reminder:list")).status_code in (302, 403)
