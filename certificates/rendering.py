"""Rendering a certificate's PDF with WeasyPrint, from plain data and a Django template.

Contract: :func:`render_certificate_pdf` turns a :class:`CertificateDocument` into PDF
bytes. It reads no model; everything printed is in the document, so what the database
records as the certificate's snapshot is exactly what was printed.

Fit: every text prints whole — never cut or ellipsised, a certificate carries the full
legal name — and clear of every other area, at any length the forms allow (names of 150
characters, course titles of 255, three signatories with 150-character names and
200-character titles), in Latin, Devanagari or both. :func:`certificate_layout` picks the
type sizes from the text; :func:`render_certificate` checks the laid-out boxes and sets
the text tighter if the estimate was optimistic, and raises
:class:`~certificates.exceptions.CertificateRenderError` rather than issue a certificate
whose text does not fit (possible only beyond the forms' limits).

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
import math
import mimetypes
import posixpath
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import ClassVar
from urllib.parse import unquote, unquote_to_bytes

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from certificates.codes import verification_code_grouped
from certificates.exceptions import CertificateRenderError
from certificates.models import statement_line_with_dates

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
class CreditLine:
    """Credit of one type the holder claimed, as the certificate prints it (accredited courses)."""

    credits: Decimal
    credit_type: str
    awarding_body: str
    statement: str


# The credit lines print at fixed sizes, below the details: the accreditor's wording may
# not shrink out of legibility, and the other fields make room for it.
CREDIT_PT = 8.0
STATEMENT_PT = 6.0
CREDITS_GAP_MM = 1.5


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
    credits: tuple[CreditLine, ...] = field(default_factory=tuple)

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


# --- Fitting the text ------------------------------------------------------------------------
#
# Every text that comes from data (the holder's name, council and number, the course
# title, the run, each signatory) must print whole and stay clear of every other area, at
# any length the forms allow. A certificate may not cut or ellipsise a legal name, so the
# text shrinks instead, in steps: each field has a ladder of type sizes, each rung with
# how many lines it may take, and the page has three spacing densities.
#
# certificate_layout() picks the rungs from the text alone — a pure function, with an
# advance table for the certificate's fonts (Devanagari conjuncts, capitals and wide
# glyphs weighted) and a greedy word wrap — so a certificate renders in one pass.
# render_certificate() then checks the laid-out boxes (WeasyPrint's anchors for the
# template's area ids, recorded in every layout anyway) and lays out again one notch
# tighter in the rare case the estimate was optimistic.

PT_MM = 25.4 / 72
PX_MM = 25.4 / 96

# The template's geometry (templates/certificates/certificate.html), in mm.
CONTENT_WIDTH_MM = 242.5  # the column inside the gold frame's padding
CONTENT_HEIGHT_MM = 170.0
FOOTER_GAP_MM = 6.0  # between the signatories and the verification block (its padding)
SIGNATORY_GAP_MM = 5.0
SIGNATORY_WIDTH_MM = 56.0  # each signatory's column, unless the footer must share out less
QR_MM = 25.0
CODE_WIDTH_MM = 32.0
DETAILS_SEPARATOR_MM = 2.5 + 1.6  # the margins around the details' "·"


@dataclass(frozen=True)
class Step:
    """One rung of a field's ladder: a type size and how many lines it may take there."""

    size_pt: float
    max_lines: int | None  # None: the last rung, as many lines as it takes


@dataclass(frozen=True)
class SignatoryStep:
    name_pt: float
    title_pt: float
    max_name_lines: int | None
    max_title_lines: int | None


HOLDER_STEPS = (Step(27, 1), Step(24, 2), Step(21, 2), Step(18.5, 3), Step(16.5, None))
COURSE_STEPS = (Step(19, 2), Step(17, 2), Step(15.5, 3), Step(14, 3), Step(12.5, None))
REGISTRATION_STEPS = (Step(9.5, 1), Step(9, 2), Step(8.5, None))
DETAILS_STEPS = (Step(10, 1), Step(9.5, 2), Step(9, None))
SIGNATORY_STEPS = (
    SignatoryStep(9, 7.5, 2, 2),
    SignatoryStep(8.5, 7, 2, 3),
    SignatoryStep(8, 6.75, 3, 3),
    SignatoryStep(7.5, 6.5, 3, 4),
    SignatoryStep(7, 6.25, None, None),
)
HOLDER_LEADING, COURSE_LEADING, REGISTRATION_LEADING, DETAILS_LEADING, SIGNATORY_LEADING = (
    1.2,
    1.25,
    1.35,
    1.4,
    1.3,
)


