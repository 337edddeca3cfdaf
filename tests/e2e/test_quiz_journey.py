"""A doctor takes a timed quiz in a real browser: leaves, resumes, fails, then passes.

The quiz reviews answers only after passing: the failing attempt shows the score and
no explanations; the passing one shows them. The course's only module is completed
first, so the course completes exactly when the required quiz is passed.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment_create
from quizzes.models import Attempt, AttemptState, ReviewPolicy
from quizzes.services import attempt_start
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.quizzes.factories import make_question, make_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# (stem, [(choice, correct)], explanation) — the learner's picks are named below.
QUESTIONS = [
    (
        "A 60-year-old with painful diabetic neuropathy and normal renal function: first-line treatment?",
        [("Pregabalin", True), ("Tramadol", False), ("Oral morphine", False)],
        "Gabapentinoids are first line in the NeuPSIG guidance.",
    ),
    (
        "Which finding in low back pain is a red flag for cauda equina syndrome?",
        [("Saddle anaesthesia", True), ("Pain worse on sitting", False), ("Morning stiffness", False)],
        "Saddle anaesthesia with sphincter change needs emergency imaging.",
    ),
    (
        "Worsening diffuse pain despite rising opioid doses most suggests:",
        [("Opioid-induced hyperalgesia", True), ("Opioid allergy", False), ("Serotonin syndrome", False)],
        "Hyperalgesia improves when the opioid dose is reduced, not increased.",
    ),
    (
        "The maximum daily paracetamol dose for a 70 kg adult with normal liver function is:",
        [("4 g", True), ("6 g", False), ("8 g", False)],
        "Four grams a day; less with low body weight, alcohol or liver disease.",
    ),
]


def _question(page, number: int):
    return page.get_by_role("group", name=re.compile(rf"^Question {number} of"))


def _answer(page, number: int, choice: str):
    """Pick ``choice`` in question ``number`` and wait until autosave has stored it."""
    with page.expect_response(lambda r: r.url.endswith("/answers/") and r.request.method == "POST") as saved:
        _question(page, number).get_by_role("radio", name=choice).check()
    assert saved.value.status == 200
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()


def _seconds(text: str) -> int:
    """'9 min 41 s' (or '41 s', '10 min') in seconds."""
    minutes = re.search(r"(\d+) min", text)
    seconds = re.search(r"(\d+) s\b", text)
    return (int(minutes.group(1)) * 60 if minutes else 0) + (int(seconds.group(1)) if seconds else 0)


def test_timed_quiz_leave_resume_fail_then_pass_completes_the_course(page, sign_in):
    run = CourseRunFactory(course__title="Pain Essentials")
    module = ModulePageFactory(parent=run.course, title="Analgesic pharmacology")
    quiz = make_quiz(
        run.course,
        questions=[
            make_question(
                stem=stem, choices=choices, explanation=f"<p>{explanation}</p>", feedback="Revisit the module"
            )
            for stem, choices, explanation in QUESTIONS
        ],
        module=module,
        title="Pharmacology check",
        time_limit_minutes=10,
        pass_mark_percent=Decimal("75"),
        attempts_allowed=3,
        review_policy=ReviewPolicy.AFTER_PASSING,
    )
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)

    sign_in(page, doctor)

    # The module is studied and marked complete; the course is not complete without the quiz.
    page.goto(module.url)
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("status").filter(has_text="marked as complete")).to_be_visible()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE

    # The course page lists the assessment still to pass; it leads to the quiz.
    assessments = page.get_by_role("region", name="Assessments")
    expect(assessments).to_contain_text("required for completion")
    expect(assessments).to_contain_text("Not attempted")
    assessments.get_by_role("link", name="Pharmacology check").click()
    expect(page.get_by_role("heading", name="Pharmacology check", level=1)).to_be_visible()
    expect(page.get_by_text("10 min", exact=True)).to_be_visible()
    page.get_by_role("button", name="Start attempt 1").click()

    # Answering: two right, one wrong, each saved as it is picked.
    expect(page.get_by_role("heading", name="Pharmacology check", level=1)).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"Time left: (10 min|9 min)"))
    _answer(page, 1, "Pregabalin")
    _answer(page, 2, "Saddle anaesthesia")
    _answer(page, 3, "Opioid allergy")
    expect(page.get_by_role("progressbar", name="Questions answered")).to_have_attribute(
        "aria-valuetext", "3 of 4 answered"
    )

    # The doctor leaves (the tab is closed) and comes back later from the quiz page.
    context = page.context
    page.close()
    page = context.new_page()
    page.goto("/dashboard/")
    page.goto(f"/quizzes/{quiz.pk}/")
    expect(page.get_by_role("heading", name="Attempt 1 is in progress")).to_be_visible()
    time_left = page.locator(".quiz-time-left").inner_text()
    assert 0 < _seconds(time_left) < 600, time_left
    page.get_by_role("link", name="Resume attempt", exact=True).click()

    # The saved answers are still chosen; the clock kept the server's deadline.
    expect(_question(page, 1).get_by_role("radio", name="Pregabalin")).to_be_checked()
    expect(_question(page, 2).get_by_role("radio", name="Saddle anaesthesia")).to_be_checked()
    expect(_question(page, 3).get_by_role("radio", name="Opioid allergy")).to_be_checked()
    expect(_question(page, 4).get_by_role("radio")).to_have_count(3)
    for radio in _question(page, 4).get_by_role("radio").all():
        expect(radio).not_to_be_checked()
    assert 0 < _seconds(page.get_by_role("timer").inner_text()) < 600
    expect(page.get_by_role("progressbar", name="Questions answered")).to_have_attribute(
        "aria-valuetext", "3 of 4 answered"
    )

    # Submitting with a question unanswered asks first.
    page.get_by_role("button", name="Submit for grading").click()
    dialog = page.get_by_role("dialog", name="Submit with unanswered questions?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You have not answered question 4.")
    dialog.get_by_role("button", name="Submit anyway").click()

    # A failing result: score and verdict, and — this quiz reviews only after passing —
    # no answers or explanations.
    expect(page.get_by_role("heading", name="Your score")).to_be_visible()
    expect(page.locator(".quiz-score-value")).to_have_text("50%")
    expect(page.get_by_text("Not passed")).to_be_visible()
    expect(page.get_by_text("The pass mark is 75%.")).to_be_visible()
    expect(
        page.get_by_text(re.compile("shows the correct answers and the explanations once you pass"))
    ).to_be_visible()
    for _, _, explanation in QUESTIONS:
        expect(page.get_by_text(explanation)).to_have_count(0)
    expect(page.get_by_text("Correct answer", exact=True)).to_have_count(0)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE

    # A second attempt, every answer right: no confirmation needed.
    page.get_by_role("link", name="Back to the assessment").click()
    expect(page.get_by_role("cell", name="50%")).to_be_visible()
    page.get_by_role("button", name="Start attempt 2").click()
    for number, (_, choices, _) in enumerate(QUESTIONS, start=1):
        _answer(page, number, next(text for text, correct in choices if correct))
    page.get_by_role("button", name="Submit for grading").click()

    expect(page.locator(".quiz-score-value")).to_have_text("100%")
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    for _, _, explanation in QUESTIONS:
        expect(page.get_by_text(explanation)).to_be_visible()
    expect(page.get_by_text("Correct answer", exact=True)).to_have_count(4)
    expect(page.get_by_text("Your answer", exact=True)).to_have_count(4)

    # Passing the required quiz completed the course.
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.COMPLETED
    assert list(Attempt.objects.filter(learner=doctor).order_by("number").values_list("state", "passed")) == [
        (AttemptState.GRADED, False),
        (AttemptState.GRADED, True),
    ]
    page.goto("/dashboard/")
    expect(
        page.get_by_role("article").filter(has_text="Pain Essentials").get_by_text("Completed", exact=True)
    ).to_be_visible()
    page.goto(f"/quizzes/{quiz.pk}/")
    expect(page.get_by_role("heading", name="You passed this assessment")).to_be_visible()


@pytest.fixture
def short_quiz():
    run = CourseRunFactory(course__title="Pain Essentials")
    quiz = make_quiz(
        run.course,
        questions=[make_question(stem=stem, choices=choices) for stem, choices, _ in QUESTIONS[:2]],
        title="Quick check",
        time_limit_minutes=10,
        pass_mark_percent=Decimal("50"),
    )
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    return quiz, doctor


def test_when_time_runs_out_the_page_submits_the_saved_answers(page, sign_in, short_quiz):
    quiz, doctor = short_quiz
    # The attempt started 9 min 52 s ago: 8 seconds are left when the doctor returns.
    attempt = attempt_start(
        learner=doctor, quiz=quiz, now=timezone.now() - datetime.timedelta(minutes=9, seconds=52)
    )
    sign_in(page, doctor)
    page.goto(f"/attempts/{attempt.pk}/")
    _answer(page, 1, "Pregabalin")

    # Nobody presses Submit: at zero the page submits by itself, without asking.
    expect(page.get_by_role("heading", name="Your score")).to_be_visible(timeout=20_000)
    expect(page.locator(".quiz-score-value")).to_have_text("50%")
    expect(page.get_by_text("Submitted after the time limit")).to_have_count(0)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED and not attempt.submitted_late
    assert attempt.score_percent == Decimal("50.00")


def test_a_dropped_connection_is_reported_and_nothing_is_lost(page, sign_in, short_quiz):
    quiz, doctor = short_quiz
    sign_in(page, doctor)
    page.goto(f"/quizzes/{quiz.pk}/")
    page.get_by_role("button", name="Start attempt 1").click()
    attempt = Attempt.objects.get(learner=doctor)
    # quiz.js has run (it shows this hint): going offline earlier could stop it loading.
    expect(page.get_by_text("Your answers are saved as you choose them")).to_be_visible()

    page.context.set_offline(True)
    _question(page, 1).get_by_role("radio", name="Pregabalin").check()
    expect(page.get_by_role("status").filter(has_text="Not saved — check your connection")).to_be_visible()
    assert all(not aq.selected for aq in attempt.questions.all())

    # Back online, the answer picked meanwhile is sent without the doctor doing anything.
    with page.expect_response(lambda r: r.url.endswith("/answers/")) as saved:
        page.context.set_offline(False)
    assert saved.value.status == 200
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    first = next(aq for aq in attempt.questions.all() if "diabetic neuropathy" in aq.snapshot["stem"])
    assert first.selected == [next(c["id"] for c in first.snapshot["choices"] if c["text"] == "Pregabalin")]
