"""The content standard, as the Wagtail admin enforces it on the people who use it.

Everything goes through the real admin page views with Django's test client: a faculty
author (who can submit for endorsement but not publish), a member of the Faculty of Pain
Medicine (who approves in the editor — approval publishes — but holds no bare publish)
and a superuser (the only one left with a bare "Publish"). An incomplete module or course
can be saved as a draft, but submitting, approving or publishing it is refused with a
message saying what is missing, and then nothing is published and no workflow starts or
finishes. A disclosure of financial relationships not confirmed in the last 12 months
blocks submission and approval until it is confirmed in the admin.
"""

import datetime
import html
import itertools
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import CoursePage, FacultyMember, ModuleAuthor, ModulePage
from lms.roles import BOARD, FACULTY_AUTHORS
from tests.courses.factories import CoursePageFactory, ModulePageFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The draft is kept when only the submission is refused; approving or publishing changes nothing.
REFUSED = re.compile(
    r"(is saved, but it was not sent to the Faculty for endorsement|was not published|was not endorsed and stays with the Faculty for review"
    r"|The page was not created or (published|sent to the Faculty for endorsement)): it does not yet meet "
    r"the academy's content standard\."
)
NO_OBJECTIVE = "Add at least one learning objective."
NO_REFERENCE = "Add a References block with at least one reference."
NO_MINUTES = "Give an estimated duration in minutes."
SHORT_BODY = "words of teaching text; a module needs at least 200"
NO_CME = "Give the CME credit hours."
NO_FACULTY = "Add at least one faculty member."
NO_MODULE = "Publish at least one module of the course first"

SENTENCE = (
    "genicular nerve radiofrequency ablation relieves chronic knee pain in patients "
    "with osteoarthritis who respond to diagnostic blocks under fluoroscopic guidance"
)
CITATION = "Choi WJ, et al. Radiofrequency treatment relieves chronic knee osteoarthritis pain. Pain. 2011;152:481-7."


def prose(words: int) -> str:
    """Teaching text of exactly ``words`` words."""
    return " ".join(itertools.islice(itertools.cycle(SENTENCE.split()), words))


def staff(role: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def references(*citations: str) -> dict:
    """A References block's form data: its list of references."""
    items = {
        str(i): {"value": {"citation": citation, "url": ""}, "deleted": "", "order": str(i), "id": ""}
        for i, citation in enumerate(citations)
    }
    return {"references": {"count": str(len(citations)), **items}}


def module_form(
    *,
    title: str = "Genicular nerve ablation",
    slug: str = "genicular-nerve-ablation",
    minutes: str = "30",
    objectives: tuple[str, ...] = ("Select patients for genicular nerve ablation.",),
    words: int = 200,
    citations: tuple[str, ...] = (CITATION,),
    authors: tuple[FacultyMember, ...] = (),
    action: str | None = None,
) -> dict:
    """The module editor's POST, complete by default; ``action`` is "submit", "approve" or "publish"."""
    body = [("paragraph", rich_text(f"<p>{prose(words)}</p>"))]
    if citations:
        body.append(("references", references(*citations)))
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "",
            "estimated_minutes": minutes,
            "objectives": streamfield([("objective", objective) for objective in objectives]),
            "body": streamfield(body),
            "module_authors": inline_formset([{"faculty_member": str(member.pk)} for member in authors]),
            "comments": inline_formset([]),
        }
    )
    return with_action(data, action)


def with_action(data: dict, action: str | None) -> dict:
    """The editor's footer button: "approve" is the board's workflow action in the editor."""
    if action == "approve":
        data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    elif action:
        data[f"action-{action}"] = action
    return data


def in_review(page: Page) -> Page:
    """Submitted to the "Faculty endorsement" workflow by an author, as it stands."""
    if not page.workflow_in_progress:
        page.get_workflow().start(page, staff(FACULTY_AUTHORS))
    return page