@dataclass(frozen=True)
class Density:
    """The page's spacing: the masthead, heading and gaps, from generous to tight (mm, pt)."""

    logo_mm: float
    academy_pt: float
    faculty_pt: float
    title_pt: float
    heading_gap_mm: float
    rule_gap_mm: float
    lead_pt: float
    lead_gap_mm: float
    small_gap_mm: float
    section_gap_mm: float
    details_gap_mm: float
    block_gap_mm: float
    footer_gap_mm: float
    sign_mm: float


DENSITIES = (
    Density(18, 12, 8.5, 30, 5, 3, 11, 2, 1.5, 4.5, 3, 3, 4, 15),
    Density(15, 11, 8, 26, 3.5, 2.5, 10, 1.5, 1.2, 3.5, 2.5, 2, 3, 13),
    Density(12, 10, 7.5, 22, 2.5, 2, 9.5, 1.2, 1, 2.5, 2, 1, 2.5, 12),
)

# Advance scales of the certificate's faces against the table below (Noto Serif Bold).
SERIF_BOLD, SANS, SANS_BOLD = 1.0, 0.93, 0.98
VIRAMA = "\u094d"
RA = "\u0930"


def _advance_em(char: str) -> float:
    """The width of one character in em, at or a little over the certificate fonts' own.

    Measured against Noto Serif Bold and Noto Sans (Regular, Bold) and their Devanagari
    siblings: the estimate runs from 5 % under to 25 % over what they print. Devanagari
    vowel signs mostly sit on, over or under their consonant, so a Hindi name takes
    fewer em per character than a Latin one (about 0.35 against 0.55).
    """
    if char == " ":
        return 0.27
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf", "Cc"):
        return 0.0
    if "\u0900" <= char <= "\u097f":
        return 0.26 if category == "Mc" else 0.64
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.02
    if char in "MWÆŒ@%":
        return 1.0
    if char in "mwæœ":
        return 0.9
    if char in "ijlIfrt.,:;'’!|·":
        return 0.36
    if char.isupper():
        return 0.72
    if char.isdigit():
        return 0.58
    if category.startswith("L"):
        return 0.62
    return 0.5


def _is_devanagari_consonant(char: str) -> bool:
    return "\u0915" <= char <= "\u0939" or "\u0958" <= char <= "\u095f"


@lru_cache(maxsize=4096)
def text_em(text: str) -> float:
    """The width of ``text`` in em, by :func:`_advance_em`, with Devanagari conjuncts.

    A consonant before a virama joins the next one as a half form (about 0.38 em), and a
    ra before a virama becomes the reph, a mark over the next consonant.
    """
    total = 0.0
    for index, char in enumerate(text):
        if index + 1 < len(text) and text[index + 1] == VIRAMA and _is_devanagari_consonant(char):
            total += 0.0 if char == RA else 0.38
        else:
            total += _advance_em(char)
    return total


def _wrapped_lines(units: list[tuple[float, float]], *, capacity_em: float) -> int:
    """Lines taken by unbreakable ``(width, space before it)`` units, wrapped greedily (em)."""
    lines, used = 1, 0.0
    for width, space in units:
        needed = width if used == 0 else used + space + width
        if needed <= capacity_em:
            used = needed
            continue
        if used:
            lines += 1
        while width > capacity_em:  # a word longer than the line breaks inside itself
            lines += 1
            width -= capacity_em
        used = width
    return lines


@lru_cache(maxsize=1024)
def text_lines(text: str, *, size_pt: float, width_mm: float, scale: float = 1.0) -> int:
    """How many lines ``text`` takes at ``size_pt`` in ``width_mm``: a greedy wrap at spaces.

    ``scale`` narrows the advance table to a face (:data:`SANS` for Noto Sans Regular). A
    word wider than the line breaks inside itself, as ``overflow-wrap: break-word`` makes
    the template do.
    """
    space = _advance_em(" ")
    return _wrapped_lines(
        [(text_em(word), space) for word in text.split()], capacity_em=width_mm / (size_pt * PT_MM * scale)
    )


