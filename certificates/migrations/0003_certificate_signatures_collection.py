"""Signatures become administrator-only: a restricted "Certificate signatures" collection.

Wagtail's collection permissions apply to a collection and everything below it, so a
permission on the root collection (where every role used to hold its image and document
permissions) would reach any collection made for signatures. The root therefore keeps no
group permissions: every group's are moved to a new "Course media" collection, where
authors and the board keep working, with the images and documents that were in the root.
The signatories' signature images move to "Certificate signatures", where only Academy
administrators may add, change, choose or delete images; they also get the permissions
on signatories. The collection carries a privacy restriction to the same group, so its
images are never public files (``lms.media``: an image is public unless a restriction
applies to its collection). A fresh install and an upgraded one end the same.
"""

from django.db import migrations, models

from lms.roles import ADMINISTRATORS, COURSE_MEDIA_COLLECTION, SIGNATURES_COLLECTION, ensure_permissions, grant
from lms.roles import permission as find_permission

SIGNATURE_IMAGE_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtailimages.delete_image",
]
SIGNATORY_PERMISSIONS = [
    "certificates.add_signatory",
    "certificates.change_signatory",
    "certificates.delete_signatory",
    "certificates.view_signatory",
]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail's Collection uses
STEPLEN = 4


def _child(Collection, root, name):
    """The child of ``root`` called ``name``, created as treebeard would (historical models
    have no ``add_child``)."""
    existing = Collection.objects.filter(depth=root.depth + 1, path__startswith=root.path, name=name).first()
    if existing is not None:
        return existing
    last = (
        Collection.objects.filter(depth=root.depth + 1, path__startswith=root.path)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = 0
    if last:
        for char in last[-STEPLEN:]:
            number = number * len(ALPHABET) + ALPHABET.index(char)
    number += 1
    step = ""
    for _ in range(STEPLEN):
        number, digit = divmod(number, len(ALPHABET))
        step = ALPHABET[digit] + step
    child = Collection.objects.create(name=name, path=root.path + step, depth=root.depth + 1, numchild=0)
    Collection.objects.filter(pk=root.pk).update(numchild=models.F("numchild") + 1)
    return child


def apply(apps, schema_editor):
    ensure_permissions(apps)
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Group = apps.get_model("auth", "Group")
    Image = apps.get_model("wagtailimages", "Image")
    Document = apps.get_model("wagtaildocs", "Document")
    Signatory = apps.get_model("certificates", "Signatory")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    course_media = _child(Collection, root, COURSE_MEDIA_COLLECTION)
    signatures = _child(Collection, root, SIGNATURES_COLLECTION)

    for held in GroupCollectionPermission.objects.filter(collection=root):
        GroupCollectionPermission.objects.get_or_create(
            group_id=held.group_id, collection=course_media, permission_id=held.permission_id
        )
        held.delete()
    signature_ids = set(Signatory.objects.exclude(signature=None).values_list("signature_id", flat=True))
    Image.objects.filter(pk__in=signature_ids).update(collection=signatures)
    Image.objects.filter(collection=root).exclude(pk__in=signature_ids).update(collection=course_media)
    Document.objects.filter(collection=root).update(collection=course_media)

    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=signatures, defaults={"restriction_type": "groups", "password": ""}
    )
    restriction.groups.add(administrators)
    for dotted in SIGNATURE_IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=administrators, collection=signatures, permission=find_permission(apps, dotted)
        )
    grant(apps, ADMINISTRATORS, SIGNATORY_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_signatory_active_limit"),
        ("lms", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.AlterField(
            model_name="signatory",
            name="signature",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "A scan of the signature on a white or transparent background (PNG or JPEG), in the "
                    "“Certificate signatures” collection, which only academy administrators can change."
                ),
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="signatories",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Names and titles of those who signed, with the SHA-256 of each signature image printed.",
            ),
        ),
        migrations.RunPython(apply, migrations.RunPython.noop),
    ]
