"""The "Faculty endorsement" workflow: approval publishes, is recorded, and is shown."""

import datetime
import hashlib
import io
import json
import re
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from wagtail.models import Revision

from courses.exceptions import EndorsementError
from courses.models import Endorsement, ModulePage
from courses.services import enrolment_create, module_complete
from lms.roles import BOARD, FACULTY_AUTHORS
from lms.tasks import send_workflow_notification
from tests.courses.factories import CourseRunFactory, ModulePageFactory, with_faculty
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


def member(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def setting():
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course, title="Radiofrequency ablation")
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    return module, doctor, member(FACULTY_AUTHORS), member(BOARD)


def conforming(page, new_text):
    """Give ``page`` (a module) content that meets the content standard, with ``new_text`` in it."""
    page.objectives = [("objective", "Select patients for genicular nerve ablation.")]
    page.body = [
        ("paragraph", f"<p>{new_text} {'Teaching on radiofrequency ablation. ' * 50}</p>"),
        ("references", {"references": [{"citation": "Choi WJ, et al. Pain. 2011;152:481-7.", "url": ""}]}),
    ]
    return page


def submit(page, author, new_text):
    conforming(page, new_text)
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    return page.current_workflow_task_state


def approve(page, reviewer, comment=""):
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve", comment=comment)


def test_approval_publishes_the_revision_records_and_shows_the_endorsement(client, setting):
    module, doctor, author, reviewer = setting
    client.force_login(doctor)

    submit(module, author, "Revised teaching on genicular nerve ablation.")
    before = client.get(module.url).content.decode()
    assert "Revised teaching" not in before  # learners see the approved revision only
    assert "platelet-rich plasma dosing" in before

    approve(module, reviewer, comment="Clear and accurate.")

    module.refresh_from_db()
    endorsement = Endorsement.objects.get(page=module)
    assert endorsement.revision_id == module.live_revision_id
    assert endorsement.approved_by == reviewer
    assert endorsement.comment == "Clear and accurate."
    after = client.get(module.url).content.decode()
    assert "Revised teaching" in after
    assert "Endorsed by the Faculty of Pain Medicine" in after


def test_a_page_published_outside_the_workflow_carries_no_endorsement_line(client, setting):
    module, doctor, _, _ = setting
    client.force_login(doctor)
    assert "Endorsed by the Faculty of Pain Medicine" not in client.get(module.url).content.decode()


def test_requesting_changes_publishes_nothing(client, setting):
    module, doctor, author, reviewer = setting
    live = module.live_revision_id
    submit(module, author, "A draft with problems.")
    task_state = module.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment="Cite the trial.")
    module.refresh_from_db()
    assert module.live_revision_id == live
    assert not Endorsement.objects.exists()


def test_reapproval_keeps_the_learners_completion(setting):
    module, doctor, author, reviewer = setting
    completion = module_complete(learner=doctor, module=module).completion
    submit(module, author, "Second edition.")
    approve(module, reviewer)
    completion.refresh_from_db()
    assert completion.module_id == module.pk
    assert Endorsement.objects.filter(page=module).count() == 1


def test_review_notifications_are_queued_not_sent_during_the_request(
    setting, django_capture_on_commit_callbacks
):
    module, _, author, reviewer = setting
    reviewer.email = "board@example.org"
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(module, author, "Please review.")
    assert mail.outbox == []  # nothing sent while the author waits
    assert callbacks  # the notification tasks are queued once the transaction commits

    task_state = module.current_workflow_task_state
    send_workflow_notification.apply(args=("task_submitted", task_state.pk, author.pk))
    assert [message.to for message in mail.outbox] == [["board@example.org"]]
    assert module.title in mail.outbox[0].subject + mail.outbox[0].body


# --- Whatever path approves, the endorsement names the revision that goes live ---------------


def _board_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


def _line(client, page) -> str | None:
    """The endorsement line a learner sees on ``page``, or ``None``."""
    match = re.search(
        r"Endorsed by the Faculty of Pain Medicine</span> on <time[^>]*>([^<]+)</time>",
        client.get(page.url).content.decode(),
    )
    return match.group(1) if match else None


def assert_endorsed_live(page, reviewer, *, comment=""):
    page.refresh_from_db()
    endorsement = Endorsement.objects.get(page=page, revision_id=page.live_revision_id)
    assert endorsement.approved_by == reviewer
    assert endorsement.approved_by_name == reviewer.display_name
    assert endorsement.comment == comment
    assert endorsement.object_title == page.title
    assert endorsement.content_sha256 == _sha256(page.live_revision.content)
    return endorsement


