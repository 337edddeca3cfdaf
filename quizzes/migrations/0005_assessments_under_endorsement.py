"""Questions and quizzes go through the "Faculty endorsement" workflow, like pages.

Wagtail assigns workflows to snippet models by content type (``WorkflowContentType``).
Approval publishes on the workflow's authority, so no group keeps ``publish_quiz`` or
``publish_question``: the board's bare "Publish" on a question or quiz is gone.
Superusers keep it.
"""

from django.db import migrations

from lms.roles import BOARD, ensure_permissions, grant, revoke_from_every_group

WORKFLOW = "Faculty endorsement"
MODELS = ("question", "quiz")


def apply(apps, schema_editor):
    ensure_permissions(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        for model in MODELS:
            content_type, _ = ContentType.objects.get_or_create(app_label="quizzes", model=model)
            WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    revoke_from_every_group(apps, ["quizzes.publish_quiz", "quizzes.publish_question"])


def revert(apps, schema_editor):
    apps.get_model("wagtailcore", "WorkflowContentType").objects.filter(
        content_type__app_label="quizzes", content_type__model__in=MODELS
    ).delete()
    grant(apps, BOARD, ["quizzes.publish_quiz"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0004_question_drafts_and_attempt_versions"),
        ("courses", "0006_no_bare_publish"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(apply, revert)]
