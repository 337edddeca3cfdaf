from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.api import CompletionStep, register_completion_step
        from courses.selectors import modules_step_statuses

        register_completion_step(
            CompletionStep(key="modules", label="Modules", statuses=modules_step_statuses, order=20)
        )

        from wagtail.models import WorkflowState
        from wagtail.signals import workflow_approved

        from courses.services import endorsement_record

        def record_endorsement(sender, instance, user=None, **kwargs):
            endorsement_record(workflow_state=instance, user=user)

        workflow_approved.connect(
            record_endorsement, sender=WorkflowState, dispatch_uid="courses_record_endorsement", weak=False
        )