def _sha256(content) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_approve_and_publish_from_the_editor_after_a_last_edit_endorses_the_revision_that_went_live(
    client, setting
):
    """The seen bug: the row named the submitted revision while the reviewer's edit went live."""
    from tests.courses.test_content_standard import module_form

    module, doctor, author, reviewer = setting
    client.force_login(doctor)
    module.objectives = [("objective", "Select patients for genicular nerve ablation.")]
    module.body = [
        ("paragraph", f"<p>{'Submitted text on ablation. ' * 60}</p>"),
        ("references", {"references": [{"citation": "Choi WJ, et al. Pain. 2011;152:481-7.", "url": ""}]}),
    ]
    submitted = module.save_revision(user=author)
    module.get_workflow().start(module, author)

    # The board member corrects a word in the editor and presses "Approve and publish".
    data = module_form(title=module.title, slug=module.slug, action="approve")
    response = _board_client(reviewer).post(reverse("wagtailadmin_pages:edit", args=[module.pk]), data)
    assert response.status_code == 302

    module.refresh_from_db()
    assert module.live_revision_id != submitted.pk  # the reviewer's last edit went live
    assert_endorsed_live(module, reviewer)
    assert not Endorsement.objects.filter(revision=submitted).exists()
    assert _line(client, module) == dateformat.format(timezone.localdate(), "j F Y")


def test_approve_with_comment_from_the_dashboard_endorses_the_live_revision(client, setting):
    module, doctor, author, reviewer = setting
    client.force_login(doctor)
    task_state = submit(module, author, "Revised teaching on genicular nerve ablation.")
    url = reverse("wagtailadmin_pages:workflow_action", args=[module.pk, "approve", task_state.pk])

    response = _board_client(reviewer).post(url, {"comment": "Accurate; references current."})

    assert response.status_code == 302
    module.refresh_from_db()
    assert module.live_revision_id == task_state.revision_id
    assert_endorsed_live(module, reviewer, comment="Accurate; references current.")
    assert _line(client, module)


CONFIRMATION = re.compile(
    r"Endorsed by the Faculty of Pain Medicine: ‘Radiofrequency ablation’, approved by (.+) "
    r"on \d{2} [A-Z][a-z]{2} \d{4}\. It is live for learners\."
)


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        pytest.param({}, {}, id="approve"),
        # The dashboard's "Approve with comment" pop-up posts its form with XMLHttpRequest
        # and, on success, goes where the JSON answer says.
        pytest.param(
            {"comment": "Accurate."}, {"x-requested-with": "XMLHttpRequest"}, id="with-comment-pop-up"
        ),
    ],
)
def test_approval_from_the_dashboard_is_confirmed_as_the_editor_confirms_it(setting, data, headers):
    module, _, author, reviewer = setting
    task_state = submit(module, author, "Revised teaching on genicular nerve ablation.")
    board = _board_client(reviewer)
    dashboard = reverse("wagtailadmin_home")
    url = reverse("wagtailadmin_pages:workflow_action", args=[module.pk, "approve", task_state.pk])

    response = board.post(f"{url}?next={dashboard}", data, headers=headers)

    if headers:
        assert response.json()["step"] == "success" and response.json()["redirect"] == dashboard
    else:
        assert (response.status_code, response.url) == (302, dashboard)
    shown = board.get(dashboard).content.decode()
    confirmed = CONFIRMATION.search(shown)
    assert confirmed, shown
    assert confirmed.group(1) == reviewer.display_name
    assert_endorsed_live(module, reviewer, comment=data.get("comment", ""))


def test_requesting_changes_from_the_dashboard_confirms_no_endorsement(setting):
    module, _, author, reviewer = setting
    submit(module, author, "First edition.")
    approve(module, reviewer)
    task_state = submit(module, author, "Second edition.")  # the live revision is endorsed already
    board = _board_client(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[module.pk, "reject", task_state.pk])

    board.post(url, {"comment": "Cite the trial."}, headers={"x-requested-with": "XMLHttpRequest"})

    assert (
        "Endorsed by the Faculty of Pain Medicine:"
        not in board.get(reverse("wagtailadmin_home")).content.decode()
    )
    assert Endorsement.objects.filter(page=module).count() == 1


def test_the_course_page_shows_the_line_for_its_endorsed_live_revision(client, setting):
    module, doctor, author, reviewer = setting
    course = module.get_parent().specific
    client.force_login(doctor)
    assert _line(client, course) is None  # published outside the workflow (a factory)

    course.summary = "Revised overview."
    with_faculty(course).save_revision(user=author)
    course.get_workflow().start(course, author)
    approve(course, reviewer)

    assert_endorsed_live(course, reviewer)
    assert _line(client, course) == dateformat.format(timezone.localdate(), "j F Y")