def _longest_word_mm(text: str, *, size_pt: float, scale: float) -> float:
    return max((text_em(word) for word in text.split()), default=0.0) * scale * size_pt * PT_MM


def _leading_factor(text: str) -> float:
    # A line holding Devanagari is taller than its line-height: WeasyPrint sits each
    # font's inline box on the baseline by that font's own ascent, and Noto's
    # Devanagari faces reach higher and lower than their Latin siblings (about 14 %).
    return 1.15 if any("\u0900" <= char <= "\u097f" for char in text) else 1.0


def credit_line_text(line: CreditLine) -> str:
    return f"{line.credits} {line.credit_type} · awarded by {line.awarding_body}"


def registration_text(document: CertificateDocument) -> str:
    return f"{document.council} · Registration number {document.registration_number}"


def details_lines(document: CertificateDocument, *, size_pt: float, width_mm: float, split: bool) -> int:
    """Lines the details take, on one line or ``split`` into their two groups.

    The groups are the course's (track, run) and the credit's (credit hours, completion
    date); inside a group only the run's label may break.
    """
    space = _advance_em(" ")
    separator = space + DETAILS_SEPARATOR_MM / (size_pt * PT_MM) + text_em("·")
    capacity = width_mm / (size_pt * PT_MM * SANS)
    run_words = f"{document.run_label} run".split()
    course_group = [(text_em(f"{document.track} track"), 0.0)] + [
        (text_em(word), separator if index == 0 else space) for index, word in enumerate(run_words)
    ]
    completed = document.completed_on
    credit_group = [text_em(f"Completed on {completed.day} {completed:%B} {completed.year}")]
    if document.cme_credit_hours is not None:
        credit_group.insert(0, text_em(f"{document.cme_credit_hours} CME credit hours"))
    credit_units = [(width, separator if index else 0.0) for index, width in enumerate(credit_group)]
    if not split:
        return _wrapped_lines(
            [*course_group, *((width, separator) for width, _ in credit_units)], capacity_em=capacity
        )
    return _wrapped_lines(course_group, capacity_em=capacity) + _wrapped_lines(
        credit_units, capacity_em=capacity
    )


def verification_width_mm(document: CertificateDocument) -> float:
    """The verification block's width: the gap before it, the serial or the code, the QR code."""
    serial_mm = text_em(document.serial) * 8 * PT_MM + 1.0
    return FOOTER_GAP_MM + max(CODE_WIDTH_MM, serial_mm) + 3.5 + QR_MM


def signatory_width_mm(document: CertificateDocument) -> float:
    """The width of one signatory's column: 56 mm, or an equal share of what the footer has."""
    count = len(document.signatories)
    if not count:
        return SIGNATORY_WIDTH_MM
    available = CONTENT_WIDTH_MM - verification_width_mm(document) - SIGNATORY_GAP_MM * (count - 1)
    return min(SIGNATORY_WIDTH_MM, math.floor(available / count * 10) / 10)


def footer_css_properties(document: CertificateDocument) -> str:
    return (
        f"--signatory-width: {signatory_width_mm(document)}mm; "
        f"--verification-width: {verification_width_mm(document):.1f}mm"
    )


