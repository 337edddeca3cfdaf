"""Give the role groups their permissions on the question bank, quizzes and attempts."""

from django.db import migrations

from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS, ensure_permissions, grant

AUTHORING = [
    "quizzes.add_question",
    "quizzes.change_question",
    "quizzes.view_question",
    "quizzes.add_quiz",
    "quizzes.change_quiz",
    "quizzes.view_quiz",
]


def apply(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, FACULTY_AUTHORS, AUTHORING)
    grant(apps, BOARD, AUTHORING + ["quizzes.publish_quiz", "quizzes.delete_question", "quizzes.view_attempt"])
    grant(
        apps,
        ADMINISTRATORS,
        [
            "quizzes.view_quiz",
            "quizzes.view_question",
            "quizzes.view_attempt",
            "quizzes.add_extraattemptgrant",
            "quizzes.view_extraattemptgrant",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_quiz_publish_permission"),
        ("lms", "0002_roles"),
    ]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
