from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.api import (
            CompletionStep,
            register_completion_step,
            register_course_panel,
            register_dashboard_panel,
        )
        from courses.selectors import (
            claim_step_statuses,
            course_credit_panel,
            dashboard_credit_panels,
            evaluation_step_statuses,
            modules_step_statuses,
        )

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
        from lms.signals import account_anonymised

        def erase_evidence(*, user, **kwargs):
            from courses.services import external_credits_erase_evidence

            external_credits_erase_evidence(learner=user)

        # A deleted account keeps its participation record, not the files it uploaded.
        account_anonymised.connect(erase_evidence, dispatch_uid="courses_erase_evidence", weak=False)
        register_course_panel("credit", course_credit_panel)
        register_dashboard_panel("credit", dashboard_credit_panels)
        # Endorsements are recorded by the workflow's finish action
        # (WAGTAIL_FINISH_WORKFLOW_ACTION → courses.workflow), for the revision it publishes.
