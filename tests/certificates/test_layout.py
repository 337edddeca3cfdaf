"""The certificate's layout holds at every allowed length: nothing overlaps, nothing is cut.

The PDF itself is the witness. :class:`PrintedPage` reads the page's content stream the way
a PDF viewer paints it — text matrices, fonts, widths and the embedded fonts' own glyph
outlines and bounding boxes, image placements — and reports every glyph run and image as
an ink box in millimetres from the page's top-left corner. The runs are then assigned to
the certificate's areas (masthead, holder, registration line, course, details, each
signatory, the verification block, the verify line) in reading order, by comparing their
glyphs, outline for outline, with a reference rendering of the text each area must print;
a text that is cut, ellipsised, reordered or set in the wrong face stops the walk there.

Then: one page; every box inside the gold inner frame; no two areas closer than a
clearance; no details line opening on a separator. The values are the longest the forms
and models allow, in Latin with diacritics, in capitals, in Devanagari and mixed.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pypdf
import pytest
import segno
from django.conf import settings as django_settings
from django.utils.html import escape
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from PIL import ImageDraw
from pypdf.generic import ArrayObject, ContentStream, IndirectObject, NumberObject
from weasyprint import HTML

from certificates.exceptions import CertificateRenderError
from certificates.models import Signatory
from certificates.rendering import (
    CertificateDocument,
    CertificateLayout,
    SafeURLFetcher,
    SignatoryLine,
    certificate_html,
    layout_problems,
    render_certificate,
    render_certificate_pdf,
    text_lines,
)
from courses.models import Track
from lms.models import MedicalCouncil
from tests.certificates.factories import SignatoryFactory, issued_certificate, stored_pdf
from tests.certificates.test_rendering import HOSTILE_NAME
from tests.factories import learner

MM_PER_PT = 25.4 / 72
PAGE_MM = (297.0, 210.0)
# The gold rule's inner edge: the sheet's 9 mm margin, the 2.2 mm teal border, 1.6 mm of
# padding and the 0.45 mm gold line (templates/certificates/certificate.html).
FRAME_INSET_MM = 9 + 2.2 + 1.6 + 0.45
# Nothing printed may come closer than this to the gold line, or to another area.
FRAME_CLEARANCE_MM = 2.0
AREA_CLEARANCE_MM = 1.0


# --- Reading the PDF ---------------------------------------------------------------------------


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m × n`` in PDF's row-vector convention (apply ``m`` first, then ``n``)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres from the page's top-left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def gap_to(self, other: Box) -> float:
        """How far apart the two boxes are along the axis that separates them; negative if they overlap."""
        horizontal = max(other.left - self.right, self.left - other.right)
        vertical = max(other.top - self.bottom, self.top - other.bottom)
        return max(horizontal, vertical)

    def inside(self, outer: Box, margin: float) -> bool:
        return (
            self.left >= outer.left + margin
            and self.top >= outer.top + margin
            and self.right <= outer.right - margin
            and self.bottom <= outer.bottom - margin
        )

    def __str__(self) -> str:
        return f"[{self.left:.1f}, {self.top:.1f} → {self.right:.1f}, {self.bottom:.1f} mm]"


def page_box(points: list[tuple[float, float]], page_height_pt: float) -> Box:
    """Points in PDF user space (pt, y up) → a box in mm from the top-left corner."""
    xs = [x * MM_PER_PT for x, _ in points]
    ys = [(page_height_pt - y) * MM_PER_PT for _, y in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


@dataclass
class Ink:
    """One text run (a text-showing operator's glyphs) or one image, as painted."""

    text: str  # as the PDF's ToUnicode maps decode it (see ``Glyph``)
    box: Box | None  # None for a run of spaces only
    font: str = ""
    size_pt: float = 0.0
    baseline: float = 0.0  # mm from the top of the page
    glyphs: tuple[Glyph, ...] = ()
    image_size: tuple[int, int] | None = None


@dataclass(frozen=True)
class Glyph:
    """A painted glyph, identified by its font and its outline.

    Text decoded through a PDF's ToUnicode map is not reliable for Devanagari: WeasyPrint
    maps each glyph once, so a glyph shared by two clusters (a vowel sign, a half form)
    decodes to one of them everywhere. The outline is what was printed; comparing
    outlines with a reference rendering of the same text proves every glyph is there.
    """

    font: str
    outline: tuple


class _Font:
    """What painting needs from a PDF font: codes → widths, Unicode text and ink bounds."""

    def __init__(self, font):
        font = font.get_object()
        self.name = str(font.get("/BaseFont", "")).split("+", 1)[-1]
        subtype = font["/Subtype"]
        if subtype != "/Type0":
            raise AssertionError(f"Unexpected simple font {self.name} ({subtype}); the reader handles Type0.")
        if font["/Encoding"] != "/Identity-H":
            raise AssertionError(f"Unexpected encoding {font['/Encoding']} for {self.name}.")
        descendant = font["/DescendantFonts"][0].get_object()
        self.default_width = float(descendant.get("/DW", 1000))
        self.widths: dict[int, float] = {}
        w = list(descendant.get("/W", []))
        i = 0
        while i < len(w):
            first = int(w[i])
            if isinstance(w[i + 1], ArrayObject | list):
                for offset, width in enumerate(w[i + 1]):
                    self.widths[first + offset] = float(width)
                i += 2
            else:
                last, width = int(w[i + 1]), float(w[i + 2])
                for cid in range(first, last + 1):
                    self.widths[cid] = width
                i += 3
        if descendant.get("/CIDToGIDMap", "/Identity") != "/Identity":
            raise AssertionError(
                f"{self.name} maps CIDs to glyphs through a table; the reader expects Identity."
            )
        descriptor = descendant["/FontDescriptor"].get_object()
        self.glyph_bounds: dict[int, tuple[float, float, float, float] | None] = {}
        self.outlines: dict[int, tuple] = {}
        if "/FontFile2" not in descriptor:
            raise AssertionError(f"{self.name} embeds no TrueType outlines to read.")
        ttf = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
        units = ttf["head"].unitsPerEm
        glyf = ttf["glyf"]
        for gid, name in enumerate(ttf.getGlyphOrder()):
            glyph = glyf[name]
            if glyph.numberOfContours == 0:
                self.glyph_bounds[gid] = None  # no outline: a space
                continue
            coordinates, ends, _ = glyph.getCoordinates(glyf)
            self.outlines[gid] = (tuple(coordinates), tuple(ends))
            self.glyph_bounds[gid] = (
                glyph.xMin / units,
                glyph.yMin / units,
                glyph.xMax / units,
                glyph.yMax / units,
            )
        self.to_unicode = _parse_to_unicode(font["/ToUnicode"].get_object().get_data().decode("latin-1"))

    def bounds(self, cid: int) -> tuple[float, float, float, float] | None:
        return self.glyph_bounds.get(cid)

    def glyph(self, cid: int) -> Glyph | None:
        outline = self.outlines.get(cid)
        return None if outline is None else Glyph(self.name, outline)


def _parse_to_unicode(cmap: str) -> dict[int, str]:
    def text(hex_string: str) -> str:
        return bytes.fromhex(hex_string).decode("utf-16-be") if hex_string else ""

    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(code, 16)] = text(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, rest in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]*>)", block
        ):
            low, high = int(low, 16), int(high, 16)
            if rest.startswith("["):
                for offset, target in enumerate(re.findall(r"<([0-9a-fA-F]*)>", rest)):
                    mapping[low + offset] = text(target)
            else:
                start = int(rest[1:-1], 16)
                width = len(rest) - 2
                for offset in range(high - low + 1):
                    mapping[low + offset] = text(f"{start + offset:0{width}x}")
    return mapping


