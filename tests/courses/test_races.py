"""Races on PostgreSQL: real threads, real connections, lined up by a barrier."""

import threading

import pytest
from django.db import connection

from courses.exceptions import EnrolmentError
from courses.models import CourseRun, Enrolment, ModuleCompletion
from courses.services import enrolment_create, enrolment_evaluate_completion
from courses.signals import enrolment_completed
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.support.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_last_seat_requested_at_the_same_moment_goes_to_exactly_one_learner():
    assert connection.vendor == "postgresql"
    run = CourseRunFactory(capacity=1)
    doctors = [learner() for _ in range(8)]

    outcomes = race([lambda d=d: enrolment_create(learner=d, run=run) for d in doctors])

    successes = [o for o in outcomes if o[0] == "ok"]
    refusals = [o for o in outcomes if o[0] == "error"]
    assert len(successes) == 1
    assert all(isinstance(error, EnrolmentError) and "is full" in str(error) for _, error in refusals)
    assert Enrolment.objects.filter(run=run).count() == 1
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1


def test_double_submitted_enrolment_takes_one_seat():
    run = CourseRunFactory(capacity=10)
    doctor = learner()

    outcomes = race([lambda: enrolment_create(learner=doctor, run=run) for _ in range(6)])

    assert sum(1 for kind, _ in outcomes if kind == "ok") == 1
    assert Enrolment.objects.filter(run=run).count() == 1
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1


def test_concurrent_completion_evaluations_announce_completion_once():
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course)
    enrolment = enrolment_create(learner=learner(), run=run)
    ModuleCompletion.objects.create(enrolment=enrolment, module=module)
    announced = []
    lock = threading.Lock()

    def receiver(sender, enrolment, **kwargs):
        with lock:
            announced.append(enrolment.pk)

    enrolment_completed.connect(receiver)
    try:
        outcomes = race([lambda: enrolment_evaluate_completion(enrolment=enrolment) for _ in range(10)])
    finally:
        enrolment_completed.disconnect(receiver)

    assert [kind for kind, _ in outcomes] == ["ok"] * 10
    assert all(value is True for _, value in outcomes)
    assert announced == [enrolment.pk]
