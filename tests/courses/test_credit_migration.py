"""The data migration that makes credit data: existing enrolments and certificates keep today's path."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from certificates.models import Certificate
from courses.models import CreditClaim, DesignatedCredit, Enrolment, EnrolmentStatus
from courses.services import enrolment_create, module_complete
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner

pytestmark = pytest.mark.django_db

migration = importlib.import_module("courses.migrations.0009_existing_enrolments_keep_their_path")


def test_cme_hours_become_designated_credit_and_existing_enrolments_keep_their_path():
    run = CourseRunFactory(course__cme_credit_hours=Decimal("8.1"))  # off the quarter step: rounded down
    module = ModulePageFactory(parent=run.course)
    finished, studying = learner(), learner()
    done = enrolment_create(learner=finished, run=run)
    module_complete(learner=finished, module=module)
    studying_enrolment = enrolment_create(learner=studying, run=run)
    no_credit = CourseRunFactory(course__cme_credit_hours=None)
    Enrolment.objects.update(accredited=True)  # whatever they held, the migration pins them

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice: nothing doubles

    designated = DesignatedCredit.objects.select_related("credit_type").get(course=run.course)
    assert designated.max_credits == Decimal("8.00") and designated.credit_type.name == "CME credit hours"
    assert designated.credit_type.minutes_per_credit == 60 and designated.credit_type.step == Decimal("0.25")
    assert not DesignatedCredit.objects.filter(course=no_credit.course).exists()
    assert not Enrolment.objects.filter(accredited=True).exists()

    # The certificate already issued stays; the doctor still studying finishes on today's path.
    assert Certificate.objects.filter(enrolment=done).count() == 1
    second = ModulePageFactory(parent=run.course)
    module_complete(learner=studying, module=module)
    assert module_complete(learner=studying, module=second).course_completed
    studying_enrolment.refresh_from_db()
    assert studying_enrolment.status == EnrolmentStatus.COMPLETED
    assert Certificate.objects.filter(enrolment=studying_enrolment).count() == 1
    assert not CreditClaim.objects.exists()

    # A doctor enrolling from now on follows the accredited sequence.
    assert enrolment_create(
        learner=learner(),
        run=CourseRunFactory(course=run.course, starts_on=run.starts_on.replace(year=run.starts_on.year + 1)),
    ).accredited
