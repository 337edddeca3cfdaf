"""Marking modules complete, the completion service, and progress across edits."""

import pytest

from courses.completion import enrolments_progress
from courses.exceptions import ModuleAccessError
from courses.models import Enrolment, EnrolmentStatus, ModuleCompletion
from courses.services import enrolment_create, module_complete
from courses.signals import enrolment_completed
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled():
    run = CourseRunFactory()
    modules = [ModulePageFactory(parent=run.course) for _ in range(3)]
    doctor = learner()
    enrolment = enrolment_create(learner=doctor, run=run)
    return doctor, enrolment, modules


@pytest.fixture
def announcements():
    seen = []

    def receiver(sender, enrolment, **kwargs):
        seen.append(enrolment.pk)

    enrolment_completed.connect(receiver)
    yield seen
    enrolment_completed.disconnect(receiver)


def test_course_completes_when_the_last_module_is_completed(enrolled, announcements):
    doctor, enrolment, modules = enrolled
    for module in modules[:-1]:
        assert module_complete(learner=doctor, module=module).course_completed is False
    assert announcements == []

    result = module_complete(learner=doctor, module=modules[-1])

    assert result.course_completed is True
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completed_at is not None
    assert announcements == [enrolment.pk]


def test_completing_a_module_twice_keeps_one_completion_and_announces_once(enrolled, announcements):
    doctor, enrolment, modules = enrolled
    for module in modules + modules:
        module_complete(learner=doctor, module=module)
    assert ModuleCompletion.objects.filter(enrolment=enrolment).count() == 3
    assert announcements == [enrolment.pk]


def test_progress_counts_live_modules(enrolled):
    doctor, enrolment, modules = enrolled
    module_complete(learner=doctor, module=modules[0])
    progress = enrolments_progress([Enrolment.objects.select_related("run__course").get(pk=enrolment.pk)])[
        enrolment.pk
    ]
    assert (progress.done, progress.total, progress.percent) == (1, 3, 33)


def test_republishing_a_module_keeps_who_completed_it(enrolled):
    doctor, enrolment, modules = enrolled
    module_complete(learner=doctor, module=modules[0])
    page = modules[0]
    page.title = "Renamed after review"
    page.save_revision().publish()
    progress = enrolments_progress([Enrolment.objects.select_related("run__course").get(pk=enrolment.pk)])[
        enrolment.pk
    ]
    assert progress.done == 1


def test_a_learner_without_access_cannot_complete_a_module(enrolled):
    _, _, modules = enrolled
    with pytest.raises(ModuleAccessError):
        module_complete(learner=learner(), module=modules[0])


def test_mark_complete_over_http_moves_to_the_next_module(client, enrolled):
    doctor, enrolment, modules = enrolled
    client.force_login(doctor)
    response = client.post(f"/modules/{modules[0].pk}/complete/")
    assert response.status_code == 302
    assert response["Location"] == modules[1].url
    assert ModuleCompletion.objects.filter(enrolment=enrolment, module=modules[0]).exists()


def test_mark_complete_of_someone_elses_course_changes_nothing(client, enrolled):
    _, _, modules = enrolled
    client.force_login(learner())
    response = client.post(f"/modules/{modules[0].pk}/complete/")
    assert response.status_code == 302
    assert ModuleCompletion.objects.count() == 0


def test_dashboard_continue_link_points_at_the_last_module_opened(client, enrolled):
    doctor, _, modules = enrolled
    client.force_login(doctor)
    client.get(modules[1].url)
    response = client.get("/dashboard/")
    entry = response.context["dashboard"].current[0]
    assert entry.continue_url == modules[1].url
