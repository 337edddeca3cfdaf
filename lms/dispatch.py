"""The one seam between a service and the Celery broker.

Services never import their app's ``tasks`` module (the tasks call the services, so
that would be a cycle) and never decide what to do when the broker is down. They name
the task they want run and hand it the ids it needs:

* :func:`task_send_on_commit` — send it once the current transaction commits (a task
  sent before then could read rows that are not there yet, or that roll back), through
  the transactional outbox (:mod:`lms.outbox`): the intent is a row written in the
  caller's transaction, dispatched after commit and again by the sweeper if the broker
  was down;
* :func:`tasks_send_on_commit` — the same for many messages of one task (a bulk job's
  invitations), in one insert and one dispatch;
* :func:`task_send` — send it now (the sweepers, which run outside any completion).

A task is found by its registered Celery name in the project's app (``lms.celery``),
so eager mode (``make run`` without Redis) runs it in-process exactly as a worker would.
Sending never raises: a broker outage is logged and reported as ``False``; the outbox
sweeper sends what was not taken, and each app's own sweeper finds work left undone
for other reasons (a certificate whose worker died mid-render).
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def _registered_task(name: str):
    from django.utils.module_loading import autodiscover_modules

    from lms.celery import app

    tasks = app.tasks
    if name not in tasks:
        # Web processes import task modules only when something imports them. Importing
        # every app's ``tasks`` module (Django's own autodiscovery, which Celery's does
        # too, without re-running Django's setup and checks) registers every name.
        autodiscover_modules("tasks")
    return tasks[name]


def task_send(name: str, *args) -> bool:
    """Send task ``name`` with ``args`` (JSON-serialisable ids) now; ``False`` if it could not be sent.

    Raises ``KeyError`` for a name no app registers (a programming error, not an outage).
    """
    task = _registered_task(name)
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - a broker outage must never fail the caller
        # Broker down (or, in eager mode, the task itself failed and recorded why).
        logger.warning("Could not send %s%r; its sweeper will try again.", name, args, exc_info=True)
        return False
    return True


def task_send_on_commit(name: str, *args) -> None:
    """Send task ``name`` with ``args`` once the current transaction commits (at once outside one).

    The intent is an outbox row in the current transaction (:mod:`lms.outbox`).
    """
    from lms.outbox import outbox_enqueue

    _registered_task(name)  # an unknown name fails in the caller's transaction, not after it
    outbox_enqueue(task=name, args=list(args))


def tasks_send_on_commit(name: str, args_list: list[list]) -> None:
    """Send task ``name`` once for each of ``args_list`` once the current transaction commits.

    :func:`task_send_on_commit` for many messages: one outbox insert, one dispatch.
    """
    from lms.outbox import outbox_enqueue_many

    _registered_task(name)
    outbox_enqueue_many(task=name, args_list=[list(args) for args in args_list])
