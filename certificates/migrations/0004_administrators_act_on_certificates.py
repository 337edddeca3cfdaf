"""Academy administrators list, issue, revoke, reissue and download certificates (lms/roles.py).

The certificate permissions existed from the start, but no role held them: only
superusers could act on certificates.
"""

from django.db import migrations

from lms.roles import ADMINISTRATORS, ensure_permissions, grant

CODENAMES = ("view_certificate", "issue_certificate", "revoke_certificate", "download_any_certificate")


def apply(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, ADMINISTRATORS, [f"certificates.{codename}" for codename in CODENAMES])


def revert(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="certificates", codename__in=CODENAMES)
    for group in Group.objects.filter(name=ADMINISTRATORS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_certificate_signatures_collection"),
        ("lms", "0002_roles"),
    ]

    operations = [migrations.RunPython(apply, revert)]
