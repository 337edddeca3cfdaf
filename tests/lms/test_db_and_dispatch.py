"""lms.db.insert_or (the one way to insert what a unique constraint may refuse) and
lms.dispatch (the one way services hand work to Celery)."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from courses.models import CourseRun
from lms.db import insert_or
from lms.dispatch import task_send, task_send_on_commit
from lms.exceptions import DomainError
from tests.courses.factories import CoursePageFactory
from tests.support.processes import free_port

pytestmark = pytest.mark.django_db

User = get_user_model()


def _create(email):
    return lambda: User.objects.create(username=email, email=email)


def test_a_unique_refusal_falls_back_and_the_callers_transaction_carries_on():
    first = User.objects.create(username="a", email="taken@example.org")
    with transaction.atomic():
        got = insert_or(
            _create("taken@example.org"), on_conflict=lambda: User.objects.get(email="taken@example.org")
        )
        assert got == first
        User.objects.create(username="b", email="other@example.org")  # the transaction is still usable
    assert User.objects.count() == 2


def test_a_unique_refusal_can_be_a_domain_error_for_the_person():
    User.objects.create(username="a", email="taken@example.org")
    with pytest.raises(DomainError, match="already") as raised:
        insert_or(_create("taken@example.org"), on_conflict=DomainError("That address is already used."))
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_other_integrity_errors_are_not_mistaken_for_a_duplicate():
    course = CoursePageFactory()
    now = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError):
        insert_or(
            lambda: CourseRun.objects.create(
                course=course,
                label="Backwards",
                starts_on=datetime.date(2027, 2, 1),
                ends_on=datetime.date(2027, 1, 1),  # the check constraint refuses it
                enrolment_opens_at=now,
                enrolment_closes_at=now + datetime.timedelta(days=1),
                capacity=1,
            ),
            on_conflict=DomainError("not a duplicate"),
        )


@pytest.fixture
def dead_broker():
    from lms.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.broker_url = previous
    app._pool = None
    app.amqp._producer_pool = None


def test_a_broker_outage_is_logged_and_reported_never_raised(dead_broker, caplog):
    with caplog.at_level(logging.WARNING, logger="lms.dispatch"):
        assert task_send("quizzes.close_overdue_attempts") is False
    assert [r.args[0] for r in caplog.records if r.msg.startswith("Could not send")] == [
        "quizzes.close_overdue_attempts"
    ]


def test_tasks_are_found_by_their_registered_names_and_run_eagerly_in_development():
    from lms.celery import app

    with pytest.raises(KeyError):
        task_send("quizzes.no_such_task")
    app.conf.task_always_eager = True
    try:
        assert task_send("quizzes.close_overdue_attempts") is True
    finally:
        app.conf.task_always_eager = False


def test_after_commit_means_after_commit(django_capture_on_commit_callbacks):
    with pytest.raises(KeyError):  # an unknown name fails in the caller's transaction
        task_send_on_commit("quizzes.no_such_task")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        task_send_on_commit("quizzes.close_overdue_attempts")
    assert len(callbacks) == 1
