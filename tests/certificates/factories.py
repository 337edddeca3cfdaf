"""Factories and helpers for certificate tests: completed courses, signatories, PDF text."""

from __future__ import annotations

import io

import factory
import pypdf
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from certificates.models import Certificate, Signatory
from certificates.selectors import signatures_collection
from certificates.services import certificate_render
from courses.services import enrolment_create, module_complete
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner


def signature_image(title: str = "Signature", collection=None) -> Image:
    """A small PNG of a scribble, stored as a Wagtail image in the "Certificate signatures"
    collection (or ``collection``)."""
    canvas = PILImage.new("RGBA", (240, 80), (255, 255, 255, 0))
    wobble = sum(map(ord, title)) % 30  # each signatory's scribble differs
    points = [(10, 60), (60, 15 + wobble), (110, 55), (170, 20 + wobble), (230, 50)]
    ImageDraw.Draw(canvas).line(points, fill=(20, 30, 90, 255), width=4)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(
        title=title,
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="signature.png"),
        collection=collection or signatures_collection(),
    )


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    name = factory.Sequence(lambda n: f"Dr Meera Iyer {n}")
    title = "Dean, Faculty of Pain Medicine"
    signature = factory.LazyAttribute(lambda o: signature_image(f"Signature of {o.name}"))
    sort_order = factory.Sequence(int)


def course_to_complete(doctor=None, *, modules: int = 1, **run_kwargs):
    """A learner enrolled in a fresh run of a course; returns ``(enrolment, modules)``."""
    doctor = doctor or learner()
    run = CourseRunFactory(**run_kwargs)
    pages = [ModulePageFactory(parent=run.course) for _ in range(modules)]
    enrolment = enrolment_create(learner=doctor, run=run)
    return enrolment, pages


def complete(enrolment, pages) -> Certificate:
    """Complete every module (the last one completes the course); returns the pending certificate."""
    for page in pages:
        module_complete(learner=enrolment.learner, module=page)
    return Certificate.objects.get(enrolment=enrolment, status="pending")


def issued_certificate(doctor=None, **kwargs) -> Certificate:
    """A learner completes a course and the certificate is rendered in this process."""
    enrolment, pages = course_to_complete(doctor, **kwargs)
    certificate = complete(enrolment, pages)
    return certificate_render(certificate_id=certificate.pk)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def stored_pdf(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def stored_pdf_files(media_root) -> list:
    return sorted(p for p in media_root.rglob("*.pdf"))