def course_form(
    course: CoursePage,
    *,
    cme: str = "8.0",
    faculty: tuple[FacultyMember, ...] = (),
    action=None,
    designated: tuple = (),
) -> dict:
    data = nested_form_data(
        {
            "title": course.title,
            "slug": course.slug,
            "summary": course.summary,
            "track": course.track,
            "description": rich_text("<p>A practical course.</p>"),
            "objectives": streamfield([]),
            "cme_credit_hours": cme,
            "estimated_hours": "10",
            "audience": "",
            "faculty_links": inline_formset(
                [{"faculty_member": str(member.pk), "role": "Course director"} for member in faculty]
            ),
            # (credit type, maximum) for a new row, or (credit type, maximum, id) for a saved one.
            "designated_credits": inline_formset(
                [
                    {"credit_type": str(t.pk), "max_credits": str(m), "id": str(rest[0]) if rest else ""}
                    for t, m, *rest in designated
                ],
                initial=sum(1 for row in designated if len(row) > 2),
            ),
            "comments": inline_formset([]),
        }
    )
    return with_action(data, action)


def add_module(client, course: CoursePage, data: dict):
    return client.post(reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk]), data)


def edit(client, page: Page, data: dict):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def errors_in(response) -> list[str]:
    """The validation messages the editor shows (for assertion messages)."""
    return re.findall(r'<ul class="errorlist">.*?</ul>', text_of(response), re.S)


def assert_refused(response, *messages: str) -> str:
    """The editor is shown again with the refusal and each of ``messages``."""
    assert response.status_code == 200, f"accepted, redirected to {response.get('Location')}"
    shown = text_of(response)
    assert REFUSED.search(shown)
    assert "could not be saved" not in shown
    for message in messages:
        assert message in shown, f"{message!r} not among {errors_in(response)}"
    return shown


def confirmed(days_ago: int | None) -> datetime.date | None:
    return None if days_ago is None else timezone.localdate() - datetime.timedelta(days=days_ago)


def assert_nothing_happened(
    page: Page, *, live_revision_id, revisions: int, reviewing: bool = False, action: str | None = None
) -> None:
    """Nothing new reached learners, and no review started or finished (a page that was in
    review still is, endorsed by nobody). No revision was saved, except on a refused
    submission, which keeps the author's work as one draft revision."""
    page.refresh_from_db()
    assert page.live_revision_id == live_revision_id
    assert page.revisions.count() == revisions + (action == "submit")
    if reviewing:
        assert [state.status for state in page.workflow_states.all()] == ["in_progress"]
    else:
        assert not page.workflow_states.exists()
    assert not page.endorsements.exists()


@pytest.fixture
def course():
    return CoursePageFactory(title="Knee pain", slug="knee-pain")


@pytest.fixture
def module(course):
    """A live module that meets the standard (as the previous review left it)."""
    return ModulePageFactory(
        parent=course,
        title="Genicular nerve ablation",
        slug="genicular-nerve-ablation",
        objectives=[("objective", "Select patients for genicular nerve ablation.")],
        body=[
            ("paragraph", f"<p>{prose(200)}</p>"),
            ("references", {"references": [{"citation": CITATION, "url": ""}]}),
        ],
    )


@pytest.fixture
def author(client):
    user = staff(FACULTY_AUTHORS)
    client.force_login(user)
    return user


@pytest.fixture
def board(client):
    user = staff(BOARD)
    client.force_login(user)
    return user


def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def acting(action: str):
    """Who presses the button: an author submits, a board member approves, a superuser publishes."""
    return {"submit": lambda: staff(FACULTY_AUTHORS), "approve": lambda: staff(BOARD), "publish": superuser}[
        action
    ]()


ACTIONS = ["submit", "approve", "publish"]


# --- Modules --------------------------------------------------------------------------------


