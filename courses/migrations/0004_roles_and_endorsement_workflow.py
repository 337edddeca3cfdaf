"""Give the role groups their course permissions, and put the course tree under the
"Faculty endorsement" workflow: an author submits, the Faculty of Pain Medicine approves
(which publishes) or requests changes.
"""

from django.db import migrations

from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS, ensure_permissions, grant, grant_pages

WORKFLOW = "Faculty endorsement"
TASK = "Faculty of Pain Medicine review"


def apply(apps, schema_editor):
    ensure_permissions(apps)
    grant_pages(apps, FACULTY_AUTHORS, ["add_page", "change_page"])
    grant_pages(apps, BOARD, ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"])
    grant(apps, FACULTY_AUTHORS, ["courses.view_facultymember"])
    grant(
        apps,
        BOARD,
        ["courses.add_facultymember", "courses.change_facultymember", "courses.view_facultymember", "courses.view_endorsement"],
    )
    grant(
        apps,
        ADMINISTRATORS,
        [
            "courses.add_courserun",
            "courses.change_courserun",
            "courses.delete_courserun",
            "courses.view_courserun",
            "courses.add_enrolment",
            "courses.change_enrolment",
            "courses.view_enrolment",
            "courses.add_facultymember",
            "courses.change_facultymember",
            "courses.view_facultymember",
            "courses.view_endorsement",
        ],
    )

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task, _ = GroupApprovalTask.objects.get_or_create(name=TASK, defaults={"content_type": task_type, "active": True})
    task.groups.set([Group.objects.get(name=BOARD)])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # Replace Wagtail's default "Moderators approval" on the tree with the board's endorsement.
    WorkflowPage.objects.filter(page=root).exclude(workflow=workflow).delete()
    WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})


def revert(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_faculty_disclosures_endorsement"),
        ("lms", "0002_roles"),
    ]

    operations = [migrations.RunPython(apply, revert)]