@dataclass(frozen=True)
class CertificateLayout:
    """The rungs a certificate is set at, one per field, and the page's density.

    0 is the largest type and the most generous spacing. ``details_split`` prints the
    details line as two groups (track and run; credits and date) when it does not fit on
    one: a break between the groups reads better than one wherever the line happens to
    end, which could leave a separator opening a line.
    """

    holder: int = 0
    course: int = 0
    registration: int = 0
    details: int = 0
    signatories: int = 0
    density: int = 0
    details_split: bool = False

    LADDERS: ClassVar[dict[str, tuple]] = {
        "holder": HOLDER_STEPS,
        "course": COURSE_STEPS,
        "registration": REGISTRATION_STEPS,
        "details": DETAILS_STEPS,
        "signatories": SIGNATORY_STEPS,
        "density": DENSITIES,
    }

    def _narrower(self) -> list[CertificateLayout]:
        return [
            replace(self, **{name: getattr(self, name) + 1})
            for name, ladder in self.LADDERS.items()
            if getattr(self, name) + 1 < len(ladder)
        ]

    def tighter(self) -> CertificateLayout | None:
        """One notch smaller everywhere it can still shrink; ``None`` at the smallest."""
        changes = {
            name: getattr(self, name) + 1
            for name, ladder in self.LADDERS.items()
            if getattr(self, name) + 1 < len(ladder)
        }
        return replace(self, **changes) if changes else None

    @property
    def css_properties(self) -> str:
        """The sizes as CSS custom properties, for the template's root element.

        The footer's widths depend on the document, not the rungs:
        :func:`footer_css_properties` adds them.
        """
        density = DENSITIES[self.density]
        signatory = SIGNATORY_STEPS[self.signatories]
        values = {
            "logo": f"{density.logo_mm}mm",
            "academy": f"{density.academy_pt}pt",
            "faculty": f"{density.faculty_pt}pt",
            "title": f"{density.title_pt}pt",
            "heading-gap": f"{density.heading_gap_mm}mm",
            "rule-gap": f"{density.rule_gap_mm}mm",
            "lead": f"{density.lead_pt}pt",
            "lead-gap": f"{density.lead_gap_mm}mm",
            "small-gap": f"{density.small_gap_mm}mm",
            "section-gap": f"{density.section_gap_mm}mm",
            "details-gap": f"{density.details_gap_mm}mm",
            "block-gap": f"{density.block_gap_mm}mm",
            "footer-gap": f"{density.footer_gap_mm}mm",
            "sign": f"{density.sign_mm}mm",
            "holder": f"{HOLDER_STEPS[self.holder].size_pt}pt",
            "holder-leading": f"{HOLDER_LEADING}",
            "course": f"{COURSE_STEPS[self.course].size_pt}pt",
            "course-leading": f"{COURSE_LEADING}",
            "registration": f"{REGISTRATION_STEPS[self.registration].size_pt}pt",
            "details": f"{DETAILS_STEPS[self.details].size_pt}pt",
            "signatory-name": f"{signatory.name_pt}pt",
            "signatory-title": f"{signatory.title_pt}pt",
        }
        return "; ".join(f"--{name}: {value}" for name, value in values.items())


def _first_fitting(text: str, steps: tuple[Step, ...], *, width_mm: float, scale: float) -> int:
    """The largest rung at which ``text`` keeps to the rung's lines and its longest word fits."""
    for index, step in enumerate(steps):
        if step.max_lines is None:
            return index
        if (
            text_lines(text, size_pt=step.size_pt, width_mm=width_mm, scale=scale) <= step.max_lines
            and _longest_word_mm(text, size_pt=step.size_pt, scale=scale) <= width_mm
        ):
            return index
    return len(steps) - 1


def _first_fitting_signatories(document: CertificateDocument) -> int:
    width = signatory_width_mm(document)
    for index, step in enumerate(SIGNATORY_STEPS):
        if step.max_name_lines is None:
            return index
        if all(
            text_lines(s.name, size_pt=step.name_pt, width_mm=width, scale=SANS_BOLD) <= step.max_name_lines
            and text_lines(s.title, size_pt=step.title_pt, width_mm=width, scale=SANS) <= step.max_title_lines
            and _longest_word_mm(s.name, size_pt=step.name_pt, scale=SANS_BOLD) <= width
            and _longest_word_mm(s.title, size_pt=step.title_pt, scale=SANS) <= width
            for s in document.signatories
        ):
            return index
    return len(SIGNATORY_STEPS) - 1


def _first_fitting_details(document: CertificateDocument) -> int:
    for index, step in enumerate(DETAILS_STEPS):
        if step.max_lines is None:
            return index
        one_line = details_lines(document, size_pt=step.size_pt, width_mm=CONTENT_WIDTH_MM, split=False) == 1
        split = details_lines(document, size_pt=step.size_pt, width_mm=CONTENT_WIDTH_MM, split=True)
        if one_line or split <= step.max_lines:
            return index
    return len(DETAILS_STEPS) - 1


