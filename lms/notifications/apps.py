from django.apps import AppConfig


class WorkflowNotificationsConfig(AppConfig):
    """Moves Wagtail's workflow e-mails to Celery; must come after ``wagtail.admin`` in ``INSTALLED_APPS``."""

    name = "lms.notifications"
    label = "lms_notifications"
    verbose_name = "Workflow e-mails"

    def ready(self) -> None:
        from lms.notifications import take_over_workflow_notifications

        take_over_workflow_notifications()
