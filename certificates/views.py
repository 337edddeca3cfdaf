"""Public certificate pages: verification by code or serial, and the holder's download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from certificates.codes import normalise_code
from certificates.forms import VerifyForm
from certificates.selectors import (
    certificate_course_endorsement,
    certificate_for_download,
    certificate_for_serial,
    certificate_for_verification,
)
from certificates.throttling import serial_lookup_allowed


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
        {"certificate": certificate, "endorsement": certificate_course_endorsement(certificate=certificate)},
    )


@login_required
def download(request, pk: int):
    """Stream the stored PDF (never re-rendered) to its holder, or to staff with the permission."""
    certificate = certificate_for_download(user=request.user, pk=pk)
    if certificate is None:
        raise Http404("No certificate to download here.")
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
