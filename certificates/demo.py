"""Demo signatories for ``seed_demo`` (fictional people, drawn signatures)."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from certificates.models import Signatory
from certificates.selectors import signatures_collection

SIGNATORIES = [
    {"name": "Dr Arjun Menon", "title": "Dean, Faculty of Pain Medicine", "sort_order": 0},
    {"name": "Dr Kavita Rao", "title": "Director, IPSC Pain Academy", "sort_order": 1},
]


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
    for spec in SIGNATORIES:
        created = False
        if not Signatory.objects.filter(name=spec["name"], title=spec["title"]).exists():
            Signatory.objects.create(**spec, signature=_signature(spec["name"]), active=True)
            created = True
        seeder.tally("signatories", created)
