"""The academy's roles, created by migrations so every fresh install has them.

=========================  ==================================================================
Faculty authors            Write and edit course pages, modules, bank questions and quizzes;
                           preview; submit them for endorsement. Cannot publish.
Faculty of Pain Medicine   Everything authors can, plus review: comment, approve or request
                           changes. Approving is the only way content goes live — the
                           "Faculty endorsement" workflow publishes the approved revision
                           and records the endorsement — so the board holds no bare publish
                           permission either (pages, questions, quizzes).
Academy administrators     Runs, enrolments, attempts (extra attempts), certificates and the
                           signatories with their signature images (the restricted
                           "Certificate signatures" collection), reports, users, academy
                           settings. No page editing, so no endorsement — unless the same
                           person is also on the board.
Learners                   No group and no admin access.
=========================  ==================================================================

Superusers keep every permission, bare publishing included.

Each app's migration grants the permissions on its own models (``grant``), so the
layering of the apps holds in migrations too.
"""

from __future__ import annotations

FACULTY_AUTHORS = "Faculty authors"
BOARD = "Faculty of Pain Medicine"
ADMINISTRATORS = "Academy administrators"
ROLES = (FACULTY_AUTHORS, BOARD, ADMINISTRATORS)

# Wagtail collections (images and documents). Group permissions apply to a collection and
# everything below it, so no group holds any on the root: course media is where authors
# and the board work; signatures sit beside it, changed by academy administrators only,
# and are never served as public files.
COURSE_MEDIA_COLLECTION = "Course media"
SIGNATURES_COLLECTION = "Certificate signatures"


def ensure_permissions(apps) -> None:
    """Create the model permissions of every app already migrated (normally a post_migrate job)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module, which is what the
        # migration state's are; put back whatever was there (the live registry's too).
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original


def permission(apps, dotted: str):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(apps, group_name: str, permissions: list[str]) -> None:
    """Give ``group_name`` (created if missing) the model permissions ``app_label.codename``."""
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*(permission(apps, dotted) for dotted in permissions))


def grant_collection(apps, group_name: str, permissions: list[str]) -> None:
    """Give ``group_name`` image/document permissions over the root collection.

    Used by the first roles migration only; ``certificates`` 0003 moves every group's
    collection permissions from the root to the "Course media" collection, so that none
    reaches the restricted "Certificate signatures" collection.
    """
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    group, _ = Group.objects.get_or_create(name=group_name)
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for dotted in permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission(apps, dotted)
        )


def grant_pages(apps, group_name: str, permissions: list[str]) -> None:
    """Give ``group_name`` page permissions (``add_page``, ``publish_page``…) over the whole tree."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group, _ = Group.objects.get_or_create(name=group_name)
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for codename in permissions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=root, permission=permission(apps, f"wagtailcore.{codename}")
        )


def revoke_from_every_group(apps, permissions: list[str]) -> None:
    """Take the permissions ``app_label.codename`` away from every group, wherever granted.

    Covers model permissions and Wagtail's page and collection permissions, so a
    permission such as ``wagtailcore.publish_page`` is gone from the whole tree too —
    including from groups Wagtail creates on install ("Moderators"). Permissions that do
    not exist yet (Wagtail creates some after migrating) are simply skipped.
    """
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        found = list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        if not found:
            continue
        for group in Group.objects.filter(permissions__in=found).distinct():
            group.permissions.remove(*found)
        GroupPagePermission.objects.filter(permission__in=found).delete()
        GroupCollectionPermission.objects.filter(permission__in=found).delete()
