"""Stored files are never plain files: /media/ serves public images and nothing else.

The URLconf is the same in development and production (no ``static(MEDIA_URL, …)``
when DEBUG is on); tests/lms/test_make_run.py walks a real ``make run``'s MEDIA_ROOT.
"""

import io
import os
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction

from lms.roles import ADMINISTRATORS
from tests.certificates.factories import issued_certificate
from tests.factories import UserFactory
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def _png(name="figure.png", colour=(200, 30, 30)) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


@pytest.fixture
def figure(media_root):
    """A module figure in the root collection: public."""
    return Image.objects.create(title="Lumbar facet joint", file=_png("facet-joint.png"))


@pytest.fixture
def signatures_collection():
    """A collection only the academy's administrators may view (as signatures must be)."""
    collection = Collection.get_first_root_node().add_child(name="Signatures")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=ADMINISTRATORS)])
    return collection


@pytest.fixture
def signature(media_root, signatures_collection):
    return Image.objects.create(
        title="Signature of the dean",
        file=_png("dean-signature.png", (10, 10, 80)),
        collection=signatures_collection,
    )


def _media(client, name):
    return client.get(reverse("media_file", args=[name]))


def test_a_module_figure_and_its_rendition_are_public(client, figure):
    original = _media(client, figure.file.name)
    assert original.status_code == 200
    assert original["Content-Type"] == "image/png"
    assert original["Cache-Control"] == "public, max-age=86400"
    assert original["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in original["Content-Security-Policy"]
    with figure.file.open("rb") as handle:
        assert b"".join(original.streaming_content) == handle.read()

    rendition = figure.get_rendition("width-32")
    assert rendition.url == f"/media/{quote(rendition.file.name)}"  # the {% image %} tag's address
    served = client.get(rendition.url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


def test_serving_an_image_takes_two_queries(client, figure):
    rendition = figure.get_rendition("width-32")
    client.get("/media/")  # the site lookup of the routing middleware is cached from here on
    for url in (rendition.url, figure.file.url):
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 2, (
            queries.statements
        )  # the image (or rendition) and its collection's restrictions


def test_a_signature_in_a_restricted_collection_is_not_public(client, signature):
    rendition = signature.get_rendition("max-165x165")
    for name in (signature.file.name, rendition.file.name):
        assert _media(client, name).status_code == 404
        client.force_login(UserFactory())  # a signed-in learner is not an administrator
        assert _media(client, name).status_code == 404
        client.logout()


def test_an_administrator_sees_a_restricted_image_and_nobody_caches_it(client, signature):
    administrator = UserFactory()
    administrator.groups.add(Group.objects.get(name=ADMINISTRATORS))
    client.force_login(administrator)
    response = _media(client, signature.file.name)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_restriction_on_a_parent_collection_covers_its_children(client, media_root, signatures_collection):
    child = signatures_collection.add_child(name="2027 signatories")
    image = Image.objects.create(title="Signature", file=_png("sig.png"), collection=child)
    assert _media(client, image.file.name).status_code == 404


def test_documents_certificates_and_private_files_have_no_public_address(client, media_root, figure):
    document = Document.objects.create(
        title="Opioid tapering protocol", file=ContentFile(b"%PDF-1.4 handout", name="tapering.pdf")
    )
    certificate = issued_certificate()
    private_name = storages["private"].save("exports/enrolments.csv", ContentFile(b"email,run\n"))
    (media_root / "stray.png").write_bytes(b"\x89PNG not recorded anywhere")

    stored = {
        document.file.name,
        certificate.pdf.name,
        f"private/{private_name}",
        "stray.png",
    }
    for name in stored:
        assert (media_root / name).is_file(), name  # the files exist...
        response = client.get(f"/media/{name}")
        assert response.status_code == 404, name  # ...and have no address
    # The guarded views still serve them to the right people.
    client.force_login(certificate.enrolment.learner)
    assert client.get(reverse("certificate_download", args=[certificate.pk])).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/original_images/../certificates/",
        "/media/original_images/%2e%2e/%2e%2e/lms/settings/base.py",
        "/media/..%2f..%2fetc%2fpasswd",
        "/media//etc/passwd",
        "/media/original_images/facet-joint.png%00.txt",
        "/media/original_images\\facet-joint.png",
        "/media/./original_images/facet-joint.png",
        "/media/",
    ],
)
def test_traversal_and_tricks_are_404(client, figure, path):
    assert client.get(path).status_code == 404


def test_a_symlink_in_media_root_is_not_followed(client, media_root, figure, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the public")
    os.symlink(secret, media_root / "original_images" / "link.png")
    assert client.get("/media/original_images/link.png").status_code == 404


def test_only_get_and_head(client, figure):
    assert client.head(f"/media/{figure.file.name}").status_code == 200
    assert client.post(f"/media/{figure.file.name}").status_code == 405


def test_with_s3_an_image_url_is_the_guarded_view_and_the_view_redirects_to_a_short_lived_signed_url(
    client, settings, figure
):
    """No S3 server here: presigning is local (boto3 signs without a request)."""
    settings.AWS_ACCESS_KEY_ID = "AKIAEXAMPLE"
    settings.AWS_SECRET_ACCESS_KEY = "example-secret"
    settings.LMS_SIGNED_URL_SECONDS = 90
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "lms.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": "academy-media",
                "endpoint_url": "https://s3.example.org",
                "region_name": "eu-west-1",
                "signature_version": "s3v4",
            },
        },
    }
    storage = storages["default"]
    assert storage.default_acl == "private" and storage.querystring_auth is True
    assert storage.url("original_images/facet-joint.png") == "/media/original_images/facet-joint.png"
    signed = storage.signed_url("original_images/facet-joint.png")
    assert signed.startswith("https://s3.example.org/academy-media/original_images/facet-joint.png?")
    assert "X-Amz-Expires=90" in signed and "X-Amz-Signature=" in signed

    response = client.get(f"/media/{figure.file.name}")
    assert response.status_code == 302
    assert "X-Amz-Expires=90" in response["Location"]
    assert response["Cache-Control"] == "private, no-store"
