"""Faculty write questions and a quiz in the Wagtail admin, in a real browser.

An author (the "Faculty authors" role) writes two questions in the question bank and
submits them to the "Faculty endorsement" workflow; a member of the Faculty of Pain
Medicine approves them (approval publishes: nobody but a superuser has a bare "Publish").
The author then builds a module check from them and submits it; the board approves it,
and learners find it under the module. A quiz whose single-best-answer question has two
correct choices cannot be approved.
"""

import re

import pytest
from playwright.sync_api import expect

from courses.services import enrolment_create
from lms.roles import BOARD, FACULTY_AUTHORS
from quizzes.models import Question, Quiz
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.e2e.conftest import staff
from tests.factories import learner
from tests.quizzes.factories import make_question, make_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _staff_in(role: str):
    """A staff account in one of the academy's roles (the roles migrations create the groups)."""
    return staff(role)


def _sign_out(page):
    page.context.clear_cookies()


def _control(scope, label: str):
    """The form control labelled ``label`` (Wagtail's panels carry the label too)."""
    return scope.get_by_label(label).and_(scope.locator("input, select, textarea"))


def _type_rich_text(page, field: str, text: str):
    """Type into a Draftail editor (a contenteditable textbox) of the field ``field``."""
    editor = page.locator(f'[data-contentpath="{field}"]').get_by_role("textbox")
    editor.click()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
    # Draftail copies its content into the form's hidden input a moment after typing.
    expect(page.locator(f'input[name="{field}"]')).to_have_value(re.compile(re.escape(text[:24])))


