"""Credit becomes data: each course's CME credit hours become a designated credit.

Courses that print "CME credit hours" today get a designated credit of that many
credits of one "CME credit hours" type (60 minutes a credit, quarter steps), which an
administrator can then edit like any other credit type. Every enrolment that exists
before this migration keeps today's path — modules and assessments, then the
certificate — so nobody already studying meets a new step half-way through; only
enrolments made afterwards follow the accredited sequence.
"""

from decimal import ROUND_DOWN, Decimal

from django.db import migrations

LEGACY_NAME = "CME credit hours"
LEGACY_STATEMENT = (
    "The Faculty of Pain Medicine designates this course for the maximum number of CME credit hours "
    "shown. Doctors should claim only the credit commensurate with the extent of their participation."
)


def forwards(apps, schema_editor):
    CoursePage = apps.get_model("courses", "CoursePage")
    CreditType = apps.get_model("courses", "CreditType")
    DesignatedCredit = apps.get_model("courses", "DesignatedCredit")
    Enrolment = apps.get_model("courses", "Enrolment")

    Enrolment.objects.update(accredited=False)
    courses = list(CoursePage.objects.filter(cme_credit_hours__gt=0))
    if not courses:
        return
    credit_type, _ = CreditType.objects.get_or_create(
        name=LEGACY_NAME,
        defaults={
            "awarding_body": "Faculty of Pain Medicine",
            "accreditation_statement": LEGACY_STATEMENT,
            "minutes_per_credit": 60,
            "step": Decimal("0.25"),
            "renewal_cycle_years": 5,
        },
    )
    for course in courses:
        # On the type's quarter steps, rounded down: never more than the course advertised.
        maximum = (course.cme_credit_hours / Decimal("0.25")).to_integral_value(rounding=ROUND_DOWN) * Decimal(
            "0.25"
        )
        if maximum > 0:
            DesignatedCredit.objects.get_or_create(
                course_id=course.pk, credit_type=credit_type, defaults={"max_credits": maximum, "sort_order": 0}
            )


class Migration(migrations.Migration):
    dependencies = [("courses", "0008_credit_types_evaluation_claims")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
