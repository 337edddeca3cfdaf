"""Signatures are administrator-only, audited, and fingerprinted in every certificate.

The signatories' signature images sit in the "Certificate signatures" collection, where
only Academy administrators hold image permissions; faculty authors and the board work
in "Course media" and can neither see nor change them (the root collection carries no
group permissions, since Wagtail's collection permissions reach every collection below).
A signatory's signature must come from that collection, every change to a signatory or
its image is in Wagtail's audit log, and each certificate's snapshot records the SHA-256
of the signature file it printed.
"""

import hashlib
import io
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection, GroupCollectionPermission, ModelLogEntry
from wagtail.permissions import policy_registry

from certificates.models import Signatory
from certificates.selectors import signatures_collection
from lms.roles import ADMINISTRATORS, BOARD, COURSE_MEDIA_COLLECTION, FACULTY_AUTHORS, SIGNATURES_COLLECTION
from tests.certificates.factories import SignatoryFactory, issued_certificate, signature_image
from tests.factories import UserFactory
from tests.support.forms import browser_form

pytestmark = pytest.mark.django_db


def staff(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def course_media():
    return Collection.objects.get(depth=2, name=COURSE_MEDIA_COLLECTION)


def png(colour=(20, 30, 90)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 40), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("signature.png", buffer.getvalue(), content_type="image/png")


def test_only_administrators_hold_permissions_on_the_signatures_collection_and_nobody_on_the_root():
    signatures = signatures_collection()
    assert signatures is not None and signatures.name == SIGNATURES_COLLECTION
    held = GroupCollectionPermission.objects.filter(collection=signatures)
    assert set(held.values_list("group__name", flat=True)) == {ADMINISTRATORS}
    assert set(held.values_list("permission__codename", flat=True)) == {
        "add_image",
        "change_image",
        "choose_image",
        "delete_image",
    }
    root = Collection.get_first_root_node()
    assert not GroupCollectionPermission.objects.filter(collection=root).exists()
    assert GroupCollectionPermission.objects.filter(
        collection=course_media(), group__name=FACULTY_AUTHORS, permission__codename="change_image"
    ).exists()


@pytest.mark.parametrize("role", [FACULTY_AUTHORS, BOARD])
def test_authors_and_the_board_can_neither_see_nor_change_a_signature(role):
    signature = signature_image("Signature of the Dean")
    course_image = Image.objects.create(title="Knee anatomy", file=png(), collection=course_media())
    user = staff(role)
    policy = policy_registry.get_by_type(Image)

    assert not policy.user_has_permission_for_instance(user, "change", signature)
    assert not policy.user_has_permission_for_instance(user, "choose", signature)
    assert policy.user_has_permission_for_instance(user, "change", course_image)  # they still work

    client = signed_in(user)
    listing = client.get(reverse("wagtailimages:index")).content.decode()
    assert "Knee anatomy" in listing and "Signature of the Dean" not in listing
    assert client.get(reverse("wagtailimages:edit", args=[signature.pk])).status_code in (302, 403)
    chooser = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Signature of the Dean" not in chooser
    assert client.get(reverse("wagtailsnippets_certificates_signatory:list")).status_code in (302, 403)


def test_an_administrator_may_change_signatures_and_every_change_is_in_the_audit_log():
    administrator = staff(ADMINISTRATORS)
    signature = signature_image("Signature of the Dean")
    client = signed_in(administrator)
    url = reverse("wagtailimages:edit", args=[signature.pk])
    data = browser_form(client.get(url), "title")
    data["title"] = "Signature of the Dean (2027 scan)"
    data["file"] = png((90, 20, 20))

    response = client.post(url, data)

    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.title == "Signature of the Dean (2027 scan)"
    assert signature.collection == signatures_collection()
    entry = ModelLogEntry.objects.for_instance(signature).get(action="wagtail.edit")
    assert entry.user == administrator


def test_the_signatory_form_takes_a_signature_only_from_the_signatures_collection():
    administrator = staff(ADMINISTRATORS)
    client = signed_in(administrator)
    stray = Image.objects.create(title="A scan anyone can replace", file=png(), collection=course_media())
    proper = signature_image("Signature of the Director")
    url = reverse("wagtailsnippets_certificates_signatory:add")
    data = browser_form(client.get(url), "name")
    data.update({"name": "Dr Kavita Rao", "title": "Director, IPSC Pain Academy", "sort_order": "1"})

    data["signature"] = str(stray.pk)
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Choose a signature from the “Certificate signatures” collection" in refused.content.decode()
    assert not Signatory.objects.exists()

    data["signature"] = str(proper.pk)
    assert client.post(url, data).status_code == 302
    signatory = Signatory.objects.get()
    assert signatory.signature == proper
    assert ModelLogEntry.objects.for_instance(signatory).get(action="wagtail.create").user == administrator

    edit_url = reverse("wagtailsnippets_certificates_signatory:edit", args=[signatory.pk])
    data = browser_form(client.get(edit_url), "name")
    data["title"] = "Dean, IPSC Pain Academy"
    assert client.post(edit_url, data).status_code == 302
    assert (
        ModelLogEntry.objects.for_instance(signatory)
        .filter(action="wagtail.edit", user=administrator)
        .exists()
    )


def test_the_signature_chooser_offers_only_the_signatures_collection():
    signature_image("Signature of the Dean")
    Image.objects.create(title="Knee anatomy", file=png(), collection=course_media())
    client = signed_in(staff(ADMINISTRATORS))

    chooser = client.get(reverse("certificates_signature_chooser:choose")).content.decode()

    assert "Signature of the Dean" in chooser and "Knee anatomy" not in chooser
    form = client.get(reverse("wagtailsnippets_certificates_signatory:add")).content.decode()
    assert reverse("certificates_signature_chooser:choose") in form


def test_each_certificate_records_the_sha256_of_the_signature_it_printed(media_root):
    signatory = SignatoryFactory(name="Dr Meera Iyer")
    with signatory.signature.file.open("rb") as handle:
        first_hash = hashlib.sha256(handle.read()).hexdigest()

    first = issued_certificate()

    assert [(s["name"], s["signature_sha256"]) for s in first.signatories] == [("Dr Meera Iyer", first_hash)]

    # A new scan: new certificates record its hash, issued ones keep theirs.
    signatory.signature = signature_image("Signature of Dr Meera Iyer, 2027")
    signatory.save()
    with signatory.signature.file.open("rb") as handle:
        second_hash = hashlib.sha256(handle.read()).hexdigest()
    second = issued_certificate()

    assert second_hash != first_hash
    assert second.signatories[0]["signature_sha256"] == second_hash
    first.refresh_from_db()
    assert first.signatories[0]["signature_sha256"] == first_hash


def test_an_upgraded_install_moves_media_and_permissions_off_the_root():
    """The state an upgraded database was in: images in the root, groups holding root permissions."""
    root = Collection.get_first_root_node()
    authors = Group.objects.get(name=FACULTY_AUTHORS)
    change_image = Permission.objects.get(content_type__app_label="wagtailimages", codename="change_image")
    GroupCollectionPermission.objects.create(group=authors, collection=root, permission=change_image)
    photo = Image.objects.create(title="Knee anatomy", file=png(), collection=root)
    old_signature = signature_image("Signature of the Dean", collection=root)
    SignatoryFactory(signature=old_signature)

    import_module("certificates.migrations.0003_certificate_signatures_collection").apply(django_apps, None)

    photo.refresh_from_db()
    old_signature.refresh_from_db()
    assert photo.collection == course_media()
    assert old_signature.collection == signatures_collection()
    assert not GroupCollectionPermission.objects.filter(collection=root).exists()
    assert Collection.objects.filter(name=SIGNATURES_COLLECTION).count() == 1  # idempotent


def test_signature_images_are_never_public_files(client, media_root):
    """The collection is restricted to administrators, so lms.media serves its images (and
    their renditions) to them only — never to the public, a learner or an author."""
    from wagtail.models import CollectionViewRestriction

    restriction = CollectionViewRestriction.objects.get(collection=signatures_collection())
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert list(restriction.groups.values_list("name", flat=True)) == [ADMINISTRATORS]

    signature = signature_image("Signature of the Dean")
    names = [signature.file.name, signature.get_rendition("max-165x165").file.name]
    for who in (None, UserFactory(), staff(FACULTY_AUTHORS), staff(BOARD)):
        visitor = signed_in(who) if who else Client()
        for name in names:
            assert visitor.get(reverse("media_file", args=[name])).status_code == 404, (who, name)
    administrator = signed_in(staff(ADMINISTRATORS))
    for name in names:
        response = administrator.get(reverse("media_file", args=[name]))
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
