"""The course admin offers withdrawing, confirming disclosures and scheduling only where
they apply and to whom they are allowed; each screen asks the rule its button asked."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import Enrolment, EnrolmentStatus, FacultyMember
from courses.selectors import enrolment_withdraw_refusal
from courses.services import enrolment_create, enrolment_withdraw
from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS
from tests.courses.factories import CourseRunFactory
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


def staff(*roles):
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def active() -> Enrolment:
    return enrolment_create(learner=learner(), run=CourseRunFactory())


def in_an_ended_run() -> Enrolment:
    enrolment = active()
    ended = timezone.localdate() - datetime.timedelta(days=40)
    type(enrolment.run).objects.filter(pk=enrolment.run_id).update(
        starts_on=ended - datetime.timedelta(days=27), ends_on=ended
    )
    return Enrolment.objects.select_related("run").get(pk=enrolment.pk)


def withdrawn() -> Enrolment:
    return enrolment_withdraw(enrolment=active())


def completed() -> Enrolment:
    enrolment = active()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
    )
    return Enrolment.objects.select_related("run").get(pk=enrolment.pk)


ENROLMENTS = {
    "active": (active, None),
    "ended run": (in_an_ended_run, "run has ended; there is nothing to withdraw from"),
    "withdrawn": (withdrawn, "This enrolment is already withdrawn."),
    "completed": (completed, "a completed enrolment cannot be withdrawn"),
}


@pytest.mark.parametrize("state", ENROLMENTS)
def test_withdraw_is_offered_and_done_only_where_it_applies(client, state):
    make, refusal = ENROLMENTS[state]
    enrolment = make()
    assert (enrolment_withdraw_refusal(enrolment=enrolment) is None) is (refusal is None)
    client.force_login(staff(ADMINISTRATORS))
    withdraw = reverse("courses_enrolment:withdraw", args=[enrolment.pk])
    status, entries = enrolment.status, ModelLogEntry.objects.count()

    inspect = client.get(reverse("courses_enrolment:inspect", args=[enrolment.pk])).content.decode()
    listing = client.get(reverse("courses_enrolment:list")).content.decode()
    screen = client.get(withdraw).content.decode()
    response = client.post(withdraw)

    enrolment.refresh_from_db()
    if refusal is None:
        assert withdraw in inspect and withdraw in listing
        assert "Yes, withdraw" in screen
        assert response.status_code == 302 and enrolment.status == EnrolmentStatus.WITHDRAWN
    else:
        assert withdraw not in inspect and withdraw not in listing
        for page in (screen, response.content.decode()):
            assert refusal in page and "Yes, withdraw" not in page
        assert response.status_code == 200
        assert enrolment.status == status and ModelLogEntry.objects.count() == entries


def test_withdrawing_shows_the_enrolment_and_returns_to_it(client):
    enrolment = active()
    client.force_login(staff(ADMINISTRATORS))
    withdraw = reverse("courses_enrolment:withdraw", args=[enrolment.pk])
    screen = client.get(withdraw).content.decode()
    assert enrolment.learner.email in screen and enrolment.run.label in screen
    assert "No, don&#x27;t withdraw" in screen
    response = client.post(withdraw, follow=True)
    assert response.redirect_chain[-1][0] == reverse("courses_enrolment:inspect", args=[enrolment.pk])
    assert f"{enrolment.learner.display_name} is withdrawn from {enrolment.run}." in response.content.decode()


@pytest.fixture
def member():
    return FacultyMember.objects.create(name="Dr Farah Khan", user=staff(FACULTY_AUTHORS))


@pytest.mark.parametrize(
    ("who", "offered", "may_edit"),
    [
        ("the member", True, False),  # authors see faculty records; this one is their own
        ("another author", False, False),
        ("a board member", True, True),
        ("an administrator", True, True),
    ],
)
def test_confirming_disclosures_is_offered_to_the_member_and_those_who_edit_faculty(
    client, member, who, offered, may_edit
):
    user = {
        "the member": member.user,
        "another author": staff(FACULTY_AUTHORS),
        "a board member": staff(BOARD),
        "an administrator": staff(ADMINISTRATORS),
    }[who]
    client.force_login(user)
    confirm = reverse("courses_facultymember:confirm_disclosures", args=[member.pk])
    edit = reverse("courses_facultymember:edit", args=[member.pk])

    inspect = client.get(reverse("courses_facultymember:inspect", args=[member.pk]))
    listing = client.get(reverse("courses_facultymember:list")).content.decode()
    screen = client.get(confirm)

    assert inspect.status_code == 200
    assert (confirm in inspect.content.decode()) is offered
    assert (confirm in listing) is offered
    assert (screen.status_code == 200) is offered
    if offered:
        assert (edit in screen.content.decode()) is may_edit  # "Edit the faculty record" only for editors
        client.post(confirm)
        member.refresh_from_db()
        assert member.disclosures_confirmed_on == timezone.localdate()


def test_the_member_without_the_faculty_listing_returns_home_after_confirming(client):
    """A member whose account may not browse faculty records is sent to the admin's home."""
    account = UserFactory(is_staff=True)
    account.user_permissions.add(Permission.objects.get(codename="access_admin"))
    member = FacultyMember.objects.create(name="Dr Neha Joshi", user=account)
    client.force_login(account)
    response = client.post(reverse("courses_facultymember:confirm_disclosures", args=[member.pk]))
    assert response["Location"] == reverse("wagtailadmin_home")


def test_scheduling_is_offered_on_the_runs_listing_to_those_who_may_add_runs(client):
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_courserun")
    )
    schedule = reverse("courses_courserun:schedule")
    for user, shown in ((staff(ADMINISTRATORS), True), (reader, False)):
        client.force_login(user)
        assert (schedule in client.get(reverse("courses_courserun:list")).content.decode()) is shown
    enrol = reverse("courses_enrolment:enrol")
    client.force_login(staff(ADMINISTRATORS))
    assert enrol in client.get(reverse("courses_enrolment:list")).content.decode()


def test_a_link_may_prefill_the_run_or_course(client):
    run = CourseRunFactory()
    client.force_login(staff(ADMINISTRATORS))
    enrol = client.get(reverse("courses_enrolment:enrol"), {"run": run.pk}).content.decode()
    assert f'<option value="{run.pk}" selected>' in enrol
    schedule = client.get(reverse("courses_courserun:schedule"), {"course": run.course_id}).content.decode()
    assert f'<option value="{run.course_id}" selected>' in schedule
