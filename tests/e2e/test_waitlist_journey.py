"""A doctor on a 390 px phone joins a full run's waitlist, is offered the seat a
withdrawal frees, and accepts it; every page on the way is axe-clean."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment_create, enrolment_withdraw
from tests.courses.factories import CourseRunFactory
from tests.factories import learner
from tests.support.accessibility import assert_no_axe_violations
from tests.support.processes import session_key_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def test_a_doctor_joins_the_waitlist_and_takes_the_seat_offered(browser, live_server):
    run = CourseRunFactory(capacity=1)
    holder = enrolment_create(learner=learner(), run=run)
    doctor = learner()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key_for(doctor), "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(run.course.url)
        page.get_by_role("button", name=f"Join the waitlist of the {run.label} run").click()
        expect(page.get_by_text("number 1 in line").first).to_be_visible()
        expect(page.get_by_role("button", name=f"Leave the waitlist of the {run.label} run")).to_be_visible()
        assert_no_axe_violations(page, "course page, on the waitlist, phone")

        enrolment_withdraw(enrolment=holder)  # a seat frees up: it is held for the doctor

        page.goto("/dashboard/")
        expect(page.get_by_text(re.compile("A seat is held for you until"))).to_be_visible()
        page.get_by_role("link", name=re.compile("Accept or decline the seat")).click()
        expect(page.get_by_role("heading", name="A seat is yours")).to_be_visible()
        assert_no_axe_violations(page, "waitlist offer, phone")
        page.get_by_role("button", name=f"Accept the seat in the {run.label} run").click()
        expect(page).to_have_url(re.compile(r"/dashboard/$"))
        expect(page.get_by_text(f"You are enrolled in {run.course.title}")).to_be_visible()
    finally:
        context.close()
    assert Enrolment.objects.get(learner=doctor, run=run).status == EnrolmentStatus.ACTIVE