def test_an_incomplete_module_is_saved_as_a_draft_but_refused_on_submit_approve_and_publish(client, course):
    client.force_login(staff(FACULTY_AUTHORS))
    incomplete = {"minutes": "", "objectives": (), "words": 12, "citations": ()}

    response = add_module(client, course, module_form(**incomplete))

    draft = ModulePage.objects.child_of(course).get(slug="genicular-nerve-ablation")
    assert response.status_code == 302, errors_in(response)
    assert not draft.live and draft.revisions.count() == 1

    response = edit(client, draft, module_form(**incomplete, action="submit"))
    shown = assert_refused(response, NO_OBJECTIVE, NO_REFERENCE, NO_MINUTES, "The body has 12 " + SHORT_BODY)
    assert "Your draft of ‘Genicular nerve ablation’ is saved, but it was not sent" in shown
    assert_nothing_happened(draft, live_revision_id=None, revisions=1, action="submit")

    client.force_login(superuser())
    response = edit(client, draft, module_form(**incomplete, action="publish"))
    shown = assert_refused(response, NO_OBJECTIVE, NO_REFERENCE, NO_MINUTES, "The body has 12 " + SHORT_BODY)
    assert "‘Genicular nerve ablation’ was not published" in shown and "Nothing was changed" in shown
    assert_nothing_happened(draft, live_revision_id=None, revisions=2)

    # A board member approving it from the editor with the same gaps is refused too.
    in_review(draft)
    client.force_login(staff(BOARD))
    response = edit(client, draft, module_form(**incomplete, action="approve"))
    assert_refused(response, NO_OBJECTIVE, NO_REFERENCE, NO_MINUTES, "The body has 12 " + SHORT_BODY)
    assert_nothing_happened(draft, live_revision_id=None, revisions=2, reviewing=True)
    assert not draft.live


MISSING = {
    "objectives": ({"objectives": ()}, NO_OBJECTIVE),
    "body of substance": ({"words": 199}, "The body has 199 " + SHORT_BODY),
    "references": ({"citations": ()}, NO_REFERENCE),
    "duration": ({"minutes": ""}, NO_MINUTES),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("missing", MISSING)
def test_a_module_missing_one_part_of_the_standard_is_refused_with_its_message(
    client, module, action, missing
):
    if action == "approve":
        in_review(module)
    client.force_login(acting(action))
    change, message = MISSING[missing]
    live_revision_id, revisions = module.live_revision_id, module.revisions.count()

    response = edit(client, module, module_form(**change, action=action))

    shown = assert_refused(response, message)
    for _, other in MISSING.values():
        if other != message:
            assert other not in shown
    assert_nothing_happened(
        module,
        live_revision_id=live_revision_id,
        revisions=revisions,
        reviewing=action == "approve",
        action=action,
    )


def test_a_new_incomplete_module_submitted_directly_is_not_created(client, course, author):
    response = add_module(client, course, module_form(citations=(), action="submit"))

    assert_refused(response, NO_REFERENCE)
    assert not ModulePage.objects.child_of(course).exists()


def test_creating_a_module_or_course_saves_once_and_editing_autosaves(client, course, module, author):
    """No autosave on the add form: it posted there until its first save came back, so the
    author's own "Save draft" meanwhile found the slug taken and was refused. The editor
    autosaves the author's draft revision."""
    index = course.get_parent()
    add = {
        "module": client.get(reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk])),
        "course": client.get(reverse("wagtailadmin_pages:add", args=["courses", "coursepage", index.pk])),
    }
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))

    for response in add.values():
        assert response.status_code == 200
        assert "data-w-autosave-interval-value" not in response.content.decode()
        assert "w-autosave-indicator" not in response.content.decode()
    assert "data-w-autosave-interval-value" in edit.content.decode()


def test_a_complete_module_submitted_by_an_author_goes_to_the_faculty_endorsement(client, course, author):
    response = add_module(client, course, module_form(action="submit"))

    assert response.status_code == 302, errors_in(response)
    module = ModulePage.objects.child_of(course).get()
    assert not module.live  # learners see nothing until the board approves
    state = module.workflow_states.get()
    assert state.workflow.name == "Faculty endorsement"
    assert state.status == state.STATUS_IN_PROGRESS
    assert state.requested_by == author
    assert state.current_task_state.task.name == "Faculty of Pain Medicine review"
    assert prose(200) in str(module.get_latest_revision_as_object().body)


