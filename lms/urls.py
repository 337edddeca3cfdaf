from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import views
from lms.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/avatar/<int:user_id>/", views.admin_avatar, name="admin_avatar"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "accounts/invitation/<str:uidb64>/<str:token>/",
        views.invitation_accept_view,
        name="invitation_accept",
    ),
    path("accounts/", include("allauth.urls")),
    path("profile/", views.profile_edit, name="profile"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("profile/e-mail-preferences/", views.notification_preferences_edit, name="notification_preferences"),
    path("profile/calendar/", views.calendar_feed_edit, name="calendar_feed_edit"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notification_unsubscribe_view,
        name="notification_unsubscribe",
    ),
    # Stored files have no plain public address, in development as in production: this
    # view answers only for the images the visitor may see (lms.media) and 404 for the
    # rest of MEDIA_ROOT. Documents and certificates have guarded views of their own.
    path("media/<path:name>", views.media_file, name="media_file"),
    path("csp-report/", views.csp_report, name="csp_report"),
    # The REST API (api/, issue 13) and the OAuth2 provider that issues its tokens.
    path("api/v1/", include("api.urls")),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("", include("courses.urls")),
    path("", include("quizzes.urls")),
    path("", include("certificates.urls")),
    # Wagtail's page serving comes last: it owns every path not matched above.
    path("", include(wagtail_urls)),
]

# allauth renders its 429 (throttled log-in, sign-up, password reset) with this view.
handler429 = "lms.views.too_many_requests"
handler500 = "lms.views.server_error"
