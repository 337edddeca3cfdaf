from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "Pain Academy"
    default_auto_field = "django.db.models.BigAutoField"
