"""Public certificate pages: verification by code or serial; the holder's list and download."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certificates.codes import normalise_code
from certificates.exceptions import CertificateError
from certificates.forms import TranscriptWindowForm, VerifyForm
from certificates.issuer import issuer_did_document
from certificates.selectors import (
    badge_credential_of,
    certificate_course_endorsement,
    certificate_for_download,
    certificate_for_serial,
    certificate_for_verification,
    credential_check,
    learner_certificates,
    learner_transcript,
    status_list_document,
    transcript_pdf_for_download,
    transcript_pdf_for_verification,
    transcript_pdf_latest,
    transcript_revoked_since,
)
from certificates.services import transcript_pdf_request
from certificates.throttling import (
    TRANSCRIPT_LOOKUP_WINDOW_SECONDS,
    serial_lookup_allowed,
    transcript_lookup_allowed,
)
from lms.views import too_many_requests


def _not_found(request) -> TemplateResponse:
    # Unknown, malformed and not-yet-issued codes all get exactly this response, so a
    # caller learns nothing from the difference.
    return TemplateResponse(request, "certificates/verify_not_found.html", {}, status=404)


def verify(request):
    """The verification form: a code, or a serial with the holder's registration number."""
    form = VerifyForm(request.GET or None)
    not_found = False
    if request.GET and form.is_valid():
        code = form.cleaned_data["code"]
        if code:
            return redirect("certificate_verify_code", code=normalise_code(code))
        if not serial_lookup_allowed(request):
            return TemplateResponse(
                request, "certificates/verify_form.html", {"form": form, "throttled": True}, status=429
            )
        certificate = certificate_for_serial(
            serial=form.cleaned_data["serial"], registration_number=form.cleaned_data["registration_number"]
        )
        if certificate is not None:
            return redirect("certificate_verify_code", code=certificate.verification_code)
        not_found = True
    return TemplateResponse(request, "certificates/verify_form.html", {"form": form, "not_found": not_found})


@never_cache
def verify_code(request, code: str):
    """What a verifier sees: valid, revoked (date, reason) or superseded (link), with what was certified."""
    certificate = certificate_for_verification(code=code)
    if certificate is None:
        return _not_found(request)
    return TemplateResponse(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "endorsement": certificate_course_endorsement(certificate=certificate),
            "credential_check": credential_check(certificate=certificate),
        },
    )


@login_required
def my_certificates(request):
    """The doctor's certificates: status, download, verification page and a link to share."""
    return TemplateResponse(
        request,
        "certificates/certificate_list.html",
        {"certificates": learner_certificates(user=request.user)},
    )


@login_required
def download(request, pk: int):
    """Stream the stored PDF (never re-rendered) to its holder, or to staff with the permission."""
    certificate = certificate_for_download(user=request.user, pk=pk)
    if certificate is None:
        raise Http404("No certificate to download here.")
    return pdf_response(certificate)


def pdf_response(certificate) -> FileResponse:
    """The stored PDF as an attachment named by its serial, never cached (the page and the REST API)."""
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def did_document(request):
    """The issuer's ``did:web`` document: every key that signs (or once signed) the academy's credentials."""
    response = JsonResponse(issuer_did_document(), content_type="application/did+json")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@never_cache
def status_list(request, purpose: str):
    """The signed Bitstring Status List credential, at the stable address every credential names."""
    document = status_list_document(purpose=purpose)
    if document is None:
        raise Http404("No such status list.")
    response = JsonResponse(document, content_type="application/vc+ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def credential(request, pk: int):
    """The holder's Open Badges credential (JSON), byte for byte as signed, to add to a wallet."""
    certificate = certificate_for_download(user=request.user, pk=pk)
    stored = badge_credential_of(certificate=certificate) if certificate is not None else None
    if stored is None:
        raise Http404("No credential to download here.")
    response = HttpResponse(stored.document.encode(), content_type="application/vc+ld+json")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.credential.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def transcript(request):
    """The doctor's transcript: every claim, and totals per credit type for a renewal window."""
    form = TranscriptWindowForm(request.GET or None)
    window_start = form.cleaned_data["start"] if request.GET and form.is_valid() else None
    data = learner_transcript(user=request.user, window_start=window_start)
    pdf = transcript_pdf_latest(user=request.user, window_start=window_start)
    response = TemplateResponse(
        request,
        "certificates/transcript.html",
        {"transcript": data, "form": form, "pdf": pdf},
        status=200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _transcript_url(window_start) -> str:
    query = f"?{urlencode({'start': window_start.isoformat()})}" if window_start else ""
    return f"{reverse('transcript')}{query}#transcript-pdf"


@login_required
@require_POST
def transcript_pdf_new(request):
    """Ask for a PDF of the transcript for the chosen window; the worker prepares it."""
    form = TranscriptWindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid date for the start of the renewal cycle, or leave it empty.")
        return redirect(_transcript_url(None))
    window_start = form.cleaned_data["start"]
    try:
        result = transcript_pdf_request(user=request.user, window_start=window_start)
    except CertificateError as error:
        messages.error(request, str(error))
        return redirect(_transcript_url(window_start))
    if result.transcript.is_issued:
        messages.info(request, "This transcript is ready: nothing has changed since it was prepared.")
    else:
        messages.success(request, "Your transcript PDF is being prepared. It takes a few seconds.")
    return redirect(_transcript_url(window_start))


@login_required
def transcript_pdf_download(request, pk: int):
    """Stream a stored transcript PDF to the doctor it belongs to (and nobody else)."""
    transcript = transcript_pdf_for_download(user=request.user, pk=pk)
    if transcript is None:
        raise Http404("No transcript to download here.")
    response = FileResponse(
        transcript.pdf.open("rb"),
        as_attachment=True,
        filename=f"transcript-{transcript.issued_on:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def verify_transcript(request, code: str):
    """What a council sees for a transcript's code: who, the window, the totals per credit type, the date."""
    if not transcript_lookup_allowed(request):
        return too_many_requests(request, minutes=TRANSCRIPT_LOOKUP_WINDOW_SECONDS // 60)
    transcript = transcript_pdf_for_verification(code=code)
    if transcript is None:
        return _not_found(request)
    return TemplateResponse(
        request,
        "certificates/verify_transcript.html",
        {"transcript": transcript, "revoked_since": transcript_revoked_since(transcript=transcript)},
    )
