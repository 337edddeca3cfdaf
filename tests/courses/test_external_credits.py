"""Credit from other providers: self-reported, with evidence checked by content and stored privately."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from courses.exceptions import ExternalCreditError
from courses.models import ExternalCredit
from courses.services import external_credit_add
from lms.evidence import EVIDENCE_MAX_BYTES
from tests.courses.factories import CreditTypeFactory
from tests.factories import PASSWORD, UserFactory, learner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def pdf_bytes(*, open_action: dict | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if open_action:
        action = DictionaryObject({NameObject(k): v for k, v in open_action.items()})
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


JAVASCRIPT = {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert('hello');")}
LAUNCH = {"/S": NameObject("/Launch"), "/F": TextStringObject("calc.exe")}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes, name="certificate.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def add(doctor, credit_type, evidence, **overrides):
    values = dict(
        learner=doctor,
        activity="Ultrasound-guided nerve blocks workshop",
        provider="Indian Society for Study of Pain",
        completed_on=timezone.localdate() - datetime.timedelta(days=30),
        credit_type=credit_type,
        credits=Decimal("2.50"),
        evidence=evidence,
    )
    values.update(overrides)
    return external_credit_add(**values)


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()]


def test_a_pdf_or_png_is_stored_privately_and_listed_apart_on_the_transcript(client, media_root):
    doctor, credit_type = learner(), CreditTypeFactory(name="NMC CPD credit hours")
    pdf = add(doctor, credit_type, upload(pdf_bytes()))
    png = add(
        doctor, credit_type, upload(png_bytes(), "scan.pdf"), credits=Decimal("1.00")
    )  # the content decides
    assert (pdf.evidence_kind, png.evidence_kind) == ("pdf", "png")
    assert png.evidence.name.endswith(".png") and png.evidence.name.startswith(f"evidence/{doctor.pk}/")
    assert all("private" in str(path) for path in stored_files(media_root))

    client.login(username=doctor.username, password=PASSWORD)
    body = client.get(reverse("transcript")).content.decode()
    assert "Self-reported" in body and "Ultrasound-guided nerve blocks workshop" in body
    assert 'data-external-total="NMC CPD credit hours">3.50 NMC CPD credit hours<' in body
    response = client.get(reverse("external_credit_evidence", args=[pdf.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf.evidence.open("rb").read()
    assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_is_served_to_its_owner_and_administrators_only(client):
    doctor, credit_type = learner(), CreditTypeFactory()
    credit = add(doctor, credit_type, upload(pdf_bytes()))
    url = reverse("external_credit_evidence", args=[credit.pk])

    assert client.get(url).status_code == 302  # signed out: to the log-in page
    client.login(username=(other := learner()).username, password=PASSWORD)
    assert other.pk != doctor.pk and client.get(url).status_code == 404
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(url).status_code == 200
    assert client.get(f"/media/{credit.evidence.name}").status_code == 404  # no plain address


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "certificate.pdf", "PDF, PNG or JPEG"),  # an executable renamed .pdf
        (b"%PDF-1.7\n garbage that is not a PDF", "certificate.pdf", "not a readable PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "scan.png", "not a readable PNG"),
        (pdf_bytes(open_action=JAVASCRIPT), "certificate.pdf", "JavaScript"),
        (pdf_bytes(open_action=LAUNCH), "certificate.pdf", "JavaScript or an action"),
        (b"%PDF-1.4\n" + b"0" * (EVIDENCE_MAX_BYTES + 1), "big.pdf", "the limit is 5 MB"),
    ],
    ids=["executable", "broken-pdf", "broken-png", "pdf-javascript", "pdf-launch", "too-large"],
)
def test_bad_evidence_is_refused_with_a_message_and_nothing_is_stored(media_root, data, name, message):
    doctor = learner()
    with pytest.raises(ExternalCreditError, match=message):
        add(doctor, CreditTypeFactory(), upload(data, name))
    assert not ExternalCredit.objects.exists()
    assert stored_files(media_root) == []


def test_bad_credits_and_dates_are_refused(media_root):
    doctor, credit_type = learner(), CreditTypeFactory()
    for overrides, message in [
        ({"credits": Decimal("2.30")}, "steps of 0.25"),
        ({"credits": Decimal("0")}, "between 0.25"),
        ({"credits": 2.5}, "as a number"),
        ({"completed_on": timezone.localdate() + datetime.timedelta(days=1)}, "future"),
    ]:
        with pytest.raises(ExternalCreditError, match=message):
            add(doctor, credit_type, upload(pdf_bytes()), **overrides)
    assert not ExternalCredit.objects.exists() and stored_files(media_root) == []


def test_the_form_over_http(client):
    doctor, credit_type = learner(), CreditTypeFactory()
    client.login(username=doctor.username, password=PASSWORD)
    url = reverse("external_credit_add")
    fields = {
        "activity": "Pain Update 2026",
        "provider": "ISSP",
        "completed_on": "2026-01-10",
        "credit_type": credit_type.pk,
        "credits": "2.00",
    }
    response = client.post(url, {**fields, "evidence": upload(b"MZ" + b"\x00" * 100, "cert.pdf")})
    assert response.status_code == 400 and "PDF, PNG or JPEG" in response.content.decode()
    response = client.post(url, {**fields, "evidence": upload(pdf_bytes())})
    assert response.status_code == 302 and response["Location"] == reverse("transcript")
    assert ExternalCredit.objects.get().learner == doctor
