"""Background work of the project package: e-mail notifications."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

from lms.notifications import EVENTS, NOTIFICATION_TASK


@shared_task(
    name=NOTIFICATION_TASK,
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_workflow_notification(event: str, state_id: int, user_id: int | None) -> None:
    """Send Wagtail's e-mail for a workflow event (see :mod:`lms.notifications`)."""
    import wagtail.models

    _, _, sender_name, notifier_path = EVENTS[event]
    instance = getattr(wagtail.models, sender_name).objects.filter(pk=state_id).first()
    if instance is None:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    import_string(notifier_path)(instance=instance, user=user)
