"""A doctor's certificates (list, one, the stored PDF, the credential), their credit
transcript, and public verification.

The PDF is the stored file, never re-rendered, with the same rule as the download
page (:func:`certificates.api.certificate_for_download`). Verification shows what the
verification page shows; looking up by serial and registration number counts against
the same rate limit as the page's form.
"""

from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from api.auth import CERTIFICATES, session_or_token
from api.paging import PageParams, page_of
from api.schemas import (
    MAX_ID,
    CertificateOut,
    CertificatePageOut,
    IsoDate,
    Problem,
    TranscriptOut,
    VerificationOut,
)
from certificates.api import (
    badge_credential_of,
    certificate_for_download,
    certificate_for_serial,
    certificate_for_verification,
    learner_certificate_get,
    learner_certificate_rows,
    learner_transcript,
    pdf_response,
    serial_lookup_allowed,
)

router = Router(tags=["Certificates"], auth=session_or_token(CERTIFICATES))
public = Router(tags=["Verification"], auth=None)

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


@router.get("/certificates", response={200: CertificatePageOut, **ERRORS}, summary="List my certificates")
def list_certificates(request, paging: Query[PageParams]):
    """Your certificates, newest first; revoked ones stay listed (and say so), replaced ones do not."""
    page = page_of(request, learner_certificate_rows(user=request.auth), paging)
    return page.with_items(page.items)


@router.get(
    "/certificates/{certificate_id}", response={200: CertificateOut, **ERRORS}, summary="One certificate"
)
def get_certificate(request, certificate_id: int = Path(..., ge=1, le=MAX_ID)):
    certificate = learner_certificate_get(user=request.auth, pk=certificate_id)
    if certificate is None:
        raise Http404("You have no certificate with this id.")
    return certificate


@router.get(
    "/certificates/{certificate_id}/pdf",
    response={200: None, **ERRORS},
    summary="Download the PDF",
    openapi_extra={
        "responses": {"200": {"description": "The certificate's PDF", "content": {"application/pdf": {}}}}
    },
)
def download_certificate(request, certificate_id: int = Path(..., ge=1, le=MAX_ID)):
    certificate = certificate_for_download(user=request.auth, pk=certificate_id)
    if certificate is None:
        raise Http404("There is no PDF of yours to download with this id (a revoked certificate has none).")
    return pdf_response(certificate)


@router.get(
    "/certificates/{certificate_id}/credential",
    response={200: None, **ERRORS},
    summary="The Open Badges 3.0 credential",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The signed OpenBadgeCredential, byte for byte as issued",
                "content": {"application/vc+ld+json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def certificate_credential(request, certificate_id: int = Path(..., ge=1, le=MAX_ID)):
    certificate = certificate_for_download(user=request.auth, pk=certificate_id)
    stored = badge_credential_of(certificate=certificate) if certificate is not None else None
    if stored is None:
        raise Http404(
            "There is no credential of yours with this id (a revoked certificate has none to download)."
        )
    response = HttpResponse(stored.document.encode(), content_type="application/vc+ld+json")
    response["Cache-Control"] = "private, no-store"
    return response


class TranscriptWindow(Schema):
    window_start: IsoDate | None = Field(
        None, description="The first day of your renewal cycle; leave out for each type's cycle ending today."
    )


@router.get("/transcript", response={200: TranscriptOut, **ERRORS}, summary="My credit transcript")
def transcript(request, window: Query[TranscriptWindow]):
    """Every credit you claimed here (with its certificate) and totals per credit type over the
    renewal window; credit you reported from elsewhere comes apart, as self-reported. The same
    rules and window as the transcript page."""
    return learner_transcript(user=request.auth, window_start=window.window_start)


@public.get(
    "/verify/{code}",
    response={200: VerificationOut, 400: Problem, 404: Problem, 422: Problem},
    summary="Verify a certificate by its code",
)
def verify_code(request, code: str = Path(..., max_length=64)):
    """The code printed on the certificate (with or without its dashes). Unknown, malformed and
    not-yet-issued codes all answer the same 404."""
    certificate = certificate_for_verification(code=code)
    if certificate is None:
        raise Http404("No certificate has this verification code.")
    return certificate


# Printed text: no control characters (a NUL in a query string is refused before any view,
# lms.middleware, so the schema must not promise it is accepted).
PRINTED_TEXT = r"^[^\x00-\x1f\x7f]+$"


class SerialLookup(Schema):
    serial: str = Field(
        ...,
        min_length=1,
        max_length=40,
        pattern=PRINTED_TEXT,
        description="The serial printed on the certificate.",
    )
    registration_number: str = Field(
        ...,
        min_length=1,
        max_length=40,
        pattern=PRINTED_TEXT,
        description="The holder's medical council registration number.",
    )


@public.get(
    "/verify",
    response={200: VerificationOut, 400: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="Verify a certificate by serial and registration number",
)
def verify_serial(request, lookup: Query[SerialLookup]):
    """Both are needed: serials are sequential. Limited per client, together with the verification page."""
    if not serial_lookup_allowed(request):
        raise HttpError(429, "Too many look-ups from your network. Please wait a few minutes and try again.")
    certificate = certificate_for_serial(serial=lookup.serial, registration_number=lookup.registration_number)
    if certificate is None:
        raise Http404("No certificate has this serial and registration number.")
    return certificate_for_verification(code=certificate.verification_code)
