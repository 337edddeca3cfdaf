"""``page_submit_for_endorsement`` and ``page_endorse``: the author's submit and the board's approve.

They apply the rules the page editor applies (the content standard; current
disclosures on submission) and call Wagtail's own workflow, so approval publishes the
revision and the recorder writes the endorsement.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import WorkflowState

from courses.exceptions import EndorsementError
from courses.models import Endorsement, FacultyMember, ModuleAuthor, ModulePage
from courses.services import page_endorse, page_submit_for_endorsement
from lms.roles import BOARD, FACULTY_AUTHORS
from tests.courses.factories import CoursePageFactory
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db

TEACHING = " ".join(
    ["Genicular nerve radiofrequency ablation relieves chronic knee pain in selected patients."] * 25
)


def member(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def people():
    return member(FACULTY_AUTHORS), member(BOARD)


@pytest.fixture
def faculty():
    return FacultyMember.objects.create(name="Dr Meera Iyer", disclosures_confirmed_on=timezone.localdate())


def draft_module(course, author, faculty, *, body_words=True) -> ModulePage:
    """A module as an author leaves it after "Save draft"."""
    body = [("heading", {"text": "Technique", "level": "h2"})]
    if body_words:
        body.append(("paragraph", f"<p>{TEACHING}</p>"))
    body.append(
        ("references", {"references": [{"citation": "Choi WJ. Pain. 2011;152(3):481-7.", "url": ""}]})
    )
    module = ModulePage(
        title="Radiofrequency ablation",
        slug="radiofrequency-ablation",
        summary="Genicular nerve ablation.",
        estimated_minutes=30,
        objectives=[("objective", "Select patients for genicular nerve ablation.")],
        body=body,
        module_authors=[ModuleAuthor(faculty_member=faculty)],
        live=False,
    )
    course.add_child(instance=module)
    module.save_revision(user=author)
    return module


def test_the_author_submits_and_the_board_endorses_which_publishes_and_records(people, faculty):
    author, board = people
    module = draft_module(CoursePageFactory(), author, faculty)

    state = page_submit_for_endorsement(page=module, user=author)
    endorsement = page_endorse(page=module, user=board, comment="Accurate and well referenced.")

    module.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED and state.requested_by == author
    assert module.live and endorsement.revision_id == module.live_revision_id
    assert (endorsement.approved_by, endorsement.comment) == (board, "Accurate and well referenced.")
    assert module.endorsed_at == endorsement.approved_at


def test_content_below_the_standard_is_refused_and_no_review_starts(people, faculty):
    author, _ = people
    module = draft_module(CoursePageFactory(), author, faculty, body_words=False)

    with pytest.raises(EndorsementError) as refused:
        page_submit_for_endorsement(page=module, user=author)

    assert any("words of teaching text" in problem for problem in refused.value.problems)
    assert "cannot be submitted for endorsement" in refused.value.message
    assert not WorkflowState.objects.exists()


def test_stale_disclosures_block_submission(people, faculty):
    author, _ = people
    faculty.disclosures_confirmed_on = timezone.localdate() - datetime.timedelta(days=400)
    faculty.save()
    module = draft_module(CoursePageFactory(), author, faculty)

    with pytest.raises(EndorsementError, match="Dr Meera Iyer's disclosure of financial relationships"):
        page_submit_for_endorsement(page=module, user=author)

    assert not WorkflowState.objects.exists()


def test_only_authors_submit_only_the_board_endorses_and_only_once(people, faculty):
    author, board = people
    module = draft_module(CoursePageFactory(), author, faculty)

    with pytest.raises(EndorsementError, match="You may not submit"):
        page_submit_for_endorsement(page=module, user=learner())
    with pytest.raises(EndorsementError, match="is not awaiting endorsement"):
        page_endorse(page=module, user=board)
    page_submit_for_endorsement(page=module, user=author)
    with pytest.raises(EndorsementError, match="is already awaiting endorsement"):
        page_submit_for_endorsement(page=module, user=author)
    with pytest.raises(EndorsementError, match="Only the reviewers of"):
        page_endorse(page=module, user=author)

    module.refresh_from_db()
    assert not module.live and not Endorsement.objects.exists()
    assert WorkflowState.objects.count() == 1


def test_a_course_is_endorsed_only_once_a_module_of_it_is_published(people, faculty):
    author, board = people
    course = CoursePageFactory(live=False)
    course.faculty_links.create(faculty_member=faculty, role="Course director")
    course.save_revision(user=author)
    module = draft_module(course, author, faculty)

    with pytest.raises(EndorsementError, match="a course cannot be endorsed empty"):
        page_submit_for_endorsement(page=course, user=author)

    page_submit_for_endorsement(page=module, user=author)
    page_endorse(page=module, user=board)
    page_submit_for_endorsement(page=course, user=author)
    page_endorse(page=course, user=board)
    assert Endorsement.objects.filter(page__in=[course, module]).count() == 2


def test_resubmitting_after_changes_were_requested_resumes_the_same_review(people, faculty):
    author, board = people
    module = draft_module(CoursePageFactory(), author, faculty)
    state = page_submit_for_endorsement(page=module, user=author)
    task_state = module.current_workflow_task_state
    task_state.task.specific.on_action(task_state, board, "reject", comment="Cite the trial.")

    module.get_latest_revision_as_object().save_revision(user=author)
    resumed = page_submit_for_endorsement(page=module, user=author)

    assert resumed.pk == state.pk and resumed.status == WorkflowState.STATUS_IN_PROGRESS
    page_endorse(page=module, user=board)
    assert Endorsement.objects.filter(page=module).count() == 1
