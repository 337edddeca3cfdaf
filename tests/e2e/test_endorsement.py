"""Faculty authoring and endorsement, in a real browser.

A faculty author writes a module in the Wagtail admin and submits it to the "Faculty
endorsement" workflow; a member of the Faculty of Pain Medicine approves it; an enrolled
learner then reads it with the endorsement line. Until the board approves, the learner
sees the previously approved revision — or nothing, for a new module — and editing and
re-approving a module keeps the learner's completion of it.

Three people, three browser contexts (three separate sessions) on one live server.
"""

import itertools
import re

import pytest
from django.utils import dateformat, timezone
from django.utils.text import slugify
from playwright.sync_api import expect

from courses.models import Endorsement, ModuleCompletion, ModulePage
from courses.services import enrolment_create
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import PASSWORD, learner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The first admin page a fresh live server serves is slow: its static files come through
# the finders, uncached.
ADMIN_TIMEOUT = 60_000
WORKFLOW = "Faculty endorsement"
ENDORSED = "Endorsed by the Faculty of Pain Medicine"
CITATION = "Choi WJ, et al. Radiofrequency treatment relieves chronic knee osteoarthritis pain. Pain. 2011;152:481-7."


SENTENCE = (
    "genicular nerve radiofrequency ablation relieves chronic knee pain in patients "
    "with osteoarthritis who respond to diagnostic blocks under fluoroscopic guidance"
)


def prose(opening: str, words: int = 220) -> str:
    """Teaching text that starts with ``opening`` and runs to ``words`` words."""
    filler = itertools.islice(itertools.cycle(SENTENCE.split()), words - len(opening.split()))
    return f"{opening} {' '.join(filler)}."


FIRST_EDITION = prose("First edition: select patients after two diagnostic genicular blocks.")
SECOND_EDITION = prose("Second edition: a single diagnostic block is enough before ablation.")
NEW_MODULE_TEXT = prose("Cooled radiofrequency produces larger lesions than conventional probes.")


def today() -> str:
    return dateformat.format(timezone.localdate(), "j F Y")


@pytest.fixture
def enrolled(roles):
    """A live course with a run in progress, and a doctor enrolled in that run."""
    run = CourseRunFactory(capacity=20)
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    return run.course, doctor


def sign_in_to_admin(page, user):
    page.goto("/admin/login/", timeout=ADMIN_TIMEOUT)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible(timeout=ADMIN_TIMEOUT)
    return page


def sign_in_as_learner(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("dashboard", re.I))).to_be_visible()
    return page


def title_in(admin, title: str):
    """Type a new page's title and leave the field, as an author does: Wagtail fills the
    slug from it (on the title's keyup, change or blur, after a 100 ms debounce), and a
    save posted before then is refused for want of a slug. Playwright's ``fill`` sends no
    keyup, so this waits for the slug, not for time."""
    field = admin.get_by_role("textbox", name="Title")
    field.fill(title)
    field.blur()
    expect(admin.locator("input[name='slug']")).to_have_value(slugify(title))


def saved_to_form(admin, text: str):
    """Draftail writes the paragraph into the form 250 ms after the last keystroke; a quick
    click on "Submit" before then would send the old text."""
    expect(admin.locator("input[name='body-0-value']")).to_have_value(re.compile(re.escape(text)))


def submit_for_endorsement(admin, title: str):
    """The footer's submit action, which Wagtail names after the page's workflow."""
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name=f"Send for {WORKFLOW}").click()
    expect(
        admin.get_by_text(
            re.compile(rf"'{re.escape(title)}' (has been|created and) sent to the Faculty for endorsement")
        )
    ).to_be_visible()


def approve(admin, title: str, comment: str):
    """On a page's edit view: the board's "Approve with comment" workflow action."""
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name="Approve with comment").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Comment").fill(comment)
    dialog.get_by_role("button", name="Approve with comment").click()
    expect(
        admin.get_by_text(f"Endorsed by the Faculty of Pain Medicine: ‘{title}’, approved by")
    ).to_be_visible(timeout=ADMIN_TIMEOUT)


