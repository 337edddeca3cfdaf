"""Which stored files have a public address: images, and only the images meant to be seen.

Contract of :func:`image_file_for_request`: given the storage name from a ``/media/…``
URL, return the file to serve and whether it may be cached publicly, or ``None`` (the
caller answers 404, the same for "no such file" and "not yours", so nothing is learned
from the difference).

The rule, in one place: **a Wagtail image (original or rendition) is public unless its
collection, or a collection above it, has a privacy restriction** (Wagtail admin →
Settings → Collections → Privacy). Module figures live in ordinary collections and are
public, as figures in a textbook are. Signatures of certificate signatories belong in a
collection restricted to the academy's administrators: their images then answer only to
a signed-in user the restriction accepts (a member of the named groups, or a superuser)
— which lets the admin's thumbnails work — and 404 to everyone else. Password
restrictions are honoured the way Wagtail honours them for documents (the session must
have passed them).

Everything that is not a Wagtail image — documents, certificate PDFs, the ``"private"``
storage, files nobody recorded, paths with ``..`` or other tricks — gets ``None``: a
name is served only if the database holds exactly that name for an image, so neither a
traversal nor a symlink dropped into ``MEDIA_ROOT`` can reach anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from wagtail.images import get_image_model


@dataclass(frozen=True)
class MediaImage:
    file: FieldFile
    public: bool  # no restriction applies: any cache may keep it


def _clean_name(name: str) -> str | None:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    return name


def image_file_for_request(*, name: str, request: HttpRequest) -> MediaImage | None:
    """The image file stored as ``name`` if the visitor of ``request`` may see it, else ``None``."""
    name = _clean_name(name)
    if name is None:
        return None
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()

    def original():
        image = image_model.objects.select_related("collection").filter(file=name).first()
        return (image, image.file) if image is not None else None

    def rendition():
        found = rendition_model.objects.select_related("image__collection").filter(file=name).first()
        return (found.image, found.file) if found is not None else None

    # Wagtail keeps renditions under images/ and originals under original_images/: look
    # in the likelier table first (one query for every name that is an image).
    lookups = (rendition, original) if name.startswith("images/") else (original, rendition)
    found = lookups[0]() or lookups[1]()
    if found is None:
        return None
    image, file = found
    restrictions = list(image.collection.get_view_restrictions())
    if not all(restriction.accept_request(request) for restriction in restrictions):
        return None
    return MediaImage(file=file, public=not restrictions)
