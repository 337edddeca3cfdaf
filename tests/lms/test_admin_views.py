"""Every academy admin screen, for every role: who may open it and act, and that everyone
else is refused with nothing changed; GETs change nothing; POSTs need the CSRF token.

The screens are the ``admin_actions`` of the snippets' viewsets (lms.admin_views); their
permissions are the models' policies (lms.admin_policies). One world (runs, enrolments,
a rendered certificate, a failed one, a graded attempt, a faculty member) is built once
for the module; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateStatus
from courses.models import CourseRun, Enrolment, FacultyMember
from courses.services import enrolment_create
from lms.roles import ADMINISTRATORS, BOARD, FACULTY_AUTHORS
from quizzes.models import ExtraAttemptGrant
from quizzes.services import attempt_start, attempt_submit
from tests.certificates.factories import complete, course_to_complete, issued_certificate
from tests.courses.factories import CoursePageFactory, CourseRunFactory, ModulePageFactory, schedule_runs_form
from tests.factories import UserFactory, learner
from tests.quizzes.factories import make_question, make_quiz, wrong_ids

pytestmark = pytest.mark.django_db

ROLES = ("learner", "author", "board", "administrator", "staff without permissions")


@dataclass
class World:
    users: dict
    run: CourseRun
    active: Enrolment
    newcomer: object
    issued: Certificate
    failed: Certificate
    attempt: object
    member: FacultyMember


def _staff(*groups):
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction
    from django.test import override_settings

    media = str(tmp_path_factory.mktemp("admin-views-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        staff_only = UserFactory(is_staff=True)
        staff_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
        users = {
            "learner": learner(),
            "author": _staff(FACULTY_AUTHORS),
            "board": _staff(BOARD),
            "administrator": _staff(ADMINISTRATORS),
            "staff without permissions": staff_only,
        }
        issued = issued_certificate()
        enrolment, pages = course_to_complete()
        failed = complete(enrolment, pages)
        Certificate.objects.filter(pk=failed.pk).update(
            status=CertificateStatus.FAILED, failed_at=timezone.now(), last_error="No doctor's profile"
        )
        failed.refresh_from_db()
        run = issued.enrolment.run
        doctor = learner()
        quiz_run = CourseRunFactory()  # in progress, with a module: its learners may take the final
        ModulePageFactory(parent=quiz_run.course)
        active = enrolment_create(learner=doctor, run=quiz_run)
        question = make_question()
        quiz = make_quiz(active.run.course, questions=[question], attempts_allowed=1)
        attempt = attempt_start(learner=doctor, quiz=quiz)
        attempt_submit(attempt=attempt, learner=doctor, answers={1: wrong_ids(question)})
        member = FacultyMember.objects.create(name="Dr Farah Khan")
        yield World(
            users=users,
            run=run,
            active=active,
            newcomer=learner(),
            issued=issued,
            failed=failed,
            attempt=attempt,
            member=member,
        )
        transaction.set_rollback(True)


@dataclass(frozen=True)
class Screen:
    """One admin screen: its URL name and arguments in the world, the data of a valid
    POST (``None``: a read-only screen) and the roles allowed to use it."""

    url_name: str
    args: object  # world -> list
    data: object  # world -> dict | None
    allowed: frozenset[str]

    def url(self, world: World) -> str:
        return reverse(self.url_name, args=self.args(world))

    def __str__(self) -> str:
        return self.url_name.split(":")[1]


def ready_export(world) -> int:
    """A finished export of the world's run, asked for by its administrator."""
    from courses.exports import run_export_build, run_export_request

    export = run_export_request(
        kind="enrolments",
        file_format="csv",
        course=world.run.course,
        run=world.run,
        by=world.users["administrator"],
    )
    return run_export_build(export_id=export.pk).pk


ADMIN = frozenset({"administrator"})
READ_ONLY = {
    "statistics",
    "attempt_versions",
    "run_progress",
    "run_zip",
    "dashboard",
    "course_dashboard",
    "export_progress",
    "download",
}
CERTIFICATE = "wagtailsnippets_certificates_certificate"