def estimated_height_mm(document: CertificateDocument, layout: CertificateLayout) -> float:
    """The height the page's column takes at ``layout``, by the advance table (mm)."""
    d = DENSITIES[layout.density]

    def block(text: str, size_pt: float, leading: float, scale: float, width_mm: float = CONTENT_WIDTH_MM):
        lines = text_lines(text, size_pt=size_pt, width_mm=width_mm, scale=scale)
        return lines * size_pt * leading * PT_MM * _leading_factor(text)

    details_pt = DETAILS_STEPS[layout.details].size_pt
    details = (
        details_lines(document, size_pt=details_pt, width_mm=CONTENT_WIDTH_MM, split=layout.details_split)
        * details_pt
        * DETAILS_LEADING
        * PT_MM
        * _leading_factor(document.run_label)
    )
    certified = (
        2 * d.block_gap_mm
        + 2 * d.lead_pt * 1.3 * PT_MM
        + 2 * d.lead_gap_mm
        + d.small_gap_mm
        + d.section_gap_mm
        + d.details_gap_mm
        + block(document.holder_name, HOLDER_STEPS[layout.holder].size_pt, HOLDER_LEADING, SERIF_BOLD)
        + block(
            registration_text(document),
            REGISTRATION_STEPS[layout.registration].size_pt,
            REGISTRATION_LEADING,
            SANS,
        )
        + block(document.course_title, COURSE_STEPS[layout.course].size_pt, COURSE_LEADING, SERIF_BOLD)
        + details
    )
    step, width = SIGNATORY_STEPS[layout.signatories], signatory_width_mm(document)
    signatories = max(
        (
            d.sign_mm
            + 2.5  # the signing line and its padding
            + block(s.name, step.name_pt, SIGNATORY_LEADING, SANS_BOLD, width)
            + block(s.title, step.title_pt, SIGNATORY_LEADING, SANS, width)
            for s in document.signatories
        ),
        default=0.0,
    )
    if document.credits:
        certified += CREDITS_GAP_MM
    for line in document.credits:
        certified += (
            CREDITS_GAP_MM
            + block(credit_line_text(line), CREDIT_PT, 1.35, SANS_BOLD)
            + block(line.statement, STATEMENT_PT, 1.3, SANS)
        )
    masthead = d.logo_mm + 1.6 + (d.academy_pt + d.faculty_pt) * 1.3 * PT_MM
    heading = d.heading_gap_mm + d.title_pt * 1.15 * PT_MM + d.rule_gap_mm + 0.4
    footer = d.footer_gap_mm + max(QR_MM, signatories)
    verify_line = 2.5 + 2 * 7 * 1.3 * PT_MM  # room for the address to wrap once
    return masthead + heading + certified + footer + verify_line


def certificate_layout(document: CertificateDocument) -> CertificateLayout:
    """The largest rungs at which ``document``'s text fits its areas, by estimate (pure).

    Each field first takes the largest size at which it keeps to the rung's line count
    and its longest word fits the line. Then, while the whole column is estimated taller
    than the page holds, the spacing tightens, and after it whichever field's next rung
    saves the most height steps down, until it fits or every field is at its smallest.
    """
    details = _first_fitting_details(document)
    layout = CertificateLayout(
        holder=_first_fitting(
            document.holder_name, HOLDER_STEPS, width_mm=CONTENT_WIDTH_MM, scale=SERIF_BOLD
        ),
        course=_first_fitting(
            document.course_title, COURSE_STEPS, width_mm=CONTENT_WIDTH_MM, scale=SERIF_BOLD
        ),
        registration=_first_fitting(
            registration_text(document), REGISTRATION_STEPS, width_mm=CONTENT_WIDTH_MM, scale=SANS
        ),
        details=details,
        signatories=_first_fitting_signatories(document) if document.signatories else 0,
    )
    while True:
        layout = replace(
            layout,
            details_split=details_lines(
                document,
                size_pt=DETAILS_STEPS[layout.details].size_pt,
                width_mm=CONTENT_WIDTH_MM,
                split=False,
            )
            > 1,
        )
        if estimated_height_mm(document, layout) <= CONTENT_HEIGHT_MM:
            return layout
        candidates = layout._narrower()
        if not candidates:
            return layout
        denser = [candidate for candidate in candidates if candidate.density != layout.density]
        layout = denser[0] if denser else min(candidates, key=lambda c: estimated_height_mm(document, c))