def test_an_author_writes_a_module_the_board_endorses_it_and_the_learner_reads_it(session, roles, enrolled):
    author, board_member = roles
    course, doctor = enrolled
    ModulePageFactory(parent=course, title="Pain assessment")

    # The author writes a new module under the course and submits it for endorsement.
    admin = sign_in_to_admin(session(), author)
    admin.goto(f"/admin/pages/{course.pk}/")
    admin.get_by_role("link", name="Add child page").click()
    # A course holds modules and its evaluation form: Wagtail asks which to add.
    admin.get_by_role("link", name="Module page", exact=True).click()
    expect(admin.get_by_role("heading", name="New: Module page")).to_be_visible()
    title_in(admin, "Cooled radiofrequency ablation")
    admin.get_by_role("spinbutton", name="Estimated minutes").fill("45")
    objectives = admin.get_by_role("region", name="Objectives", exact=True)
    objectives.get_by_role("button", name="Insert a block").first.click()
    objectives.get_by_role("textbox").fill("Compare cooled and conventional radiofrequency lesions.")
    body = admin.get_by_role("region", name="Body", exact=True)
    body.get_by_role("button", name="Insert a block").first.click()
    admin.get_by_role("option", name="Paragraph").click()
    body.get_by_role("region", name=re.compile("^Paragraph")).get_by_role("textbox").fill(NEW_MODULE_TEXT)
    saved_to_form(admin, "Cooled radiofrequency produces")
    body.get_by_role("button", name="Insert a block").last.click()
    admin.get_by_role("option", name="References").click()
    body.get_by_role("textbox", name="Citation").fill(CITATION)
    submit_for_endorsement(admin, "Cooled radiofrequency ablation")

    module = ModulePage.objects.child_of(course).get(title="Cooled radiofrequency ablation")
    assert not module.live and module.workflow_in_progress

    # Before approval the enrolled learner does not see the new module at all.
    reader = sign_in_as_learner(session(), doctor)
    reader.goto(course.url)
    syllabus = reader.get_by_role("region", name="Syllabus")
    expect(syllabus.get_by_text("Pain assessment")).to_be_visible()
    expect(syllabus.get_by_text("Cooled radiofrequency ablation")).to_have_count(0)
    assert reader.goto(module.url).status == 404

    # A board member finds it awaiting their review on the dashboard, and approves it there,
    # with the queue's "Approve with comment" pop-up: the same confirmation as the editor's.
    review = sign_in_to_admin(session(), board_member)
    awaiting = review.get_by_role("region", name=re.compile("Sent to you for endorsement"))
    row = awaiting.get_by_role("row").filter(
        has=review.get_by_role("link", name="Cooled radiofrequency ablation")
    )
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve with comment").click()
    dialog = review.get_by_role("dialog")
    dialog.get_by_label("Comment").fill("Accurate and well referenced.")
    dialog.get_by_role("button", name="Approve with comment").click()
    expect(
        review.get_by_text(
            re.compile(
                "Endorsed by the Faculty of Pain Medicine: ‘Cooled radiofrequency ablation’, approved by "
                ".* It is live for learners."
            )
        )
    ).to_be_visible(timeout=ADMIN_TIMEOUT)
    expect(review).to_have_url(re.compile(r"/admin/$"))  # back on the dashboard

    module.refresh_from_db()
    assert module.live

    # The learner now reads it, with the endorsement line and today's date.
    reader.goto(course.url)
    reader.get_by_role("region", name="Syllabus").get_by_role(
        "link", name="Cooled radiofrequency ablation"
    ).click()
    expect(reader.get_by_role("heading", name="Cooled radiofrequency ablation", level=1)).to_be_visible()
    expect(reader.get_by_text("Cooled radiofrequency produces larger lesions")).to_be_visible()
    expect(reader.get_by_text(f"{ENDORSED} on {today()}")).to_be_visible()

    endorsement = Endorsement.objects.get(page=module)
    assert endorsement.revision_id == module.live_revision_id
    assert endorsement.approved_by == board_member
    assert endorsement.comment == "Accurate and well referenced."


def endorsed_module(course, *, author, board_member, title: str, text: str) -> ModulePage:
    """A module that has been through the endorsement workflow once (Wagtail's own API)."""
    module = course.add_child(
        instance=ModulePage(
            title=title,
            estimated_minutes=30,
            objectives=[("objective", "Select patients for genicular nerve ablation.")],
            body=[
                ("paragraph", f"<p>{text}</p>"),
                ("references", {"references": [{"citation": CITATION, "url": ""}]}),
            ],
            live=False,
        )
    )
    module.save_revision(user=author)
    module.get_workflow().start(module, author)
    task_state = module.current_workflow_task_state
    task_state.task.specific.on_action(task_state, board_member, "approve")
    module.refresh_from_db()
    assert module.live
    return module


