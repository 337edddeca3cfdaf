from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.api import CompletionStep, register_completion_step
        from courses.selectors import claim_step_statuses, evaluation_step_statuses, modules_step_statuses

        register_completion_step(
            CompletionStep(key="modules", label="Modules", statuses=modules_step_statuses, order=20)
        )
        # The accredited sequence (issue 10): after the assessments (30), for accredited
        # enrolments only; enrolments on today's path have neither step.
        register_completion_step(
            CompletionStep(
                key="evaluation", label="Course evaluation", statuses=evaluation_step_statuses, order=50
            )
        )
        register_completion_step(
            CompletionStep(
                key="claim", label="Attestation and credit claim", statuses=claim_step_statuses, order=60
            )
        )
        # Endorsements are recorded by the workflow's finish action
        # (WAGTAIL_FINISH_WORKFLOW_ACTION → courses.workflow), for the revision it publishes.
