"""``manage.py seed_demo``: a complete, idempotent demo.

These tests share one seed of the empty test database (the ``seeded_demo`` fixture);
each test's own changes roll back. Seeding an empty database, refusing bad content and
production settings are in ``test_seed_demo_data.py``.
"""

import datetime
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, Site, TaskState, WorkflowState

from certificates.models import Certificate
from courses.blocks import ModuleBodyBlock
from courses.models import (
    CourseEvaluationPage,
    CourseFaculty,
    CourseIndexPage,
    CoursePage,
    CourseRun,
    CreditClaim,
    CreditType,
    DesignatedCredit,
    Endorsement,
    EvaluationSubmission,
    ExternalCredit,
    FacultyMember,
    HomePage,
    ModulePage,
    Track,
    TranscriptEntry,
)
from courses.services import enrolment_create
from lms.models import DoctorProfile
from quizzes.models import Attempt
from tests.support.demo import account, demo_accounts, seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seeded_demo):
    return seeded_demo


def month_start(offset: int) -> datetime.date:
    today = timezone.localdate()
    index = today.month - 1 + offset
    return datetime.date(today.year + index // 12, index % 12 + 1, 1)


def counts() -> dict[str, int]:
    models = [
        Page,
        Revision,
        PageLogEntry,
        Site,
        CoursePage,
        ModulePage,
        CourseFaculty,
        FacultyMember,
        CourseRun,
        get_image_model(),
        get_user_model(),
        EmailAddress,
        DoctorProfile,
        get_user_model().groups.through,
        Endorsement,
        WorkflowState,
        TaskState,
        CreditType,
        DesignatedCredit,
        CourseEvaluationPage,
        EvaluationSubmission,
        CreditClaim,
        TranscriptEntry,
        Certificate,
        ExternalCredit,
        Attempt,
    ]
    return {model._meta.label: model.objects.count() for model in models}


def test_running_twice_creates_and_changes_nothing_the_second_time(seeded):
    first = counts()
    runs_before = list(CourseRun.objects.order_by("pk").values())

    output = seed()

    assert counts() == first
    assert first["courses.CreditClaim"] == 2 and first["courses.ExternalCredit"] == 1
    assert list(CourseRun.objects.order_by("pk").values()) == runs_before
    tallies = [line for line in output.splitlines() if "created," in line]
    assert tallies and all(re.search(r"\s0 created,", line) for line in tallies), output


def test_home_page_is_the_default_sites_root_and_the_catalogue_is_at_courses(seeded):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    # Wagtail's placeholder "Welcome" page is gone; the home page is the only top-level page.
    assert [p.specific_class for p in Page.get_first_root_node().get_children()] == [HomePage]
    assert CourseIndexPage.objects.live().get().url == "/courses/"


def test_catalogue_offers_one_published_course_in_each_track(seeded):
    courses = CoursePage.objects.live()
    assert sorted(courses.values_list("track", flat=True)) == sorted(Track.values)
    for course in courses:
        modules = ModulePage.objects.child_of(course).live()
        assert 3 <= modules.count() <= 4, course.title
        assert 4 <= len(course.objectives) <= 6
        assert course.cme_credit_hours and course.estimated_hours and course.audience
        assert course.faculty_links.count() == 2
        # Published through a revision, so the admin shows its history.
        assert course.live_revision is not None
        for module in modules:
            kinds = [block.block_type for block in module.body]
            assert {"paragraph", "key_points", "references"} <= set(kinds), module.title
            paragraphs = sum(
                block.value.source.count("<p>") for block in module.body if block.block_type == "paragraph"
            )
            assert paragraphs >= 5, module.title
            assert module.objectives and module.estimated_minutes
            assert module.live_revision is not None
        course_kinds = {block.block_type for module in modules for block in module.body}
        assert "clinical_case" in course_kinds, course.title


def test_every_module_body_passes_the_editors_validation(seeded):
    block = ModuleBodyBlock()
    for module in ModulePage.objects.all():
        block.clean(module.body)  # raises on anything the page editor would refuse


def test_chronic_course_teaches_regenerative_therapy_for_joint_pain(seeded):
    chronic = CoursePage.objects.get(track=Track.CHRONIC)
    module = ModulePage.objects.child_of(chronic).live().get(slug="regenerative-therapy-for-joint-pain")
    text = json.dumps(list(module.body.raw_data)).lower()

    for fact in [
        "platelet-rich plasma",
        "prolotherapy",
        "stem cell",
        "three sessions of prp or",
        "a single session may be enough",
        "ultrasound",
        "fluoroscopy",
        "day-care",
        "local anaesthetic",
        "swelling, bruising and tenderness",
        "stemone",
        "drugs controller general of india",
        "september 2022",
        "fee-for-service",
    ]:
        assert fact in text, fact
    kinds = [block.block_type for block in module.body]
    assert "clinical_case" in kinds and "table" in kinds and "image" in kinds
    comparison = next(block.value for block in module.body if block.block_type == "table")
    assert comparison["data"][0][1:] == [
        "Platelet-rich plasma (PRP)",
        "Prolotherapy",
        "Stem cell (cell-based) therapy",
    ]


def test_every_course_has_runs_this_month_and_the_next_two_and_this_months_is_open(seeded):
    now = timezone.now()
    months = [month_start(offset) for offset in range(3)]
    learner = account("Learner")

    for course in CoursePage.objects.all():
        runs = {run.starts_on: run for run in CourseRun.objects.filter(course=course)}
        assert set(months) <= set(runs), course.title
        current = runs[months[0]]
        assert current.is_enrolment_open(now)
        assert current.seats_left > 0
        assert timezone.localtime(current.enrolment_closes_at).date() == current.ends_on

    # The demo learner's profile is complete, so enrolment through the service works today
    # (in a course she has not already completed: see test_seed_demo_credit.py).
    run = CourseRun.objects.filter(starts_on=months[0]).exclude(enrolments__learner=learner).first()
    enrolment = enrolment_create(learner=learner, run=run)
    assert enrolment.is_active


def test_demo_accounts_log_in_with_the_printed_passwords(seeded, client):
    output = seed()
    for spec in demo_accounts():
        assert spec["email"] in output and spec["password"] in output
        user = get_user_model().objects.get(email=spec["email"])

        response = client.post(
            reverse("account_login"), {"login": spec["email"], "password": spec["password"]}
        )

        assert response.status_code == 302, spec["role"]
        # Mandatory verification would have stopped an unverified address here.
        assert client.session.get("_auth_user_id") == str(user.pk), spec["role"]
        client.logout()

        assert user.has_perm("wagtailadmin.access_admin") is spec["is_staff"]
        assert user.is_superuser is spec["is_superuser"]
    assert account("Learner").doctor_profile.is_complete


def test_an_account_whose_password_was_changed_is_not_reset(seeded):
    learner = account("Learner")
    learner.set_password("Changed-By-The-Learner-1")
    learner.save()

    output = seed()

    learner.refresh_from_db()
    assert learner.check_password("Changed-By-The-Learner-1")
    assert "changed since seeding" in output
