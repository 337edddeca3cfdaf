from django.urls import path

from certificates import views

urlpatterns = [
    path("certificates/", views.my_certificates, name="my_certificates"),
    path("certificates/verify/", views.verify, name="certificate_verify"),
    # ``path`` (not ``str``) so that even a malformed code containing "/" reaches the
    # view and gets the same "not found" page as an unknown one.
    path("certificates/verify/<path:code>/", views.verify_code, name="certificate_verify_code"),
    path("certificates/<int:pk>/download/", views.download, name="certificate_download"),
    path("transcript/", views.transcript, name="transcript"),
]
