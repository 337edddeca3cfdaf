"""Academy administrators edit credit types and read the credit claims; the board reads both."""

from django.db import migrations

from lms.roles import ADMINISTRATORS, BOARD, ensure_permissions, grant


def apply(apps, schema_editor):
    ensure_permissions(apps)
    grant(
        apps,
        ADMINISTRATORS,
        [
            "courses.add_credittype",
            "courses.change_credittype",
            "courses.view_credittype",
            "courses.view_transcriptentry",
        ],
    )
    grant(apps, BOARD, ["courses.view_credittype", "courses.view_transcriptentry"])


class Migration(migrations.Migration):
    dependencies = [("courses", "0009_existing_enrolments_keep_their_path"), ("lms", "0002_roles")]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
