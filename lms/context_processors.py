"""Values every page template may use."""

from django.conf import settings


def academy(request):
    return {
        "ACADEMY_NAME": settings.LMS_ACADEMY_NAME,
        "LMS_ENVIRONMENT": getattr(settings, "LMS_ENVIRONMENT", "production"),
    }
