"""Who may do what in the admin: the role groups created by migrations."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Workflow

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
    ("roles", "edit", "approve", "runs", "enrolments"),
    [
        ((FACULTY_AUTHORS,), True, False, False, False),
        ((BOARD,), True, True, False, False),
        ((ADMINISTRATORS,), False, False, True, True),
        ((ADMINISTRATORS, BOARD), True, True, True, True),
    ],
)
def test_permission_matrix(client, module, roles, edit, approve, runs, enrolments):
    user = member(*roles)
    perms = module.permissions_for_user(user)
    assert perms.can_edit() is edit
    # Nobody but a superuser publishes outside the endorsement workflow.
    assert perms.can_publish() is False
    assert perms.can_unpublish() is False
    if edit:
        assert perms.can_submit_for_moderation()

    task = Workflow.objects.get(name="Faculty endorsement").tasks.get().specific
    assert bool(task.get_actions(module, user)) is approve

    assert user.has_perm("quizzes.publish_quiz") is False
    assert user.has_perm("quizzes.publish_question") is False
    assert user.has_perm("quizzes.add_quiz") is edit
    assert user.has_perm("quizzes.add_question") is edit

    client.force_login(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert (client.get(reverse("courses_courserun:list")).status_code == 200) is runs
    assert (client.get(reverse("courses_enrolment:list")).status_code == 200) is enrolments
    assert (client.get(reverse("courses_courserun:schedule")).status_code == 200) is runs
    assert (client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).status_code == 200) is edit


def test_superusers_keep_the_bare_publish(module):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert module.permissions_for_user(superuser).can_publish()
    assert superuser.has_perm("quizzes.publish_quiz") and superuser.has_perm("quizzes.publish_question")


def test_no_group_holds_a_publish_permission_anywhere():
    """Wagtail's own "Moderators" group included: approval is the only way to publish."""
    assert not GroupPagePermission.objects.filter(permission__codename="publish_page").exists()
    assert not Group.objects.filter(
        permissions__codename__in=["publish_page", "publish_quiz", "publish_question"]
    ).exists()


def test_an_upgraded_install_loses_the_publish_permissions_the_board_had(module):
    """The state an upgraded database is in before the migrations that take publishing away."""
    from lms.roles import grant, grant_pages

    grant_pages(django_apps, BOARD, ["publish_page"])
    grant(django_apps, BOARD, ["quizzes.publish_quiz"])
    board_member = member(BOARD)
    assert module.permissions_for_user(board_member).can_publish()

    import_module("courses.migrations.0006_no_bare_publish").apply(django_apps, None)
    import_module("quizzes.migrations.0005_assessments_under_endorsement").apply(django_apps, None)

    board_member = type(board_member).objects.get(pk=board_member.pk)  # fresh permission caches
    assert not module.permissions_for_user(board_member).can_publish()
    assert not board_member.has_perm("quizzes.publish_quiz")
    test_no_group_holds_a_publish_permission_anywhere()


def test_a_board_member_cannot_publish_bare_by_posting_the_publish_action(client):
    """No "Publish" beside the workflow actions, and posting it only saves a draft."""
    from tests.courses.test_content_standard import module_form

    module = ModulePageFactory(parent=CourseRunFactory().course, title="Genicular nerve ablation")
    live_revision = module.live_revision_id
    module.save_revision(user=member(FACULTY_AUTHORS))
    module.get_workflow().start(module, member(FACULTY_AUTHORS))
    client.force_login(member(BOARD))
    edit_url = reverse("wagtailadmin_pages:edit", args=[module.pk])
    page = client.get(edit_url).content.decode()
    assert 'data-workflow-action-name="approve"' in page  # the board reviews…
    assert 'name="action-publish"' not in page  # …but has no bare publish

    client.post(edit_url, module_form(title="Published by the board", slug=module.slug, action="publish"))

    module.refresh_from_db()
    assert module.live_revision_id == live_revision
    assert module.title == "Genicular nerve ablation"
    assert module.get_latest_revision().content["title"] == "Published by the board"
    assert module.workflow_in_progress and not module.endorsements.exists()


def test_the_pages_bulk_publish_action_is_refused_to_the_board(client):
    module = ModulePageFactory(parent=CourseRunFactory().course, title="Genicular nerve ablation")
    live_revision = module.live_revision_id
    module.title = "A draft nobody endorsed"
    module.save_revision(user=member(FACULTY_AUTHORS))
    client.force_login(member(BOARD))
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={module.pk}"

    confirm = client.get(url)
    client.post(url, {"include_descendants": ""})

    assert "You don't have permission to publish this page" in confirm.content.decode()
    module.refresh_from_db()
    assert module.live_revision_id == live_revision and module.title != "A draft nobody endorsed"


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


@pytest.mark.parametrize("role", [FACULTY_AUTHORS, BOARD])
@pytest.mark.parametrize("model", ["quiz", "question"])
def test_quiz_and_question_editors_offer_no_bare_publish(client, role, model):
    user = member(role)
    client.force_login(user)
    page = client.get(reverse(f"wagtailsnippets_quizzes_{model}:add")).content.decode()
    assert 'name="action-publish"' not in page
    assert 'name="action-submit"' in page  # the way forward is the endorsement workflow