def test_a_complete_module_approved_by_the_board_in_the_editor_goes_live_endorsed(client, course, author):
    assert add_module(client, course, module_form(action="submit")).status_code == 302
    module = ModulePage.objects.child_of(course).get()
    board_member = staff(BOARD)
    client.force_login(board_member)

    response = edit(client, module, module_form(action="approve"))

    assert response.status_code == 302, errors_in(response)
    module.refresh_from_db()
    assert module.live and module.live_revision_id == module.latest_revision_id
    assert module.estimated_minutes == 30
    assert [block.value for block in module.objectives] == ["Select patients for genicular nerve ablation."]
    endorsement = module.endorsements.get()
    assert (endorsement.revision_id, endorsement.approved_by) == (module.live_revision_id, board_member)
    shown = text_of(client.get(response["Location"]))
    assert "Endorsed by the Faculty of Pain Medicine: ‘Genicular nerve ablation’, approved by" in shown
    assert "It is live for learners." in shown


def test_a_complete_module_published_by_a_superuser_goes_live_without_endorsement(client, course):
    client.force_login(superuser())
    response = add_module(client, course, module_form(action="publish"))

    assert response.status_code == 302, errors_in(response)
    module = ModulePage.objects.child_of(course).get()
    assert module.live and module.live_revision_id == module.latest_revision_id
    assert not module.endorsements.exists()


# --- Courses --------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_an_incomplete_course_is_refused_with_the_messages(client, action):
    course = CoursePageFactory(cme_credit_hours=None)
    # A module still in draft does not make the course publishable.
    course.add_child(instance=ModulePage(title="Draft module", slug="draft-module", live=False))
    course.refresh_from_db()
    if action == "approve":
        in_review(course)
    client.force_login(acting(action))
    live_revision_id, revisions = course.live_revision_id, course.revisions.count()

    response = edit(client, course, course_form(course, cme="", action=action))

    assert_refused(response, NO_CME, NO_FACULTY, NO_MODULE)
    assert_nothing_happened(
        course,
        live_revision_id=live_revision_id,
        revisions=revisions,
        reviewing=action == "approve",
        action=action,
    )


def test_an_incomplete_course_can_be_saved_as_a_draft(client, author):
    course = CoursePageFactory(cme_credit_hours=None)

    response = edit(client, course, course_form(course, cme=""))

    assert response.status_code == 302, errors_in(response)
    course.refresh_from_db()
    assert course.latest_revision_id != course.live_revision_id
    assert course.get_latest_revision_as_object().cme_credit_hours is None


@pytest.mark.parametrize("action", ACTIONS)
def test_a_complete_course_is_accepted(client, module, action):
    course = module.get_parent().specific
    if action == "approve":
        in_review(course)
    user = acting(action)
    client.force_login(user)
    director = FacultyMember.objects.create(
        name="Dr Meera Iyer", disclosures_confirmed_on=timezone.localdate()
    )

    response = edit(client, course, course_form(course, cme="6.5", faculty=(director,), action=action))

    assert response.status_code == 302, errors_in(response)
    course.refresh_from_db()
    if action == "submit":
        assert course.workflow_states.get().workflow.name == "Faculty endorsement"
        assert str(course.cme_credit_hours) == "8.0"  # the live course is untouched until approval
    else:
        assert course.live_revision_id == course.latest_revision_id
        assert str(course.cme_credit_hours) == "6.5"
        assert [link.faculty_member for link in course.faculty_links.all()] == [director]
        # Only the board's approval is an endorsement; a superuser's publish is not.
        assert course.endorsements.filter(revision_id=course.live_revision_id).exists() is (
            action == "approve"
        )


