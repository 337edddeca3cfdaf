"""Every administrator's action is in Wagtail's audit log, written by the service that made it.

Through the admin screens (what an administrator does) and through the services alone
(what the REST API and management commands will call): the same entries, with who did
it. A learner's own actions write none.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from courses.models import CourseRun, Enrolment, FacultyMember
from courses.services import (
    course_runs_schedule_monthly,
    enrolment_create,
    enrolment_withdraw,
    faculty_disclosures_confirm,
)
from quizzes.services import attempt_grant_extra, attempt_start, attempt_submit
from tests.courses.factories import CoursePageFactory, CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.quizzes.factories import make_question, make_quiz, wrong_ids

pytestmark = pytest.mark.django_db


def entries(instance) -> list[tuple[str, str | None]]:
    return [
        (entry.action, entry.user.email if entry.user else None)
        for entry in ModelLogEntry.objects.for_instance(instance).select_related("user").order_by("id")
    ]


@pytest.fixture
def administrator():
    return UserFactory(is_superuser=True, is_staff=True)


def test_scheduling_runs_in_the_admin_logs_each_run(client, administrator):
    course = CoursePageFactory()
    client.force_login(administrator)
    response = client.post(
        "/admin/academy/runs/schedule/",
        {
            "course": course.pk,
            "first_month": "2027-03",
            "count": 2,
            "capacity": 40,
            "enrolment_opens_days_before": 30,
            "enrolment_closes_days_after_start": 7,
        },
    )
    assert response.status_code == 302
    for run in CourseRun.objects.filter(course=course):
        assert entries(run) == [("wagtail.create", administrator.email)]


def test_enrolling_and_withdrawing_in_the_admin_is_logged_a_learner_enrolling_is_not(client, administrator):
    run = CourseRunFactory()
    doctor, self_enrolled = learner(), learner()
    client.force_login(administrator)
    client.post("/admin/academy/enrolments/enrol/", {"learner_email": doctor.email, "run": run.pk})
    enrolment = Enrolment.objects.get(learner=doctor)
    client.post(f"/admin/academy/enrolments/{enrolment.pk}/withdraw/")

    assert entries(enrolment) == [
        ("wagtail.create", administrator.email),
        ("courses.withdraw", administrator.email),
    ]
    own = enrolment_create(learner=self_enrolled, run=run)
    enrolment_withdraw(enrolment=own)
    assert entries(own) == []


def test_a_refused_admin_action_logs_nothing(client, administrator):
    run = CourseRunFactory(capacity=1)
    enrolment_create(learner=learner(), run=run)
    client.force_login(administrator)
    full = client.post("/admin/academy/enrolments/enrol/", {"learner_email": learner().email, "run": run.pk})
    assert "is full" in full.content.decode()
    assert not ModelLogEntry.objects.filter(action="wagtail.create", content_type__model="enrolment").exists()


def test_confirming_disclosures_is_logged_with_who_confirmed(client):
    author = UserFactory(is_staff=True)
    author.user_permissions.add(Permission.objects.get(codename="access_admin"))
    member = FacultyMember.objects.create(name="Dr Farah Khan", user=author)
    client.force_login(author)
    client.post(f"/admin/academy/faculty/{member.pk}/confirm-disclosures/")
    assert entries(member) == [("courses.confirm_disclosures", author.email)]


def test_the_services_log_the_same_without_a_screen(administrator):
    course = CoursePageFactory()
    (run,) = course_runs_schedule_monthly(
        course=course, first_month=datetime.date(2027, 5, 1), count=1, capacity=5, by=administrator
    )
    member = FacultyMember.objects.create(name="Dr Neha Joshi")
    faculty_disclosures_confirm(faculty_member=member, by=administrator)
    assert entries(run) == [("wagtail.create", administrator.email)]
    assert entries(member) == [("courses.confirm_disclosures", administrator.email)]


def test_granting_an_extra_attempt_in_the_admin_is_logged_on_the_attempt(client, administrator):
    run = CourseRunFactory()
    ModulePageFactory(parent=run.course)
    question = make_question()
    quiz = make_quiz(run.course, questions=[question], attempts_allowed=1)
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)
    attempt = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(attempt=attempt, learner=doctor, answers={1: wrong_ids(question)})

    client.force_login(administrator)
    response = client.post(
        f"/admin/assessments/attempts/{attempt.pk}/grant/", {"extra": "1", "reason": "Unwell"}
    )
    assert response.status_code == 302
    (entry,) = ModelLogEntry.objects.for_instance(attempt).filter(action="quizzes.extra_attempt")
    assert entry.user == administrator and entry.data == {"reason": "Unwell", "extra_attempts": 1}

    # Before any attempt, the grant itself carries the entry.
    other = learner()
    other_enrolment = enrolment_create(learner=other, run=run)
    grant = attempt_grant_extra(
        quiz=quiz, enrolment=other_enrolment, granted_by=administrator, reason="Late start"
    )
    assert entries(grant) == [("quizzes.extra_attempt", administrator.email)]
    assert not ModelLogEntry.objects.for_instance(enrolment).exists()
