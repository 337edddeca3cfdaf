"""The assessment admin's screens: item statistics (page, CSV and XLSX) for the faculty,
and extra attempts offered only where a quiz has a limit to raise."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses.services import enrolment_create
from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS
from quizzes.exceptions import AttemptLimitError
from quizzes.models import ExtraAttemptGrant
from quizzes.services import attempt_grant_extra, attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz, wrong_ids

pytestmark = pytest.mark.django_db

CSV_HEADER = [
    "question_id",
    "question",
    "attempts",
    "facility",
    "sd",
    "discrimination",
    "flags",
    "choice_picks",
    "versions",
]


def staff(*roles):
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def graded_attempts(*, attempts_allowed: int = 2, results=(True, False, False)):
    """A final assessment of one question and one graded attempt per result (right or wrong)."""
    run = CourseRunFactory()
    ModulePageFactory(parent=run.course)
    question = make_question(stem="Which is first-line for neuropathic pain?")
    quiz = make_quiz(run.course, questions=[question], attempts_allowed=attempts_allowed, title="Final check")
    attempts = []
    for right in results:
        doctor = learner()
        enrolment_create(learner=doctor, run=run)
        attempt = attempt_start(learner=doctor, quiz=quiz)
        attempt_submit(
            attempt=attempt, learner=doctor, answers={1: (correct_ids if right else wrong_ids)(question)}
        )
        attempts.append(attempt)
    return quiz, question, attempts


def test_the_statistics_export_keeps_its_columns_and_figures_in_csv_and_xlsx(client):
    quiz, question, _ = graded_attempts()
    client.force_login(staff(FACULTY_AUTHORS))
    statistics = reverse("wagtailsnippets_quizzes_quiz:statistics", args=[quiz.pk])

    response = client.get(statistics, {"export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="item-analysis-final-check.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == CSV_HEADER
    (row,) = rows[1:]
    assert row[0] == str(question.pk) and row[1].startswith("Which is first-line")
    assert row[2:4] == ["3", "0.3333"]  # one right out of three, to four places
    assert "Pregabalin (correct): 1" in row[7] and "Paracetamol: 2" in row[7]

    response = client.get(statistics, {"export": "xlsx"})
    assert response["Content-Disposition"].endswith('filename="item-analysis-final-check.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, values = list(sheet.iter_rows(values_only=True))
    assert list(header) == CSV_HEADER
    assert values[0] == str(question.pk) and values[2] == 3 and values[3] == pytest.approx(1 / 3)


def test_the_statistics_csv_escapes_formula_looking_text_but_not_negative_figures(client):
    run = CourseRunFactory()
    ModulePageFactory(parent=run.course)
    question = make_question(stem='=HYPERLINK("http://example.org","Pregabalin")')
    quiz = make_quiz(run.course, questions=[question], title="Final check")
    for right in (True, False):
        doctor = learner()
        enrolment_create(learner=doctor, run=run)
        attempt = attempt_start(learner=doctor, quiz=quiz)
        attempt_submit(
            attempt=attempt, learner=doctor, answers={1: (correct_ids if right else wrong_ids)(question)}
        )
    client.force_login(staff(FACULTY_AUTHORS))

    response = client.get(
        reverse("wagtailsnippets_quizzes_quiz:statistics", args=[quiz.pk]), {"export": "csv"}
    )

    (row,) = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))[1:]
    assert row[1].startswith("'=HYPERLINK(")
    assert row[2:4] == ["2", "0.5000"]


@pytest.mark.parametrize(
    ("roles", "may_edit"),
    [((FACULTY_AUTHORS,), True), ((BOARD,), True), ((ADMINISTRATORS,), False)],
)
def test_the_faculty_and_administrators_see_statistics_only_editors_get_edit_links(client, roles, may_edit):
    quiz, question, _ = graded_attempts()
    client.force_login(staff(*roles))
    statistics = reverse("wagtailsnippets_quizzes_quiz:statistics", args=[quiz.pk])

    inspect = client.get(reverse("wagtailsnippets_quizzes_quiz:inspect", args=[quiz.pk])).content.decode()
    page = client.get(statistics).content.decode()

    assert statistics in inspect
    assert "Statistics: Final check" in page and "Graded attempts" in page
    assert f"{statistics}?export=csv" in page and f"{statistics}?export=xlsx" in page
    versions = reverse("wagtailsnippets_quizzes_quiz:attempt_versions", args=[quiz.pk])
    assert f"{versions}?export=csv" in page
    assert (reverse("wagtailsnippets_quizzes_quiz:edit", args=[quiz.pk]) in page) is may_edit
    assert (reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]) in page) is may_edit


@pytest.mark.parametrize(("attempts_allowed", "offered"), [(2, True), (0, False)])
def test_an_extra_attempt_is_offered_only_at_a_quiz_with_a_limit(client, attempts_allowed, offered):
    quiz, _, (attempt, *_) = graded_attempts(attempts_allowed=attempts_allowed, results=(False,))
    client.force_login(staff(ADMINISTRATORS))
    grant = reverse("quizzes_attempt:grant_extra", args=[attempt.pk])
    entries = ModelLogEntry.objects.count()

    inspect = client.get(reverse("quizzes_attempt:inspect", args=[attempt.pk])).content.decode()
    listing = client.get(reverse("quizzes_attempt:list")).content.decode()
    screen = client.get(grant).content.decode()
    response = client.post(grant, {"extra": "1", "reason": "Unwell on the day"})

    assert (grant in inspect) is offered and (grant in listing) is offered
    if offered:
        assert attempt.learner.display_name in screen and "Grant extra attempt" in screen
        assert response.status_code == 302 and ExtraAttemptGrant.objects.get().extra_attempts == 1
    else:
        for page in (screen, response.content.decode()):
            assert "“Final check” allows unlimited attempts: there is no limit to raise." in page
            assert "Grant extra attempt" not in page
        assert not ExtraAttemptGrant.objects.exists() and ModelLogEntry.objects.count() == entries


def test_the_service_refuses_an_extra_attempt_at_a_quiz_without_a_limit():
    quiz, _, (attempt, *_) = graded_attempts(attempts_allowed=0, results=(False,))
    with pytest.raises(AttemptLimitError, match="allows unlimited attempts"):
        attempt_grant_extra(quiz=quiz, enrolment=attempt.enrolment, granted_by=None, reason="Unwell")
    assert not ExtraAttemptGrant.objects.exists()
