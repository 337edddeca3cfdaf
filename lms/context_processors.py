"""Values every page template may use."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from lms.selectors import academy_settings


def academy(request):
    return {
        "ACADEMY_NAME": settings.LMS_ACADEMY_NAME,
        "LMS_ENVIRONMENT": getattr(settings, "LMS_ENVIRONMENT", "production"),
        # Loaded only if a template uses it, and from the cache when it can be.
        "academy_settings": SimpleLazyObject(academy_settings),
        # The icons this page uses ({% bi %} adds to it, {% icon_sprite %} draws them).
        "academy_icons": set(),
    }
