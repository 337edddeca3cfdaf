"""Admin hooks of the project package: staff profile pictures served by the academy."""

from django.urls import reverse
from wagtail import hooks


@hooks.register("get_avatar_url")
def uploaded_avatar_url(user, size):
    """An uploaded profile picture at the academy's guarded address (lms.views.admin_avatar);
    ``None`` otherwise, so Wagtail shows its own default picture from our static files
    (Gravatar is off: WAGTAIL_GRAVATAR_PROVIDER_URL)."""
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return reverse("admin_avatar", args=[user.pk])
    return None
