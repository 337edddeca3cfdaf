"""Enrolment and withdrawal through the services: every refusal changes nothing."""

import datetime

import pytest
from django.utils import timezone

from courses.exceptions import EnrolmentError, ProfileIncompleteError
from courses.models import CourseRun, Enrolment, EnrolmentStatus
from courses.services import enrolment_create, enrolment_withdraw
from tests.courses.factories import CourseRunFactory
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


def _state(run):
    run.refresh_from_db()
    return run.seats_taken, list(Enrolment.objects.filter(run=run).values_list("learner_id", "status"))


def test_enrol_takes_a_seat():
    run = CourseRunFactory(capacity=2)
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)
    run.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert run.seats_taken == 1
    assert run.seats_left == 1


def test_incomplete_profile_is_refused_and_nothing_changes():
    run = CourseRunFactory()
    before = _state(run)
    with pytest.raises(ProfileIncompleteError, match="Complete your doctor's profile"):
        enrolment_create(learner=UserFactory(), run=run)
    assert _state(run) == before


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (datetime.timedelta(days=2), datetime.timedelta(days=5), "opens on"),
        (datetime.timedelta(days=-5), datetime.timedelta(days=-1), "closed on"),
    ],
)
def test_closed_window_is_refused(opens, closes, message):
    now = timezone.now()
    run = CourseRunFactory(enrolment_opens_at=now + opens, enrolment_closes_at=now + closes)
    before = _state(run)
    with pytest.raises(EnrolmentError, match=message):
        enrolment_create(learner=learner(), run=run)
    assert _state(run) == before


def test_full_run_is_refused():
    run = CourseRunFactory(capacity=1)
    enrolment_create(learner=learner(), run=run)
    before = _state(run)
    with pytest.raises(EnrolmentError, match="is full"):
        enrolment_create(learner=learner(), run=run)
    assert _state(run) == before


def test_duplicate_is_refused_without_taking_a_second_seat():
    run = CourseRunFactory(capacity=5)
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    before = _state(run)
    with pytest.raises(EnrolmentError, match="already enrolled in the"):
        enrolment_create(learner=doctor, run=run)
    assert _state(run) == before


def test_second_current_run_of_same_course_is_refused():
    run = CourseRunFactory()
    next_month = run.starts_on.replace(day=28) + datetime.timedelta(days=4)
    other = CourseRunFactory(
        course=run.course,
        starts_on=next_month.replace(day=1),
        ends_on=next_month.replace(day=28),
    )
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    with pytest.raises(EnrolmentError, match="Withdraw from it first"):
        enrolment_create(learner=doctor, run=other)
    assert not Enrolment.objects.filter(run=other).exists()


def test_unpublished_course_is_refused():
    run = CourseRunFactory()
    run.course.unpublish()
    with pytest.raises(EnrolmentError, match="not open for enrolment"):
        enrolment_create(learner=learner(), run=run)


def test_withdraw_frees_the_seat_and_reenrolling_restores_the_same_row():
    run = CourseRunFactory(capacity=1)
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)
    enrolment_withdraw(enrolment=enrolment)
    run.refresh_from_db()
    assert run.seats_taken == 0
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.WITHDRAWN

    again = enrolment_create(learner=doctor, run=run)
    assert again.pk == enrolment.pk
    assert again.status == EnrolmentStatus.ACTIVE
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1


def test_withdrawing_twice_is_refused():
    run = CourseRunFactory()
    enrolment = enrolment_create(learner=learner(), run=run)
    enrolment_withdraw(enrolment=enrolment)
    with pytest.raises(EnrolmentError, match="already withdrawn"):
        enrolment_withdraw(enrolment=enrolment)
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 0


def test_admin_may_enrol_outside_the_window_but_never_beyond_capacity():
    now = timezone.now()
    run = CourseRunFactory(
        capacity=1,
        enrolment_opens_at=now - datetime.timedelta(days=9),
        enrolment_closes_at=now - datetime.timedelta(days=1),
    )
    enrolment_create(learner=learner(), run=run, ignore_window=True)
    with pytest.raises(EnrolmentError, match="is full"):
        enrolment_create(learner=learner(), run=run, ignore_window=True)