def test_editing_an_endorsed_module_shows_learners_the_approved_text_until_reapproval(
    session, roles, enrolled
):
    author, board_member = roles
    course, doctor = enrolled
    module = endorsed_module(
        course, author=author, board_member=board_member, title="Genicular nerve ablation", text=FIRST_EDITION
    )
    ModulePageFactory(parent=course, title="Pain assessment")

    # The learner reads the endorsed module and completes it: one module of two.
    reader = sign_in_as_learner(session(), doctor)
    reader.goto(module.url)
    expect(reader.get_by_text("First edition: select patients")).to_be_visible()
    expect(reader.get_by_text(f"{ENDORSED} on {today()}")).to_be_visible()
    reader.get_by_role("button", name="Mark as complete").click()
    reader.goto("/dashboard/")
    expect(reader.get_by_text("1 of 2 modules")).to_be_visible()
    expect(reader.get_by_role("progressbar").first).to_have_attribute("aria-valuenow", "50")
    completion = ModuleCompletion.objects.get(module=module, enrolment__learner=doctor)

    # The author revises the text and submits the revision for endorsement.
    admin = sign_in_to_admin(session(), author)
    admin.goto(f"/admin/pages/{course.pk}/")
    admin.get_by_role("link", name="Genicular nerve ablation").click()
    paragraph = admin.get_by_role("region", name=re.compile("^Paragraph")).get_by_role("textbox")
    expect(paragraph).to_contain_text("First edition")
    # Replace the paragraph the way an editor does: select all of it and type over it.
    paragraph.click()
    admin.keyboard.press("ControlOrMeta+a")
    admin.keyboard.press("Delete")
    admin.keyboard.insert_text(SECOND_EDITION)
    expect(paragraph).not_to_contain_text("First edition")
    saved_to_form(admin, "Second edition")
    submit_for_endorsement(admin, "Genicular nerve ablation")

    # Until the board approves, the learner still reads the approved first edition.
    reader.goto(module.url)
    expect(reader.get_by_text("First edition: select patients")).to_be_visible()
    expect(reader.get_by_text("Second edition")).to_have_count(0)
    expect(reader.get_by_text(f"{ENDORSED} on {today()}")).to_be_visible()

    # The board approves the revision from the page's edit view.
    review = sign_in_to_admin(session(), board_member)
    review.goto(f"/admin/pages/{module.pk}/edit/")
    approve(review, "Genicular nerve ablation", "The single-block protocol is now standard.")

    # The learner reads the second edition, endorsed today, and is still one module of two in.
    reader.goto(module.url)
    expect(reader.get_by_text("Second edition: a single diagnostic block")).to_be_visible()
    expect(reader.get_by_text("First edition")).to_have_count(0)
    expect(reader.get_by_text(f"{ENDORSED} on {today()}")).to_be_visible()
    reader.goto("/dashboard/")
    expect(reader.get_by_text("1 of 2 modules")).to_be_visible()
    expect(reader.get_by_role("progressbar").first).to_have_attribute("aria-valuenow", "50")
    assert ModuleCompletion.objects.filter(pk=completion.pk, module=module).exists()

    # One endorsement per approved revision, each by the board member; the live one is the last.
    module.refresh_from_db()
    endorsements = list(Endorsement.objects.filter(page=module).order_by("approved_at"))
    assert [e.approved_by for e in endorsements] == [board_member, board_member]
    assert len({e.revision_id for e in endorsements}) == 2
    assert endorsements[-1].revision_id == module.live_revision_id
    assert endorsements[-1].comment == "The single-block protocol is now standard."


THIRD_EDITION = prose("Third edition: pulsed radiofrequency is an option for patients unfit for ablation.")


