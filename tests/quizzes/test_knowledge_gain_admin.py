"""Knowledge gain in the admin: a pre-test's screen compares it with the course's post-test,
per run and for every run, overall and per objective (question tag), with a chart and a CSV."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from courses.services import enrolment_create, module_complete
from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS
from quizzes.models import QuizRole
from quizzes.services import attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz, wrong_ids
from tests.quizzes.test_admin_actions import staff
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


class Course:
    """A course with two runs, a pre-test and a post-test of the same two tagged questions."""

    def __init__(self):
        self.run1 = CourseRunFactory(label="=HYPERLINK(1)")  # a formula-looking label, for the CSV
        self.run2 = CourseRunFactory(
            course=self.run1.course,
            starts_on=self.run1.starts_on - datetime.timedelta(days=1),
            ends_on=self.run1.ends_on,
            label="Second run",
        )
        self.module = ModulePageFactory(parent=self.run1.course)
        self.prp = make_question(stem="PRP preparation", tags=["PRP"])
        self.opioids = make_question(stem="Opioid conversion", tags=["opioids"])
        course = self.run1.course
        self.pre = make_quiz(
            course, questions=[self.prp, self.opioids], title="Pre-test", role=QuizRole.PRE_TEST
        )
        self.post = make_quiz(
            course,
            questions=[self.prp, self.opioids],
            title="Post-test",
            role=QuizRole.FINAL,
            attempts_allowed=3,
        )

    def sit(self, doctor, quiz, prp_right: bool, opioids_right: bool):
        attempt = attempt_start(learner=doctor, quiz=quiz)
        answers = {
            1: (correct_ids if prp_right else wrong_ids)(self.prp),
            2: (correct_ids if opioids_right else wrong_ids)(self.opioids),
        }
        return attempt_submit(attempt=attempt, learner=doctor, answers=answers)

    def learner(self, run, pre=None, posts=()):
        doctor = learner()
        enrolment_create(learner=doctor, run=run)
        module_complete(learner=doctor, module=self.module)
        if pre is not None:
            self.sit(doctor, self.pre, *pre)
        for post in posts:
            self.sit(doctor, self.post, *post)
        return doctor


@pytest.fixture
def course():
    course = Course()
    course.learner(course.run1, pre=(False, False), posts=[(True, True)])  # 0 → 100
    course.learner(
        course.run1, pre=(True, False), posts=[(True, False), (True, True)]
    )  # 50 → 50 (first attempt)
    course.learner(course.run2, pre=(True, False))  # no post-test: not counted
    course.learner(course.run2, pre=(True, False), posts=[(True, True)])  # 50 → 100
    return course


def url(quiz, **query):
    base = reverse("wagtailsnippets_quizzes_quiz:knowledge_gain", args=[quiz.pk])
    return f"{base}?export=csv" if query.get("csv") else base


def test_the_faculty_see_the_gain_per_run_and_per_objective(client, course):
    client.force_login(staff(FACULTY_AUTHORS))
    page = client.get(url(course.pre))
    assert page.status_code == 200
    body = page.content.decode()
    # every run together: n = 3, gains 100, 0 and 50
    assert 'data-gain-n="All questions">3<' in body and 'data-gain="All questions">+50.0<' in body
    assert 'data-gain="PRP">+33.3<' in body  # 0→100, 100→100, 100→100
    assert 'data-gain="opioids">+66.7<' in body  # 0→100, 0→0, 0→100
    assert 'data-gain-n="Second run">1<' in body and 'data-gain="Second run">+50.0<' in body
    assert "<svg" in body and 'role="img"' in body and "figcaption" in body
    assert "— (needs two learners)" in body  # run 2 has one pair: no interval
    assert url(course.pre, csv=True) in body


def test_the_csv_holds_every_figure_with_formulas_escaped(client, course):
    client.force_login(staff(BOARD))
    response = client.get(url(course.pre, csv=True))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="knowledge-gain-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Run", "Objective (tag)", "Learners with both tests (n)"]
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    assert by_key[("All runs", "All questions")][2:8] == ["3", "33.33", "83.33", "50.00", "100.00", "50.00"]
    assert by_key[("All runs", "PRP")][7] == "33.33"
    first_run = by_key[("'=HYPERLINK(1)", "All questions")]  # the label is text, never a formula
    assert first_run[2] == "2" and first_run[7] == "50.00"
    assert float(first_run[8]) < 50 < float(first_run[9])
    assert ("=HYPERLINK(1)", "All questions") not in by_key


def test_only_a_pre_test_has_the_report_and_only_staff_who_may_see_quizzes_open_it(client, course):
    client.force_login(staff(ADMINISTRATORS))
    refused = client.get(url(course.post)).content.decode()
    assert "Knowledge gain compares a pre-test" in refused and "data-gain" not in refused
    inspect = client.get(
        reverse("wagtailsnippets_quizzes_quiz:inspect", args=[course.pre.pk])
    ).content.decode()
    assert url(course.pre) in inspect

    client.force_login(UserFactory(is_staff=True))  # in the admin, but no permission on quizzes
    response = client.get(url(course.pre))
    assert response.status_code in (302, 403)
    client.force_login(learner())
    assert client.get(url(course.pre, csv=True)).status_code == 302  # to the admin's log-in


def test_the_query_count_does_not_grow_with_learners_or_runs(client):
    small = Course()
    small.learner(small.run1, pre=(True, False), posts=[(True, True)])
    large = Course()
    for n in range(12):
        large.learner(
            large.run1 if n % 2 else large.run2, pre=(n % 3 == 0, False), posts=[(True, n % 2 == 0)]
        )
    client.force_login(staff(FACULTY_AUTHORS))

    def queries(quiz) -> int:
        client.get(url(quiz))
        with count_queries() as captured:
            assert client.get(url(quiz)).status_code == 200
        return len(captured)

    assert queries(small.pre) == queries(large.pre)
