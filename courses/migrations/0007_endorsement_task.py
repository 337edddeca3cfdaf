"""The board's review becomes :class:`courses.models.EndorsementTask`: Wagtail's group
approval that withholds "Approve" while the latest revision breaks the content standard.

The existing "Faculty of Pain Medicine review" task is converted in place (a row in the
new table beside its group-approval row, and its content type switched), so its groups,
its place in the workflow and any review in progress carry on unchanged.
"""

import django.db.models.deletion
from django.db import migrations, models

TASK = "Faculty of Pain Medicine review"


def convert(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    EndorsementTask = apps.get_model("courses", "EndorsementTask")
    task_type, _ = ContentType.objects.get_or_create(app_label="courses", model="endorsementtask")
    for task in GroupApprovalTask.objects.filter(name=TASK):
        # raw: write only the child row; the task and group-approval rows already exist.
        EndorsementTask(groupapprovaltask_ptr_id=task.pk).save_base(raw=True)
        Task.objects.filter(pk=task.pk).update(content_type=task_type)


def revert(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Task = apps.get_model("wagtailcore", "Task")
    group_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    Task.objects.filter(content_type__app_label="courses", content_type__model="endorsementtask").update(
        content_type=group_type
    )
    # Dropping the table (the CreateModel's reverse) removes the child rows.
    apps.get_model("courses", "EndorsementTask").objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_no_bare_publish"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="EndorsementTask",
            fields=[
                (
                    "groupapprovaltask_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.groupapprovaltask",
                    ),
                ),
            ],
            options={
                "verbose_name": "Faculty endorsement review",
                "verbose_name_plural": "Faculty endorsement reviews",
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.RunPython(convert, revert),
    ]
