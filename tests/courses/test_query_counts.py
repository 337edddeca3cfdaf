"""Pages that list modules or enrolments run the same queries however many there are."""

import datetime

import pytest

from courses.services import enrolment_create, module_complete
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    client.get(url)  # warm per-process caches (site root paths, content types)
    with count_queries() as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def course_with(modules: int, doctor):
    run = CourseRunFactory()
    pages = [ModulePageFactory(parent=run.course) for _ in range(modules)]
    enrolment_create(learner=doctor, run=run)
    module_complete(learner=doctor, module=pages[0])
    return run.course, pages


def test_course_and_module_pages_are_flat_in_the_number_of_modules(client):
    doctor = learner()
    small, small_modules = course_with(3, doctor)
    large, large_modules = course_with(30, doctor)

    anonymous = (queries(client, small.url), queries(client, large.url))
    client.force_login(doctor)
    course = (queries(client, small.url), queries(client, large.url))
    module = (queries(client, small_modules[1].url), queries(client, large_modules[20].url))

    assert anonymous[0] == anonymous[1]
    assert course[0] == course[1]
    assert module[0] == module[1]
    # Three of them are Wagtail's: the site, its home page and the routed page (which
    # also tells whether any view restriction applies); the session comes from the cache.
    assert anonymous[1] <= 6
    assert course[1] <= 8
    assert module[1] <= 9


def test_the_catalogue_is_flat_in_the_number_of_courses_runs_and_modules(client):
    doctor = learner()
    first, _ = course_with(3, doctor)
    catalogue = first.get_parent().url
    few = queries(client, catalogue)
    for _ in range(6):
        run = CourseRunFactory()
        for _ in range(5):
            ModulePageFactory(parent=run.course)
        next_month = (run.starts_on.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        CourseRunFactory(course=run.course, starts_on=next_month)
    many = queries(client, catalogue)
    client.force_login(doctor)
    signed_in = queries(client, catalogue)

    assert few == many <= 5
    assert signed_in <= 5  # the user; the session comes from the cache


def test_dashboard_is_flat_in_the_number_of_enrolments(client):
    one, many = learner(), learner()
    for _ in range(1):
        course_with(2, one)
    for _ in range(20):
        course_with(2, many)

    client.force_login(one)
    with_one = queries(client, "/dashboard/")
    client.force_login(many)
    with_twenty = queries(client, "/dashboard/")

    assert with_one == with_twenty
    assert with_twenty <= 7
