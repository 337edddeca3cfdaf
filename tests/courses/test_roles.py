"""Who may do what in the admin: the role groups created by migrations."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow

from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


def member(*roles):
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


@pytest.fixture
def module():
    run = CourseRunFactory()
    return ModulePageFactory(parent=run.course)


def test_migrations_create_the_roles_and_the_endorsement_workflow():
    assert set(
        Group.objects.filter(name__in=[FACULTY_AUTHORS, BOARD, ADMINISTRATORS]).values_list("name", flat=True)
    ) == {
        FACULTY_AUTHORS,
        BOARD,
        ADMINISTRATORS,
    }
    workflow = Workflow.objects.get(name="Faculty endorsement")
    assert workflow.active
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [BOARD]


@pytest.mark.parametrize(
    ("roles", "edit", "publish", "approve", "quiz_publish", "runs", "enrolments"),
    [
        ((FACULTY_AUTHORS,), True, False, False, False, False, False),
        ((BOARD,), True, True, True, True, False, False),
        ((ADMINISTRATORS,), False, False, False, False, True, True),
        ((ADMINISTRATORS, BOARD), True, True, True, True, True, True),
    ],
)
def test_permission_matrix(client, module, roles, edit, publish, approve, quiz_publish, runs, enrolments):
    user = member(*roles)
    perms = module.permissions_for_user(user)
    assert perms.can_edit() is edit
    assert perms.can_publish() is publish
    if edit:
        assert perms.can_submit_for_moderation()

    task = Workflow.objects.get(name="Faculty endorsement").tasks.get().specific
    assert bool(task.get_actions(module, user)) is approve

    assert user.has_perm("quizzes.publish_quiz") is quiz_publish
    assert user.has_perm("quizzes.add_quiz") is edit

    client.force_login(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert (client.get(reverse("courses_courserun:list")).status_code == 200) is runs
    assert (client.get(reverse("courses_enrolment:list")).status_code == 200) is enrolments
    assert (client.get(reverse("courses_courserun:schedule")).status_code == 200) is runs
    assert (client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).status_code == 200) is edit


def test_an_author_cannot_publish_even_by_posting_the_publish_action(client):
    from tests.courses.test_content_standard import module_form

    module = ModulePageFactory(parent=CourseRunFactory().course, title="Genicular nerve ablation")
    live_revision = module.live_revision_id
    author = member(FACULTY_AUTHORS)
    client.force_login(author)
    edit_url = reverse("wagtailadmin_pages:edit", args=[module.pk])
    assert b"action-publish" not in client.get(edit_url).content

    data = module_form(title="Rewritten by the author", slug=module.slug, action="publish")
    client.post(edit_url, data)

    module.refresh_from_db()
    assert module.live_revision_id == live_revision
    assert module.title == "Genicular nerve ablation"  # the live title
    assert module.get_latest_revision().content["title"] == "Rewritten by the author"  # kept as a draft


def test_learners_cannot_open_the_admin(client):
    client.force_login(learner())
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_quiz_admin_refuses_an_author_publishing(client):
    author = member(FACULTY_AUTHORS)
    client.force_login(author)
    assert client.get(reverse("wagtailsnippets_quizzes_quiz:add")).status_code == 200
    assert not author.has_perm("quizzes.publish_quiz")
