"""Checking an evidence upload (a certificate from another provider) by its content, not its name.

:func:`evidence_check` accepts a PDF, PNG or JPEG of at most :data:`EVIDENCE_MAX_BYTES`
and nothing else: the kind is read from the file's first bytes and the whole file is
parsed (Pillow verifies an image; pypdf walks every object of a PDF), so an executable
renamed ``.pdf`` or a truncated image is refused. A PDF that carries JavaScript or a
launch action — what a malicious "certificate" uses to act when an administrator opens
it — is refused too, as is an encrypted PDF, whose objects cannot be checked. Raises
:class:`EvidenceError` with a message for the doctor.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from lms.exceptions import DomainError

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_KINDS = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}

_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
# Names whose presence in a PDF means it can run something.
_ACTIVE_PDF_KEYS = {"/JS", "/JavaScript", "/Launch", "/RichMedia", "/XFA"}
_PDF_OBJECT_LIMIT = 50_000


class EvidenceError(DomainError):
    """An evidence file refused: wrong kind, too large, unreadable or active content."""


@dataclass(frozen=True)
class CheckedEvidence:
    kind: str  # "pdf", "png" or "jpeg"
    content_type: str
    sha256: str
    size: int


def _kind(head: bytes) -> str | None:
    return next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)


def _pdf_is_active(data: bytes) -> bool:
    """Whether any object of the PDF names JavaScript or a launch action (compressed streams included)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise EvidenceError(
            "This PDF is password-protected, so it cannot be checked. Upload an unprotected copy."
        )
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        value = stack.pop()
        visited += 1
        if visited > _PDF_OBJECT_LIMIT:
            raise EvidenceError("This PDF is too complex to check. Upload a simpler copy (print it to PDF).")
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            value = value.get_object()
        if isinstance(value, DictionaryObject):
            for name, item in value.items():
                if name in _ACTIVE_PDF_KEYS:
                    return True
                if name == "/S" and isinstance(item, NameObject) and item in _ACTIVE_PDF_KEYS:
                    return True
                stack.append(item)
        elif isinstance(value, ArrayObject):
            stack.extend(value)
    return False


def evidence_check(uploaded) -> tuple[CheckedEvidence, bytes]:
    """Read and check an uploaded file; return what it is and its bytes.

    ``uploaded`` is a Django ``UploadedFile`` (or anything with ``size`` and ``chunks()``).
    """
    size = getattr(uploaded, "size", None)
    if size is not None and size > EVIDENCE_MAX_BYTES:
        raise EvidenceError(
            f"The evidence file is {size / 1024 / 1024:.1f} MB; the limit is {EVIDENCE_MAX_BYTES // 1024 // 1024} MB."
        )
    buffer = io.BytesIO()
    for chunk in uploaded.chunks():
        buffer.write(chunk)
        if buffer.tell() > EVIDENCE_MAX_BYTES:
            raise EvidenceError(f"The evidence file is larger than {EVIDENCE_MAX_BYTES // 1024 // 1024} MB.")
    data = buffer.getvalue()
    kind = _kind(data[:16])
    if kind is None:
        raise EvidenceError("Upload the evidence as a PDF, PNG or JPEG file. This file is none of those.")
    if kind == "pdf":
        try:
            active = _pdf_is_active(data)
        except EvidenceError:
            raise
        except Exception:  # noqa: BLE001 - any parse failure means "not a PDF we can vouch for"
            raise EvidenceError(
                "This file is not a readable PDF. Upload the certificate as a PDF, PNG or JPEG."
            ) from None
        if active:
            raise EvidenceError(
                "This PDF contains JavaScript or an action that runs something; upload a plain copy."
            )
    else:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                if (image.format or "").lower() != kind:
                    raise ValueError(image.format)
                image.verify()
        except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken image
            raise EvidenceError(f"This file is not a readable {kind.upper()} image.") from None
    return (
        CheckedEvidence(
            kind=kind,
            content_type=EVIDENCE_KINDS[kind],
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
        ),
        data,
    )
