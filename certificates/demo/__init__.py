"""Demo signatories for ``seed_demo``: fictional people, with drawn demo signatures.

The people are data (``signatories.yaml`` beside this module); each gets a pen-stroke
PNG drawn here as a stand-in for a scanned signature. Registered under the
``lms_seed_demo`` hook (see :mod:`courses.demo`). Idempotent: a signatory is found by
name and title, a signature image by title; whatever exists is left as it is. Then
:func:`render_demo_certificates` renders the certificates the demo learner's claims
requested (``quizzes.demo.learner``).
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from certificates.models import Certificate, CertificateStatus, Signatory
from certificates.selectors import signatures_collection
from certificates.services import certificate_render
from lms.demo_data import Fields, read_yaml, unique

DEMO_DIR = Path(__file__).resolve().parent


def load_signatories(folder: Path = DEMO_DIR) -> list[dict]:
    """Read and check ``signatories.yaml``; raises :class:`lms.demo_data.DemoDataError`."""
    path = Path(folder) / "signatories.yaml"
    top = Fields(read_yaml(path), path=path)
    items = top.items("signatories")
    signatories = []
    for spec in top.mappings("signatories"):
        signatories.append(
            {
                "name": spec.text("name", max_length=Signatory._meta.get_field("name").max_length),
                "title": spec.text("title", max_length=Signatory._meta.get_field("title").max_length),
                "sort_order": spec.integer("sort_order", minimum=0),
            }
        )
        spec.done()
    top.done()
    unique(
        [(s, line, label) for s, (_, line, label) in zip(signatories, items, strict=True)],
        key=lambda s: (s["name"], s["title"]),
        path=path,
        what="the signatory",
    )
    return signatories


def _signature(name: str):
    """A pen-stroke PNG: a demo stand-in for a scanned signature."""
    Image = get_image_model()
    title = f"Signature of {name} (demo)"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    canvas = PILImage.new("RGBA", (480, 160), (255, 255, 255, 0))
    seed = sum(map(ord, name))
    points = [(20 + i * 44, 110 - ((seed * (i + 3)) % 70)) for i in range(11)]
    draw = ImageDraw.Draw(canvas)
    draw.line(points, fill=(22, 34, 96, 255), width=5, joint="curve")
    draw.line([(40, 135), (440, 128)], fill=(22, 34, 96, 255), width=3)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    # In the restricted collection: only academy administrators may change a signature.
    return Image.objects.create(
        title=title,
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="signature.png"),
        collection=signatures_collection(),
    )


def seed_signatories(*, seeder) -> None:
    """Create the demo signatories that are missing, each with a drawn signature."""
    for spec in load_signatories(seeder.folder_for("certificates", DEMO_DIR)):
        created = False
        if not Signatory.objects.filter(name=spec["name"], title=spec["title"]).exists():
            Signatory.objects.create(**spec, signature=_signature(spec["name"]), active=True)
            created = True
        seeder.tally("signatories", created)


def render_demo_certificates(*, seeder) -> None:
    """Render the certificates the demo accounts' claims requested, as the worker would.

    So that a newcomer's ``make run`` shows issued certificates (with the claimed credit
    printed) whether or not a worker is running. :func:`certificate_render` is the
    worker's own step and is idempotent: the render the outbox dispatches after commit
    finds each certificate issued and does nothing.
    """
    users = [user.pk for user in seeder.users.values()]
    pending = Certificate.objects.filter(enrolment__learner_id__in=users, status=CertificateStatus.PENDING)
    for certificate_id in pending.values_list("pk", flat=True):
        certificate_render(certificate_id=certificate_id)
        seeder.tally("certificates rendered", True)
