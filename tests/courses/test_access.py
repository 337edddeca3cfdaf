"""Module content is for learners enrolled in a current run (and staff) — everywhere.

The secret sentence lives only in module bodies; no response to an outsider may carry it.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from courses.services import enrolment_create, enrolment_withdraw
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db

SECRET = "platelet-rich plasma dosing"


@pytest.fixture
def course_with_module():
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course, title="Regenerative therapy")
    return run, module


def _visible(response) -> bool:
    return SECRET in response.content.decode()


def test_anonymous_visitor_gets_a_locked_page(client, course_with_module):
    _, module = course_with_module
    response = client.get(module.url)
    assert response.status_code == 403
    assert not _visible(response)
    assert "Sign in" in response.content.decode()


def test_learner_without_enrolment_gets_a_locked_page(client, course_with_module):
    _, module = course_with_module
    client.force_login(learner())
    response = client.get(module.url)
    assert response.status_code == 403
    assert not _visible(response)


def test_enrolled_learner_reads_the_module(client, course_with_module):
    run, module = course_with_module
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    client.force_login(doctor)
    response = client.get(module.url)
    assert response.status_code == 200
    assert _visible(response)


def test_withdrawn_learner_loses_access(client, course_with_module):
    run, module = course_with_module
    doctor = learner()
    enrolment_withdraw(enrolment=enrolment_create(learner=doctor, run=run))
    client.force_login(doctor)
    assert client.get(module.url).status_code == 403


def test_enrolment_in_a_future_run_does_not_open_modules_yet(client, course_with_module):
    run, module = course_with_module
    start = run.ends_on + datetime.timedelta(days=1)
    future = CourseRunFactory(course=run.course, starts_on=start, ends_on=start + datetime.timedelta(days=27))
    doctor = learner()
    enrolment_create(learner=doctor, run=future)
    client.force_login(doctor)
    assert client.get(module.url).status_code == 403


def test_staff_read_modules(client, course_with_module):
    _, module = course_with_module
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.get(module.url)
    assert response.status_code == 200
    assert _visible(response)


def test_course_page_lists_module_titles_but_not_their_content(client, course_with_module):
    run, module = course_with_module
    response = client.get(run.course.url)
    assert response.status_code == 200
    assert module.title in response.content.decode()
    assert not _visible(response)


def test_search_finds_module_content_only_for_those_with_access(client, course_with_module):
    run, module = course_with_module
    query = {"q": "platelet"}

    anonymous = client.get("/search/", query)
    assert module.title not in anonymous.content.decode()

    outsider = learner()
    client.force_login(outsider)
    assert module.title not in client.get("/search/", query).content.decode()

    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    client.force_login(doctor)
    found = client.get("/search/", query)
    assert module.title in found.content.decode()


def test_documents_used_in_a_module_are_served_only_to_those_with_access(client, course_with_module):
    run, module = course_with_module
    document = Document.objects.create(title="Consent form")
    document.file.save("consent.txt", ContentFile(b"PRP consent form"), save=True)
    module.body = [(block.block_type, block.value) for block in module.body] + [
        ("download", {"document": document, "title": "", "description": ""})
    ]
    module.save_revision().publish()

    assert client.get(document.url).status_code == 403
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    client.force_login(doctor)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"PRP consent form" in b"".join(response.streaming_content)
