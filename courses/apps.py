from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.completion import register_completion_criterion
        from courses.selectors import modules_criterion

        register_completion_criterion("modules", modules_criterion)

        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished

        from courses.models import HomePage
        from courses.routing import invalidate_site_cache

        for signal, sender in (
            (post_save, Site),
            (post_delete, Site),
            (page_published, HomePage),
            (page_unpublished, HomePage),
            (post_delete, HomePage),
        ):
            signal.connect(
                invalidate_site_cache,
                sender=sender,
                dispatch_uid=f"courses_site_cache_{id(signal)}_{sender.__name__}",
            )
