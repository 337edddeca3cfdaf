"""Wagtail's workflow e-mails (submitted for review, approved, changes requested), sent by Celery.

Wagtail sends them inside the request that triggered them, so a slow mail server would
hold up an author's "Submit" or a reviewer's "Approve". Instead, the receivers here queue
a task once the transaction commits — an outbox row written with the workflow action
(:mod:`lms.dispatch`, :mod:`lms.outbox`), so a broker outage delays the e-mail instead of
losing it — and the task runs Wagtail's own
notifier in a worker: same recipients, same per-user notification preferences, same
templates, no waiting.

How Wagtail's in-request senders are switched off, and why this way. Wagtail connects
its notifiers in ``wagtail.admin``'s ``ready()`` (``wagtail/admin/signal_handlers.py``).
Wagtail has no setting to turn them off, and Django's ``Signal.disconnect`` cannot find a
receiver by the receiver alone when it was connected with a ``dispatch_uid`` — it needs
that uid. So :class:`~lms.notifications.apps.WorkflowNotificationsConfig`, an app listed
*after* ``wagtail.admin`` in ``INSTALLED_APPS`` (so Wagtail has connected them), calls the
public ``Signal.disconnect(sender=…, dispatch_uid=…)`` for each of Wagtail's four
receivers, and **refuses to start** if one of them is not there: a Wagtail upgrade that
renames or moves them fails loudly (and ``tests/lms/test_notifications.py`` with it)
instead of silently sending every e-mail twice. It then connects our receivers under
uids of our own. Nothing depends on the order in which apps become ready beyond that one
line of ``INSTALLED_APPS``.

:func:`workflow_notifications_muted` sends none for the workflow actions inside it: for
a seeder or an import acting as both author and board, whose e-mails would only tell
the demo accounts what the seeder itself just did.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import uuid
from collections.abc import Iterator
from functools import partial

from django.core.exceptions import ImproperlyConfigured

from lms.dispatch import task_send_on_commit

logger = logging.getLogger(__name__)

NOTIFICATION_TASK = "lms.send_workflow_notification"

# event → (Wagtail's dispatch_uid, signal name, sender model, Wagtail's notifier)
EVENTS = {
    "task_submitted": (
        "group_approval_task_submitted_email_notification",
        "task_submitted",
        "TaskState",
        "wagtail.admin.signal_handlers.task_submission_email_notifier",
    ),
    "workflow_submitted": (
        "workflow_state_submitted_email_notification",
        "workflow_submitted",
        "WorkflowState",
        "wagtail.admin.signal_handlers.workflow_submission_email_notifier",
    ),
    "workflow_rejected": (
        "workflow_state_rejected_email_notification",
        "workflow_rejected",
        "WorkflowState",
        "wagtail.admin.signal_handlers.workflow_rejection_email_notifier",
    ),
    "workflow_approved": (
        "workflow_state_approved_email_notification",
        "workflow_approved",
        "WorkflowState",
        "wagtail.admin.signal_handlers.workflow_approval_email_notifier",
    ),
}


_muted: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "lms_workflow_notifications_muted", default=False
)


@contextlib.contextmanager
def workflow_notifications_muted() -> Iterator[None]:
    """Queue no workflow e-mail for anything submitted, approved or rejected inside the block."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _queue(event: str, sender, instance, user=None, **kwargs) -> None:
    """Send Wagtail's e-mail for ``event`` from a worker, once the editor's transaction commits."""
    if _muted.get():
        logger.debug(
            "Workflow notifications muted: no %s e-mail for %s %s",
            event,
            type(instance).__name__,
            instance.pk,
        )
        return
    # The key makes this intent's e-mail go out at most once, however often its message
    # is delivered (lms.tasks.send_workflow_notification).
    key = f"workflow:{event}:{instance.pk}:{uuid.uuid4().hex}"
    task_send_on_commit(NOTIFICATION_TASK, event, instance.pk, user.pk if user else None, key)


def _signal(signal_name: str):
    import wagtail.signals

    return getattr(wagtail.signals, signal_name)


def _our_uid(event: str) -> str:
    return f"lms_queued_{event}_email_notification"


def connect_queued_notification(event: str) -> None:
    """Connect the receiver that queues ``event``'s e-mail (idempotent: one receiver per event)."""
    import wagtail.models

    _, signal_name, sender_name, _ = EVENTS[event]
    _signal(signal_name).connect(
        partial(_queue, event),
        sender=getattr(wagtail.models, sender_name),
        dispatch_uid=_our_uid(event),
        weak=False,
    )


def take_over_workflow_notifications() -> None:
    """Disconnect Wagtail's in-request workflow e-mails and connect ours (see the module docstring).

    Raises ``ImproperlyConfigured`` if one of Wagtail's receivers is not connected as
    expected (and ours not already in its place).
    """
    import wagtail.models

    for event, (wagtail_uid, signal_name, sender_name, _) in EVENTS.items():
        signal = _signal(signal_name)
        sender = getattr(wagtail.models, sender_name)
        took_wagtails = signal.disconnect(sender=sender, dispatch_uid=wagtail_uid)
        if not took_wagtails and not signal.disconnect(sender=sender, dispatch_uid=_our_uid(event)):
            raise ImproperlyConfigured(
                f"Wagtail's {signal_name} e-mail receiver ({wagtail_uid!r}) is not connected: "
                "list lms.notifications after wagtail.admin in INSTALLED_APPS, or update "
                "lms.notifications.EVENTS for this Wagtail version."
            )
        connect_queued_notification(event)
