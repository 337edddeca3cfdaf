"""Waitlist promotion under real concurrency on PostgreSQL: withdrawals, acceptances, outside
enrolments and expiry sweeps at once never overfill a run nor hand one seat to two doctors."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import CourseRun, Enrolment, EnrolmentStatus, WaitlistEntry, WaitlistStatus
from courses.services import enrolment_create, enrolment_withdraw
from courses.waitlists import waitlist_join, waitlist_offer_accept, waitlist_offers_sweep
from tests.courses.factories import CourseRunFactory
from tests.factories import learner
from tests.support.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def assert_seats_add_up(run):
    run = CourseRun.objects.get(pk=run.pk)
    active = Enrolment.objects.filter(run=run, status=EnrolmentStatus.ACTIVE).count()
    held = WaitlistEntry.objects.filter(run=run, status=WaitlistStatus.OFFERED).count()
    assert run.seats_taken == active + held <= run.capacity, (run.seats_taken, active, held)
    return active, held


def test_racing_withdrawals_offer_each_freed_seat_to_a_different_doctor_in_order():
    assert connection.vendor == "postgresql"
    run = CourseRunFactory(capacity=4)
    enrolments = [enrolment_create(learner=learner(), run=run) for _ in range(4)]
    waiting = [waitlist_join(learner=learner(), run=run) for _ in range(6)]
    outsiders = [learner() for _ in range(4)]

    outcomes = race(
        [lambda e=e: enrolment_withdraw(enrolment=e) for e in enrolments[:3]]
        + [lambda d=d: enrolment_create(learner=d, run=run) for d in outsiders]
    )

    assert [kind for kind, _ in outcomes[:3]] == ["ok"] * 3
    # Every freed seat went to the queue, none to someone who was not waiting.
    assert all(kind == "error" and "is full" in str(value) for kind, value in outcomes[3:])
    offered = list(WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).order_by("joined_at"))
    assert [e.pk for e in offered] == [e.pk for e in waiting[:3]]  # the first three in line
    assert assert_seats_add_up(run) == (1, 3)


def test_acceptances_racing_withdrawals_and_expiry_never_overfill():
    run = CourseRunFactory(capacity=3)
    enrolments = [enrolment_create(learner=learner(), run=run) for _ in range(3)]
    waiting = [waitlist_join(learner=learner(), run=run) for _ in range(5)]
    enrolment_withdraw(enrolment=enrolments[0])
    enrolment_withdraw(enrolment=enrolments[1])
    first, second = waiting[0], waiting[1]
    # The second offer is past its time: the sweep and its doctor's acceptance race.
    WaitlistEntry.objects.filter(pk=second.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    outcomes = race(
        [
            lambda: waitlist_offer_accept(entry_id=first.pk, learner=first.learner),
            lambda: waitlist_offer_accept(entry_id=first.pk, learner=first.learner),  # a double click
            lambda: waitlist_offer_accept(entry_id=second.pk, learner=second.learner),
            lambda: waitlist_offers_sweep(),
            lambda: waitlist_offers_sweep(),
            lambda: enrolment_withdraw(enrolment=enrolments[2]),
            lambda: enrolment_create(learner=learner(), run=run),
        ]
    )

    kinds = [kind for kind, _ in outcomes]
    assert sorted(kinds[:2]) == ["error", "ok"]  # one enrolment for the double click
    assert kinds[2] == "error" and "expired" in str(outcomes[2][1])
    assert kinds[5] == "ok"
    assert kinds[6] == "error" and "is full" in str(outcomes[6][1])
    assert (
        Enrolment.objects.filter(learner=first.learner, run=run, status=EnrolmentStatus.ACTIVE).count() == 1
    )
    assert WaitlistEntry.objects.get(pk=second.pk).status == WaitlistStatus.EXPIRED
    # Two seats freed by withdrawals and one by the last withdrawal: the first doctor took one,
    # the other two are held for the next in line (third, fourth).
    offered = set(WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).values_list("pk", flat=True))
    assert offered == {waiting[2].pk, waiting[3].pk}
    assert assert_seats_add_up(run) == (1, 2)
