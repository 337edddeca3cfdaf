"""The admin's enrolment list: the doctor as certificates print them, run, step and status,
filters by run, course, status and step, search, and a query count flat in the rows."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.models import Enrolment
from lms.roles import ADMINISTRATORS
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory
from tests.quizzes.factories import make_quiz
from tests.support.operations import populate_run
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db

LIST = "courses_enrolment:list"


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATORS))
    client.force_login(user)
    return client


def run_with(n: int):
    run = CourseRunFactory(capacity=n + 10)
    modules = [ModulePageFactory(parent=run.course) for _ in range(2)]
    quiz = make_quiz(run.course, title="Post-test", pass_mark_percent=Decimal("60"))
    enrolments = populate_run(run, n, modules=modules, quiz=quiz, prefix="list")
    run.modules, run.quiz = modules, quiz
    return run, enrolments


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def listing(html: str) -> str:
    """The listing table (not the keyboard-shortcuts dialog's)."""
    match = re.search(r'<table class="listing[^"]*".*?</table>', html, flags=re.S)
    return match.group(0) if match else ""


def headings(html: str) -> list[str]:
    head = listing(html).split("<tbody", 1)[0]
    return [text(cell) for cell in re.findall(r"<th[^>]*>.*?</th>", head, flags=re.S)]


def rows(html: str) -> list[str]:
    table = listing(html)
    if "<tbody" not in table:
        return []
    body = table.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [text("<tr" + row) for row in body.split("<tr")[1:]]


def test_the_list_shows_the_printed_name_council_number_run_step_and_status(admin_client):
    run, enrolments = run_with(10)
    html = admin_client.get(reverse(LIST)).content.decode()
    shown_headings = headings(html)
    for heading in ("Doctor", "Council", "Registration number", "Run", "Step", "Status"):
        assert any(h.startswith(heading) for h in shown_headings), (heading, shown_headings)
    shown = rows(html)
    assert len(shown) == 10
    never_started = enrolments[0]
    profile = never_started.learner.doctor_profile
    row = next(r for r in shown if profile.full_name in r)
    assert "Karnataka Medical Council" in row and profile.registration_number in row
    assert run.label in row and "Enrolled" in row
    assert "All modules done (0 of 2)" in row
    assert row.startswith(profile.full_name)  # the printed name, not the account's username
    assert not re.search(rf">\s*{re.escape(never_started.learner.username)}\s*<", listing(html))
    completed = next(r for r in shown if enrolments[5].learner.doctor_profile.full_name in r)
    assert "Completed" in completed
    # Manual enrol and withdraw are offered as before.
    assert reverse("courses_enrolment:enrol") in html


def test_filters_by_run_course_status_and_step(admin_client):
    run, enrolments = run_with(10)
    other_run, _ = run_with(10)

    def names(**params) -> set[str]:
        # Each row's title link names the doctor (its buttons follow it in the same cell).
        html = admin_client.get(reverse(LIST), params).content.decode()
        cells = re.findall(r'<td class="title">.*?<a [^>]*>(.*?)</a>', listing(html), flags=re.S)
        return {text(cell) for cell in cells}

    assert len(names(run=run.pk)) == 10
    assert len(names(course=other_run.course.pk)) == 10
    assert len(names(status="completed", run=run.pk)) == 6
    by_step = {
        "not_started": {0},
        "stuck": {1},
        "failed": {2},
        "modules": {0, 1},  # the next step is the modules
        "assessments": {2, 3},  # modules done, the post-test not passed
    }
    for key, steps in by_step.items():
        expected = {enrolments[i].learner.doctor_profile.full_name for i in steps}
        assert names(step=key, run=run.pk) == expected, key
    # A step choice that does not exist is refused by the filter form, not guessed at.
    html = admin_client.get(reverse(LIST), {"step": "nonsense"}).content.decode()
    assert "Select a valid choice" in html


def test_search_by_name_email_or_registration_number_in_any_spelling(admin_client):
    run, enrolments = run_with(10)
    target = enrolments[3].learner
    number = target.doctor_profile.registration_number  # "KMC-<run>-00003"
    for query in (target.doctor_profile.full_name, target.email, number.replace("-", " ").lower()):
        found = rows(admin_client.get(reverse(LIST), {"q": query}).content.decode())
        assert len(found) == 1 and target.doctor_profile.full_name in found[0], query


def test_the_list_is_flat_in_queries(admin_client):
    url = reverse(LIST)
    run, _ = run_with(10)
    admin_client.get(url)
    with count_queries() as few:
        assert admin_client.get(url).status_code == 200
    later = CourseRunFactory(
        course=run.course, starts_on=run.starts_on + datetime.timedelta(days=31), capacity=50
    )
    populate_run(later, 40, modules=run.modules, quiz=run.quiz, prefix="more")
    assert Enrolment.objects.count() == 50
    with count_queries() as many:
        html = admin_client.get(url).content.decode()
    assert len(rows(html)) == 50
    assert len(many) == len(few), (len(few), len(many))
    with count_queries() as filtered:
        admin_client.get(url, {"step": "assessments"})
    assert len(filtered) <= len(many) + 3