# --- Disclosures ----------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_a_stale_disclosure_of_a_module_author_blocks_it_until_confirmed(client, module, action):
    member = FacultyMember.objects.create(name="Dr Meera Iyer", disclosures_confirmed_on=confirmed(400))
    board_member = staff(BOARD)
    if action == "approve":
        in_review(module)
    client.force_login(board_member if action == "approve" else acting(action))
    live_revision_id, revisions = module.live_revision_id, module.revisions.count()

    response = edit(client, module, module_form(authors=(member,), action=action))

    assert_refused(
        response,
        f"Dr Meera Iyer's disclosure of financial relationships was last confirmed on {confirmed(400):%d %b %Y}",
    )
    assert_nothing_happened(
        module,
        live_revision_id=live_revision_id,
        revisions=revisions,
        reviewing=action == "approve",
        action=action,
    )

    # A draft naming the author can still be saved while the disclosure is confirmed.
    assert edit(client, module, module_form(authors=(member,))).status_code == 302

    board_session = Client()
    board_session.force_login(board_member)
    response = board_session.post(reverse("courses_facultymember:confirm_disclosures", args=[member.pk]))
    assert response.status_code == 302, errors_in(response)
    member.refresh_from_db()
    assert member.disclosures_confirmed_on == timezone.localdate()

    response = edit(client, module, module_form(authors=(member,), action=action))

    assert response.status_code == 302, errors_in(response)
    module.refresh_from_db()
    if action == "submit":
        assert module.workflow_in_progress
    else:
        assert module.live_revision_id == module.latest_revision_id != live_revision_id


def test_the_submitting_authors_own_never_confirmed_disclosure_blocks_submission(client, module, author):
    own = FacultyMember.objects.create(name="Dr Arjun Rao", user=author, disclosures_confirmed_on=None)

    response = edit(client, module, module_form(action="submit"))

    assert_refused(response, "Dr Arjun Rao's disclosure of financial relationships was never confirmed")
    assert not module.workflow_states.exists()

    # The author confirms their own record in the admin, then submits again.
    response = client.post(reverse("courses_facultymember:confirm_disclosures", args=[own.pk]))
    assert response.status_code == 302, errors_in(response)
    response = edit(client, module, module_form(action="submit"))

    assert response.status_code == 302, errors_in(response)
    assert module.workflow_states.get().status == "in_progress"


@pytest.mark.parametrize(("days_ago", "blocks"), [(365, False), (366, True)])
def test_a_disclosure_is_current_for_twelve_months(client, module, author, days_ago, blocks):
    member = FacultyMember.objects.create(name="Dr Meera Iyer", disclosures_confirmed_on=confirmed(days_ago))

    response = edit(client, module, module_form(authors=(member,), action="submit"))

    if blocks:
        assert_refused(response, "Dr Meera Iyer's disclosure of financial relationships was last confirmed")
    else:
        assert response.status_code == 302, errors_in(response)
    assert module.workflow_states.exists() is not blocks


# --- Designated credit ------------------------------------------------------------------------


def _director():
    return FacultyMember.objects.create(name="Dr Meera Iyer", disclosures_confirmed_on=timezone.localdate())


# "approve" is left out: since EndorsementTask (main, 9067b8a) the board is not offered
# approval of a draft that breaks the standard at all, which test_endorsement covers.
@pytest.mark.parametrize("action", ["submit", "publish"])
def test_designated_credit_above_what_the_modules_study_time_supports_is_refused(client, module, action):
    from tests.courses.factories import CreditTypeFactory

    course = module.get_parent().specific  # one live module of 30 minutes
    hours = CreditTypeFactory(name="AMA PRA Category 1 Credit™")
    if action == "approve":
        in_review(course)
    client.force_login(acting(action))
    live_revision_id, revisions = course.live_revision_id, course.revisions.count()

    response = edit(
        client,
        course,
        course_form(course, faculty=(_director(),), designated=((hours, "2.00"),), action=action),
    )

    assert_refused(
        response,
        "The course designates 2.00 AMA PRA Category 1 Credit™, but its published modules' estimated study time "
        "(30 min) supports at most 0.50.",
    )
    assert_nothing_happened(
        course,
        live_revision_id=live_revision_id,
        revisions=revisions,
        reviewing=action == "approve",
        action=action,
    )
    assert not course.designated_credits.exists()


