from django.urls import path

from certificates import views

urlpatterns = [
    path("certificates/", views.my_certificates, name="my_certificates"),
    path("certificates/verify/", views.verify, name="certificate_verify"),
    # Before the certificate's catch-all below, which would take "transcript/<code>" as a code.
    path("certificates/verify/transcript/<path:code>/", views.verify_transcript, name="transcript_verify"),
    # ``path`` (not ``str``) so that even a malformed code containing "/" reaches the
    # view and gets the same "not found" page as an unknown one.
    path("certificates/verify/<path:code>/", views.verify_code, name="certificate_verify_code"),
    path("certificates/<int:pk>/download/", views.download, name="certificate_download"),
    path("transcript/", views.transcript, name="transcript"),
    path("transcript/pdf/", views.transcript_pdf_new, name="transcript_pdf_new"),
    path("transcript/pdf/<int:pk>/download/", views.transcript_pdf_download, name="transcript_pdf_download"),
    path("certificates/<int:pk>/credential.json", views.credential, name="certificate_credential"),
    path("certificates/credentials/status/<slug:purpose>", views.status_list, name="credential_status_list"),
    path(".well-known/did.json", views.did_document, name="did_document"),
]
