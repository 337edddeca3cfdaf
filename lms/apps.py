from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "Pain Academy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.cache import cache
        from django.db.models.signals import post_save

        from lms.models import AcademySettings
        from lms.selectors import ACADEMY_SETTINGS_CACHE_KEY

        def forget_academy_settings(**kwargs):
            cache.delete(ACADEMY_SETTINGS_CACHE_KEY)

        post_save.connect(
            forget_academy_settings, sender=AcademySettings, dispatch_uid="lms_forget_settings", weak=False
        )
