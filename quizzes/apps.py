from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Assessments"
    default_auto_field = "django.db.models.BigAutoField"
