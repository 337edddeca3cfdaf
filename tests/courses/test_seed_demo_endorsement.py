"""``seed_demo`` endorses its courses and modules through the real "Faculty endorsement" workflow.

The demo faculty author saves and submits each page; the demo board reviewer approves
it; Wagtail publishes the revision and the recorder writes the endorsement, so a
newcomer's ``make run`` shows "Endorsed by the Faculty of Pain Medicine on <date>".
The tests share one seed (``seeded_demo``); each test's changes roll back.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import strip_tags
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from courses.models import CourseIndexPage, CoursePage, CourseRun, Endorsement, HomePage, ModulePage
from courses.services import page_endorse, page_submit_for_endorsement
from tests.support.demo import account, account_spec, demo_content_copy, seed, seed_from

pytestmark = pytest.mark.django_db

LINE = "Endorsed by the Faculty of Pain Medicine on"
WORKFLOW = "Faculty endorsement"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def endorsement_line(endorsement: Endorsement) -> str:
    return f"{LINE} {date_format(timezone.localtime(endorsement.approved_at), 'j F Y')}"


def test_every_course_and_module_went_through_the_workflow_from_author_to_board(seeded_demo):
    author, board = account("Faculty author"), account("Board reviewer")
    pages = [*CoursePage.objects.all(), *ModulePage.objects.all()]
    assert len(pages) == 17

    for page in pages:
        assert page.live and not page.has_unpublished_changes, page.title
        endorsement = Endorsement.objects.get(page=page)
        assert endorsement.revision_id == page.live_revision_id, page.title
        assert endorsement.approved_by == board, page.title
        assert page.live_revision.user == author, page.title
        state = WorkflowState.objects.for_instance(page).get()
        assert (state.workflow.name, state.status, state.requested_by) == (WORKFLOW, "approved", author)
        task = TaskState.objects.get(workflow_state=state)
        assert (task.status, task.finished_by, task.revision_id) == ("approved", board, page.live_revision_id)
        actions = {entry.action: entry.user for entry in PageLogEntry.objects.filter(page=page)}
        assert actions["wagtail.workflow.start"] == author, page.title
        assert actions["wagtail.workflow.approve"] == board, page.title
        assert actions["wagtail.publish"] == board, page.title

    # A course is endorsed only once its modules are: it cannot be endorsed empty.
    for course in CoursePage.objects.all():
        modules = Endorsement.objects.filter(page__in=ModulePage.objects.child_of(course))
        assert max(m.approved_at for m in modules) <= Endorsement.objects.get(page=course).approved_at

    # Site pages carry no teaching: the administrator publishes them, nobody endorses them.
    for page in (HomePage.objects.get(), CourseIndexPage.objects.get()):
        assert not Endorsement.objects.filter(page=page).exists()
        assert page.live_revision.user == account("Administrator")


def test_a_demo_module_shows_the_endorsement_line_to_an_enrolled_demo_learner(seeded_demo, client):
    learner = account_spec("Learner")
    chronic = CoursePage.objects.get(slug="chronic-musculoskeletal-pain")
    module = ModulePage.objects.child_of(chronic).get(slug="regenerative-therapy-for-joint-pain")
    run = CourseRun.objects.get(course=chronic, starts_on=timezone.localdate().replace(day=1))
    signed_in = client.post(
        reverse("account_login"), {"login": learner["email"], "password": learner["password"]}
    )
    assert signed_in.status_code == 302
    assert client.post(reverse("enrol", args=[run.pk])).status_code == 302

    response = client.get(module.url)

    assert response.status_code == 200
    assert "Regenerative therapy aims to repair" in text_of(
        response
    )  # the module itself, not the locked page
    assert endorsement_line(Endorsement.objects.get(page=module)) in text_of(response)


def test_every_demo_course_page_shows_the_endorsement_line_to_anyone(seeded_demo, client):
    for course in CoursePage.objects.all():
        response = client.get(course.url)

        assert response.status_code == 200, course.title
        assert endorsement_line(Endorsement.objects.get(page=course)) in text_of(response), course.title


def test_reseeding_leaves_an_editors_later_changes_and_their_review_alone(seeded_demo):
    author, board = account("Faculty author"), account("Board reviewer")
    course = CoursePage.objects.get(slug="acute-pain-management")
    module = ModulePage.objects.child_of(course).get(slug="multimodal-analgesia")
    # The board has endorsed a retitled course; the author has a module revision in review.
    course.title = "Acute Pain Management (2027 edition)"
    course.save_revision(user=author)
    page_submit_for_endorsement(page=course, user=author)
    page_endorse(page=course, user=board)
    module = module.get_latest_revision_as_object()
    module.summary = "A revised summary awaiting the board."
    module.save_revision(user=author)
    page_submit_for_endorsement(page=module, user=author)
    before = {
        "revisions": [page.revisions.count() for page in (course, module)],
        "endorsements": Endorsement.objects.count(),
        "states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
    }

    output = seed()

    course.refresh_from_db()
    module = ModulePage.objects.get(pk=module.pk)
    assert course.title == "Acute Pain Management (2027 edition)"
    assert module.get_latest_revision_as_object().summary == "A revised summary awaiting the board."
    assert module.workflow_in_progress
    assert {
        "revisions": [page.revisions.count() for page in (course, module)],
        "endorsements": Endorsement.objects.count(),
        "states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
    } == before
    assert re.search(r"pages\s+0 created,\s+23 already present", output), output


def test_a_module_added_to_the_demo_files_later_is_created_and_endorsed_alone(seeded_demo, tmp_path):
    content = demo_content_copy(tmp_path)
    folder = content / "courses" / "courses" / "cancer-pain"
    (folder / "cancer-pain-in-children.md").write_text(
        (folder / "assessing-cancer-pain.md")
        .read_text()
        .replace("title: Assessing", "title: Children and assessing", 1)
    )
    course_file = folder / "course.md"
    course_file.write_text(
        course_file.read_text().replace(
            "  - interventions-in-cancer-pain\n",
            "  - interventions-in-cancer-pain\n  - cancer-pain-in-children\n",
        )
    )
    course = CoursePage.objects.get(slug="cancer-pain")
    course_revisions = course.revisions.count()

    output = seed_from(content)

    added = ModulePage.objects.child_of(course).get(slug="cancer-pain-in-children")
    assert added.live and added.title.startswith("Children and assessing")
    assert Endorsement.objects.get(page=added).approved_by == account("Board reviewer")
    assert course.revisions.count() == course_revisions  # the course itself is left alone
    assert re.search(r"pages\s+1 created,\s+23 already present", output), output
    assert re.search(r"endorsements\s+1 created", output), output