def test_designated_credit_off_the_step_is_refused_and_within_study_time_is_published(client, module):
    from tests.courses.factories import CreditTypeFactory

    course = module.get_parent().specific
    hours = CreditTypeFactory(name="AMA PRA Category 1 Credit™")
    client.force_login(superuser())

    response = edit(
        client,
        course,
        course_form(course, faculty=(_director(),), designated=((hours, "0.30"),), action="publish"),
    )
    assert_refused(response, "Designate AMA PRA Category 1 Credit™ in whole steps of 0.25: 0.30 is not one.")

    response = edit(
        client,
        course,
        course_form(course, faculty=(_director(),), designated=((hours, "0.50"),), action="publish"),
    )
    assert response.status_code == 302, errors_in(response)
    assert [(d.credit_type, str(d.max_credits)) for d in course.designated_credits.all()] == [(hours, "0.50")]


def test_designated_credit_is_locked_once_a_run_has_opened(client, module):
    from courses.models import DesignatedCredit
    from tests.courses.factories import CourseRunFactory, CreditTypeFactory, designate

    course = module.get_parent().specific
    hours = CreditTypeFactory(name="AMA PRA Category 1 Credit™")
    designate(course, hours, "0.25")
    CourseRunFactory(course=course, label="March 2027")  # enrolment opened ten days ago
    client.force_login(superuser())
    director = _director()

    for designated in (((hours, "0.50"),), ()):
        response = edit(
            client, course, course_form(course, faculty=(director,), designated=designated)
        )  # a draft: the lock refuses drafts too, so nothing is saved, and Wagtail's banner says so
        assert response.status_code == 200
        assert "The page could not be saved due to validation errors." in text_of(response)
        assert "Designated credit cannot change once a run has opened for enrolment" in text_of(response)
    assert [str(d.max_credits) for d in DesignatedCredit.objects.filter(course=course)] == ["0.25"]

    # The same designation is no change: the course can still be edited and published.
    saved = DesignatedCredit.objects.get(course=course)
    response = edit(
        client,
        course,
        course_form(course, faculty=(director,), designated=((hours, "0.25", saved.pk),), action="publish"),
    )
    assert response.status_code == 302, errors_in(response)


# --- What the editor and the board's review queue show --------------------------------------


def test_the_module_editor_tells_each_rule_of_the_standard_beside_its_field(client, course, author):
    from courses.standards import DISCLOSURE_VALID_DAYS, MIN_BODY_WORDS, MODULE_FIELD_RULES

    page = text_of(client.get(reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk])))

    for rule in MODULE_FIELD_RULES.values():
        assert rule in page
    assert f"at least {MIN_BODY_WORDS} words of teaching text" in MODULE_FIELD_RULES["body"]
    assert "a References block with at least one reference" in MODULE_FIELD_RULES["body"]
    assert f"within the last {DISCLOSURE_VALID_DAYS} days" in MODULE_FIELD_RULES["module_authors"]


def test_each_problem_is_reported_on_the_field_it_concerns(client, module, author):
    response = edit(client, module, module_form(minutes="", objectives=(), citations=(), action="submit"))

    form = response.context["form"]
    assert form.errors["objectives"] == [NO_OBJECTIVE]
    assert form.errors["estimated_minutes"] == [NO_MINUTES]
    assert form.errors["body"] == [NO_REFERENCE]
    assert "__all__" not in form.errors
    # The draft kept the author's work, as it was sent.
    module.refresh_from_db()
    assert module.get_latest_revision_as_object().estimated_minutes is None


