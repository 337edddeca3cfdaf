"""The "Faculty endorsement" workflow: approval publishes, is recorded, and is shown."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from courses.models import Endorsement
from courses.services import enrolment_create, module_complete
from lms.roles import BOARD, FACULTY_AUTHORS
from lms.tasks import send_workflow_notification
from tests.courses.factories import CourseRunFactory, ModulePageFactory
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


def submit(page, author, new_text):
    page.body = [("paragraph", f"<p>{new_text}</p>")]
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