class PrintedPage:
    """Every glyph run and image a PDF page paints, with its ink box (see the module docstring)."""

    TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}

    def __init__(self, data: bytes, page_number: int = 0):
        reader = pypdf.PdfReader(io.BytesIO(data))
        self.page_count = len(reader.pages)
        page = reader.pages[page_number]
        self.height_pt = float(page.mediabox.height)
        self.width_pt = float(page.mediabox.width)
        self.inks: list[Ink] = []
        self._fonts: dict[int, _Font] = {}
        self._paint(page.get_contents(), page["/Resources"], IDENTITY, reader)

    def _font(self, reference) -> _Font:
        key = reference.idnum if isinstance(reference, IndirectObject) else id(reference)
        if key not in self._fonts:
            self._fonts[key] = _Font(reference)
        return self._fonts[key]

    def _paint(self, contents, resources, ctm: Matrix, reader) -> None:
        resources = resources.get_object() if resources is not None else {}
        fonts = resources.get("/Font", {})
        xobjects = resources.get("/XObject", {})
        stack: list[Matrix] = []
        tm = tlm = IDENTITY
        font: _Font | None = None
        size = char_spacing = rise = leading = 0.0
        scale = 1.0
        for operands, operator in ContentStream(contents, reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = multiply(tuple(float(v) for v in operands), ctm)
            elif operator == b"BT":
                tm = tlm = IDENTITY
            elif operator == b"Tm":
                tm = tlm = tuple(float(v) for v in operands)
            elif operator in (b"Td", b"TD"):
                tx, ty = (float(v) for v in operands)
                if operator == b"TD":
                    leading = -ty
                tm = tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
            elif operator == b"T*":
                tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
            elif operator == b"TL":
                leading = float(operands[0])
            elif operator == b"Tf":
                font, size = self._font(fonts[operands[0]]), float(operands[1])
            elif operator == b"Tc":
                char_spacing = float(operands[0])
            elif operator == b"Tz":
                scale = float(operands[0]) / 100
            elif operator == b"Ts":
                rise = float(operands[0])
            elif operator in self.TEXT_OPERATORS:
                if operator in (b"'", b'"'):
                    if operator == b'"':
                        char_spacing = float(
                            operands[1]
                        )  # operand 0, word spacing, applies to one-byte codes only
                    tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
                    items = [operands[-1]]
                elif operator == b"Tj":
                    items = [operands[0]]
                else:
                    items = list(operands[0])
                assert font is not None, "text shown before any Tf"
                text, points, glyphs = [], [], []
                baseline = apply(multiply((1, 0, 0, 1, 0, rise), multiply(tm, ctm)), 0, 0)[1]
                for item in items:
                    if isinstance(item, NumberObject | int | float) or hasattr(item, "as_numeric"):
                        tm = multiply((1, 0, 0, 1, -float(item) / 1000 * size * scale, 0), tm)
                        continue
                    raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                    for index in range(0, len(raw), 2):
                        cid = int.from_bytes(raw[index : index + 2], "big")
                        text.append(font.to_unicode.get(cid, "\ufffd"))
                        rendering = multiply((size * scale, 0, 0, size, 0, rise), multiply(tm, ctm))
                        bounds = font.bounds(cid)
                        if (glyph := font.glyph(cid)) is not None:
                            glyphs.append(glyph)
                        if bounds is not None:
                            x0, y0, x1, y1 = bounds
                            points += [apply(rendering, x, y) for x in (x0, x1) for y in (y0, y1)]
                        advance = (
                            font.widths.get(cid, font.default_width) / 1000 * size + char_spacing
                        ) * scale
                        tm = multiply((1, 0, 0, 1, advance, 0), tm)
                effective = size * abs(multiply(tm, ctm)[3])
                self.inks.append(
                    Ink(
                        text="".join(text),
                        box=page_box(points, self.height_pt) if points else None,
                        font=font.name,
                        size_pt=effective,
                        baseline=(self.height_pt - baseline) * MM_PER_PT,
                        glyphs=tuple(glyphs),
                    )
                )
            elif operator == b"Do":
                xobject = xobjects[operands[0]].get_object()
                if xobject["/Subtype"] == "/Image":
                    corners = [apply(ctm, x, y) for x in (0, 1) for y in (0, 1)]
                    self.inks.append(
                        Ink(
                            text="",
                            box=page_box(corners, self.height_pt),
                            image_size=(int(xobject["/Width"]), int(xobject["/Height"])),
                        )
                    )
                elif xobject["/Subtype"] == "/Form":
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                    self._paint(xobject, xobject.get("/Resources", resources), multiply(matrix, ctm), reader)

    @property
    def frame(self) -> Box:
        inset = FRAME_INSET_MM
        width, height = self.width_pt * MM_PER_PT, self.height_pt * MM_PER_PT
        return Box(inset, inset, width - inset, height - inset)


# --- Areas --------------------------------------------------------------------------------------

# The type the template gives each part (templates/certificates/certificate.html). Only
# what changes the glyphs matters here: family, weight, style, case and letter-spacing
# (which turns ligatures off); sizes do not.
SERIF = '"Noto Serif", "Noto Serif Devanagari", "DejaVu Serif", serif'
SANS = '"Noto Sans", "Noto Sans Devanagari", "DejaVu Sans", sans-serif'
ACADEMY = f"font-family: {SANS}; font-weight: bold; letter-spacing: 0.28em; text-transform: uppercase"
FACULTY = f"font-family: {SANS}; letter-spacing: 0.12em; text-transform: uppercase"
TITLE = f"font-family: {SERIF}; letter-spacing: 0.04em"
LEAD = f"font-family: {SERIF}; font-style: italic"
SERIF_BOLD = f"font-family: {SERIF}; font-weight: bold"
BODY = f"font-family: {SANS}"
BODY_BOLD = f"font-family: {SANS}; font-weight: bold"
LABEL = f"font-family: {SANS}; letter-spacing: 0.08em; text-transform: uppercase"
CODE = 'font-family: "DejaVu Sans Mono", monospace'


@dataclass
class Area:
    """One area of the certificate: the parts it prints, in order, and what it painted."""

    name: str
    parts: list[tuple[str, str]]  # (text, the type it is set in)
    images: int = 0  # how many images belong to it
    separated: bool = False  # its parts may print with a "·" between them, or a line break
    inks: list[Ink] = field(default_factory=list)

    @property
    def box(self) -> Box:
        boxes = [ink.box for ink in self.inks if ink.box is not None]
        assert boxes, f"{self.name} printed nothing"
        result = boxes[0]
        for box in boxes[1:]:
            result = result.union(box)
        return result

    @property
    def text(self) -> str:
        return " ".join(ink.text for ink in self.inks if ink.image_size is None)


def expected_areas(document: CertificateDocument) -> list[Area]:
    """The certificate's areas in reading order, each with all it must print."""
    details = [f"{document.track} track", f"{document.run_label} run"]
    if document.cme_credit_hours is not None:
        details.append(f"{document.cme_credit_hours.normalize():f} CME credit hours")
    details.append(f"Completed on {document.completed_on:%-d %B %Y}")
    areas = [
        Area(
            "masthead", [(django_settings.LMS_ACADEMY_NAME, ACADEMY), ("Faculty of Pain Medicine", FACULTY)]
        ),
        Area("title", [("Certificate of Completion", TITLE)]),
        Area("holder lead", [("This is to certify that", LEAD)]),
        Area("holder", [(document.holder_name, SERIF_BOLD)]),
        Area(
            "registration",
            [(f"{document.council} · Registration number {document.registration_number}", BODY)],
        ),
        Area("course lead", [("has successfully completed the course", LEAD)]),
        Area("course", [(document.course_title, SERIF_BOLD)]),
        Area("details", [(part, BODY) for part in details], separated=True),
    ]
    for index, signatory in enumerate(document.signatories, start=1):
        areas.append(
            Area(
                f"signatory {index}",
                [(signatory.name, BODY_BOLD), (signatory.title, BODY)],
                images=int(bool(signatory.signature_url)),
            )
        )
    areas.append(
        Area(
            "verification",
            [
                ("Serial", LABEL),
                (document.serial, BODY),
                ("Verification code", LABEL),
                (document.grouped_code, CODE),
            ],
            images=1,
        )
    )
    areas.append(Area("verify line", [(f"Verify this certificate at {document.verification_url}", BODY)]))
    return areas


def reference_glyphs(areas: list[Area]) -> list[list[Glyph]]:
    """The glyphs each area's text makes when set on one line with nothing to fit: one render."""
    parts = [(area_index, text, css) for area_index, area in enumerate(areas) for text, css in area.parts]
    html = "".join(
        f'<p style="margin: 0; font-size: 10pt; line-height: 40pt; white-space: nowrap; {escape(css)}">'
        f"{escape(text)}</p>"
        for _, text, css in parts
    )
    data = HTML(
        string=f"<style>@page {{ size: 4000mm {len(parts) * 15 + 10}mm; margin: 0 }}</style>{html}"
    ).write_pdf()
    reference = PrintedPage(data)
    lines: dict[int, list[Glyph]] = {}
    for ink in reference.inks:
        lines.setdefault(int(ink.baseline // (40 * MM_PER_PT)), []).extend(ink.glyphs)
    assert len(lines) <= len(parts), "a reference line wrapped"
    glyphs: list[list[Glyph]] = [[] for _ in areas]
    for line, (area_index, _, _) in enumerate(parts):
        glyphs[area_index].extend(lines.get(line, []))
    return glyphs


def printed_areas(data: bytes, document: CertificateDocument) -> tuple[PrintedPage, list[Area]]:
    """Assign every ink of the page to its area, checking that each area prints all its glyphs.

    Walks the page's text runs in painting order against each area's reference glyphs:
    a run must continue the area's glyphs exactly, and the area is done when all of them
    are printed — so a cut, ellipsised, reordered or substituted text stops the walk here.
    """
    page = PrintedPage(data)
    assert page.page_count == 1, f"the certificate runs to {page.page_count} pages"
    areas = expected_areas(document)
    runs = [ink for ink in page.inks if ink.image_size is None and ink.glyphs]
    images = [ink for ink in page.inks if ink.image_size is not None]

    *reference, separator = reference_glyphs([*areas, Area("separator", [("·", BODY)])])
    position = 0
    for area, wanted in zip(areas, reference, strict=True):
        assert wanted, f"{area.name}: the reference printed nothing"
        while wanted:
            assert position < len(runs), f"{area.name}: the page ends before {len(wanted)} more glyphs"
            run = runs[position]
            if area.separated and run.glyphs == tuple(separator):
                area.inks.append(run)
                position += 1
                continue
            if tuple(wanted[: len(run.glyphs)]) != run.glyphs:
                pytest.fail(
                    f"{area.name}: after {area.text[-60:]!r} the page prints {run.text[:60]!r} ({run.font}), "
                    f"not the {len(wanted)} glyphs the area must still print — cut, reordered or set in the wrong type"
                )
            area.inks.append(run)
            wanted = wanted[len(run.glyphs) :]
            position += 1
    for area in areas:
        if area.separated:  # no line may open or close on a separator
            lines: dict[float, list[Ink]] = {}
            for ink in area.inks:
                lines.setdefault(round(ink.baseline, 1), []).append(ink)
            for line in lines.values():
                ends = (min(line, key=lambda ink: ink.box.left), max(line, key=lambda ink: ink.box.right))
                assert all(ink.glyphs != tuple(separator) for ink in ends), (
                    f"{area.name}: a line opens or closes on a separator: {' '.join(ink.text for ink in line)!r}"
                )
    leftover = [ink.text for ink in runs[position:]]
    assert not leftover, f"text printed outside every area: {leftover}"

    qr = segno.make(document.verification_url, error="m", micro=False).symbol_size(scale=8, border=4)
    signature_areas = [area for area in areas if area.name.startswith("signatory") and area.images]
    signature_images = [ink for ink in images if ink.image_size != qr]
    qr_images = [ink for ink in images if ink.image_size == qr]
    assert len(qr_images) == 1, f"expected one QR code, found {len(qr_images)}"
    assert len(signature_images) == len(signature_areas), (len(signature_images), len(signature_areas))
    next(area for area in areas if area.name == "verification").inks.extend(qr_images)
    for area, image in zip(signature_areas, signature_images, strict=True):
        area.inks.append(image)
    return page, areas


def assert_layout_holds(data: bytes, document: CertificateDocument) -> list[Area]:
    """One page; every ink inside the frame; areas apart; every glyph of every area printed."""
    page, areas = printed_areas(data, document)
    frame = page.frame
    problems = []
    for area in areas:
        for ink in area.inks:
            if ink.box is not None and not ink.box.inside(frame, FRAME_CLEARANCE_MM):
                what = "an image" if ink.image_size else repr(ink.text[:40])
                problems.append(f"{area.name}: {what} at {ink.box} leaves the frame {frame}")
    for i, first in enumerate(areas):
        for second in areas[i + 1 :]:
            gap = first.box.gap_to(second.box)
            if gap < AREA_CLEARANCE_MM:
                problems.append(
                    f"{first.name} {first.box} and {second.name} {second.box} are {gap:.2f} mm apart"
                )
    assert not problems, "\n".join(problems)
    return areas


# --- The longest values the forms and models allow -------------------------------------------


def repeat_to(unit: str, length: int) -> str:
    """``unit`` repeated and cut at a word boundary to exactly ``length`` characters."""
    text = (unit * (length // len(unit) + 2))[:length]
    if text[-1] == " ":
        text = text[:-1] + unit.strip()[0]
    assert len(text) == length
    return text


def signature_data_url(width: int = 480, height: int = 160) -> str:
    import base64

    canvas = PILImage.new("RGBA", (width, height), (255, 255, 255, 0))
    stroke = max(2, min(width, height) // 20)
    points = [
        (0, height * 0.7),
        (width * 0.3, height * 0.2),
        (width * 0.6, height * 0.8),
        (width - 1, height * 0.3),
    ]
    ImageDraw.Draw(canvas).line(points, fill=(22, 34, 96, 255), width=stroke)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


SIGNATURE = signature_data_url()
NAME_MAX, COUNCIL_MAX, REGISTRATION_MAX, TITLE_MAX, RUN_MAX = 150, 150, 40, 255, 60
SIGNATORY_NAME_MAX, SIGNATORY_TITLE_MAX, SIGNATORIES_MAX = 150, 200, 3
URL = "https://academy.interventional-pain-and-spine-centre.example.org/certificates/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567/"


def typical() -> CertificateDocument:
    return CertificateDocument(
        holder_name="Dr Asha Menon",
        council="Karnataka Medical Council",
        registration_number="KMC-40012",
        course_title="Managing Chronic Pain",
        track="Chronic pain",
        run_label="January 2027",
        cme_credit_hours=Decimal("8.0"),
        completed_on=datetime.date(2027, 1, 28),
        serial="PA-2027-000123",
        verification_code="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        verification_url="http://127.0.0.1:8000/certificates/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567/",
        signatories=(
            SignatoryLine("Dr Meera Iyer", "Dean, Faculty of Pain Medicine", SIGNATURE),
            SignatoryLine("Dr Rahul Menon", "Director, IPSC Pain Academy", SIGNATURE),
        ),
    )


def longest(*, name: str, council: str, title: str, run: str, signatory: str, signatory_title: str):
    return CertificateDocument(
        holder_name=repeat_to(name, NAME_MAX),
        council=repeat_to(council, COUNCIL_MAX),
        registration_number=repeat_to("MMC/2011/0457-", REGISTRATION_MAX),
        course_title=repeat_to(title, TITLE_MAX),
        track="Multidisciplinary",
        run_label=repeat_to(run, RUN_MAX),
        cme_credit_hours=Decimal("999.9"),
        completed_on=datetime.date(2027, 9, 28),
        serial="PA-2027-" + "9" * 16,
        verification_code="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        verification_url=URL,
        signatories=tuple(
            SignatoryLine(
                repeat_to(signatory, SIGNATORY_NAME_MAX),
                repeat_to(signatory_title, SIGNATORY_TITLE_MAX),
                SIGNATURE,
            )
            for _ in range(SIGNATORIES_MAX)
        ),
    )


LATIN = dict(
    name="Dr Zoë Ñúñez-Ørsted Wąsowska-Håkansson de Sá Gonçalves ",
    council="Conselho Regional de Medicina do Estado de São Paulo ",
    title="Interventional Management of Chronic Neuropathic Pain: Évidence, Técnicas y Práctica Clínica ",
    run="Septembre–Décembre ",
    signatory="Prof. Dr Jérôme Łukasiewicz-Ødegård ",
    signatory_title="Professor and Head, Département d’Anesthésiologie, Médecine de la Douleur ",
)
CAPITALS = {key: value.upper() for key, value in LATIN.items()}
DEVANAGARI = dict(
    name="डॉ. अनन्या श्रीनिवासन राव क्षत्रिय ",
    council="महाराष्ट्र वैद्यकीय परिषद ",
    title="दीर्घकालिक और कैंसर दर्द का हस्तक्षेपीय प्रबंधन तथा पुनर्वास ",
    run="सितंबर–दिसंबर ",
    signatory="प्रो. डॉ. मीरा अय्यर-कुलकर्णी ",
    signatory_title="अधिष्ठाता एवं विभागाध्यक्ष, दर्द चिकित्सा संकाय ",
)
MIXED = dict(
    name="Dr अनन्या Ñúñez-राव Wąsowska ",
    council="Travancore-Cochin Council of Modern Medicine (केरल) ",
    title="हस्तक्षेपीय दर्द प्रबंधन: Interventional Pain Management, Évidence ",
    run="सितंबर September ",
    signatory="Dr मीरा Iyer-कुलकर्णी ",
    signatory_title="Dean, दर्द चिकित्सा संकाय, Faculty of Pain Medicine ",
)
# One word as long as the whole field: nothing to wrap at but the letters themselves.
UNBROKEN = dict(
    name="Venkatanarasimharajuvaripeta",
    council="Rajiv Gandhi University of Health Sciences ",
    title="Neuromodulation",
    run="Quadrimestre",
    signatory="Ramakrishnanandaswamigal",
    signatory_title="Vice-Chancellor ",
)


LONGEST = {
    "latin": longest(**LATIN),
    "capitals": longest(**CAPITALS),
    "devanagari": longest(**DEVANAGARI),
    "mixed": longest(**MIXED),
    "unbroken": longest(**UNBROKEN),
}


# --- The tests ----------------------------------------------------------------------------------


def test_the_reader_sees_what_the_certificate_prints():
    """The reader's own check: a typical certificate's areas, in place and in order."""
    document = typical()
    areas = {area.name: area for area in assert_layout_holds(render_certificate_pdf(document), document)}

    assert areas["title"].box.top < areas["holder"].box.top < areas["course"].box.top
    assert areas["course"].box.bottom < areas["signatory 1"].box.top
    assert areas["signatory 1"].box.right < areas["signatory 2"].box.left
    assert areas["signatory 2"].box.right < areas["verification"].box.left
    # Centred on the page's axis, within a millimetre.
    for name in ("title", "holder", "course"):
        box = areas[name].box
        assert abs((box.left + box.right) / 2 - PAGE_MM[0] / 2) < 1.0, (name, box)
    holder = next(ink for ink in areas["holder"].inks)
    assert holder.font.startswith("Noto-Serif-Bold")


@pytest.mark.parametrize("case", sorted(LONGEST))
def test_the_longest_allowed_values_stay_in_their_areas(case):
    document = LONGEST[case]
    assert_layout_holds(render_certificate_pdf(document), document)


def test_a_long_name_with_short_everything_else_keeps_its_full_name():
    document = CertificateDocument(
        **{**typical().__dict__, "holder_name": repeat_to(LATIN["name"], NAME_MAX)}
    )
    assert_layout_holds(render_certificate_pdf(document), document)


def test_a_long_title_with_short_everything_else():
    document = CertificateDocument(
        **{**typical().__dict__, "course_title": repeat_to(LATIN["title"], TITLE_MAX)}
    )
    assert_layout_holds(render_certificate_pdf(document), document)


@pytest.mark.parametrize("size", [(20, 2000), (4000, 20), (2000, 2000), (1, 1)])
def test_signature_images_of_any_shape_stay_in_their_place(size):
    base = typical()
    document = CertificateDocument(
        **{
            **base.__dict__,
            "signatories": (
                SignatoryLine("Dr Meera Iyer", "Dean, Faculty of Pain Medicine", signature_data_url(*size)),
                SignatoryLine("Dr Rahul Menon", "Director, IPSC Pain Academy", SIGNATURE),
            ),
        }
    )
    areas = {area.name: area for area in assert_layout_holds(render_certificate_pdf(document), document)}
    odd = next(ink for ink in areas["signatory 1"].inks if ink.image_size)
    normal = next(ink for ink in areas["signatory 2"].inks if ink.image_size)
    # The odd one is scaled down into the same signing space as a usual one, keeping its
    # proportions, and the typed names beneath both stay on one baseline.
    width, height = odd.box.right - odd.box.left, odd.box.bottom - odd.box.top
    assert height <= normal.box.bottom - normal.box.top + 0.1
    assert width <= areas["signatory 1"].box.right - areas["signatory 1"].box.left + 0.1
    assert abs(width / height - size[0] / size[1]) / (size[0] / size[1]) < 0.02
    assert abs(odd.box.bottom - normal.box.bottom) < 0.5 or size == (1, 1)
    names = [next(ink for ink in areas[f"signatory {i}"].inks if not ink.image_size) for i in (1, 2)]
    assert abs(names[0].baseline - names[1].baseline) < 0.1


@pytest.mark.parametrize(
    "signatories",
    [
        pytest.param((), id="none"),
        pytest.param(
            (SignatoryLine("Dr Meera Iyer", "Dean, Faculty of Pain Medicine"),), id="typed name only"
        ),
        pytest.param(
            tuple(
                SignatoryLine(f"Dr Meera Iyer {n}", "Dean, Faculty of Pain Medicine", SIGNATURE)
                for n in range(4)
            ),
            id="four (more than the admin allows)",
        ),
    ],
)
def test_any_number_of_signatories_stays_clear(signatories):
    """Nought, one without a drawn signature, or four — more than the admin lets a certificate have,
    as data from before the limit or a race between two administrators could leave."""
    document = CertificateDocument(**{**typical().__dict__, "signatories": signatories})
    assert_layout_holds(render_certificate_pdf(document), document)


# --- How the fit is found ------------------------------------------------------------------------


def test_a_typical_certificate_is_set_large_in_one_pass():
    rendered = render_certificate(typical())
    assert rendered.layout == CertificateLayout()  # the largest type and the most generous spacing
    assert rendered.passes == 1


@pytest.mark.parametrize("case", sorted(LONGEST))
def test_the_estimate_is_good_enough_for_the_longest_values(case):
    rendered = render_certificate(LONGEST[case])
    assert rendered.passes == 1, rendered
    assert rendered.layout != CertificateLayout()


def test_an_optimistic_layout_is_caught_by_its_boxes_and_set_tighter(caplog):
    """The estimate is only a starting point: forced to start at the largest type, the longest
    certificate is laid out, found not to fit, and set tighter until it does."""
    document = LONGEST["latin"]
    start = CertificateLayout()
    first = HTML(string=certificate_html(document, layout=start), url_fetcher=SafeURLFetcher()).render()
    assert layout_problems(first), "the largest type should not fit the longest values"

    with caplog.at_level("INFO", logger="certificates.rendering"):
        rendered = render_certificate(document, layout=start)
    assert rendered.passes > 1
    assert rendered.layout != start
    assert "setting it tighter" in caplog.text
    assert_layout_holds(rendered.pdf, document)


def test_text_beyond_every_limit_is_refused_with_a_reason_rather_than_printed_cut():
    """No form allows a 700-character name; should one reach the renderer, no certificate
    that cuts it or prints over the signatures is made: the render fails for good (no
    retries), with a message an administrator can act on."""
    document = CertificateDocument(
        **{**LONGEST["latin"].__dict__, "holder_name": repeat_to(LATIN["name"], 700)}
    )
    with pytest.raises(CertificateRenderError, match="does not fit .* even at the smallest type") as refused:
        render_certificate(document)
    assert "the holder's name has 700 characters" in str(refused.value)


def test_lines_never_grow_with_more_room_or_smaller_type():
    text = repeat_to(DEVANAGARI["name"], 150) + " " + repeat_to(LATIN["title"], 255)
    by_width = [text_lines(text, size_pt=12, width_mm=width) for width in range(40, 300, 10)]
    by_size = [text_lines(text, size_pt=size, width_mm=120) for size in (27, 24, 21, 18, 15, 12, 9)]
    assert by_width == sorted(by_width, reverse=True)
    assert by_size == sorted(by_size, reverse=True)
    assert text_lines("Dr Asha Menon", size_pt=27, width_mm=242.5) == 1


NAME_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñøåąłçÉÑ-.' ")
    + ["डॉ", "अ", "न", "न्या", "श्री", "नि", "वा", "स", "रा", "व", "क्ष", "त्रि", "य", "र्द", " ", " "]
)


@st.composite
def texts(draw, *, max_length: int) -> str:
    pieces = draw(st.lists(NAME_ALPHABET, min_size=3, max_size=max_length))
    text = " ".join("".join(pieces).split())[:max_length].strip()
    return text or "Dr A"


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=texts(max_length=NAME_MAX),
    title=texts(max_length=TITLE_MAX),
    signatory=texts(max_length=SIGNATORY_NAME_MAX),
    count=st.integers(min_value=0, max_value=SIGNATORIES_MAX),
)
def test_any_name_and_title_within_the_limits_fit(name, title, signatory, count):
    """Names and titles of any length and script the forms allow, drawn at random (deterministically)."""
    document = CertificateDocument(
        **{
            **typical().__dict__,
            "holder_name": name,
            "course_title": title,
            "signatories": tuple(
                SignatoryLine(signatory, "Dean, Faculty of Pain Medicine", SIGNATURE) for _ in range(count)
            ),
        }
    )
    assert_layout_holds(render_certificate_pdf(document), document)


# --- The admin keeps signatories to what the footer holds -------------------------------------------


SIGNATORY_ADD_URL = "/admin/snippets/certificates/signatory/add/"


def _signatory_form(**overrides) -> dict:
    return {
        "name": "Dr Kavita Rao",
        "title": "Director, IPSC Pain Academy",
        "sort_order": "4",
        "active": "on",
        **overrides,
    }


@pytest.mark.django_db
def test_the_admin_refuses_a_signatory_beyond_what_the_certificate_holds(admin_client):
    existing = [
        Signatory.objects.create(name=f"Dr Meera Iyer {n}", title="Dean", sort_order=n) for n in range(3)
    ]

    response = admin_client.post(SIGNATORY_ADD_URL, _signatory_form())
    assert response.status_code == 200
    assert "A certificate has room for 3 signatories and 3 are already active" in response.content.decode()
    assert Signatory.objects.count() == 3

    # An inactive one may wait in the wings, and an active one can still be edited.
    response = admin_client.post(SIGNATORY_ADD_URL, _signatory_form(active=""))
    assert response.status_code == 302
    assert Signatory.objects.filter(active=False, name="Dr Kavita Rao").exists()
    edit_url = f"/admin/snippets/certificates/signatory/edit/{existing[0].pk}/"
    response = admin_client.post(edit_url, _signatory_form(name="Dr Meera Iyer-Menon", sort_order="0"))
    assert response.status_code == 302
    existing[0].refresh_from_db()
    assert existing[0].name == "Dr Meera Iyer-Menon"

    # Once one steps down, the place is free.
    Signatory.objects.filter(pk=existing[2].pk).update(active=False)
    waiting = Signatory.objects.get(name="Dr Kavita Rao")
    response = admin_client.post(
        f"/admin/snippets/certificates/signatory/edit/{waiting.pk}/", _signatory_form()
    )
    assert response.status_code == 302
    assert Signatory.objects.filter(active=True).count() == 3


# --- Through the whole service --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_issued_certificate_of_the_longest_profile_and_course_holds(media_root):
    """The pipeline end to end — profile, course page, run, signatories in the database, the
    render service and the stored PDF — at the longest values the models allow, in Devanagari."""
    for n in range(SIGNATORIES_MAX):
        SignatoryFactory(
            name=repeat_to(DEVANAGARI["signatory"], SIGNATORY_NAME_MAX),
            title=repeat_to(DEVANAGARI["signatory_title"], SIGNATORY_TITLE_MAX),
            sort_order=n,
        )
    doctor = learner(
        full_name=repeat_to(DEVANAGARI["name"], NAME_MAX),
        council=MedicalCouncil.OTHER_STATE,
        council_other=repeat_to(DEVANAGARI["council"], COUNCIL_MAX),
        registration_number=repeat_to("MMC/2011/0457-", REGISTRATION_MAX),
    )
    certificate = issued_certificate(
        doctor,
        course__title=repeat_to(DEVANAGARI["title"], TITLE_MAX),
        course__track=Track.MULTIDISCIPLINARY,
        label=repeat_to(DEVANAGARI["run"], RUN_MAX),
    )
    assert certificate.is_issued

    signatures = {s.name: s for s in Signatory.objects.filter(active=True).select_related("signature")}
    document = CertificateDocument(
        holder_name=certificate.holder_name,
        council=certificate.council,
        registration_number=certificate.registration_number,
        course_title=certificate.course_title,
        track=certificate.track,
        run_label=certificate.run_label,
        cme_credit_hours=certificate.cme_credit_hours,
        completed_on=certificate.completed_on,
        serial=certificate.serial,
        verification_code=certificate.verification_code,
        verification_url=certificate.verification_url,
        signatories=tuple(
            SignatoryLine(s["name"], s["title"], "yes" if signatures[s["name"]].signature_id else "")
            for s in certificate.signatories
        ),
    )
    assert len(document.holder_name) == NAME_MAX and len(document.course_title) == TITLE_MAX
    assert_layout_holds(stored_pdf(certificate), document)


def test_a_name_made_of_markup_is_laid_out_like_any_other():
    document = CertificateDocument(**{**typical().__dict__, "holder_name": HOSTILE_NAME})
    assert_layout_holds(render_certificate_pdf(document), document)
