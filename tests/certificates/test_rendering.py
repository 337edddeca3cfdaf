"""The document: what it prints, in which fonts, and what it may fetch while rendering."""

import datetime
import http.server
import io
import threading
from decimal import Decimal

import pypdf
import pytest
import segno
from PIL import Image as PILImage
from weasyprint import HTML
from weasyprint.text import ffi as weasyprint_ffi

from certificates.rendering import (
    CertificateDocument,
    SafeURLFetcher,
    SignatoryLine,
    qr_code_data_url,
    render_certificate_pdf,
)
from tests.certificates.factories import SignatoryFactory, issued_certificate, pdf_text, stored_pdf
from tests.factories import learner

pytestmark = pytest.mark.django_db

HOSTILE_NAME = (
    'Dr <img src="file:///etc/passwd"> <link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/"> '
    "<script>alert(1)</script> Evil"
)


def squeeze(text: str) -> str:
    return "".join(text.split())


def document(**overrides) -> CertificateDocument:
    values = dict(
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
        signatories=(SignatoryLine(name="Dr Meera Iyer", title="Dean, Faculty of Pain Medicine"),),
    )
    values.update(overrides)
    return CertificateDocument(**values)


def embedded_font_names(data: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                names.add(str(descriptor["/FontName"]).split("+", 1)[-1])
    return names


@pytest.mark.parametrize(
    "name, font",
    [("Dr Zoë Ñúñez-Ørsted", "Noto-Serif-Bold"), ("डॉ. अनन्या राव", "Noto-Serif-Devanagari")],
)
def test_names_with_diacritics_and_in_devanagari_print_in_embedded_fonts(media_root, name, font):
    doctor = learner(full_name=name)
    certificate = issued_certificate(doctor)
    data = stored_pdf(certificate)

    assert name in pdf_text(data)
    assert certificate.holder_name == name
    assert any(embedded.startswith(font) for embedded in embedded_font_names(data)), embedded_font_names(data)


def test_the_document_prints_every_field_and_its_signatories(media_root):
    SignatoryFactory(name="Dr Meera Iyer", title="Dean, Faculty of Pain Medicine")
    SignatoryFactory(name="Dr Rahul Menon", title="Director, IPSC Pain Academy")
    certificate = issued_certificate(
        learner(full_name="Dr Kavya Raghunathan", registration_number="KMC 123456")
    )
    text = pdf_text(stored_pdf(certificate))

    for expected in [
        "Certificate of Completion",
        "IPSC",
        "Dr Kavya Raghunathan",
        "Karnataka Medical Council",
        "KMC 123456",
        certificate.course_title,
        "Chronic pain track",
        f"{certificate.run_label} run",
        "8 CME credit hours",
        certificate.serial,
        certificate.verification_url,
        "Dr Meera Iyer",
        "Dean, Faculty of Pain Medicine",
        "Dr Rahul Menon",
    ]:
        assert expected in text, expected
    assert certificate.grouped_code.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    assert [s["name"] for s in certificate.signatories] == ["Dr Meera Iyer", "Dr Rahul Menon"]
    # Both signature images are embedded, besides the QR code.
    reader = pypdf.PdfReader(io.BytesIO(stored_pdf(certificate)))
    assert len(reader.pages[0].images) == 3


def test_the_qr_code_encodes_the_verification_url():
    url = "http://127.0.0.1:8000/certificates/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567/"
    data = render_certificate_pdf(document(verification_url=url, signatories=()))
    images = pypdf.PdfReader(io.BytesIO(data)).pages[0].images
    assert len(images) == 1
    printed = PILImage.open(io.BytesIO(images[0].data)).convert("L")

    expected = segno.make(url, error="m", micro=False)
    size = expected.symbol_size(scale=8, border=4)
    assert printed.size == size
    # Sample the centre of every module and compare with the symbol segno builds for the URL.
    for row_index, row in enumerate(expected.matrix):
        for column_index, dark in enumerate(row):
            pixel = printed.getpixel((32 + column_index * 8 + 4, 32 + row_index * 8 + 4))
            assert (pixel < 128) == bool(dark), (row_index, column_index)


def test_a_hostile_name_is_printed_literally_and_nothing_it_names_is_fetched():
    fetcher = SafeURLFetcher()
    data = render_certificate_pdf(document(holder_name=HOSTILE_NAME), fetcher=fetcher)

    text = pdf_text(data)
    assert squeeze(HOSTILE_NAME) in squeeze(text)  # the long name wraps, at spaces and after "/"
    assert '<img src="file:///etc/passwd">' in text
    assert "<script>alert(1)</script>" in text
    assert "169.254.169.254" in text
    # WeasyPrint asked only for the logo and the QR code: never for what the name contains.
    assert [url.split(",")[0] for url in fetcher.requested] == [
        "lms-static:certificates/logo.svg",
        "data:image/png;base64",
    ]
    assert not any("passwd" in url or "169.254" in url for url in fetcher.requested)
    assert b"root:x:0:0" not in data
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages[0].images) == 1  # the QR code only


def test_a_hostile_name_through_the_whole_service(media_root):
    certificate = issued_certificate(learner(full_name=HOSTILE_NAME))
    data = stored_pdf(certificate)
    assert certificate.holder_name == HOSTILE_NAME
    assert squeeze(HOSTILE_NAME) in squeeze(pdf_text(data))
    assert b"root:x:0:0" not in data


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "lms-static:../../../etc/passwd",
        "lms-static:certificates/../../lms/settings/base.py",
        "lms-static:/etc/passwd",
        "lms-static:certificates/%2e%2e/%2e%2e/etc/passwd",
        "lms-static:no/such/file.png",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files_and_data_urls(url):
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch(url)


def test_the_fetcher_serves_project_static_files_and_data_urls():
    fetcher = SafeURLFetcher()
    logo = fetcher.fetch("lms-static:certificates/logo.svg")
    assert logo.content_type == "image/svg+xml"
    assert b"<svg" in logo.read()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_http_urls_and_redirects_in_markup_never_reach_the_network():
    """A listening server proves it: markup pointing at it is rendered, and it gets no request."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        html = (
            f'<link rel="stylesheet" href="{base}/style.css"><style>@import url("{base}/import.css");'
            f'body {{ background: url("{base}/bg.png") }}</style>'
            f'<img src="{base}/redirect.png"><img src="file:///etc/passwd"><p>Body</p>'
        )
        fetcher = SafeURLFetcher()
        data = HTML(string=html, url_fetcher=fetcher).write_pdf()
    finally:
        server.shutdown()
        thread.join()
    assert _RecordingHandler.hits == []
    assert {url.split("/")[-1] for url in fetcher.requested} >= {
        "style.css",
        "import.css",
        "bg.png",
        "redirect.png",
        "passwd",
    }
    assert b"root:x:0:0" not in data


def test_qr_code_is_a_png_data_url():
    assert qr_code_data_url("http://x/").startswith("data:image/png;base64,")


def test_harfbuzz_subsetting_runs_in_c():
    """Debian's libharfbuzz-subset0 is loaded: font subsetting takes the fast path."""
    assert weasyprint_ffi.harfbuzz_subset is not None
