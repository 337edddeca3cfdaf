"""Background work of the project package: workflow e-mails and the outbox sweeper."""

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

from lms.notifications import EVENTS, NOTIFICATION_TASK
from lms.outbox import email_claim, email_release, outbox_sweep


@shared_task(
    name=NOTIFICATION_TASK,
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_workflow_notification(event: str, state_id: int, user_id: int | None, key: str = "") -> None:
    """Send Wagtail's e-mail for a workflow event (see :mod:`lms.notifications`), at most once per ``key``.

    The key is claimed (and committed) before sending, so a redelivered message sends
    nothing; if sending raises, the claim is released and the retry sends it.
    """
    import wagtail.models

    _, _, sender_name, notifier_path = EVENTS[event]
    instance = getattr(wagtail.models, sender_name).objects.filter(pk=state_id).first()
    if instance is None:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if key and not email_claim(key=key):
        return
    try:
        import_string(notifier_path)(instance=instance, user=user)
    except Exception:
        if key:
            email_release(key=key)
        raise


@shared_task(name="lms.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Send again what the broker did not take at commit time (see :func:`lms.outbox.outbox_sweep`)."""
    return outbox_sweep(older_than=datetime.timedelta(seconds=settings.LMS_OUTBOX_RETRY_AFTER_SECONDS))


@shared_task(
    name="lms.send_invitation",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation(user_id: int, what: str, key: str) -> None:
    """E-mail an invited doctor the link to set their password (see :mod:`lms.invitations`), once per key."""
    from lms.invitations import invitation_send

    invitation_send(user_id=user_id, what=what, key=key)