# --- Checking the laid-out boxes --------------------------------------------------------------

# The areas the template stacks in its column, top to bottom (their element ids).
COLUMN_AREAS = (
    "masthead",
    "heading",
    "holder-lead",
    "holder",
    "registration",
    "course-lead",
    "course",
    "details",
    "footer",
    "verify-line",
)


def layout_problems(rendered: Document) -> list[str]:
    """What does not fit on a rendered certificate (a WeasyPrint Document), from its boxes.

    Empty when the certificate is one page; every box the template names (each area, each
    signatory, the QR code) lies inside the page's column; each area of the column lies
    below the one before it; and the signatories and the verification block stand side
    by side. WeasyPrint records these boxes (``Page.anchors``) in every layout, so the
    check costs nothing measurable.
    """
    if len(rendered.pages) != 1:
        return [f"the certificate runs to {len(rendered.pages)} pages"]
    anchors = rendered.pages[0].anchors
    missing = [name for name in ("page", *COLUMN_AREAS, "verification", "qr-code") if name not in anchors]
    if missing:  # pushed off the page altogether
        return [f"{', '.join(missing)} not on the page"]
    problems = []
    epsilon = 0.01  # CSS px; boxes that touch exactly are apart
    areas = COLUMN_AREAS
    if "credits" in anchors:  # an accredited course's credit lines, between details and footer
        at = areas.index("footer")
        areas = (*areas[:at], "credits", *areas[at:])
    page_left, page_top, page_right, page_bottom = anchors["page"]
    for name, (left, top, right, bottom) in anchors.items():
        if (
            left < page_left - epsilon
            or top < page_top - epsilon
            or right > page_right + epsilon
            or bottom > page_bottom + epsilon
        ):
            problems.append(f"{name} leaves the page")
    for above, below in zip(areas, areas[1:], strict=False):
        if anchors[below][1] < anchors[above][3] - epsilon:
            problems.append(f"{below} overlaps {above}")
    row = sorted(
        (key for key in anchors if key.startswith("signatory-")),
        key=lambda key: int(key.removeprefix("signatory-")),
    )
    row.append("verification")
    for left_name, right_name in zip(row, row[1:], strict=False):
        if anchors[right_name][0] < anchors[left_name][2] - epsilon:
            problems.append(f"{right_name} overlaps {left_name}")
    return problems


def _details_wrapped(rendered: Document, layout: CertificateLayout) -> bool:
    """The details took more than one line although the layout expected one."""
    _, top, _, bottom = rendered.pages[0].anchors["details"]
    one_line_mm = DETAILS_STEPS[layout.details].size_pt * DETAILS_LEADING * PT_MM
    return (bottom - top) * PX_MM > 1.5 * one_line_mm


# --- Rendering --------------------------------------------------------------------------------


def certificate_html(
    document: CertificateDocument,
    *,
    layout: CertificateLayout | None = None,
    qr_code_url: str | None = None,
) -> str:
    """The certificate as HTML (autoescaped), ready for WeasyPrint.

    ``layout`` defaults to :func:`certificate_layout`'s estimate for the document.
    """
    layout = layout if layout is not None else certificate_layout(document)
    return render_to_string(
        TEMPLATE,
        {
            "document": document,
            "layout": layout,
            "page_style": f"{layout.css_properties}; {footer_css_properties(document)}",
            "academy_name": settings.LMS_ACADEMY_NAME,
            "logo_url": asset_url(LOGO),
            "qr_code_url": qr_code_url or qr_code_data_url(document.verification_url),
        },
    )


@dataclass(frozen=True)
class RenderedCertificate:
    pdf: bytes
    layout: CertificateLayout  # the rungs it was printed at
    passes: int  # layouts made: 1 unless the estimate was optimistic


