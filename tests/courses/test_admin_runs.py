"""Administrators schedule monthly runs; the service refuses what would clash."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.exceptions import RunSchedulingError
from courses.models import CourseRun
from courses.services import course_runs_schedule_monthly
from tests.courses.factories import CoursePageFactory, schedule_runs_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_schedule_next_three_monthly_runs():
    course = CoursePageFactory()
    runs = course_runs_schedule_monthly(
        course=course, first_month=datetime.date(2027, 11, 1), count=3, capacity=25
    )
    assert [r.label for r in runs] == ["November 2027", "December 2027", "January 2028"]
    assert [(r.starts_on, r.ends_on) for r in runs] == [
        (datetime.date(2027, 11, 1), datetime.date(2027, 11, 30)),
        (datetime.date(2027, 12, 1), datetime.date(2027, 12, 31)),
        (datetime.date(2028, 1, 1), datetime.date(2028, 1, 31)),
    ]
    first = runs[0]
    assert timezone.localtime(first.enrolment_opens_at).date() == datetime.date(2027, 10, 2)
    assert timezone.localtime(first.enrolment_closes_at).date() == datetime.date(2027, 11, 8)
    assert all(r.capacity == 25 and r.seats_taken == 0 for r in runs)


def test_clashing_months_schedule_nothing():
    course = CoursePageFactory()
    course_runs_schedule_monthly(course=course, first_month=datetime.date(2027, 2, 1), count=1, capacity=10)
    with pytest.raises(RunSchedulingError, match="February 2027"):
        course_runs_schedule_monthly(
            course=course, first_month=datetime.date(2027, 1, 1), count=3, capacity=10
        )
    assert CourseRun.objects.filter(course=course).count() == 1


def test_admin_schedule_form(client):
    course = CoursePageFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("courses_courserun:schedule"))
    assert page.status_code == 200
    response = client.post(
        reverse("courses_courserun:schedule"),
        schedule_runs_form(course),
    )
    assert response.status_code == 302
    assert list(CourseRun.objects.filter(course=course).values_list("label", flat=True)) == [
        "March 2027",
        "April 2027",
    ]


def test_schedule_form_rejects_bad_input_and_changes_nothing(client):
    course = CoursePageFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("courses_courserun:schedule"),
        {"course": course.pk, "first_month": "not-a-month", "count": 0, "capacity": -1},
    )
    assert response.status_code == 200
    assert not CourseRun.objects.exists()


def test_learners_cannot_open_the_scheduler(client):
    client.force_login(UserFactory())
    response = client.get(reverse("courses_courserun:schedule"))
    assert response.status_code in (302, 403)
    assert not CourseRun.objects.exists()


def test_administrator_enrols_and_withdraws_a_learner_in_the_admin(client):
    from courses.models import Enrolment, EnrolmentStatus
    from tests.courses.factories import CourseRunFactory
    from tests.factories import learner

    run = CourseRunFactory(capacity=1)
    doctor = learner()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    enrol = reverse("courses_enrolment:enrol")
    response = client.post(enrol, {"learner_email": doctor.email, "run": run.pk})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(learner=doctor, run=run)

    full = client.post(enrol, {"learner_email": learner().email, "run": run.pk})
    assert full.status_code == 200 and "is full" in full.content.decode()

    unknown = client.post(enrol, {"learner_email": "nobody@example.org", "run": run.pk})
    assert "No account uses this e-mail address" in unknown.content.decode()

    withdraw = reverse("courses_enrolment:withdraw", args=[enrolment.pk])
    assert client.get(withdraw).status_code == 200
    assert client.post(withdraw).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    run.refresh_from_db()
    assert run.seats_taken == 0
