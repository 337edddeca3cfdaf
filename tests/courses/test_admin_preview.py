"""Authors and the board preview a module or course from the editor, before and after saving.

Wagtail's preview renders the page's own template with an unsaved (or unpublished)
instance: links to the page itself or to its course must not break it.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from lms.roles import BOARD, FACULTY_AUTHORS
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.courses.test_content_standard import module_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff(role) -> Client:
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def preview(client, url, data) -> str:
    posted = client.post(url, data)
    assert posted.status_code == 200, posted.content[:500]
    assert posted.json()["is_valid"], posted.json()
    shown = client.get(url)
    assert shown.status_code == 200, shown.content[:2000]
    return shown.content.decode()


@pytest.mark.parametrize("role", [FACULTY_AUTHORS, BOARD])
def test_a_new_module_previews_before_its_first_save(role):
    run = CourseRunFactory()
    url = reverse("wagtailadmin_pages:preview_on_add", args=["courses", "modulepage", run.course.pk])

    html = preview(staff(role), url, module_form(title="Genicular nerve ablation, a draft"))

    assert "Genicular nerve ablation, a draft" in html


@pytest.mark.parametrize("role", [FACULTY_AUTHORS, BOARD])
def test_an_edited_module_and_its_course_preview_with_the_unsaved_edit(role):
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course, title="Radiofrequency ablation")
    client = staff(role)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[module.pk])

    html = preview(client, url, module_form(title="Radiofrequency ablation, revised", slug=module.slug))

    assert "Radiofrequency ablation, revised" in html
    course = client.get(reverse("wagtailadmin_pages:view_draft", args=[run.course.pk]))
    assert course.status_code == 200