SCREENS = [
    Screen(
        "courses_courserun:schedule",
        lambda w: [],
        lambda w: schedule_runs_form(CoursePageFactory()),
        ADMIN,
    ),
    Screen(
        "courses_enrolment:enrol",
        lambda w: [],
        lambda w: {"learner_email": w.newcomer.email, "run": w.active.run_id},
        ADMIN,
    ),
    Screen("courses_courserun:dashboard", lambda w: [w.run.pk], lambda w: None, ADMIN),
    Screen("courses_courserun:course_dashboard", lambda w: [w.run.course_id], lambda w: None, ADMIN),
    Screen(
        "courses_runexport:request_export",
        lambda w: [],
        lambda w: {"run": w.run.pk, "kind": "enrolments", "file_format": "csv"},
        ADMIN,
    ),
    Screen("courses_runexport:export_progress", lambda w: [ready_export(w)], lambda w: None, ADMIN),
    Screen("courses_runexport:download", lambda w: [ready_export(w)], lambda w: None, ADMIN),
    Screen("courses_enrolment:withdraw", lambda w: [w.active.pk], lambda w: {}, ADMIN),
    # Changing faculty records is the board's work as well as the administrators'.
    Screen(
        "courses_facultymember:confirm_disclosures",
        lambda w: [w.member.pk],
        lambda w: {},
        frozenset({"administrator", "board"}),
    ),
    # Item statistics are for the faculty who write the questions, too.
    Screen(
        "wagtailsnippets_quizzes_quiz:statistics",
        lambda w: [w.attempt.quiz_id],
        lambda w: None,
        frozenset({"author", "board", "administrator"}),
    ),
    Screen(
        "wagtailsnippets_quizzes_quiz:attempt_versions",
        lambda w: [w.attempt.quiz_id],
        lambda w: None,
        frozenset({"author", "board", "administrator"}),
    ),
    Screen(
        "quizzes_attempt:grant_extra",
        lambda w: [w.attempt.pk],
        lambda w: {"extra": "1", "reason": "Unwell on the day"},
        ADMIN,
    ),
    Screen(
        f"{CERTIFICATE}:issue",
        lambda w: [],
        lambda w: {"learner_email": w.active.learner.email, "run": w.active.run_id, "reason": "In person"},
        ADMIN,
    ),
    Screen(f"{CERTIFICATE}:bulk_issue", lambda w: [], lambda w: {"run": w.run.pk}, ADMIN),
    Screen(f"{CERTIFICATE}:run_progress", lambda w: [w.run.pk], lambda w: None, ADMIN),
    Screen(f"{CERTIFICATE}:run_zip", lambda w: [w.run.pk], lambda w: None, ADMIN),
    Screen(
        f"{CERTIFICATE}:revoke",
        lambda w: [w.issued.pk],
        lambda w: {"category": "issued_in_error", "note": "Wrong run"},
        ADMIN,
    ),
    Screen(f"{CERTIFICATE}:reissue", lambda w: [w.issued.pk], lambda w: {"reason": "Name corrected"}, ADMIN),
    Screen(f"{CERTIFICATE}:retry", lambda w: [w.failed.pk], lambda w: {}, ADMIN),
]
POST_SCREENS = [screen for screen in SCREENS if screen.url_name.split(":")[1] not in READ_ONLY]


def state() -> tuple:
    """What any of the screens could change: audit entries and the rows they write."""
    return (
        ModelLogEntry.objects.count(),
        CourseRun.objects.count(),
        sorted(Enrolment.objects.values_list("pk", "status")),
        sorted(Certificate.objects.values_list("pk", "status")),
        ExtraAttemptGrant.objects.count(),
        sorted(FacultyMember.objects.values_list("pk", "disclosures_confirmed_on")),
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("screen", SCREENS, ids=str)
def test_each_role_may_use_exactly_the_screens_its_permissions_allow(client, world, screen, role):
    client.force_login(world.users[role])
    url = screen.url(world)
    data = screen.data(world)
    before = state()

    response = client.get(url)

    assert state() == before, "a GET changed something"
    if role in screen.allowed:
        assert response.status_code == 200, _body(response)[:500]
    elif role == "learner":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    else:
        # Wagtail answers a refusal in its admin with its home page and a message, and a
        # script's request with 403.
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        home = client.get(response["Location"]).content.decode()
        assert "Sorry, you do not have permission to access this area." in home
        assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    if data is None:
        return

    response = client.post(url, data)

    if role in screen.allowed:
        assert response.status_code == 302, _body(response)[:2000]
        assert ModelLogEntry.objects.count() > before[0], "the action left no audit entry"
    else:
        assert response.status_code == 302
        assert response["Location"] != url
        assert state() == before


# Screens whose role rules are tested beside the feature, with the data they need (an
# uploaded file, a pre-test with learners, submitted evaluations): the test that does it.
ROLES_TESTED_BESIDE_THE_FEATURE = {
    "courses_bulkenrolment:bulk_upload": "tests/courses/test_bulk_enrolment_job.py::test_only_administrators_upload_or_confirm",
    "courses_bulkenrolment:bulk_preview": "tests/courses/test_bulk_enrolment_job.py::test_only_administrators_upload_or_confirm",
    "courses_bulkenrolment:bulk_progress": "tests/courses/test_bulk_enrolment_job.py::test_only_administrators_upload_or_confirm",
    "courses_courserun:evaluation": "tests/courses/test_evaluation_report.py::test_only_those_who_may_read_evaluations_open_it",
    "courses_courserun:course_evaluation": "tests/courses/test_evaluation_report.py::test_only_those_who_may_read_evaluations_open_it",
    "wagtailsnippets_quizzes_quiz:knowledge_gain": (
        "tests/quizzes/test_knowledge_gain_admin.py::"
        "test_only_a_pre_test_has_the_report_and_only_staff_who_may_see_quizzes_open_it"
    ),
}


def test_every_registered_action_screen_is_in_the_role_matrix():
    """A screen added to a viewset without a row above (or a role test of its own) would go untested."""
    from wagtail.snippets.models import get_snippet_models

    registered = set()
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        for action in getattr(viewset, "admin_actions", ()):
            registered.add(viewset.get_url_name(action.name))
    assert registered == {screen.url_name for screen in SCREENS} | set(ROLES_TESTED_BESIDE_THE_FEATURE)
    from pathlib import Path

    for test in ROLES_TESTED_BESIDE_THE_FEATURE.values():
        path, name = test.split("::")
        assert f"def {name}(" in Path(path).read_text(), f"{test} is gone"


@pytest.mark.parametrize("screen", POST_SCREENS, ids=str)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world, screen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["administrator"])
    before = state()
    response = client.post(screen.url(world), screen.data(world))
    assert response.status_code == 403
    assert state() == before


