"""Assessments over the API: the same no-leak rules as the pages, and another learner's attempt is 404."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from courses.services import enrolment_create
from quizzes.models import Attempt, ReviewPolicy
from tests.courses.factories import CourseRunFactory
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz, wrong_ids

pytestmark = pytest.mark.django_db

FEEDBACK = "Zq7-FEEDBACK-MARK"
EXPLANATION = "Zq7-EXPLANATION-MARK"
TELLTALES = ("is_correct", "feedback", "explanation", FEEDBACK, EXPLANATION)


def _put(client, path, data):
    return client.put(path, json.dumps(data), content_type="application/json")


def _post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def setting(doctor):
    run = CourseRunFactory()  # no modules: passing the final assessment completes the course
    questions = [
        make_question(stem=f"Stem {i}", feedback=f"{FEEDBACK}-{i}", explanation=f"<p>{EXPLANATION}-{i}</p>")
        for i in (1, 2)
    ]
    quiz = make_quiz(
        run.course,
        questions=questions,
        pass_mark_percent=Decimal("50"),
        review_policy=ReviewPolicy.AFTER_PASSING,
        time_limit_minutes=20,
    )
    enrolment_create(learner=doctor, run=run)
    return quiz, questions


def _assert_no_leak(response):
    text = response.content.decode()
    for telltale in TELLTALES:
        assert telltale not in text, telltale


def test_start_save_submit_and_review_after_passing(doctor_client, setting):
    quiz, (q1, q2) = setting
    started = doctor_client.post(f"/api/v1/assessments/{quiz.pk}/attempts")
    assert started.status_code == 201, started.content
    _assert_no_leak(started)
    attempt = started.json()
    assert [q["position"] for q in attempt["questions"]] == [1, 2]
    assert attempt["seconds_left"] > 0
    path = f"/api/v1/attempts/{attempt['id']}"

    saved = _put(doctor_client, f"{path}/answers", {"answers": {"1": correct_ids(q1)}})
    assert saved.status_code == 200 and saved.json()["saved"] is True
    _assert_no_leak(saved)
    shown = doctor_client.get(path)
    _assert_no_leak(shown)
    assert shown.json()["questions"][0]["answered"] is True

    in_progress = doctor_client.get(f"{path}/result")
    assert in_progress.status_code == 409
    assert "still in progress" in in_progress.json()["detail"]

    result = _post(doctor_client, f"{path}/submit", {"answers": {"2": correct_ids(q2)}})
    assert result.status_code == 200
    body = result.json()
    assert body["passed"] is True and Decimal(body["score_percent"]) == 100
    assert body["course_completed"] is True
    assert FEEDBACK in result.content.decode()  # the policy allows review after passing
    assert {c["is_correct"] for c in body["review"][0]["choices"]} == {True, False}
    # Submitting again changes nothing and says the same.
    again = _post(doctor_client, f"{path}/submit", {})
    assert again.json()["score_percent"] == body["score_percent"]
    closed = _put(doctor_client, f"{path}/answers", {"answers": {"1": wrong_ids(q1)}})
    assert closed.status_code == 409
    assert closed.json()["detail"] == "This attempt has already been submitted."


def test_a_failed_attempt_shows_no_key_when_review_is_only_after_passing(doctor_client, setting):
    quiz, (q1, q2) = setting
    attempt = doctor_client.post(f"/api/v1/assessments/{quiz.pk}/attempts").json()
    result = _post(
        doctor_client, f"/api/v1/attempts/{attempt['id']}/submit", {"answers": {"1": wrong_ids(q1)}}
    )
    assert result.json()["passed"] is False
    assert result.json()["review"] is None
    for telltale in (FEEDBACK, EXPLANATION):
        assert telltale not in result.content.decode()
    stored = doctor_client.get(f"/api/v1/attempts/{attempt['id']}/result")
    assert stored.json()["review"] is None


@pytest.mark.parametrize(
    ("answers", "status", "message"),
    [
        ({"9": ["1"]}, 409, "That question is not part of this attempt."),
        ({"1": ["not-a-choice"]}, 409, "Question 1: that choice is not one of the options."),
        ({"x": ["1"]}, 422, "body.data.answers.x"),
        ({"1": "17"}, 422, "body.data.answers.1"),
    ],
)
def test_invalid_answers_are_refused_readably_and_save_nothing(
    doctor_client, setting, answers, status, message
):
    quiz, _ = setting
    attempt = doctor_client.post(f"/api/v1/assessments/{quiz.pk}/attempts").json()
    response = _put(doctor_client, f"/api/v1/attempts/{attempt['id']}/answers", {"answers": answers})
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert not any(q.selected for q in Attempt.objects.get(pk=attempt["id"]).questions.all())


def test_another_learners_attempt_is_404(doctor_client, setting):
    quiz, (q1, _) = setting
    colleague = learner()
    enrolment_create(learner=colleague, run=quiz.course.runs.get())
    theirs = Client()
    theirs.force_login(colleague)
    attempt_id = theirs.post(f"/api/v1/assessments/{quiz.pk}/attempts").json()["id"]
    for response in (
        doctor_client.get(f"/api/v1/attempts/{attempt_id}"),
        _put(doctor_client, f"/api/v1/attempts/{attempt_id}/answers", {"answers": {"1": correct_ids(q1)}}),
        _post(doctor_client, f"/api/v1/attempts/{attempt_id}/submit", {}),
        doctor_client.get(f"/api/v1/attempts/{attempt_id}/result"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"] == "You have no attempt with this id."
    assert Attempt.objects.get(pk=attempt_id).is_in_progress


def test_an_unenrolled_doctor_cannot_start(setting):
    quiz, _ = setting
    stranger = Client()
    stranger.force_login(learner())
    response = stranger.post(f"/api/v1/assessments/{quiz.pk}/attempts")
    assert response.status_code == 409
    assert "Only learners enrolled in a current run" in response.json()["detail"]
    assert stranger.post("/api/v1/assessments/999999/attempts").status_code == 404


def test_assessments_of_an_enrolment_show_my_standing(doctor_client, doctor, setting):
    quiz, _ = setting
    enrolment = doctor.enrolments.get()
    (row,) = doctor_client.get(f"/api/v1/enrolments/{enrolment.pk}/assessments").json()
    assert row["id"] == quiz.pk and row["attempts_used"] == 0 and row["passed"] is False
