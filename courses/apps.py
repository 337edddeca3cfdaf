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
        # Endorsements are recorded by the workflow's finish action
        # (WAGTAIL_FINISH_WORKFLOW_ACTION → courses.workflow), for the revision it publishes.
