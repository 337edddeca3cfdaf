"""Pages that list modules or enrolments run the same queries however many there are."""

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
    # The public course page (the catalogue's landing page) stays within 8; a signed-in
    # learner's adds the session, their enrolment, progress and assessments.
    assert anonymous[1] <= 8
    assert course[1] <= 12
    assert module[1] <= 15


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
    assert with_twenty <= 12
