"""axe-core on every page a doctor and a verifier see, on a desktop and on a 390 px phone:
no violation of any impact. A new one fails the suite, naming the page and the rule.

Pages: home, catalogue, course (before and after enrolment), module, quiz (its page, an
attempt being taken, a result), dashboard, sign-up, profile, certificates, transcript and
the public verification page; the unsubscribe page (and its refusal of a bad link).
"""

import pytest
from django.conf import settings

from courses.services import enrolment_create, module_complete
from lms.mail import unsubscribe_url
from lms.services import calendar_feed_regenerate
from quizzes.services import attempt_start, attempt_submit
from tests.certificates.factories import issued_certificate
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz
from tests.support.accessibility import assert_no_axe_violations
from tests.support.processes import session_key_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _context(browser, live_server, screen, user=None):
    phone = screen == "phone"
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[screen], is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(15_000)
    if user is not None:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_key_for(user), "url": live_server.url}]
        )
    return context


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_every_doctor_and_verifier_page_has_no_axe_violations(browser, live_server, screen):
    doctor = learner()
    certificate = issued_certificate(doctor)
    run = CourseRunFactory(course__title="Managing Cancer Pain")
    modules = [ModulePageFactory(parent=run.course) for _ in range(2)]
    question = make_question()
    quiz = make_quiz(
        run.course, questions=[question, make_question(stem="Which is a red flag?")], title="Final"
    )
    enrolment_create(learner=doctor, run=run)
    module_complete(learner=doctor, module=modules[0])
    graded = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(attempt=graded, learner=doctor, answers={1: correct_ids(question)})
    taking = attempt_start(learner=doctor, quiz=quiz)
    other_course = CourseRunFactory(course__title="Acute Pain Essentials").course
    calendar_feed_regenerate(user=doctor)  # the profile shows the private calendar address
    unsubscribe = "/" + unsubscribe_url(user_id=doctor.pk, kind="inactive").split("/", 3)[3]

    visitor = _context(browser, live_server, screen).new_page()
    for state, url in [
        ("home", "/"),
        ("catalogue", "/courses/"),
        ("course before enrolment", other_course.url),
        ("sign-up", "/accounts/signup/"),
        ("verification", f"/certificates/verify/{certificate.verification_code}/"),
        ("unsubscribe", unsubscribe),
        ("unsubscribe link not valid", "/notifications/unsubscribe/not-a-token/"),
    ]:
        visitor.goto(url)
        assert_no_axe_violations(visitor, f"{state}, {screen}")

    page = _context(browser, live_server, screen, user=doctor).new_page()
    for state, url in [
        ("dashboard", "/dashboard/"),
        ("course, enrolled", run.course.url),
        ("module", modules[1].url),
        ("quiz", f"/quizzes/{quiz.pk}/"),
        ("quiz being taken", f"/attempts/{taking.pk}/"),
        ("quiz result", f"/attempts/{graded.pk}/result/"),
        ("profile", "/profile/"),
        ("certificates", "/certificates/"),
        ("transcript", "/transcript/"),
    ]:
        response = page.goto(url)
        assert response.status == 200, (state, url, response.status)
        assert_no_axe_violations(page, f"{state}, {screen}")
    # The open menus too: the phone's navigation and the account menu.
    if screen == "phone":
        page.get_by_role("navigation", name="Main").get_by_text("Menu").click()
    page.get_by_role("navigation", name="Main").get_by_text("Account").click()
    assert_no_axe_violations(page, f"transcript with the account menu open, {screen}")
