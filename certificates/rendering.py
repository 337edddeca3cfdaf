"""Rendering a certificate's PDF with WeasyPrint, from plain data and a Django template.

Contract: :func:`render_certificate_pdf` turns a :class:`CertificateDocument` into PDF
bytes. It reads no model; everything printed is in the document, so what the database
records as the certificate's snapshot is exactly what was printed.

Safety: the template is rendered with Django's autoescaping, so a name such as
``<img src="file:///etc/passwd">`` is printed as those characters and never parsed as
markup. WeasyPrint fetches every resource through :class:`SafeURLFetcher`, which serves
``data:`` URLs and the project's own static files (``lms-static:<path>``, resolved by
Django's static file finders) and refuses everything else — ``file:``, ``http(s):``, any
other scheme, and redirects (it never follows one, because it never opens a connection).
Signature images and the QR code are embedded as ``data:`` URLs.

Fonts come from the system (fontconfig): Noto Serif and Noto Sans for Latin with
diacritics, their Devanagari siblings for Hindi and Marathi names, DejaVu as a fallback.
WeasyPrint subsets and embeds them; with Debian's ``libharfbuzz-subset0`` it does so in C
(about five times faster than its pure-Python fallback).
"""

from __future__ import annotations

import base64
import datetime
import logging
import mimetypes
import posixpath
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from urllib.parse import unquote, unquote_to_bytes

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from certificates.codes import verification_code_grouped

logger = logging.getLogger(__name__)

ASSET_SCHEME = "lms-static"
TEMPLATE = "certificates/certificate.html"
LOGO = "certificates/logo.svg"


@dataclass(frozen=True)
class SignatoryLine:
    name: str
    title: str
    signature_url: str = ""  # a data: URL, or empty for a typed name only


@dataclass(frozen=True)
class CertificateDocument:
    """Everything a certificate prints (the snapshot the database keeps, plus images)."""

    holder_name: str
    council: str
    registration_number: str
    course_title: str
    track: str
    run_label: str
    cme_credit_hours: Decimal | None
    completed_on: datetime.date
    serial: str
    verification_code: str
    verification_url: str
    signatories: tuple[SignatoryLine, ...] = field(default_factory=tuple)

    @property
    def grouped_code(self) -> str:
        return verification_code_grouped(self.verification_code)


class RefusedURL(ValueError):
    """A resource the certificate may not use."""


class SafeURLFetcher(URLFetcher):
    """WeasyPrint's fetcher, narrowed to ``data:`` URLs and the project's static files.

    Every URL WeasyPrint asks for is recorded in :attr:`requested` (tests and incident
    reviews read it). Nothing here opens a file by a path taken from the document or a
    network connection, so neither ``file://`` nor a redirect can be reached.
    """

    def __init__(self):
        super().__init__(
            allowed_protocols=("data", ASSET_SCHEME), allow_redirects=False, fail_on_errors=False
        )
        self.requested: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        if url.startswith("data:"):
            mime_type, body = _parse_data_url(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        if url.startswith(f"{ASSET_SCHEME}:"):
            path = url[len(ASSET_SCHEME) + 1 :]
            mime_type, body = _static_asset(path)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        logger.warning("Certificate rendering refused to fetch %r", url[:200])
        raise RefusedURL(
            f"Certificates may use only the project's static files and data: URLs, not {url[:80]!r}."
        )

    def open(self, url, data=None, timeout=None):  # pragma: no cover - urllib's entry point, never used
        raise RefusedURL("Certificates never open URLs directly.")


def _parse_data_url(url: str) -> tuple[str, bytes]:
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise RefusedURL("Malformed data: URL.")
    parts = header.split(";")
    mime_type = parts[0] or "text/plain"
    if "base64" in parts[1:]:
        return mime_type, base64.b64decode(unquote(payload), validate=False)
    return mime_type, unquote_to_bytes(payload)


def asset_url(path: str) -> str:
    """The URL by which a template names one of the project's static files."""
    return f"{ASSET_SCHEME}:{path}"


@lru_cache(maxsize=64)
def _static_asset(path: str) -> tuple[str, bytes]:
    # Static files do not change while a process runs (a deploy restarts workers), so
    # each worker reads the logo once rather than once per certificate.
    path = unquote(path)
    normalised = posixpath.normpath(path)
    if (
        not path
        or path.startswith(("/", "\\"))
        or "\\" in path
        or "\x00" in path
        or ".." in path.split("/")
        or normalised != path
    ):
        raise RefusedURL(f"Refused static path {path[:80]!r}.")
    found = finders.find(normalised)
    if not found:
        raise RefusedURL(f"No static file {normalised!r}.")
    with open(found, "rb") as handle:
        body = handle.read()
    return mimetypes.guess_type(normalised)[0] or "application/octet-stream", body


@lru_cache(maxsize=32)
def stored_image_data_url(name: str) -> str:
    """A stored image (a signatory's signature) as a ``data:`` URL.

    Wagtail never rewrites an uploaded file under the same name, so the name identifies
    the bytes and a worker may keep them.
    """
    with default_storage.open(name, "rb") as handle:
        body = handle.read()
    mime_type = mimetypes.guess_type(name)[0] or "image/png"
    return f"data:{mime_type};base64,{base64.b64encode(body).decode('ascii')}"


def qr_code_data_url(url: str) -> str:
    """A QR code of ``url`` as a PNG ``data:`` URL: 8 pixels per module, a 4-module quiet zone."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=8, border=4)


_font_config = None


def _fonts() -> FontConfiguration:
    # One font configuration per process: building it scans fontconfig again.
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def certificate_html(document: CertificateDocument) -> str:
    """The certificate as HTML (autoescaped), ready for WeasyPrint."""
    return render_to_string(
        TEMPLATE,
        {
            "document": document,
            "academy_name": settings.LMS_ACADEMY_NAME,
            "logo_url": asset_url(LOGO),
            "qr_code_url": qr_code_data_url(document.verification_url),
        },
    )


def render_certificate_pdf(document: CertificateDocument, *, fetcher: SafeURLFetcher | None = None) -> bytes:
    """Render ``document`` to PDF bytes. Raises whatever WeasyPrint raises on a broken template."""
    html = certificate_html(document)
    fetcher = fetcher if fetcher is not None else SafeURLFetcher()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=_fonts())
