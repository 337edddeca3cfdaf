"""A doctor's progress, in a real browser on a desktop and on a 390 px phone.

* A completed (certified) enrolment shows progress as of its completion, in the section
  "Completed", even after the course gained a module and while its run is current.
* The bar's figure counts what its percentage counts, in the same unit.
* "Continue" leads to the next required step: the assessment once the modules are done.
* Before enrolment, the course page says how the course is assessed and when enrolment
  closes, in words.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from courses.services import enrolment_create, module_complete
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.quizzes.factories import make_question, make_quiz
from tests.support.processes import session_key_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser, live_server):
    """``screen(user=None)`` opens a page on a desktop and (second run) on a phone."""
    contexts = []

    def open_page(user=None):
        phone = request.param == "phone"
        context = browser.new_context(
            base_url=live_server.url, viewport=VIEWPORTS[request.param], is_mobile=phone, has_touch=phone
        )
        context.set_default_timeout(15_000)
        if user is not None:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session_key_for(user),
                        "url": live_server.url,
                    }
                ]
            )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_completed_course_shows_progress_as_of_completion_after_a_module_is_added(screen):
    doctor = learner()
    run = CourseRunFactory()
    modules = [ModulePageFactory(parent=run.course) for _ in range(2)]
    enrolment_create(learner=doctor, run=run)
    for module in modules:
        module_complete(learner=doctor, module=module)
    ModulePageFactory(parent=run.course, title="Added after completion")

    page = screen(doctor)
    page.goto("/dashboard/")
    completed = page.get_by_role("region", name=re.compile("^Completed"))
    expect(completed.get_by_role("heading", name=run.course.title)).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("In progress|Past runs|Completed and past"))
    ).to_have_count(0)
    bar = completed.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(completed.get_by_text("2 of 2 modules")).to_be_visible()

    page.goto(run.course.url)
    expect(page.get_by_text("2 of 2 modules")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Your progress")).to_have_attribute("aria-valuenow", "100")


def test_continue_leads_to_the_assessment_once_the_modules_are_done_and_units_agree(screen):
    doctor = learner()
    run = CourseRunFactory()
    modules = [ModulePageFactory(parent=run.course) for _ in range(3)]
    quiz = make_quiz(run.course, questions=[make_question()], title="Final assessment")
    enrolment_create(learner=doctor, run=run)
    for module in modules:
        module_complete(learner=doctor, module=module)

    page = screen(doctor)
    page.goto("/dashboard/")
    current = page.get_by_role("region", name=re.compile("^In progress"))
    # Three modules and one assessment: the figure and the percentage count the same four steps.
    expect(current.get_by_text("3 of 4 steps")).to_be_visible()
    expect(current.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "75")
    expect(current.get_by_text("Next: the required assessment")).to_be_visible()
    current.get_by_role("link", name=re.compile("^Continue")).click()
    expect(page).to_have_url(re.compile(rf"/quizzes/{quiz.pk}/$"))
    expect(page.get_by_role("heading", name="Final assessment", level=1)).to_be_visible()

    page.goto(run.course.url)
    page.get_by_role("link", name=re.compile("Next: the required assessment")).click()
    expect(page).to_have_url(re.compile(rf"/quizzes/{quiz.pk}/$"))


def test_before_enrolment_the_course_page_says_how_it_is_assessed_and_when_enrolment_closes(screen):
    closes = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=5), datetime.time())
    )
    run = CourseRunFactory(enrolment_closes_at=closes)
    ModulePageFactory(parent=run.course)
    make_quiz(run.course, questions=[make_question()], title="Final assessment", time_limit_minutes=20)

    for user in (None, learner()):
        page = screen(user)
        page.goto(run.course.url)
        assessments = page.get_by_role("region", name="Assessments")
        expect(
            assessments.get_by_text("complete every module and pass the assessment marked required")
        ).to_be_visible()
        expect(assessments.get_by_text("Pass mark 60%")).to_be_visible()
        expect(assessments.get_by_text("2 attempts", exact=True)).to_be_visible()
        expect(assessments.get_by_text("20 minutes", exact=True)).to_be_visible()
        last_day = timezone.localdate() + datetime.timedelta(days=4)
        phrase = rf"Enrolment closes at the end of {last_day.day} {last_day:%B}( {last_day.year})?$"
        expect(page.get_by_text(re.compile(phrase))).to_be_visible()
