from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What quizzes plugs into courses, through courses' public surface only.
        from courses.api import (
            CompletionStep,
            register_calendar_events,
            register_completion_step,
            register_course_panel,
            register_export_kind,
            register_module_panel,
            register_run_report,
        )
        from quizzes.calendars import assessment_deadlines
        from quizzes.exports import EXPORT
        from quizzes.reports import RUN_REPORT
        from quizzes.selectors import (
            assessments_step_statuses,
            course_quizzes_panel,
            module_quizzes_panel,
            pre_test_step_statuses,
        )

        register_completion_step(
            CompletionStep(
                key="assessments",
                label="Required assessments passed",
                statuses=assessments_step_statuses,
                order=30,
            )
        )
        register_completion_step(
            CompletionStep(
                key="pre_test",
                label="Pre-test (optional)",
                statuses=pre_test_step_statuses,
                order=10,
                required=False,
            )
        )
        register_course_panel("assessments", course_quizzes_panel)
        register_module_panel("module-quizzes", module_quizzes_panel)
        register_run_report(RUN_REPORT)
        register_export_kind(EXPORT)
        register_calendar_events("assessments", assessment_deadlines)