def test_the_board_sees_each_pages_course_standard_and_a_link_to_compare_with_the_live_version(
    client, module, author
):
    # A revision that lost its references, sent for endorsement as it stands.
    module.body = [
        (block.block_type, block.value) for block in module.body if block.block_type != "references"
    ]
    module.save_revision(user=author)
    in_review(module)
    new = module.get_parent().add_child(
        instance=ModulePage(
            title="Adductor canal block",
            slug="adductor-canal-block",
            live=False,
            estimated_minutes=30,
            objectives=[("objective", "Place an adductor canal block under ultrasound.")],
            body=[
                ("paragraph", f"<p>{prose(200)}</p>"),
                ("references", {"references": [{"citation": CITATION, "url": ""}]}),
            ],
        )
    )
    new.save_revision(user=author)
    in_review(new)
    client.force_login(staff(BOARD))

    queue = text_of(client.get(reverse("wagtailadmin_home")))

    assert "Sent to you for endorsement" in queue and "Awaiting your review" not in queue
    assert queue.count("Course: Knee pain") == 2
    assert "Content standard: 1 to put right before it can be endorsed" in queue and NO_REFERENCE in queue
    assert "Content standard: met" in queue
    compare = reverse(
        "wagtailadmin_pages:revisions_compare", args=[module.pk, "live", module.latest_revision_id]
    )
    assert f'href="{compare}"' in queue
    assert "New: nothing of it is live yet." in queue


def _queue_of(numbers: range, author) -> None:
    """A course for each of ``numbers``, each with a run open for enrolment and designated
    credit, sent for endorsement with a new module of theirs."""
    from courses.models import CourseFaculty, DesignatedCredit
    from tests.courses.factories import CourseRunFactory, CreditTypeFactory

    for n in numbers:
        course = CoursePageFactory(title=f"Queue course {n}", slug=f"queue-course-{n}")
        CourseRunFactory(course=course)
        ModulePageFactory(parent=course, title=f"Live module {n}", slug=f"live-module-{n}")
        member = FacultyMember.objects.create(
            name=f"Dr Queue {n}", disclosures_confirmed_on=timezone.localdate()
        )
        course.faculty_links = [CourseFaculty(faculty_member=member, role="Course director")]
        course.designated_credits = [DesignatedCredit(credit_type=CreditTypeFactory(), max_credits=1)]
        course.save_revision(user=author)
        in_review(course)
        module = course.add_child(
            instance=ModulePage(
                title=f"Queued module {n}",
                slug=f"queued-module-{n}",
                live=False,
                estimated_minutes=30,
                objectives=[("objective", "Place an adductor canal block under ultrasound.")],
                body=[("paragraph", f"<p>{prose(200)}</p>")],
                module_authors=[ModuleAuthor(faculty_member=member)],
            )
        )
        module.save_revision(user=author)
        in_review(module)


def test_the_review_queue_adds_the_same_few_queries_to_wagtails_however_long_it_is():
    """The course and content-standard lines are read for the whole queue at once: the
    queries they add to Wagtail's own panel do not grow with the pages in it."""
    from django.contrib.contenttypes.models import ContentType
    from django.test import RequestFactory
    from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

    from courses.admin_page_views import FacultyReviewQueuePanel
    from tests.support.queries import count_queries

    author, board_member = staff(FACULTY_AUTHORS), staff(BOARD)
    request = RequestFactory().get("/admin/")

    added = {}
    for size in (2, 6):
        _queue_of(range(len(added) and 2, size), author)
        counts = {}
        for panel in (WorkflowObjectsToModeratePanel(), FacultyReviewQueuePanel()):
            # Each panel from cold: a fresh user (Wagtail caches group checks on it) and
            # no cached content types.
            request.user = type(board_member).objects.get(pk=board_member.pk)
            ContentType.objects.clear_cache()
            with count_queries() as queries:
                states = panel.get_context_data({"request": request, "csrf_token": ""})["states"]
            counts[type(panel)] = len(queries)
        assert len(states) == 2 * size
        # Every check ran: each module lacks references; each course's run has opened, so
        # the credit its revision designates is locked.
        for state in states:
            if isinstance(state["obj"], ModulePage):
                assert state["course"].title == state["obj"].get_parent().title
                assert NO_REFERENCE in state["standard_problems"]
            else:
                assert any("Designated credit cannot change" in p for p in state["standard_problems"])
        added[size] = counts[FacultyReviewQueuePanel] - counts[WorkflowObjectsToModeratePanel]

    assert added[2] == added[6] <= 6, added