def test_bad_input_gets_the_form_again_with_a_clear_message_and_changes_nothing(client, world):
    client.force_login(world.users["administrator"])
    before = state()
    cases = [
        ("courses_courserun:schedule", [], {"course": "", "first_month": "13-2031"}, "Enter a valid date."),
        ("courses_courserun:schedule", [], {"count": "0"}, "greater than or equal to 1"),
        (
            "courses_enrolment:enrol",
            [],
            {"learner_email": "nobody@example.org", "run": world.active.run_id},
            "No account uses this e-mail address.",
        ),
        (
            "quizzes_attempt:grant_extra",
            [world.attempt.pk],
            {"extra": "9", "reason": "x"},
            "less than or equal to 5",
        ),
        (
            "quizzes_attempt:grant_extra",
            [world.attempt.pk],
            {"extra": "1", "reason": ""},
            "This field is required.",
        ),
        (
            f"{CERTIFICATE}:issue",
            [],
            {"learner_email": world.newcomer.email, "run": world.run.pk, "reason": "In person"},
            "is not enrolled in",
        ),
        (f"{CERTIFICATE}:bulk_issue", [], {"run": "not-a-run"}, "Select a valid choice."),
        (f"{CERTIFICATE}:revoke", [world.issued.pk], {"category": "because"}, "Select a valid choice."),
        (f"{CERTIFICATE}:reissue", [world.issued.pk], {"reason": "   "}, "This field is required."),
    ]
    for url_name, args, data, message in cases:
        response = client.post(reverse(url_name, args=args), data)
        assert response.status_code == 200, url_name
        assert message in response.content.decode(), (url_name, data)
    assert state() == before


# --- The templates ---------------------------------------------------------------------------------

ADMIN_TEMPLATES = sorted(
    path
    for folder in (
        "templates/lms/admin",
        "templates/courses/admin",
        "templates/quizzes/admin",
        "templates/certificates/admin",
    )
    for path in (Path(settings.BASE_DIR) / folder).glob("*.html")
)


def test_the_admin_screens_templates_carry_no_inline_script_or_style():
    """The admin's Content-Security-Policy will refuse inline code: ours must need none."""
    assert len(ADMIN_TEMPLATES) >= 15
    for path in ADMIN_TEMPLATES:
        source = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", source, re.I), path
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", source, re.I), path


def test_the_screens_share_one_header_and_form():
    """Only the shared base draws Wagtail's header and the form; a screen's template holds its wording."""
    for path in ADMIN_TEMPLATES:
        source = path.read_text()
        assert "wagtailadmin/shared/header.html" not in source, path
        if path.name != "action_form.html":
            # A listing's GET search form (the run dashboard's learner list) is no action form.
            action_forms = re.findall(r"<form(?![^>]*method=\"get\")", source)
            assert not action_forms or path.name == "certificate_inspect.html", path
    assert not (Path(settings.BASE_DIR) / "templates/includes/admin_form.html").exists()
