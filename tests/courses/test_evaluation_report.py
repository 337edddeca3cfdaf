"""The course evaluation report in the admin: Likert distributions (SVG with tables), the mean
per item, free-text answers, a CSV; per run and per course, for those who may read it."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from courses.evaluations import SCALE, TEXT, evaluation_question, form_builder_options, summarise_evaluation
from courses.models import EvaluationSubmission
from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS
from tests.courses.factories import CourseRunFactory, EnrolmentFactory, evaluation_page
from tests.factories import UserFactory, learner
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db

RELEVANT = "the_course_was_relevant_to_my_practice"
BIAS = "the_course_was_free_of_commercial_bias"
CHANGE = "what_will_you_change_in_your_practice"


def staff(*roles):
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def submit(page, run, answers):
    enrolment = EnrolmentFactory(run=run, learner=learner())
    return EvaluationSubmission.objects.create(
        page=page, enrolment=enrolment, form_data=answers, submit_time=timezone.now()
    )


@pytest.fixture
def evaluated():
    run = CourseRunFactory(label="March 2027")
    other = CourseRunFactory(course=run.course, starts_on=run.starts_on.replace(year=run.starts_on.year - 1))
    page = evaluation_page(run.course)
    submit(page, run, {RELEVANT: "Agree", BIAS: "Strongly agree", CHANGE: "Offer blocks earlier."})
    submit(page, run, {RELEVANT: "Strongly agree", BIAS: "Neutral", CHANGE: '=HYPERLINK("http://x")'})
    submit(page, run, {RELEVANT: "Disagree", BIAS: "Strongly agree", CHANGE: ""})
    submit(page, other, {RELEVANT: "Strongly disagree", BIAS: "Agree", CHANGE: "Last year's run."})
    return run, other, page


def run_url(run, csv_export=False):
    url = reverse("courses_courserun:evaluation", args=[run.pk])
    return f"{url}?export=csv" if csv_export else url


@pytest.mark.parametrize(
    "choices",
    [
        "Strongly disagree\nDisagree\nNeutral\nAgree\nStrongly agree",
        "  Poor,\n Fair ,\r\nGood\n\n  Excellent  \n",
        "Yes, No,  Not sure ",
        "One option only",
        "Low, moderate\nHigh",  # lines win: the comma is part of the first option
        "",
        " , ,",
    ],
)
def test_the_report_splits_options_as_the_form_builder_offers_them(choices):
    from types import SimpleNamespace

    from wagtail.contrib.forms.forms import FormBuilder

    offered = [
        value for value, _ in FormBuilder([]).get_formatted_field_choices(SimpleNamespace(choices=choices))
    ]
    assert form_builder_options(choices) == tuple(option for option in offered if option)


def test_the_summary_counts_scales_means_and_free_text():
    likert = "Strongly disagree\nDisagree\nNeutral\nAgree\nStrongly agree"
    questions = [
        evaluation_question(key="r", label="Relevant", field_type="radio", choices=likert),
        evaluation_question(key="c", label="Change", field_type="multiline", choices=""),
        evaluation_question(
            key="m", label="Formats", field_type="checkboxes", choices="Video, Cases, Quizzes"
        ),
    ]
    assert questions[0].kind == SCALE and len(questions[0].options) == 5 and questions[1].kind == TEXT
    items = summarise_evaluation(
        questions,
        [
            ({"r": "Agree", "c": "More cases", "m": ["Video", "Cases"]}, "A"),
            ({"r": "Strongly agree", "c": " ", "m": ["Cases"]}, "A"),
            ({"r": "Very much", "m": []}, "B"),  # an option removed since: counted apart, not in the mean
            ({}, "B"),
        ],
    )
    relevant, change, formats = items
    assert relevant.responses == 3 and relevant.no_longer_offered == 1
    assert relevant.mean == pytest.approx(4.5)  # Agree = 4, Strongly agree = 5
    assert [o.count for o in relevant.options] == [0, 0, 0, 1, 1]
    assert [a.text for a in change.answers] == ["More cases"] and change.responses == 1
    assert [(o.label, o.count) for o in formats.options] == [("Video", 1), ("Cases", 2), ("Quizzes", 0)]
    assert formats.mean is None


@pytest.mark.parametrize("role", [FACULTY_AUTHORS, BOARD, ADMINISTRATORS])
def test_the_faculty_read_a_runs_report(client, evaluated, role):
    run, other, page = evaluated
    client.force_login(staff(role))
    response = client.get(run_url(run))
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 evaluations submitted" in body
    assert f'data-evaluation-mean="{RELEVANT}">3.67<' in body  # 4, 5, 2
    assert f'data-evaluation-count="{BIAS}:Strongly agree">2<' in body
    assert "Offer blocks earlier." in body and "Last year&#x27;s run." not in body
    assert "<svg" in body and 'role="img"' in body and "<figcaption" in body
    assert "?export=csv" in body

    course = client.get(reverse("courses_courserun:course_evaluation", args=[run.course_id]))
    body = course.content.decode()
    assert "4 evaluations submitted" in body and "Last year&#x27;s run." in body
    assert f'data-evaluation-mean="{RELEVANT}">3.00<' in body  # 4, 5, 2, 1
    assert run_url(run) in body and run_url(other) in body


def test_the_csv_escapes_formula_looking_answers(client, evaluated):
    run, _, _ = evaluated
    client.force_login(staff(FACULTY_AUTHORS))
    response = client.get(run_url(run, csv_export=True))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="evaluation-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Question" and len(rows[0]) == 7
    texts = [row[2] for row in rows if row[1] == "Free text"]
    assert texts == ["Offer blocks earlier.", '\'=HYPERLINK("http://x")']
    mean = next(
        row for row in rows if row[0] == "The course was relevant to my practice" and row[2] == "Mean"
    )
    assert mean[4] == "3" and mean[6] == "3.67"
    agree = next(
        row for row in rows if row[0] == "The course was relevant to my practice" and row[2] == "Agree"
    )
    assert agree[4:6] == ["1", "33.3"]


def test_only_those_who_may_read_evaluations_open_it(client, evaluated):
    run, _, _ = evaluated
    client.force_login(UserFactory(is_staff=True))
    assert client.get(run_url(run)).status_code in (302, 403)
    assert client.get(run_url(run, csv_export=True)).status_code in (302, 403)
    client.force_login(learner())
    assert client.get(run_url(run)).status_code == 302
    client.force_login(staff(FACULTY_AUTHORS))
    assert client.get(reverse("courses_courserun:course_evaluation", args=[99999])).status_code == 404


def test_the_query_count_does_not_grow_with_submissions(client):
    def report_queries(count: int) -> int:
        run = CourseRunFactory()
        page = evaluation_page(run.course)
        for n in range(count):
            submit(page, run, {RELEVANT: "Agree", BIAS: "Neutral", CHANGE: f"Answer {n}"})
        client.get(run_url(run))
        with count_queries() as captured:
            assert client.get(run_url(run)).status_code == 200
        return len(captured)

    client.force_login(staff(FACULTY_AUTHORS))
    assert report_queries(1) == report_queries(25)


def test_the_faculty_reach_the_report_from_the_course_page_without_listing_runs(client, evaluated):
    run, _, _ = evaluated
    report = reverse("courses_courserun:course_evaluation", args=[run.course_id])
    client.force_login(staff(FACULTY_AUTHORS))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[run.course_id])).content.decode()
    assert report in edit
    assert client.get(report).status_code == 200
    client.force_login(UserFactory(is_staff=True))
    assert client.get(report).status_code in (302, 403)
