"""The transactional outbox: after-commit tasks are rows, dispatched on commit, swept if the broker was down.

PostgreSQL and real brokers: a dead port (nothing listens) and a private ``redis-server``.
The worker's side runs here in eager mode where the test needs to see what it did; the
module ``tests/certificates/test_faults.py`` does the same with a real worker and beat.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core import mail
from django.db import transaction

from certificates.models import Certificate
from courses.services import module_complete
from lms.dispatch import task_send_on_commit, tasks_send_on_commit
from lms.invitations import INVITATION_TASK
from lms.models import EmailSend, OutboxMessage
from lms.outbox import outbox_dispatch, outbox_sweep
from tests.certificates.factories import course_to_complete
from tests.certificates.processes import PrivateRedis, point_celery_at
from tests.support.processes import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOW_AND_LATER = datetime.timedelta(0)
RENDER = "certificates.render_certificate"


@pytest.fixture
def broker():
    """A private Redis this process publishes to; ``broker.stop()`` is the outage."""
    from lms.celery import app

    redis = PrivateRedis()
    redis.start()
    previous = app.conf.broker_url
    point_celery_at(redis.url)
    yield redis
    point_celery_at(previous)
    redis.close()


def queued(redis, queue="celery") -> list[str]:
    """The task names waiting in the private Redis's queue."""
    import json

    import redis as redis_py

    client = redis_py.Redis.from_url(redis.url)
    return [json.loads(raw)["headers"]["task"] for raw in client.lrange(queue, 0, -1)]


def test_the_intent_commits_with_the_change_and_is_sent_after_commit(broker):
    enrolment, pages = course_to_complete()
    with transaction.atomic():
        module_complete(learner=enrolment.learner, module=pages[0])
        message = OutboxMessage.objects.get(task=RENDER)
        assert message.dispatched_at is None
        assert queued(broker) == []  # nothing leaves before the commit
    message.refresh_from_db()
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert message.args == [certificate.pk]
    assert message.dispatched_at is not None and message.attempts == 1
    assert queued(broker) == [RENDER]


def test_an_intent_rolled_back_with_its_transaction_is_never_sent(broker):
    enrolment, pages = course_to_complete()
    with pytest.raises(RuntimeError), transaction.atomic():
        module_complete(learner=enrolment.learner, module=pages[0])
        raise RuntimeError("the completion's transaction fails after the intent was written")
    assert not OutboxMessage.objects.exists()
    assert not Certificate.objects.exists()
    assert queued(broker) == []


def test_with_the_broker_down_the_intent_waits_and_the_sweeper_sends_it_once(broker, caplog):
    enrolment, pages = course_to_complete()
    broker.stop()
    with caplog.at_level(logging.WARNING, logger="lms.dispatch"):
        module_complete(learner=enrolment.learner, module=pages[0])  # commits; the send fails
    message = OutboxMessage.objects.get(task=RENDER)
    assert message.dispatched_at is None and message.attempts == 1
    assert "broker could not be reached" in message.last_error
    assert outbox_sweep(older_than=NOW_AND_LATER) == 0  # still down: counted, not lost
    message.refresh_from_db()
    assert message.dispatched_at is None and message.attempts == 2

    broker.start()
    assert outbox_sweep(older_than=NOW_AND_LATER) == 1
    assert outbox_sweep(older_than=NOW_AND_LATER) == 0  # sent rows are not sent again
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.last_error == ""
    assert queued(broker) == [RENDER]
    # A stale copy of the row (a second dispatcher that read it before) sends nothing either.
    stale = OutboxMessage.objects.get(pk=message.pk)
    stale.dispatched_at = None
    assert outbox_dispatch(message=stale) is True
    assert queued(broker) == [RENDER]


def test_many_intents_go_together_after_commit_and_wait_for_the_sweeper_while_the_broker_is_down(broker):
    """A bulk job's invitations: one insert, one dispatch; a broker down stops it at the first refusal."""
    with transaction.atomic():
        tasks_send_on_commit(INVITATION_TASK, [[1, "a run", "k1"], [2, "a run", "k2"], [3, "a run", "k3"]])
        assert OutboxMessage.objects.count() == 3 and queued(broker) == []
    assert queued(broker) == [INVITATION_TASK] * 3
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1, 1]
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()

    broker.stop()
    tasks_send_on_commit(
        INVITATION_TASK, [[4, "a run", "k4"], [5, "a run", "k5"]]
    )  # outside a transaction: now
    waiting = OutboxMessage.objects.filter(dispatched_at__isnull=True)
    assert waiting.count() == 2
    assert all("broker could not be reached" in m.last_error for m in waiting)
    broker.start()
    assert outbox_sweep(older_than=NOW_AND_LATER) == 2
    assert outbox_sweep(older_than=NOW_AND_LATER) == 0
    assert queued(broker) == [INVITATION_TASK] * 2  # the restarted Redis lost the first three
    assert sorted(m.args[0] for m in OutboxMessage.objects.all()) == [1, 2, 3, 4, 5]


def test_the_sweeper_leaves_fresh_rows_to_the_relay_and_prunes_old_sent_ones(settings):
    from django.utils import timezone

    settings.LMS_OUTBOX_KEEP_DAYS = 7
    fresh = OutboxMessage.objects.create(task=RENDER, args=[1])
    old = OutboxMessage.objects.create(
        task=RENDER, args=[2], dispatched_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert outbox_sweep(older_than=datetime.timedelta(minutes=1)) == 0
    assert OutboxMessage.objects.filter(pk=fresh.pk, dispatched_at__isnull=True).exists()
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


def test_an_unknown_task_fails_in_the_callers_transaction_and_writes_nothing():
    with pytest.raises(KeyError):
        task_send_on_commit("lms.no_such_task", 1)
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def dead_broker():
    previous_url = None
    from lms.celery import app

    previous_url = app.conf.broker_url
    point_celery_at(f"redis://127.0.0.1:{free_port()}/0")
    yield
    point_celery_at(previous_url)


def test_a_workflow_email_is_sent_at_most_once_per_intent_however_often_it_is_delivered(dead_broker):
    """Submitting a module for review while the broker is down: the e-mail waits, then goes once."""
    from django.contrib.auth.models import Group

    from lms.celery import app
    from lms.roles import BOARD, FACULTY_AUTHORS
    from lms.tasks import send_workflow_notification
    from tests.courses.factories import CourseRunFactory, ModulePageFactory
    from tests.factories import UserFactory

    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course)
    author = UserFactory(is_staff=True, email="author@example.org")
    author.groups.add(Group.objects.get(name=FACULTY_AUTHORS))
    reviewer = UserFactory(is_staff=True, email="board@example.org")
    reviewer.groups.add(Group.objects.get(name=BOARD))

    with transaction.atomic():
        module.save_revision(user=author)
        module.get_workflow().start(module, author)
    assert mail.outbox == []
    intents = list(OutboxMessage.objects.filter(task="lms.send_workflow_notification"))
    assert intents and all(m.dispatched_at is None for m in intents)  # the broker was down

    app.conf.task_always_eager = True  # the broker is back; the worker's part runs here
    try:
        assert outbox_sweep(older_than=NOW_AND_LATER) == len(intents)
        sent = [message.to for message in mail.outbox]
        assert sent == [["board@example.org"]]
        # The same messages delivered again (a redelivery after a lost acknowledgement):
        for intent in intents:
            send_workflow_notification.apply(args=intent.args).get()
    finally:
        app.conf.task_always_eager = False
    assert [message.to for message in mail.outbox] == sent
    assert EmailSend.objects.count() == len(intents)