def _write_question(page, *, stem, choices, explanation):
    page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Assessments").click()
    page.get_by_role("link", name="Question bank").click()
    page.get_by_role("link", name=re.compile(r"^Add question", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/snippets/quizzes/question/add/$"))

    _control(page, "Kind").select_option(label="Single best answer")
    _type_rich_text(page, "stem", stem)
    for i, (text, correct) in enumerate(choices):
        if i >= 2:  # the form starts with the two choices a question needs at least
            page.get_by_role("button", name=re.compile("Add choices", re.I)).click()
        choice = page.locator(f"#inline_child_choices-{i}")
        _control(choice, "Text").fill(text)
        if correct:
            _control(choice, "Correct").check()
    _type_rich_text(page, "explanation", explanation)
    # No autosave while creating: the author's own submission creates the question, once.
    expect(page.locator("form[data-w-autosave-interval-value]")).to_have_count(0)
    footer = page.locator("footer")
    expect(footer.get_by_role("button", name="Publish")).to_have_count(0)
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Send for Faculty endorsement").click()
    expect(
        page.get_by_text(
            re.compile(r"(has been|created and) sent to the Faculty for endorsement", re.I)
        ).first
    ).to_be_visible()


def _choose_page(page, button_name: str, title: str):
    page.get_by_role("button", name=button_name).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name=re.compile("Search", re.I)).fill(title)
    dialog.get_by_role("link", name=title, exact=True).click()
    expect(dialog).to_be_hidden()


def _add_fixed_question(page, index: int, stem_start: str):
    page.get_by_role("button", name=re.compile("Add fixed questions", re.I)).click()
    child = page.locator(f"#inline_child_quiz_questions-{index}")
    child.get_by_role("button", name="Choose question").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("link", name=re.compile(re.escape(stem_start))).click()
    expect(dialog).to_be_hidden()
    expect(child.get_by_text(re.compile(re.escape(stem_start)))).to_be_visible()


def _approve(page):
    """The board's workflow action in a snippet's editor; approving publishes."""
    footer = page.locator("footer")
    expect(footer.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Approve and Publish", exact=True).click()


def _submit(page):
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Send for Faculty endorsement").click()


def test_author_builds_a_module_check_the_board_endorses_it(page, sign_in):
    run = CourseRunFactory(course__title="Opioid Stewardship")
    module = ModulePageFactory(parent=run.course, title="Tapering opioids safely")
    author = _staff_in(FACULTY_AUTHORS)
    board = _staff_in(BOARD)

    # The author writes two questions in the bank.
    sign_in(page, author)
    page.goto("/admin/")
    _write_question(
        page,
        stem="A patient on 90 mg oral morphine daily wants to stop. What is a safe first reduction?",
        choices=[
            ("10% of the dose every 2–4 weeks", True),
            ("Stop abruptly", False),
            ("Halve the dose weekly", False),
        ],
        explanation="Slow tapers of about 10% per month reduce withdrawal and relapse.",
    )
    _write_question(
        page,
        stem="Which symptom most suggests opioid withdrawal during a taper?",
        choices=[
            ("Yawning and rhinorrhoea", True),
            ("Pinpoint pupils", False),
            ("Constipation", False),
            ("Sedation", False),
        ],
        explanation="Autonomic hyperactivity — yawning, rhinorrhoea, mydriasis — marks withdrawal.",
    )
    assert Question.objects.count() == 2
    first = Question.objects.get(stem__contains="90 mg")
    assert [(c.text, c.is_correct) for c in first.choices.all()] == [
        ("10% of the dose every 2–4 weeks", True),
        ("Stop abruptly", False),
        ("Halve the dose weekly", False),
    ]
    assert "10% per month" in first.explanation
    assert not any(q.live for q in Question.objects.all())  # drafts in review reach nobody
    assert all(q.workflow_in_progress for q in Question.objects.all())

    # A member of the Faculty of Pain Medicine endorses both questions.
    _sign_out(page)
    sign_in(page, board)
    for question in Question.objects.order_by("pk"):
        page.goto(f"/admin/snippets/quizzes/question/edit/{question.pk}/")
        _approve(page)
        expect(page.get_by_text(re.compile(r"updated|published", re.I)).first).to_be_visible()
    assert all(q.live for q in Question.objects.all())
    _sign_out(page)
    sign_in(page, author)
    page.goto("/admin/")

    # ...and builds a module check from them, attached to the module.
    page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Assessments").click()
    page.get_by_role("link", name="Quizzes").click()
    page.get_by_role("link", name=re.compile(r"^Add quiz", re.I)).first.click()
    _control(page, "Title").fill("Tapering: check your understanding")
    _choose_page(page, "Choose a page (Course page)", "Opioid Stewardship")
    _choose_page(page, "Choose a page (Module page)", "Tapering opioids safely")
    _control(page, "Role").select_option(label="Module check")
    _add_fixed_question(page, 0, "A patient on 90 mg oral morphine")
    _add_fixed_question(page, 1, "Which symptom most suggests opioid withdrawal")
    _control(page, "Pass mark (%)").fill("50")
    _control(page, "Attempts allowed").fill("3")
    _control(page, "Time limit minutes").fill("15")
    _control(page, "Review policy").select_option(label="Show answers and explanations after each attempt")
    # Authors cannot publish: their way forward is the endorsement workflow.
    footer = page.locator("footer")
    expect(footer.get_by_role("button", name="Publish")).to_have_count(0)
    _submit(page)
    expect(
        page.get_by_text(
            re.compile(r"(has been|created and) sent to the Faculty for endorsement", re.I)
        ).first
    ).to_be_visible()

    quiz = Quiz.objects.get()
    assert not quiz.live and quiz.workflow_in_progress
    assert (quiz.course_id, quiz.module_id, quiz.role) == (run.course.pk, module.pk, "module_check")
    assert [link.question.pk for link in quiz.quiz_questions.order_by("sort_order")] == list(
        Question.objects.order_by("pk").values_list("pk", flat=True)
    )

    # A member of the Faculty of Pain Medicine endorses it: approving publishes it.
    _sign_out(page)
    sign_in(page, board)
    page.goto(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/")
    _approve(page)
    expect(page.get_by_text(re.compile(r"updated|published", re.I)).first).to_be_visible()
    quiz.refresh_from_db()
    assert quiz.live
    assert quiz.quiz_questions.count() == 2
    assert (quiz.time_limit_minutes, quiz.attempts_allowed, int(quiz.pass_mark_percent)) == (15, 3, 50)

    # A learner finds it under the module.
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    _sign_out(page)
    sign_in(page, doctor)
    page.goto(module.url)
    panel = page.get_by_role("region", name="Check your understanding")
    expect(panel).to_be_visible()
    panel.get_by_role("link", name="Tapering: check your understanding").click()
    expect(page.get_by_role("heading", name="Tapering: check your understanding", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Start attempt 1")).to_be_visible()


def test_quiz_with_an_invalid_question_cannot_be_approved(page, sign_in):
    run = CourseRunFactory(course__title="Cancer Pain")
    module = ModulePageFactory(parent=run.course, title="The analgesic ladder")
    # Written outside the admin (whose form refuses it): two "single best" answers.
    broken = make_question(
        stem="Which is a step-two opioid?",
        choices=(("Codeine", True), ("Tramadol", True), ("Morphine", False)),
    )
    quiz = make_quiz(run.course, questions=[broken], module=module, title="Ladder check", live=False)
    author, board = _staff_in(FACULTY_AUTHORS), _staff_in(BOARD)
    quiz.save_revision(user=author)
    quiz.get_workflow().start(quiz, author)

    sign_in(page, board)
    page.goto(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/")
    _approve(page)
    expect(
        page.get_by_text(
            "Question 1 is single-best-answer but has 2 correct choices; it must have exactly one."
        )
    ).to_be_visible()
    quiz.refresh_from_db()
    assert not quiz.live and quiz.workflow_in_progress
