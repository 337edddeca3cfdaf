"""Approval is the only way a page goes live: no group keeps ``publish_page``.

The "Faculty endorsement" workflow publishes what the board approves on its own authority
(``WAGTAIL_FINISH_WORKFLOW_ACTION``), so the board needs no publish permission; holding
one gave them a bare "Publish" beside the workflow actions (editor, bulk actions,
scheduling) that skipped the endorsement. Wagtail's own "Moderators" group loses it
too. Superusers keep it. A fresh install and an upgraded one end the same.
"""

from django.db import migrations

from lms.roles import BOARD, ensure_permissions, grant_pages, revoke_from_every_group


def apply(apps, schema_editor):
    ensure_permissions(apps)
    revoke_from_every_group(apps, ["wagtailcore.publish_page"])


def revert(apps, schema_editor):
    grant_pages(apps, BOARD, ["publish_page"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_endorsement_record"),
        ("lms", "0002_roles"),
    ]

    operations = [migrations.RunPython(apply, revert)]
