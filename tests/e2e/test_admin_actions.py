"""An academy administrator's day in the Wagtail admin, in a real browser, under the
admin's Content-Security-Policy (tests/e2e/conftest.py fails on any violation).

Signed in with the "Academy administrators" role alone (not a superuser), they schedule
the next monthly runs, enrol a doctor, withdraw them again — after which Withdraw is no
longer offered — and grant another doctor an extra attempt; every screen has Wagtail's
breadcrumbs back to what it acts on. Revoking and reissuing certificates is
tests/e2e/test_certificates.py.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from courses.models import CourseRun, Enrolment, EnrolmentStatus
from courses.services import enrolment_create
from lms.roles import ADMINISTRATORS
from quizzes.models import ExtraAttemptGrant
from quizzes.services import attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.quizzes.factories import make_question, make_quiz, wrong_ids
from tests.support.processes import session_key_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADMIN_TIMEOUT = 60_000  # the first admin page of a fresh live server collects its static files


def test_an_administrator_schedules_enrols_withdraws_and_grants_an_extra_attempt(page, live_server):
    run = CourseRunFactory(course__title="Cancer Pain Essentials")
    ModulePageFactory(parent=run.course)
    doctor = learner(full_name="Dr Kavya Raghunathan")
    question = make_question()
    quiz = make_quiz(run.course, questions=[question], attempts_allowed=1, title="Final assessment")
    candidate = learner(full_name="Dr Arjun Rao")
    enrolment_create(learner=candidate, run=run)
    attempt = attempt_start(learner=candidate, quiz=quiz)
    attempt_submit(attempt=attempt, learner=candidate, answers={1: wrong_ids(question)})
    administrator = UserFactory(is_staff=True)
    administrator.groups.add(Group.objects.get(name=ADMINISTRATORS))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_key_for(administrator),
                "url": live_server.url,
            }
        ]
    )

    # Schedule two monthly runs from the runs listing.
    page.goto("/admin/snippets/courses/courserun/", timeout=ADMIN_TIMEOUT)
    page.get_by_role("link", name="Schedule monthly runs").click()
    expect(page.get_by_role("heading", name="Schedule monthly runs", level=2)).to_be_visible()
    page.get_by_label("Course").select_option(label="Cancer Pain Essentials")
    page.get_by_label("First month").fill("2031-03")
    page.get_by_label("Number of monthly runs").fill("2")
    page.get_by_role("button", name="Schedule runs").click()
    expect(
        page.get_by_text("Scheduled 2 runs of Cancer Pain Essentials: March 2031, April 2031.")
    ).to_be_visible()
    assert CourseRun.objects.filter(course=run.course, label__endswith="2031").count() == 2

    # Enrol a doctor by e-mail; a mistyped address is refused with a message first.
    page.goto("/admin/snippets/courses/enrolment/")
    page.get_by_role("link", name="Enrol a learner").click()
    page.get_by_label("Learner's e-mail address").fill("nobody@example.org")
    page.get_by_label("Run").select_option(value=str(run.pk))
    page.get_by_role("button", name="Enrol learner").click()
    expect(page.get_by_text("No account uses this e-mail address.")).to_be_visible()
    page.get_by_label("Learner's e-mail address").fill(doctor.email)
    page.get_by_role("button", name="Enrol learner").click()
    expect(page.get_by_text(f"Dr Kavya Raghunathan is enrolled in {run}.")).to_be_visible()
    enrolment = Enrolment.objects.get(learner=doctor, run=run)

    # Withdraw them from the enrolment's page; afterwards Withdraw is no longer offered.
    page.goto(f"/admin/snippets/courses/enrolment/inspect/{enrolment.pk}/")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Withdraw").click()
    page.get_by_role("button", name="Toggle breadcrumbs").click()
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumb.get_by_role("link", name="Enrolments")).to_be_visible()
    expect(breadcrumb.get_by_role("link", name=str(enrolment))).to_be_visible()
    page.get_by_role("button", name="Yes, withdraw").click()
    expect(page.get_by_text(f"Dr Kavya Raghunathan is withdrawn from {run}.")).to_be_visible()
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.WITHDRAWN
    expect(page.get_by_role("button", name="Actions")).to_have_count(0)  # nothing left to do to it

    # Grant the candidate who failed a second attempt, from their attempt's page.
    page.goto(f"/admin/snippets/quizzes/attempt/inspect/{attempt.pk}/")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Grant an extra attempt").click()
    expect(
        page.get_by_text(re.compile(r"Allow Dr Arjun Rao more attempts at Final assessment"))
    ).to_be_visible()
    page.get_by_label("Reason").fill("Unwell on the day of the assessment")
    page.get_by_role("button", name="Grant extra attempt").click()
    expect(page.get_by_text("Dr Arjun Rao may now make 1 more attempt(s).")).to_be_visible()
    assert ExtraAttemptGrant.objects.get().reason == "Unwell on the day of the assessment"
