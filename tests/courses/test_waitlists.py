"""Waitlists: a full run queues doctors; a freed seat is offered to the first in line, held, accepted or passed on."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.exceptions import EnrolmentError, WaitlistError
from courses.models import CourseRun, Enrolment, EnrolmentStatus, WaitlistEntry, WaitlistStatus
from courses.services import enrolment_create, enrolment_withdraw
from courses.waitlists import (
    OFFER_EMAIL_TASK,
    waitlist_join,
    waitlist_leave,
    waitlist_offer_accept,
    waitlist_offer_email,
    waitlist_offers_sweep,
    waitlist_position,
)
from lms.models import OutboxMessage
from tests.courses.factories import CourseRunFactory
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


def full_run(capacity=2):
    run = CourseRunFactory(capacity=capacity)
    enrolments = [enrolment_create(learner=learner(), run=run) for _ in range(capacity)]
    run.refresh_from_db()
    return run, enrolments


def seats(run) -> int:
    return CourseRun.objects.get(pk=run.pk).seats_taken


def test_doctors_queue_in_order_and_see_their_position():
    run, _ = full_run()
    first, second = learner(), learner()
    a = waitlist_join(learner=first, run=run)
    b = waitlist_join(learner=second, run=run)
    assert (waitlist_position(entry=a), waitlist_position(entry=b)) == (1, 2)
    waitlist_leave(entry=a, learner=first)
    assert waitlist_position(entry=b) == 1
    assert WaitlistEntry.objects.get(pk=a.pk).status == WaitlistStatus.LEFT


def test_bad_joins_are_refused_and_change_nothing():
    run, enrolments = full_run()
    doctor = learner()
    waitlist_join(learner=doctor, run=run)
    with pytest.raises(WaitlistError, match=r"already on the waitlist .*\(number 1 in line\)"):
        waitlist_join(learner=doctor, run=run)
    with pytest.raises(WaitlistError, match="already enrolled"):
        waitlist_join(learner=enrolments[0].learner, run=run)
    roomy = CourseRunFactory(capacity=5)
    with pytest.raises(WaitlistError, match="has seats free: enrol instead"):
        waitlist_join(learner=learner(), run=roomy)
    with pytest.raises(WaitlistError, match="profile"):
        waitlist_join(learner=UserFactory(), run=run)
    assert WaitlistEntry.objects.count() == 1


def test_a_withdrawal_offers_the_seat_to_the_first_in_line_who_accepts_it():
    run, enrolments = full_run()
    first, second = learner(), learner()
    entry = waitlist_join(learner=first, run=run)
    waitlist_join(learner=second, run=run)

    enrolment_withdraw(enrolment=enrolments[0])
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.offer_expires_at - entry.offered_at == datetime.timedelta(hours=48)
    assert seats(run) == 2  # the seat is held for the offer: nobody else can take it
    with pytest.raises(EnrolmentError, match="is full"):
        enrolment_create(learner=learner(), run=run)
    assert OutboxMessage.objects.filter(task=OFFER_EMAIL_TASK, args=[entry.pk]).exists()

    assert waitlist_offer_email(entry_id=entry.pk) is True
    assert waitlist_offer_email(entry_id=entry.pk) is False  # a redelivered task sends nothing
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [first.email]
    assert reverse("waitlist_offer", args=[entry.pk]) in mail.outbox[0].body

    # Someone else cannot take it; the doctor can.
    with pytest.raises(WaitlistError, match="offered to another doctor"):
        waitlist_offer_accept(entry_id=entry.pk, learner=second)
    enrolment = waitlist_offer_accept(entry_id=entry.pk, learner=first)
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.run_id == run.pk
    assert seats(run) == 2
    assert Enrolment.objects.filter(run=run, status=EnrolmentStatus.ACTIVE).count() == 2
    with pytest.raises(WaitlistError, match="already accepted"):
        waitlist_offer_accept(entry_id=entry.pk, learner=first)


def test_an_expired_offer_passes_to_the_next_and_the_last_frees_the_seat(settings):
    settings.LMS_WAITLIST_OFFER_HOURS = 2
    run, enrolments = full_run()
    first, second = learner(), learner()
    a = waitlist_join(learner=first, run=run)
    b = waitlist_join(learner=second, run=run)
    enrolment_withdraw(enrolment=enrolments[0])
    a.refresh_from_db()
    assert a.offer_expires_at - a.offered_at == datetime.timedelta(hours=2)

    later = timezone.now() + datetime.timedelta(hours=3)
    with pytest.raises(WaitlistError, match="expired"):
        waitlist_offer_accept(entry_id=a.pk, learner=first, now=later)
    assert waitlist_offers_sweep(now=later) == 1
    assert waitlist_offers_sweep(now=later) == 0  # safe twice
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (WaitlistStatus.EXPIRED, WaitlistStatus.OFFERED)
    with pytest.raises(WaitlistError, match="expired"):
        waitlist_offer_accept(entry_id=a.pk, learner=first, now=later)
    assert seats(run) == 2

    # The second declines: nobody is left waiting, so the seat is freed.
    waitlist_leave(entry=b, learner=second)
    assert seats(run) == 1
    enrolment_create(learner=learner(), run=run)
    assert seats(run) == 2


def test_seats_free_while_doctors_wait_are_offered_by_the_sweep():
    run, _ = full_run()
    entry = waitlist_join(learner=learner(), run=run)
    CourseRun.objects.filter(pk=run.pk).update(capacity=3)  # the administrator adds a seat
    assert waitlist_offers_sweep() == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED and seats(run) == 3


def test_the_course_page_offers_the_waitlist_and_shows_the_position(client):
    run, _ = full_run()
    doctor = learner()
    client.force_login(doctor)
    page = client.get(run.course.url).content.decode()
    assert "Join the waitlist" in page
    response = client.post(reverse("waitlist_join", args=[run.pk]), follow=True)
    assert "number 1 in line" in response.content.decode()
    page = client.get(run.course.url).content.decode()
    assert "You are on the waitlist: number 1 in line" in page and "Leave the waitlist" in page
    again = client.post(reverse("waitlist_join", args=[run.pk]), follow=True).content.decode()
    assert "already on the waitlist" in again
    assert WaitlistEntry.objects.filter(learner=doctor).count() == 1
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Waitlists" in dashboard and "Number 1 in line" in dashboard


def test_the_offer_page_enrols_its_doctor_and_refuses_anyone_else(client):
    run, enrolments = full_run(capacity=1)
    doctor, other = learner(), learner()
    entry = waitlist_join(learner=doctor, run=run)
    enrolment_withdraw(
        enrolment=enrolments[0], by=UserFactory(is_superuser=True)
    )  # an administrator's withdrawal

    client.force_login(other)
    refused = client.get(reverse("waitlist_offer", args=[entry.pk]))
    assert refused.status_code == 403 and "offered to another doctor" in refused.content.decode()
    assert client.post(reverse("waitlist_offer", args=[entry.pk])).status_code == 403
    assert not Enrolment.objects.filter(learner=other).exists()

    client.force_login(doctor)
    page = client.get(reverse("waitlist_offer", args=[entry.pk])).content.decode()
    assert "A seat is yours" in page and "Accept the seat" in page
    response = client.post(reverse("waitlist_offer", args=[entry.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert Enrolment.objects.get(learner=doctor, run=run).status == EnrolmentStatus.ACTIVE
    assert seats(run) == 1


def test_administrators_see_a_runs_waitlist_in_order(client):
    from django.contrib.auth.models import Group

    from lms.roles import ADMINISTRATORS, FACULTY_AUTHORS

    run, _ = full_run()
    first = learner(full_name="Dr Fatima Sheikh")
    second = learner(full_name="Dr Rohan Desai")
    waitlist_join(learner=first, run=run)
    waitlist_join(learner=second, run=run)
    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name=ADMINISTRATORS))
    client.force_login(admin)
    url = reverse("wagtailsnippets_courses_waitlistentry:list")
    page = client.get(url, {"run": run.pk}).content.decode()
    assert page.index("Dr Fatima Sheikh") < page.index("Dr Rohan Desai")
    assert first.email in page
    author = UserFactory(is_staff=True)
    author.groups.add(Group.objects.get(name=FACULTY_AUTHORS))
    client.force_login(author)
    assert client.get(url).status_code in (302, 403)
