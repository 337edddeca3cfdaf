"""Endorsements become accreditation records of any endorsed content (page, question, quiz).

Each keeps its own copy of the facts (what, the content's SHA-256, who), survives the
deletion of the approver's account and of the content, and keeps its revision from being
purged. Existing page endorsements are filled in from their page, revision and approver.
"""

import hashlib
import json

import django.db.models.deletion
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models

import courses.models


def fill_in(apps, schema_editor):
    Endorsement = apps.get_model("courses", "Endorsement")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for endorsement in Endorsement.objects.select_related("page", "revision", "approved_by"):
        endorsement.content_type = page_type
        endorsement.object_id = str(endorsement.page_id or "")
        endorsement.object_title = (endorsement.page.title if endorsement.page else "")[:255]
        if endorsement.revision is not None:
            canonical = json.dumps(
                endorsement.revision.content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
            )
            endorsement.content_sha256 = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        user = endorsement.approved_by
        if user is not None:
            endorsement.approved_by_name = (
                " ".join(part for part in (user.first_name, user.last_name) if part) or user.email
            )[:255]
        endorsement.save()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0004_roles_and_endorsement_workflow"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="endorsement", name="one_endorsement_per_revision"),
        migrations.AddField(
            model_name="endorsement",
            name="approved_by_name",
            field=models.CharField(default="", max_length=255, verbose_name="approved by (as recorded)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="endorsement",
            name="content_sha256",
            field=models.CharField(
                default="",
                help_text="SHA-256 of the endorsed revision's content (canonical JSON): what exactly was approved.",
                max_length=64,
                verbose_name="content SHA-256",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="endorsement",
            name="content_type",
            field=models.ForeignKey(
                null=True,
                help_text="The base content type of what was endorsed (Page for pages).",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="endorsement",
            name="object_id",
            field=models.CharField(default="", max_length=255),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="endorsement",
            name="object_title",
            field=models.CharField(default="", max_length=255, verbose_name="endorsed content"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="endorsement",
            name="page",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="endorsements",
                to=settings.WAGTAIL_PAGE_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="endorsement",
            name="revision",
            field=models.ForeignKey(
                null=True,
                on_delete=courses.models.keep_endorsed_revision,
                related_name="+",
                to="wagtailcore.revision",
            ),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="endorsement",
            name="content_type",
            field=models.ForeignKey(
                help_text="The base content type of what was endorsed (Page for pages).",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddIndex(
            model_name="endorsement",
            index=models.Index(fields=["content_type", "object_id"], name="endorsement_object_idx"),
        ),
        migrations.AddConstraint(
            model_name="endorsement",
            constraint=models.UniqueConstraint(
                fields=("content_type", "object_id", "revision"), name="one_endorsement_per_revision"
            ),
        ),
    ]
