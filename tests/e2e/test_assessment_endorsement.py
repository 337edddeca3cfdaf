"""A faculty author edits a question of a live final assessment, in a real browser.

Until the Faculty of Pain Medicine approves the edit, learners starting an attempt get
the endorsed version; after approval — which publishes it, though no board member holds
a publish permission — new attempts get the new version, and an attempt made before
keeps its review exactly as it was. Four people (an earlier learner, a learner starting
during the review, a learner starting after it, the author and a board member), each in
a browser context of their own on one live server.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses.models import Endorsement
from courses.services import enrolment_create
from quizzes.models import Attempt, Question, QuizRole, ReviewPolicy
from tests.courses.factories import CourseRunFactory
from tests.e2e.test_endorsement import ADMIN_TIMEOUT, sign_in_as_learner, sign_in_to_admin
from tests.factories import learner
from tests.quizzes.factories import endorse, make_question, make_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ENDORSED_STEM = "First-line treatment for painful diabetic neuropathy in the NeuPSIG guidance?"
REVISED_STEM = "Which is a third-line treatment for painful diabetic neuropathy in the NeuPSIG guidance?"


def _question_in_attempt(page, number: int):
    return page.get_by_role("group", name=re.compile(rf"^Question {number} of"))


def _answer(page, number: int, choice: str):
    with page.expect_response(lambda r: r.url.endswith("/answers/") and r.request.method == "POST") as saved:
        _question_in_attempt(page, number).get_by_role("radio", name=choice).check()
    assert saved.value.status == 200


def _control(scope, label: str):
    return scope.get_by_label(label).and_(scope.locator("input, select, textarea"))


def _start(page, quiz, number: int):
    page.goto(f"/quizzes/{quiz.pk}/")
    page.get_by_role("button", name=f"Start attempt {number}").click()
    expect(page.get_by_role("heading", name="Final assessment", level=1)).to_be_visible()
    # The page's script shows this once it is listening: answers picked before then would
    # not be saved as they are chosen.
    expect(page.get_by_text("Your answers are saved as you choose them.")).to_be_visible()


@pytest.fixture
def final_assessment(roles):
    author, board_member = roles
    run = CourseRunFactory(capacity=20, course__title="Neuropathic Pain")
    neuropathy = endorse(
        make_question(
            stem=ENDORSED_STEM,
            choices=(("Pregabalin", True), ("Tramadol", False), ("Oral morphine", False)),
            explanation="<p>Gabapentinoids, SNRIs and tricyclics are first line.</p>",
        ),
        author=author,
        reviewer=board_member,
    )
    red_flag = endorse(
        make_question(
            stem="Which finding in low back pain is a red flag for cauda equina syndrome?",
            choices=(
                ("Saddle anaesthesia", True),
                ("Pain worse on sitting", False),
                ("Morning stiffness", False),
            ),
        ),
        author=author,
        reviewer=board_member,
    )
    quiz = endorse(
        make_quiz(
            run.course,
            questions=[neuropathy, red_flag],
            title="Final assessment",
            role=QuizRole.FINAL,
            live=False,
            pass_mark_percent=Decimal("50"),
            attempts_allowed=3,
            review_policy=ReviewPolicy.AFTER_EACH_ATTEMPT,
        ),
        author=author,
        reviewer=board_member,
    )
    doctors = [learner() for _ in range(3)]
    for doctor in doctors:
        enrolment_create(learner=doctor, run=run)
    return quiz, neuropathy, doctors


def test_an_edit_to_a_live_final_reaches_learners_only_once_the_board_approves_it(
    session, roles, final_assessment
):
    author, board_member = roles
    quiz, neuropathy, (earlier, during, after) = final_assessment
    endorsed_revision = neuropathy.live_revision_id

    # A learner sits the endorsed final and reads the review.
    first = sign_in_as_learner(session(), earlier)
    _start(first, quiz, 1)
    expect(first.get_by_text(ENDORSED_STEM)).to_be_visible()
    _answer(first, 1, "Pregabalin")
    _answer(first, 2, "Saddle anaesthesia")
    first.get_by_role("button", name="Submit for grading").click()
    expect(first.locator(".quiz-score-value")).to_have_text("100%")
    old_result_url = first.url
    review = first.get_by_role("article").filter(has_text=ENDORSED_STEM)
    expect(review.locator(".is-key")).to_contain_text("Pregabalin")

    # The author rewrites the question — stem and key — and submits it for endorsement.
    admin = sign_in_to_admin(session(), author)
    admin.goto(f"/admin/snippets/quizzes/question/edit/{neuropathy.pk}/", timeout=ADMIN_TIMEOUT)
    stem = admin.locator('[data-contentpath="stem"]').get_by_role("textbox")
    expect(stem).to_contain_text(ENDORSED_STEM)
    stem.click()
    admin.keyboard.press("ControlOrMeta+a")
    admin.keyboard.press("Delete")
    admin.keyboard.insert_text(REVISED_STEM)
    expect(admin.locator('input[name="stem"]')).to_have_value(re.compile(re.escape("third-line")))
    _control(admin.locator("#inline_child_choices-0"), "Correct").uncheck()
    _control(admin.locator("#inline_child_choices-2"), "Correct").check()
    footer = admin.locator("footer")
    expect(footer.get_by_role("button", name="Publish")).to_have_count(0)
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Send for Faculty endorsement").click()
    expect(
        admin.get_by_text(re.compile(r"(has been|created and) sent to the Faculty for endorsement"))
    ).to_be_visible()

    live = Question.objects.get(pk=neuropathy.pk)
    assert ENDORSED_STEM in live.stem and [c.is_correct for c in live.choices.all()] == [True, False, False]
    assert live.workflow_in_progress

    # A learner starting now gets the endorsed version, not the author's draft.
    second = sign_in_as_learner(session(), during)
    _start(second, quiz, 1)
    expect(second.get_by_text(ENDORSED_STEM)).to_be_visible()
    expect(second.get_by_text(REVISED_STEM)).to_have_count(0)

    # The board member approves it from the question's editor: "Approve and Publish".
    review_admin = sign_in_to_admin(session(), board_member)
    review_admin.goto(f"/admin/snippets/quizzes/question/edit/{neuropathy.pk}/", timeout=ADMIN_TIMEOUT)
    footer = review_admin.locator("footer")
    expect(footer.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(review_admin.get_by_text(re.compile(r"updated|published", re.I)).first).to_be_visible()

    neuropathy.refresh_from_db()
    assert neuropathy.live_revision_id != endorsed_revision and REVISED_STEM in neuropathy.stem
    endorsement = Endorsement.objects.get(
        object_id=str(neuropathy.pk), revision_id=neuropathy.live_revision_id
    )
    assert endorsement.approved_by == board_member

    # A learner starting after the approval gets the new version, graded by its new key.
    third = sign_in_as_learner(session(), after)
    _start(third, quiz, 1)
    expect(third.get_by_text(REVISED_STEM)).to_be_visible()
    expect(third.get_by_text(ENDORSED_STEM)).to_have_count(0)
    _answer(third, 1, "Oral morphine")
    _answer(third, 2, "Saddle anaesthesia")
    third.get_by_role("button", name="Submit for grading").click()
    expect(third.locator(".quiz-score-value")).to_have_text("100%")
    expect(third.get_by_role("article").filter(has_text=REVISED_STEM).locator(".is-key")).to_contain_text(
        "Oral morphine"
    )

    # The earlier attempt's review is exactly as it was.
    first.goto(old_result_url)
    expect(first.locator(".quiz-score-value")).to_have_text("100%")
    review = first.get_by_role("article").filter(has_text=ENDORSED_STEM)
    expect(review.locator(".is-key")).to_contain_text("Pregabalin")
    expect(first.get_by_text(REVISED_STEM)).to_have_count(0)

    versions = {
        attempt.learner_id: attempt.questions.get(question=neuropathy).question_revision_id
        for attempt in Attempt.objects.filter(quiz=quiz)
    }
    assert versions == {
        earlier.pk: endorsed_revision,
        during.pk: endorsed_revision,
        after.pk: neuropathy.live_revision_id,
    }
