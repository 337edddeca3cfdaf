"""Every JSON endpoint refuses bad bodies with a message and changes nothing (lms.http.json_body).

The endpoints: quiz autosave (learners) and the Content-Security-Policy report sink
(browsers, anonymous).
"""

import json
import logging

import pytest
from django.urls import reverse

from courses.services import enrolment_create
from quizzes.models import AttemptQuestion
from quizzes.services import attempt_start
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt_in_progress(client):
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course, title="Facet joint pain")
    questions = [make_question(stem=f"Question {i}?") for i in range(1, 4)]
    quiz = make_quiz(run.course, questions=questions, module=module, title="Facet check")
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    attempt = attempt_start(learner=doctor, quiz=quiz)
    client.force_login(doctor)
    positions = {aq.question_id: aq.position for aq in attempt.questions.all()}
    return attempt, [(positions[q.pk], q) for q in questions]


def _selected(attempt):
    return {aq.position: list(aq.selected) for aq in AttemptQuestion.objects.filter(attempt=attempt)}


def _post(client, attempt, body: bytes | str, content_type="application/json", **extra):
    return client.post(
        reverse("attempt_autosave", args=[attempt.pk]), data=body, content_type=content_type, **extra
    )


def test_a_valid_autosave_still_saves(client, attempt_in_progress):
    attempt, questions = attempt_in_progress
    position, question = questions[0]
    response = _post(client, attempt, json.dumps({"answers": {str(position): correct_ids(question)}}))
    assert response.status_code == 200 and response.json()["saved"] is True
    assert _selected(attempt)[position] == correct_ids(question)


def test_a_2_kb_deeply_nested_body_is_a_400_with_a_message_not_a_recursion_error(client, attempt_in_progress):
    attempt, _ = attempt_in_progress
    before = _selected(attempt)
    body = "[" * 1024 + "]" * 1024  # 2 KB: enough for json.loads to raise RecursionError
    assert len(body) == 2048
    response = _post(client, attempt, body)
    assert response.status_code == 400
    assert response.json() == {
        "saved": False,
        "error": "The data sent is nested too deeply (the limit is 3 levels).",
    }
    assert _selected(attempt) == before

    nested_in_answers = '{"answers": {"1": ' + "[" * 900 + "]" * 900 + "}}"
    response = _post(client, attempt, nested_in_answers)
    assert response.status_code == 400 and "nested too deeply" in response.json()["error"]
    assert _selected(attempt) == before


def test_brackets_inside_strings_do_not_count_as_nesting(client, attempt_in_progress):
    attempt, questions = attempt_in_progress
    position, _ = questions[0]
    response = _post(client, attempt, json.dumps({"answers": {str(position): ['[[[[[{{{{{\\"]]]']}}))
    # Parsed (not refused for depth): the forged choice id is then refused by the service.
    assert response.status_code == 400 and "nested" not in response.json()["error"]


def test_an_oversized_body_is_a_413_with_a_message_and_saves_nothing(client, attempt_in_progress):
    attempt, questions = attempt_in_progress
    position, question = questions[0]
    before = _selected(attempt)
    padding = "x" * (40 * 1024)
    body = json.dumps({"answers": {str(position): correct_ids(question)}, "padding": padding})
    response = _post(client, attempt, body)
    assert response.status_code == 413
    assert response.json() == {"saved": False, "error": "The data sent is too large (the limit is 32 KB)."}
    assert _selected(attempt) == before


