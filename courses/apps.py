from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.completion import register_completion_criterion
        from courses.selectors import modules_criterion

        register_completion_criterion("modules", modules_criterion)
