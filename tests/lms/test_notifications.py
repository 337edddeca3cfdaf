"""Wagtail's workflow e-mails leave the request and are sent once, by a task."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from lms import notifications
from lms.roles import BOARD, FACULTY_AUTHORS
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member(role, email):
    user = UserFactory(is_staff=True, email=email)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_submitting_for_review_sends_one_email_per_reviewer_from_the_task(django_capture_on_commit_callbacks):
    from lms.celery import app

    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course)
    author = member(FACULTY_AUTHORS, "author@example.org")
    member(BOARD, "board@example.org")

    app.conf.task_always_eager = True  # the worker's part runs here, after commit
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            module.save_revision(user=author)
            module.get_workflow().start(module, author)
            assert mail.outbox == []  # nothing sent inside the editor's transaction
        for callback in callbacks:
            callback()
    finally:
        app.conf.task_always_eager = False
    # Wagtail's own in-request sender is disconnected: one message, not two.
    assert [message.to for message in mail.outbox] == [["board@example.org"]]


def test_taking_over_refuses_to_start_when_wagtails_receivers_are_not_where_expected(monkeypatch):
    uid, signal_name, sender_name, notifier = notifications.EVENTS["workflow_approved"]
    monkeypatch.setitem(
        notifications.EVENTS,
        "workflow_approved",
        ("a_uid_wagtail_never_used", signal_name, sender_name, notifier),
    )
    # Ours are connected already, Wagtail's (under the uid above) never were.
    import wagtail.models

    signal = notifications._signal(signal_name)
    signal.disconnect(
        sender=wagtail.models.WorkflowState, dispatch_uid="lms_queued_workflow_approved_email_notification"
    )
    try:
        with pytest.raises(ImproperlyConfigured, match="a_uid_wagtail_never_used"):
            notifications.take_over_workflow_notifications()
    finally:
        monkeypatch.undo()
        notifications.connect_queued_notification("workflow_approved")
    notifications.take_over_workflow_notifications()  # finds ours in place: nothing to refuse
    assert signal.has_listeners(wagtail.models.WorkflowState)