def test_the_board_approves_from_the_editor_after_a_last_edit_and_the_learner_sees_it_endorsed(
    session, roles, enrolled
):
    """The seen bug: the endorsement was recorded for the submitted revision while the
    reviewer's edit went live, so the line vanished for good."""
    author, board_member = roles
    course, doctor = enrolled
    module = endorsed_module(
        course, author=author, board_member=board_member, title="Genicular nerve ablation", text=FIRST_EDITION
    )
    module.body = [
        ("paragraph", f"<p>{SECOND_EDITION}</p>"),
        ("references", {"references": [{"citation": CITATION, "url": ""}]}),
    ]
    submitted = module.save_revision(user=author)
    module.get_workflow().start(module, author)

    # The board member opens the submitted revision, corrects it, and approves it in one go.
    review = sign_in_to_admin(session(), board_member)
    review.goto(f"/admin/pages/{module.pk}/edit/")
    footer = review.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    expect(footer.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    review.keyboard.press("Escape")
    paragraph = review.get_by_role("region", name=re.compile("^Paragraph")).get_by_role("textbox")
    expect(paragraph).to_contain_text("Second edition")
    paragraph.click()
    review.keyboard.press("ControlOrMeta+a")
    review.keyboard.press("Delete")
    review.keyboard.insert_text(THIRD_EDITION)
    saved_to_form(review, "Third edition")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(
        review.get_by_text(
            "Endorsed by the Faculty of Pain Medicine: ‘Genicular nerve ablation’, approved by"
        )
    ).to_be_visible()

    # What went live is the board member's last edit, and that is what the record names.
    module.refresh_from_db()
    assert module.live_revision_id != submitted.pk
    endorsement = Endorsement.objects.get(page=module, revision_id=module.live_revision_id)
    assert endorsement.approved_by == board_member
    assert not Endorsement.objects.filter(revision=submitted).exists()

    # The learner reads the third edition with the endorsement line.
    reader = sign_in_as_learner(session(), doctor)
    reader.goto(module.url)
    expect(reader.get_by_text("Third edition: pulsed radiofrequency")).to_be_visible()
    expect(reader.get_by_text("Second edition")).to_have_count(0)
    expect(reader.get_by_text(f"{ENDORSED} on {today()}")).to_be_visible()


def test_the_editor_shows_the_standard_beside_each_field_and_keeps_a_refused_draft(session, roles, enrolled):
    from courses.standards import MODULE_FIELD_RULES

    author, board_member = roles
    course, _ = enrolled
    admin = sign_in_to_admin(session(), author)
    admin.goto(f"/admin/pages/add/courses/modulepage/{course.pk}/", timeout=ADMIN_TIMEOUT)

    # The rules are there before anything is refused.
    expect(admin.get_by_text(MODULE_FIELD_RULES["body"])).to_be_visible(timeout=ADMIN_TIMEOUT)
    expect(admin.get_by_text(MODULE_FIELD_RULES["objectives"])).to_be_visible(timeout=ADMIN_TIMEOUT)
    # The author's own click creates the page: no autosave on the add form raced it (it did,
    # in CI: the autosave's draft took the slug and "Save draft" was refused).
    expect(admin.locator("form[data-w-autosave-interval-value]")).to_have_count(0)
    title_in(admin, "Pulsed radiofrequency")
    admin.get_by_role("spinbutton", name="Estimated minutes").fill("20")
    admin.get_by_role("button", name="Save draft").click()
    expect(admin.get_by_text(re.compile("Pulsed radiofrequency.*created"))).to_be_visible(
        timeout=ADMIN_TIMEOUT
    )

    admin.get_by_role("spinbutton", name="Estimated minutes").fill("25")
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name=f"Send for {WORKFLOW}").click()

    expect(
        admin.get_by_text(
            re.compile("Your draft of ‘Pulsed radiofrequency’ is saved, but it was not sent to the Faculty")
        )
    ).to_be_visible(timeout=ADMIN_TIMEOUT)
    expect(admin.get_by_text("could not be saved")).to_have_count(0)
    objectives = admin.get_by_role("region", name="Objectives", exact=True)
    expect(objectives.get_by_text("Add at least one learning objective.")).to_be_visible(
        timeout=ADMIN_TIMEOUT
    )
    body = admin.get_by_role("region", name="Body", exact=True)
    expect(body.get_by_text(re.compile("Add a References block with at least one reference"))).to_be_visible(
        timeout=ADMIN_TIMEOUT
    )
    module = ModulePage.objects.child_of(course).get(title="Pulsed radiofrequency")
    assert module.get_latest_revision_as_object().estimated_minutes == 25  # the work was kept
    assert not module.workflow_states.exists()  # and nothing went to the Faculty
