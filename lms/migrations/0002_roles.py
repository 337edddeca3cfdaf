"""Create the academy's role groups with their Wagtail-wide permissions (see lms/roles.py)."""

from django.db import migrations

from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS, ensure_permissions, grant, grant_collection

MEDIA = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    for role in (FACULTY_AUTHORS, BOARD, ADMINISTRATORS):
        grant(apps, role, ["wagtailadmin.access_admin"])
    for role in (FACULTY_AUTHORS, BOARD):
        grant_collection(apps, role, MEDIA)
    grant_collection(apps, ADMINISTRATORS, ["wagtailimages.add_image", "wagtailimages.choose_image"])
    grant(
        apps,
        ADMINISTRATORS,
        ["lms.add_user", "lms.change_user", "lms.view_user", "lms.change_academysettings", "lms.view_doctorprofile"],
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[FACULTY_AUTHORS, BOARD, ADMINISTRATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
