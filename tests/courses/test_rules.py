"""The rules written once in courses: module access (as a function and as a ``Q``), who may
read a module's documents, and who may confirm a faculty member's disclosures."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from courses.exceptions import DisclosureError
from courses.models import Enrolment, EnrolmentStatus, FacultyMember
from courses.selectors import (
    enrolment_opens_modules,
    enrolments_opening_modules,
    faculty_disclosures_may_confirm,
    modules_readable_by,
)
from courses.services import faculty_disclosures_confirm
from tests.courses.factories import CoursePageFactory, CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db

START = datetime.date(2027, 3, 1)
END = datetime.date(2027, 3, 31)


def test_the_access_rule_and_its_query_form_agree_for_every_status_and_day():
    """One row per status, each in its own course's March run; asked on days around the run."""
    doctor = learner()
    enrolments = []
    for status in EnrolmentStatus.values:
        run = CourseRunFactory(starts_on=START, ends_on=END)
        completed_at = datetime.datetime(2027, 3, 20, tzinfo=datetime.UTC) if status == "completed" else None
        enrolments.append(
            Enrolment.objects.create(learner=doctor, run=run, status=status, completed_at=completed_at)
        )
    days = [
        START - datetime.timedelta(days=1),
        START,
        START + datetime.timedelta(days=10),
        END,
        END + datetime.timedelta(days=1),
    ]
    seen = set()
    for today, enrolment in itertools.product(days, enrolments):
        enrolment = Enrolment.objects.select_related("run").get(pk=enrolment.pk)
        in_python = enrolment_opens_modules(enrolment=enrolment, today=today)
        in_sql = Enrolment.objects.filter(enrolments_opening_modules(today=today), pk=enrolment.pk).exists()
        assert in_python == in_sql, (enrolment.status, today)
        seen.add((enrolment.status, today, in_python))
    # The rule itself: completed always; active only from the first to the last day; withdrawn never.
    assert {(s, d) for s, d, opens in seen if opens} == {("completed", d) for d in days} | {
        ("active", d) for d in days[1:4]
    }


def test_documents_are_readable_through_any_module_the_user_may_read_in_two_queries_at_most():
    doctor = learner()
    open_run = CourseRunFactory()
    closed_course = CoursePageFactory()
    readable = ModulePageFactory(parent=open_run.course)
    unreadable = [ModulePageFactory(parent=closed_course) for _ in range(5)]
    Enrolment.objects.create(learner=doctor, run=open_run)

    with count_queries() as few:
        assert modules_readable_by(user=doctor, module_ids=[unreadable[0].pk]) is False
    with count_queries() as many:
        assert modules_readable_by(user=doctor, module_ids=[m.pk for m in unreadable] + [readable.pk]) is True
    assert len(few) == len(many) <= 2
    assert modules_readable_by(user=UserFactory(), module_ids=[readable.pk]) is False
    assert modules_readable_by(user=doctor, module_ids=[]) is False
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert modules_readable_by(user=staff, module_ids=[unreadable[0].pk]) is True


@pytest.fixture
def member():
    author = UserFactory(is_staff=True)
    author.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return FacultyMember.objects.create(name="Dr Farah Khan", user=author)


def _admin_allowed_to_change_faculty():
    admin = UserFactory(is_staff=True)
    admin.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_facultymember"),
    )
    return admin


def test_the_member_and_faculty_administrators_may_confirm_disclosures_others_may_not(member):
    administrator = _admin_allowed_to_change_faculty()
    colleague = UserFactory(is_staff=True)
    assert faculty_disclosures_may_confirm(faculty_member=member, user=member.user)
    assert faculty_disclosures_may_confirm(faculty_member=member, user=administrator)
    assert not faculty_disclosures_may_confirm(faculty_member=member, user=colleague)
    with pytest.raises(DisclosureError):
        faculty_disclosures_confirm(faculty_member=member, by=colleague)
    member.refresh_from_db()
    assert member.disclosures_confirmed_on is None


def test_the_admin_screens_apply_the_same_disclosure_rule(client, member):
    colleague = UserFactory(is_staff=True)
    colleague.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_facultymember")
    )
    confirm = reverse("courses_confirm_disclosures", args=[member.pk])
    inspect = reverse("courses_facultymember:inspect", args=[member.pk])

    client.force_login(colleague)
    assert client.get(confirm).status_code in (302, 403)  # Wagtail's admin redirects a refusal home
    assert confirm not in client.get(inspect).content.decode()
    client.post(confirm)
    member.refresh_from_db()
    assert member.disclosures_confirmed_on is None

    client.force_login(member.user)
    assert client.get(confirm).status_code == 200
    assert client.post(confirm).status_code == 302
    member.refresh_from_db()
    assert member.disclosures_confirmed_on is not None
