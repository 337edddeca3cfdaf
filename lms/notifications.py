"""Wagtail's workflow e-mails (submitted for review, approved, changes requested), sent by Celery.

Wagtail sends them inside the request that triggered them, so a slow mail server would
hold up an author's "Submit" or a reviewer's "Approve". We connect our receivers under
the same ``dispatch_uid`` Wagtail uses — ``lms`` is ready before ``wagtail.admin``, so
Django keeps ours and ignores Wagtail's — and each receiver queues a task (after the
transaction commits) that runs Wagtail's own notifier in a worker: same recipients,
same templates, no waiting.

:func:`workflow_notifications_muted` sends none for the workflow actions inside it: for
a seeder or an import acting as both author and board, whose e-mails would only tell
the demo accounts what the seeder itself just did.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)

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
    from lms.tasks import send_workflow_notification

    if _muted.get():
        logger.debug(
            "Workflow notifications muted: no %s e-mail for %s %s",
            event,
            type(instance).__name__,
            instance.pk,
        )
        return

    def send() -> None:
        try:
            send_workflow_notification.delay(event, instance.pk, user.pk if user else None)
        except Exception:  # noqa: BLE001 - a broker outage must not fail the editor's request
            logger.exception(
                "Could not queue the %s notification for %s %s", event, type(instance).__name__, instance.pk
            )

    transaction.on_commit(send)


def connect_workflow_notifications() -> None:
    import wagtail.models
    import wagtail.signals

    for event, (uid, signal_name, sender_name, _) in EVENTS.items():
        getattr(wagtail.signals, signal_name).connect(
            partial(_queue, event), sender=getattr(wagtail.models, sender_name), dispatch_uid=uid, weak=False
        )
