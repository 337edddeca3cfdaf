from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.completion import register_completion_criterion
        from quizzes.selectors import required_quizzes_criterion

        register_completion_criterion("assessments", required_quizzes_criterion)
