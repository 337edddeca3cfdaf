"""Quizzes over HTTP: what each learner-facing response carries, and who may do what.

The bank questions here carry marker strings in their per-choice feedback and
explanations. Before the review policy allows it, no response to the learner — HTML or
JSON — may contain a marker, nor anything that tells the correct choice from the others.
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from courses.services import enrolment_create
from quizzes.models import Attempt, AttemptQuestion, AttemptState, ExtraAttemptGrant, ReviewPolicy
from quizzes.services import GRACE, attempt_grant_extra, attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz, wrong_ids

pytestmark = pytest.mark.django_db

FEEDBACK = "Zq7-FEEDBACK-MARK"
EXPLANATION = "Zq7-EXPLANATION-MARK"
# Markup that would single out the key (or review material) in a page.
TELLTALES = (
    "is_correct",
    "data-correct",
    "is-correct",
    "is-key",
    "Correct answer",
    "Explanation",
    FEEDBACK,
    EXPLANATION,
)


def _question(i, **kwargs):
    return make_question(
        stem=f"Stem number {i}: which applies?",
        feedback=f"{FEEDBACK}-{i}",
        explanation=f"<p>{EXPLANATION}-{i}</p>",
        **kwargs,
    )


@pytest.fixture
def setting():
    """A course with one module, its timed module check, and an enrolled learner."""
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course, title="Neuropathic pain")
    questions = [
        _question(1),
        _question(
            2, kind="multiple", choices=(("Duloxetine", True), ("Amitriptyline", True), ("Codeine", False))
        ),
        _question(3, kind="true_false", choices=(("True", True), ("False", False))),
    ]
    quiz = make_quiz(
        run.course,
        questions=questions,
        module=module,
        title="Neuropathic pain check",
        time_limit_minutes=20,
        review_policy=ReviewPolicy.AFTER_EACH_ATTEMPT,
    )
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    return run, module, quiz, questions, doctor


def _positions(attempt, questions):
    """Bank question -> its position in the attempt."""
    by_question = {aq.question_id: aq.position for aq in attempt.questions.all()}
    return [by_question[q.pk] for q in questions]


def _answers(attempt, questions, right: int):
    """Answer the first ``right`` questions correctly and the others wrongly."""
    positions = _positions(attempt, questions)
    return {
        position: correct_ids(q) if i < right else wrong_ids(q)
        for i, (position, q) in enumerate(zip(positions, questions, strict=True))
    }


def _autosave(client, attempt, payload, raw=None):
    return client.post(
        reverse("attempt_autosave", args=[attempt.pk]),
        data=raw if raw is not None else json.dumps(payload),
        content_type="application/json",
    )


def _selected(attempt):
    return {aq.position: aq.selected for aq in AttemptQuestion.objects.filter(attempt=attempt)}


def _assert_no_key(body: str, where: str):
    for telltale in TELLTALES:
        assert telltale not in body, f"{where} carries {telltale!r}"


# --- Integrity: no key before review ---------------------------------------------------------


def test_no_response_carries_the_key_while_an_attempt_is_in_progress(client, setting):
    run, module, quiz, questions, doctor = setting
    client.force_login(doctor)

    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(learner=doctor)
    assert response.status_code == 302 and response["Location"] == reverse("attempt_take", args=[attempt.pk])

    take = client.get(reverse("attempt_take", args=[attempt.pk]))
    assert take.status_code == 200
    html = take.content.decode()
    # The page does show the questions (so the checks below are not vacuous)...
    for i, question in enumerate(questions, start=1):
        assert f"Stem number {i}" in html
        for choice in question.choices.all():
            assert f'value="{choice.pk}"' in html
    # ...and nothing that singles out a correct choice.
    _assert_no_key(html, "the take page")

    # Correct and incorrect choices are rendered alike: each choice's markup differs from
    # the others' only by its id, value and text.
    by_text = {c.text: c for q in questions for c in q.choices.all()}
    blocks = re.findall(r'<div class="quiz-choice">(.*?)</div>', html, flags=re.S)
    assert len(blocks) == sum(q.choices.count() for q in questions)
    shapes: dict[str, set[str]] = {}
    for block in blocks:
        text = re.search(r"<span>([^<]*)</span></label>", block).group(1)
        choice = by_text[text]
        shape = re.sub(r"\bq\d+", "qN", block).replace(f"<span>{text}</span>", "<span>TEXT</span>")
        shape = shape.replace(str(choice.pk), "ID")
        shapes.setdefault(choice.question.kind, set()).add(shape)
    assert {kind: len(s) for kind, s in shapes.items()} == {"single": 1, "multiple": 1, "true_false": 1}

    # Autosave answers with whatever the learner picked; its JSON says only that it saved.
    positions = _positions(attempt, questions)
    saved = _autosave(client, attempt, {"answers": {str(positions[0]): wrong_ids(questions[0])}})
    assert saved.status_code == 200
    assert set(saved.json()) == {"saved", "seconds_left"}
    _assert_no_key(saved.content.decode(), "the autosave reply")

    # With an answer saved, the take page re-renders it, still without a key.
    take = client.get(reverse("attempt_take", args=[attempt.pk])).content.decode()
    assert re.search(rf'value="{wrong_ids(questions[0])[0]}" checked', take)
    _assert_no_key(take, "the resumed take page")

    # The other pages a learner can reach meanwhile.
    pages = {
        "the quiz page": client.get(reverse("quiz_detail", args=[quiz.pk])),
        "the course page": client.get(run.course.url),
        "the module page": client.get(module.url),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        _assert_no_key(response.content.decode(), where)
    assert "Resume attempt" in pages["the quiz page"].content.decode()
    assert "Check your understanding" in pages["the module page"].content.decode()
    assert "Assessments" in pages["the course page"].content.decode()

    # The result of an attempt in progress is not a result: it sends the learner back.
    result = client.get(reverse("attempt_result", args=[attempt.pk]))
    assert result.status_code == 302 and result["Location"] == reverse("attempt_take", args=[attempt.pk])
    _assert_no_key(result.content.decode(), "the result redirect")


@pytest.mark.parametrize(
    ("policy", "right_first", "right_second", "review_first", "review_second"),
    [
        (ReviewPolicy.AFTER_EACH_ATTEMPT, 1, 3, True, True),
        (ReviewPolicy.AFTER_PASSING, 1, 3, False, True),
        (ReviewPolicy.NEVER, 1, 3, False, False),
    ],
)
def test_review_follows_the_policy_after_grading(
    client, setting, policy, right_first, right_second, review_first, review_second
):
    _, _, quiz, questions, doctor = setting
    quiz.review_policy = policy
    quiz.save()
    client.force_login(doctor)

    for right, review in ((right_first, review_first), (right_second, review_second)):
        attempt = attempt_start(learner=doctor, quiz=quiz)
        attempt_submit(attempt=attempt, learner=doctor, answers=_answers(attempt, questions, right))
        response = client.get(reverse("attempt_result", args=[attempt.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        attempt.refresh_from_db()
        assert f"{float(attempt.score_percent):.1f}".rstrip("0").rstrip(".") in html
        assert ("Passed" if attempt.passed else "Not passed") in html
        if review:
            assert "Review your answers" in html
            for i in (1, 2, 3):
                assert f"{EXPLANATION}-{i}" in html
                assert f"{FEEDBACK}-{i}" in html
            assert "Your answer" in html and "Correct answer" in html
        else:
            _assert_no_key(html, f"the result under {policy}")
            assert "Review your answers" not in html
            expected = "once you pass" if policy == ReviewPolicy.AFTER_PASSING else "score only"
            assert expected in html


def test_result_page_marks_each_choice_in_words_not_only_colour(client, setting):
    _, _, quiz, questions, doctor = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(attempt=attempt, learner=doctor, answers=_answers(attempt, questions, right=1))
    client.force_login(doctor)
    html = client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert html.count("Correct answer") == sum(len(correct_ids(q)) for q in questions)
    assert ">Incorrect<" in html  # the wrong picks, and the questions they lost
    assert html.count("Your answer") == 3
    assert "33.3" in html and "pass mark is <strong>60%" in html


def test_late_submission_is_announced_on_the_result(client, setting):
    _, _, quiz, questions, doctor = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(
        attempt=attempt, learner=doctor, now=attempt.deadline + GRACE + datetime.timedelta(seconds=5)
    )
    client.force_login(doctor)
    html = client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert "Submitted after the time limit" in html


# --- Another learner's attempt -----------------------------------------------------------------


def test_another_learners_attempt_is_not_found_and_untouched(client, setting):
    run, _, quiz, questions, doctor = setting
    other = learner()
    enrolment_create(learner=other, run=run)
    theirs = attempt_start(learner=other, quiz=quiz)
    position = _positions(theirs, questions)[0]
    before = _selected(theirs)

    client.force_login(doctor)
    assert client.get(reverse("attempt_take", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("attempt_result", args=[theirs.pk])).status_code == 404
    assert (
        _autosave(client, theirs, {"answers": {str(position): correct_ids(questions[0])}}).status_code == 404
    )
    answer = {f"q{position}": correct_ids(questions[0])}
    assert client.post(reverse("attempt_take", args=[theirs.pk]), {**answer, "save": "1"}).status_code == 404
    assert (
        client.post(reverse("attempt_take", args=[theirs.pk]), {**answer, "submit": "1"}).status_code == 404
    )

    theirs.refresh_from_db()
    assert theirs.state == AttemptState.IN_PROGRESS
    assert _selected(theirs) == before
    assert not Attempt.objects.filter(learner=doctor).exists()


def test_unknown_attempt_is_not_found(client, setting):
    *_, doctor = setting
    client.force_login(doctor)
    assert client.get(reverse("attempt_take", args=[987654])).status_code == 404


# --- Malformed and forged answers --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["not json", "[]", "{}", '{"answers": [1, 2]}', '{"answers": {"one": ["1"]}}', '{"answers": {"1": 5}}'],
)
def test_malformed_autosave_is_refused_with_a_message_and_changes_nothing(client, setting, raw):
    *_, quiz, questions, doctor = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    before = _selected(attempt)
    client.force_login(doctor)
    response = _autosave(client, attempt, None, raw=raw)
    assert response.status_code == 400
    assert response.json()["saved"] is False and response.json()["error"]
    assert _selected(attempt) == before


def test_forged_choice_is_refused_and_nothing_is_saved(client, setting):
    *_, quiz, questions, doctor = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    first, second, _ = _positions(attempt, questions)
    stranger = make_question(stem="Another quiz's question")
    client.force_login(doctor)

    # Through autosave: a choice of another question, alongside a genuine answer.
    response = _autosave(
        client,
        attempt,
        {"answers": {str(second): correct_ids(questions[1]), str(first): [str(stranger.choices.first().pk)]}},
    )
    assert response.status_code == 400
    assert "not one of the options" in response.json()["error"]
    # Two answers to a single-best-answer question.
    response = _autosave(
        client, attempt, {"answers": {str(first): [str(c.pk) for c in questions[0].choices.all()[:2]]}}
    )
    assert response.status_code == 400
    assert "one answer only" in response.json()["error"]
    # A question that is not in the attempt.
    assert _autosave(client, attempt, {"answers": {"99": []}}).status_code == 400

    # Through the plain form: the learner is told, nothing is saved or graded.
    response = client.post(
        reverse("attempt_take", args=[attempt.pk]),
        {
            f"q{first}": str(stranger.choices.first().pk),
            f"q{second}": correct_ids(questions[1]),
            "submit": "1",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "not one of the options" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert all(selected == [] for selected in _selected(attempt).values())


# --- The form works without JavaScript ---------------------------------------------------------


def test_plain_form_saves_clears_and_submits(client, setting):
    *_, quiz, questions, doctor = setting
    client.force_login(doctor)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(learner=doctor)
    first, second, third = _positions(attempt, questions)
    take_url = reverse("attempt_take", args=[attempt.pk])

    html = client.get(take_url).content.decode()
    assert f'type="radio" name="q{first}"' in html
    assert f'type="checkbox" name="q{second}"' in html
    assert f'name="q{second}-present"' in html
    assert f'type="radio" name="q{third}"' in html
    assert 'role="timer"' in html and "0 of 3 answered" in html
    assert 'name="save"' in html and 'name="submit"' in html

    response = client.post(
        take_url,
        {f"q{first}": wrong_ids(questions[0]), f"q{second}": correct_ids(questions[1]), "save": "1"},
        follow=True,
    )
    assert "Your answers are saved." in response.content.decode()
    assert "2 of 3 answered" in response.content.decode()
    # Unticking every box of a multiple-response question is saved too (its marker field).
    client.post(take_url, {f"q{second}-present": "1", "save": "1"})
    assert _selected(attempt)[second] == []

    response = client.post(
        take_url,
        {
            f"q{first}": correct_ids(questions[0]),
            f"q{second}-present": "1",
            f"q{third}": correct_ids(questions[2]),
            "submit": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "attempt_result", args=[attempt.pk]
    )
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert attempt.score_percent == Decimal("66.67")
    # A graded attempt's take page leads to its result; autosave answers 409 with its URL.
    assert client.get(take_url)["Location"] == reverse("attempt_result", args=[attempt.pk])
    conflict = _autosave(client, attempt, {"answers": {str(first): wrong_ids(questions[0])}})
    assert conflict.status_code == 409 and conflict.json()["result_url"] == reverse(
        "attempt_result", args=[attempt.pk]
    )


# --- The quiz page's states ----------------------------------------------------------------------


def test_quiz_page_offers_start_then_resume_with_the_time_left(client, setting):
    *_, quiz, questions, doctor = setting
    client.force_login(doctor)
    html = client.get(reverse("quiz_detail", args=[quiz.pk])).content.decode()
    assert "Start attempt 1" in html and f'action="{reverse("quiz_start", args=[quiz.pk])}"' in html
    assert "20 min" in html and "60%" in html and "0 of 2 used" in html
    assert "after each attempt you see the correct answers" in html.lower()

    attempt_start(learner=doctor, quiz=quiz, now=timezone.now() - datetime.timedelta(minutes=5, seconds=30))
    html = client.get(reverse("quiz_detail", args=[quiz.pk])).content.decode()
    assert "Resume attempt" in html and "Start attempt" not in html
    left = re.search(r"Time left:</span> (\d+) min(?: (\d+) s)?", html)
    assert left and 14 * 60 <= int(left.group(1)) * 60 + int(left.group(2) or 0) <= 14 * 60 + 30


def test_quiz_page_after_passing_and_when_attempts_are_used_up(client, setting):
    run, _, quiz, questions, doctor = setting
    client.force_login(doctor)
    for _ in range(2):
        attempt = attempt_start(learner=doctor, quiz=quiz)
        attempt_submit(attempt=attempt, learner=doctor, answers=_answers(attempt, questions, right=0))
    html = client.get(reverse("quiz_detail", args=[quiz.pk])).content.decode()
    assert "You have used all 2 attempts — contact the academy" in html
    assert "mailto:academy@ipsc.example.org" in html
    assert "Start attempt" not in html
    # Starting anyway is refused with a message.
    response = client.post(reverse("quiz_start", args=[quiz.pk]), follow=True)
    assert "Please contact the academy" in response.content.decode()
    assert Attempt.objects.filter(learner=doctor).count() == 2

    # An extra attempt from the academy, then a pass.
    enrolment = Attempt.objects.filter(learner=doctor).first().enrolment
    attempt_grant_extra(quiz=quiz, enrolment=enrolment, granted_by=None, reason="Revisited the module")
    assert "Start attempt 3" in client.get(reverse("quiz_detail", args=[quiz.pk])).content.decode()
    attempt = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(attempt=attempt, learner=doctor, answers=_answers(attempt, questions, right=3))
    html = client.get(reverse("quiz_detail", args=[quiz.pk])).content.decode()
    assert "You passed this assessment" in html and "100%" in html
    course_html = client.get(run.course.url).content.decode()
    assert "Passed" in course_html


# --- Who may see a quiz ------------------------------------------------------------------------


def test_learner_without_enrolment_gets_the_locked_page(client, setting):
    run, _, quiz, questions, _ = setting
    outsider = learner()
    client.force_login(outsider)
    response = client.get(reverse("quiz_detail", args=[quiz.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "for enrolled learners" in html and run.course.url in html
    assert "Stem number" not in html
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    assert response.status_code == 302
    assert not Attempt.objects.filter(learner=outsider).exists()


def test_unpublished_quiz_is_not_found(client, setting):
    *_, quiz, questions, doctor = setting
    quiz.live = False
    quiz.save()
    client.force_login(doctor)
    assert client.get(reverse("quiz_detail", args=[quiz.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, setting):
    *_, quiz, questions, doctor = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    login = reverse("account_login")
    for method, url in [
        ("get", reverse("quiz_detail", args=[quiz.pk])),
        ("post", reverse("quiz_start", args=[quiz.pk])),
        ("get", reverse("attempt_take", args=[attempt.pk])),
        ("post", reverse("attempt_autosave", args=[attempt.pk])),
        ("get", reverse("attempt_result", args=[attempt.pk])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url
    assert not Attempt.objects.exclude(pk=attempt.pk).exists()


# --- Staff screens ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_statistics_page_shows_figures_chart_and_flags(admin_client, setting):
    run, _, quiz, questions, _ = setting
    # Everyone gets the first question right: it is flagged as too easy.
    for right in (1, 1, 2, 3, 3):
        doctor = learner()
        enrolment_create(learner=doctor, run=run)
        attempt = attempt_start(learner=doctor, quiz=quiz)
        attempt_submit(attempt=attempt, learner=doctor, answers=_answers(attempt, questions, right))
    response = admin_client.get(reverse("wagtailsnippets_quizzes_quiz:statistics", args=[quiz.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Graded attempts" in html and ">5<" in html
    assert "quiz-stats-chart" in html and "<figcaption" in html and "Score band" in html
    csv_url = reverse("wagtailsnippets_quizzes_quiz:statistics", args=[quiz.pk]) + "?export=csv"
    assert csv_url in html
    assert "Too easy" in html and "Does not discriminate" in html and 'class="is-flagged"' in html
    assert "Correct: </span>Pregabalin" in html
    csv = admin_client.get(csv_url)
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")


def test_statistics_page_without_attempts_says_so(admin_client, setting):
    *_, quiz, questions, _ = setting
    html = admin_client.get(
        reverse("wagtailsnippets_quizzes_quiz:statistics", args=[quiz.pk])
    ).content.decode()
    assert "No graded attempts yet" in html and "quiz-stats-chart" not in html


def test_grant_extra_attempt_form(admin_client, setting):
    *_, quiz, questions, doctor = setting
    attempt = attempt_start(learner=doctor, quiz=quiz)
    attempt_submit(attempt=attempt, learner=doctor, answers=_answers(attempt, questions, right=0))
    url = reverse("quizzes_attempt:grant_extra", args=[attempt.pk])
    html = admin_client.get(url).content.decode()
    assert "Grant extra attempt" in html and doctor.display_name in html
    response = admin_client.post(url, {"extra": "1", "reason": ""})
    assert response.status_code == 200 and not ExtraAttemptGrant.objects.exists()
    response = admin_client.post(url, {"extra": "1", "reason": "Sat the exam while unwell"})
    assert response.status_code == 302
    assert ExtraAttemptGrant.objects.get().reason == "Sat the exam while unwell"


def test_previews_show_the_learner_view_then_the_key(setting):
    _, _, quiz, questions, _ = setting
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    question = questions[0]
    html = question.serve_preview(request, question.default_preview_mode).render().content.decode()
    learner_part, author_part = html.split("For authors", 1)
    assert "Stem number 1" in learner_part and 'type="radio"' in learner_part
    assert (
        FEEDBACK not in learner_part
        and EXPLANATION not in learner_part
        and "Correct answer" not in learner_part
    )
    assert (
        f"{FEEDBACK}-1" in author_part
        and f"{EXPLANATION}-1" in author_part
        and "Correct answer" in author_part
    )

    html = quiz.serve_preview(request, quiz.default_preview_mode).render().content.decode()
    assert "Neuropathic pain check" in html and "Pass mark" in html
    for i in (1, 2, 3):
        assert f"Stem number {i}" in html and f"{EXPLANATION}-{i}" in html


def test_staff_without_permission_cannot_see_statistics(client, setting):
    *_, quiz, questions, _ = setting
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(reverse("wagtailsnippets_quizzes_quiz:statistics", args=[quiz.pk])).status_code in (
        302,
        403,
    )