def render_certificate(
    document: CertificateDocument,
    *,
    fetcher: SafeURLFetcher | None = None,
    layout: CertificateLayout | None = None,
) -> RenderedCertificate:
    """Render ``document`` to a PDF in which every text fits its area.

    Starts from ``layout`` (by default :func:`certificate_layout`'s estimate), checks the
    laid-out boxes with :func:`layout_problems` and, while something does not fit, lays
    out again one notch tighter (or with the details split, if only they wrapped).
    Raises :class:`CertificateRenderError` if even the smallest rungs do not fit —
    impossible within the forms' limits, which the layout tests render, but a certificate
    that cuts a legal name or prints over its signatures must not be issued — and
    whatever WeasyPrint raises on a broken template.
    """
    fetcher = fetcher if fetcher is not None else SafeURLFetcher()
    layout = layout if layout is not None else certificate_layout(document)
    qr_code_url = qr_code_data_url(document.verification_url)
    images: dict = {}  # decoded images, shared between passes
    passes = 0
    while True:
        passes += 1
        html = certificate_html(document, layout=layout, qr_code_url=qr_code_url)
        rendered = HTML(string=html, url_fetcher=fetcher).render(font_config=_fonts(), cache=images)
        problems = layout_problems(rendered)
        if not problems and not layout.details_split and _details_wrapped(rendered, layout):
            layout = replace(layout, details_split=True)
            continue
        if not problems:
            return RenderedCertificate(pdf=rendered.write_pdf(), layout=layout, passes=passes)
        tighter = layout.tighter()
        if tighter is None:
            raise CertificateRenderError(
                f"The text does not fit on certificate {document.serial} even at the smallest type "
                f"({'; '.join(problems)}): the holder's name has {len(document.holder_name)} characters and "
                f"the course title {len(document.course_title)}, where the forms allow 150 and 255. "
                "Correct the data, then retry."
            )
        logger.info("Certificate %s: %s at %s; setting it tighter", document.serial, problems[0], layout)
        layout = tighter


def render_certificate_pdf(document: CertificateDocument, *, fetcher: SafeURLFetcher | None = None) -> bytes:
    """Render ``document`` to PDF bytes (see :func:`render_certificate`)."""
    return render_certificate(document, fetcher=fetcher).pdf


# --- The transcript PDF -------------------------------------------------------------------------

TRANSCRIPT_TEMPLATE = "certificates/transcript_pdf.html"


@dataclass(frozen=True)
class TranscriptDocument:
    """Everything a transcript PDF prints: the statement the database keeps, and how to verify it."""

    statement: dict
    verification_code: str
    verification_url: str

    @property
    def grouped_code(self) -> str:
        return verification_code_grouped(self.verification_code)


def transcript_html(document: TranscriptDocument) -> str:
    """The transcript as HTML (autoescaped), ready for WeasyPrint."""
    statement = document.statement
    return render_to_string(
        TRANSCRIPT_TEMPLATE,
        {
            "document": document,
            "statement": statement,
            "issued_on": datetime.date.fromisoformat(statement["issued_on"]),
            "totals": [statement_line_with_dates(total) for total in statement["totals"]],
            "claims": [statement_line_with_dates(claim) for claim in statement["claims"]],
            "external": [statement_line_with_dates(credit) for credit in statement["external"]],
            "external_totals": [statement_line_with_dates(total) for total in statement["external_totals"]],
            "academy_name": settings.LMS_ACADEMY_NAME,
            "logo_url": asset_url(LOGO),
            "qr_code_url": qr_code_data_url(document.verification_url),
        },
    )


def render_transcript_pdf(document: TranscriptDocument, *, fetcher: SafeURLFetcher | None = None) -> bytes:
    """Render a transcript to PDF bytes, through the same :class:`SafeURLFetcher` as certificates.

    A transcript is a table that runs over as many A4 pages as it needs (the header
    repeats), so it has no fitting step; whatever WeasyPrint raises propagates.
    """
    fetcher = fetcher if fetcher is not None else SafeURLFetcher()
    return HTML(string=transcript_html(document), url_fetcher=fetcher).write_pdf(font_config=_fonts())