def test_scheduled_publishing_goes_live_with_the_endorsement_recorded_at_approval(client, setting):
    module, doctor, author, reviewer = setting
    client.force_login(doctor)
    live = module.live_revision_id
    module.go_live_at = timezone.now() + datetime.timedelta(days=2)
    task_state = submit(module, author, "Second edition, from next week.")
    scheduled = task_state.revision

    approve(module, reviewer)

    module.refresh_from_db()
    assert module.live_revision_id == live  # not yet
    assert Endorsement.objects.get(page=module).revision_id == scheduled.pk
    assert "Second edition" not in client.get(module.url).content.decode()

    # Three days later, Wagtail's scheduler (``publish_scheduled``, run by cron) makes it live.
    later = timezone.now() + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", stdout=io.StringIO())

    module.refresh_from_db()
    assert module.live_revision_id == scheduled.pk
    assert "Second edition" in client.get(module.url).content.decode()
    assert _line(client, module)


def test_an_authors_go_live_date_schedules_nothing_without_approval(setting):
    module, _, author, _ = setting
    module.go_live_at = timezone.now() + datetime.timedelta(days=2)
    submit(module, author, "Scheduled by the author alone.")
    assert not Revision.objects.filter(object_id=str(module.pk), approved_go_live_at__isnull=False).exists()


# --- The record survives as an accreditation record ----------------------------------------


def test_the_record_survives_the_approvers_account_being_deleted(setting):
    module, _, author, reviewer = setting
    submit(module, author, "Revised.")
    approve(module, reviewer)
    name = reviewer.display_name

    reviewer.delete()

    endorsement = Endorsement.objects.get(page=module)
    assert endorsement.approved_by is None
    assert endorsement.approved_by_name == name


def test_purging_revisions_keeps_the_endorsed_live_revision_behind_a_newer_draft(client, setting):
    module, doctor, author, reviewer = setting
    client.force_login(doctor)
    first_draft = module.save_revision(user=author)  # superseded before submission: purgeable
    submit(module, author, "Endorsed edition.")
    approve(module, reviewer)
    module.refresh_from_db()
    endorsed = module.live_revision_id
    module.body = [("paragraph", "<p>An author's newer draft.</p>")]
    module.save_revision(user=author)

    call_command("purge_revisions", stdout=io.StringIO())

    assert not Revision.objects.filter(pk=first_draft.pk).exists()  # the purge did run
    module.refresh_from_db()
    assert module.live_revision_id == endorsed
    assert Endorsement.objects.get(page=module).revision_id == endorsed
    assert _line(client, module)


def test_deleting_an_endorsed_module_keeps_the_record_of_what_was_endorsed(setting):
    module, _, author, reviewer = setting
    submit(module, author, "Revised.")
    approve(module, reviewer)
    endorsement = Endorsement.objects.get(page=module)
    title, sha = module.title, endorsement.content_sha256

    ModulePage.objects.get(pk=module.pk).delete()

    endorsement.refresh_from_db()
    assert (endorsement.page_id, endorsement.revision_id) == (None, None)
    assert (endorsement.object_title, endorsement.content_sha256) == (title, sha)
    assert endorsement.approved_by == reviewer


# --- Approval is withheld while the draft it would publish breaks the content standard ----


def test_the_dashboard_refuses_approval_of_a_draft_that_breaks_the_standard(client, setting):
    """A reviewer's draft saved during review (no references, too short) cannot be approved
    from the dashboard (the board member is told why) nor through the service; changes can
    still be requested, and approval goes through once the draft is fixed."""
    from courses.services import page_endorse

    module, doctor, author, reviewer = setting
    task_state = submit(module, author, "Revised teaching on genicular nerve ablation.")
    module.body = [("paragraph", "<p>Too short, and no references.</p>")]
    module.save_revision(user=reviewer)
    board = _board_client(reviewer)
    dashboard = reverse("wagtailadmin_home")
    url = reverse("wagtailadmin_pages:workflow_action", args=[module.pk, "approve", task_state.pk])

    response = board.post(url, {"comment": "Looks fine."}, HTTP_REFERER="http://testserver" + dashboard)

    assert (response.status_code, response.url) == (302, "http://testserver" + dashboard)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("cannot be endorsed yet" in m and "Add a References block" in m for m in shown), shown
    with pytest.raises(EndorsementError) as refused:
        page_endorse(page=module, user=reviewer)
    assert "Add a References block" in refused.value.message
    module.refresh_from_db()
    assert module.live_revision_id != module.latest_revision_id
    assert module.current_workflow_task_state.status == "in_progress"
    assert not Endorsement.objects.filter(page=module).exists()
    reject = reverse("wagtailadmin_pages:workflow_action", args=[module.pk, "reject", task_state.pk])
    assert board.get(reject).status_code == 200  # requesting changes is still offered

    conforming(module, "Fixed by the reviewer.").save_revision(user=reviewer)
    assert board.post(url, {"comment": "Fixed."}).status_code == 302
    assert_endorsed_live(module, reviewer, comment="Fixed.")