def test_a_body_over_the_site_wide_limit_is_refused_before_it_is_read(client, attempt_in_progress, settings):
    attempt, _ = attempt_in_progress
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = _post(client, attempt, '{"answers": {}}', CONTENT_LENGTH="10000000")
    assert response.status_code == 413 and "too large" in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            '{"answers": {"1": ["a"]}}',
            "text/plain",
            "Send the data as JSON (Content-Type: application/json).",
        ),
        ("answers=1", "application/x-www-form-urlencoded", "Send the data as JSON"),
        ("  \n ", "application/json", "The request has no data."),
        (b'{"answers": {"1": ["\xff\xfe"]}}', "application/json", "The data sent is not valid UTF-8 text."),
        ('{"answers": {"1": [NaN]}}', "application/json", "The data sent is not valid JSON."),
        ('{"answers": {"1": ["a"]', "application/json", "The data sent is not valid JSON."),
        ('"just a string"', "application/json", "Malformed answer: expected"),
        ('{"answers": null}', "application/json", "Malformed answer: expected"),
        ('{"answers": {"1": "abc"}}', "application/json", "each question's answer is a list"),
        ('{"answers": {"1": {"a": 1}}}', "application/json", "each question's answer is a list"),
        ('{"answers": {"1": [true]}}', "application/json", "each question's answer is a list"),
        ('{"answers": {"1": [null]}}', "application/json", "each question's answer is a list"),
        ('{"answers": {"1": [1.5]}}', "application/json", "each question's answer is a list"),
        ('{"answers": {"1": [["a"]]}}', "application/json", "nested too deeply"),
        ('{"answers": {"1_0": ["a"]}}', "application/json", "questions are numbered"),
        ('{"answers": {"-1": ["a"]}}', "application/json", "questions are numbered"),
        ('{"answers": {"\u0661": ["a"]}}', "application/json", "questions are numbered"),
        ('{"answers": {"99999": ["a"]}}', "application/json", "questions are numbered"),
        ('{"answers": {"1": ["' + "9" * 65 + '"]}}', "application/json", "each question's answer is a list"),
    ],
)
def test_wrong_types_and_malformed_bodies_are_400_with_a_message_and_save_nothing(
    client, attempt_in_progress, body, content_type, message
):
    attempt, _ = attempt_in_progress
    before = _selected(attempt)
    response = _post(client, attempt, body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["saved"] is False
    assert message in response.json()["error"]
    assert _selected(attempt) == before


def test_one_bad_entry_saves_none_of_the_good_ones(client, attempt_in_progress):
    attempt, questions = attempt_in_progress
    (first, question), (second, _), _ = questions
    before = _selected(attempt)
    body = json.dumps({"answers": {str(first): correct_ids(question), str(second): "not-a-list"}})
    assert _post(client, attempt, body).status_code == 400
    assert _selected(attempt) == before


# --- The CSP report sink ------------------------------------------------------------------------

REPORT = {
    "csp-report": {
        "document-uri": "https://academy.example.org/courses/",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
    }
}


def test_a_csp_report_is_logged_and_answered_204(client, caplog):
    with caplog.at_level(logging.WARNING, logger="lms.views"):
        response = client.post("/csp-report/", data=json.dumps(REPORT), content_type="application/csp-report")
    assert response.status_code == 204
    assert "script-src-elem blocked inline on https://academy.example.org/courses/" in caplog.text


def test_a_reporting_api_batch_is_logged_too(client, caplog):
    batch = [
        {
            "type": "csp-violation",
            "body": {
                "effectiveDirective": "img-src",
                "blockedURL": "https://x.test/a.png",
                "documentURL": "https://academy.example.org/",
            },
        }
    ]
    with caplog.at_level(logging.WARNING, logger="lms.views"):
        response = client.post(
            "/csp-report/", data=json.dumps(batch), content_type="application/reports+json"
        )
    assert response.status_code == 204
    assert "img-src blocked https://x.test/a.png" in caplog.text


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("[" * 600 + "]" * 600, "application/csp-report", 400),
        (json.dumps({"csp-report": {"blocked-uri": "x" * 9000}}), "application/csp-report", 413),
        ("not json", "application/csp-report", 400),
        (json.dumps(REPORT), "text/html", 400),
    ],
)
def test_a_malformed_csp_report_is_refused_and_not_logged(client, caplog, body, content_type, status):
    with caplog.at_level(logging.WARNING, logger="lms.views"):
        response = client.post("/csp-report/", data=body, content_type=content_type)
    assert response.status_code == status and response.json()["error"]
    assert "Content-Security-Policy violation" not in caplog.text


def test_csp_reports_are_limited_per_client(client):
    for _ in range(30):
        assert (
            client.post(
                "/csp-report/", data=json.dumps(REPORT), content_type="application/csp-report"
            ).status_code
            == 204
        )
    assert (
        client.post(
            "/csp-report/", data=json.dumps(REPORT), content_type="application/csp-report"
        ).status_code
        == 429
    )
    other = client.post(
        "/csp-report/",
        data=json.dumps(REPORT),
        content_type="application/csp-report",
        REMOTE_ADDR="198.51.100.9",
    )
    assert other.status_code == 204


def test_a_nul_character_in_a_choice_id_is_refused_not_a_500(client, attempt_in_progress):
    attempt, questions = attempt_in_progress
    position, _ = questions[0]
    before = _selected(attempt)
    response = _post(client, attempt, '{"answers": {"' + str(position) + '": ["1\\u0000"]}}')
    assert response.status_code == 400 and response.json()["error"]
    assert _selected(attempt) == before
