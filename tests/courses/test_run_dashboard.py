"""The run dashboard: funnel, assessments, learners, filters and search, flat in queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.models import Enrolment, EnrolmentStatus
from courses.reports import course_report, run_report
from courses.services import enrolment_create, enrolment_withdraw
from lms.roles import ADMINISTRATORS, FACULTY_AUTHORS
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.quizzes.factories import make_quiz
from tests.support.operations import expected, populate_run
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def staff(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def run_with(n: int, **run_fields):
    run = CourseRunFactory(**run_fields)
    modules = [ModulePageFactory(parent=run.course) for _ in range(3)]
    quiz = make_quiz(run.course, title="Post-test", pass_mark_percent=Decimal("60"))
    populate_run(run, n, modules=modules, quiz=quiz)
    run.refresh_from_db()
    return run, quiz


def dashboard_url(run) -> str:
    return reverse("courses_courserun:dashboard", args=[run.pk])


def stage_counts(html: str) -> dict[str, tuple[int, int]]:
    rows = re.findall(
        r'<tr data-stage="(\w+)"><th scope="row">[^<]*</th><td>(\d+)</td><td>(\d+)%</td></tr>', html
    )
    return {key: (int(count), int(percent)) for key, count, percent in rows}


def test_funnel_counts_each_stage_cumulatively_with_percentages(client):
    run, _ = run_with(20)
    client.force_login(staff(ADMINISTRATORS))
    response = client.get(dashboard_url(run))
    assert response.status_code == 200
    html = response.content.decode()
    want = expected(20)
    assert stage_counts(html) == {
        "enrolled": (20, 100),
        "started": (want.started, 90),
        "modules": (want.modules_done, 80),
        "assessments": (want.passed, 60),
        "certified": (want.certified, 40),
    }
    # The chart says the same as its table, and is labelled for assistive technology.
    assert 'role="img" aria-labelledby="funnel-caption"' in html
    assert "Certified</text>" in html and "8 (40%)</text>" in html


def test_assessment_pass_rate_and_distribution():
    run, quiz = run_with(20)
    report = run_report(run=run)
    (panel,) = report.panels
    (result,) = panel.data
    assert result.quiz == quiz
    # Sat: steps 2 and 4–9 (14 learners); passed: 4–9 (12).
    assert (result.learners_sat, result.learners_passed, result.pass_rate_percent) == (14, 12, 86)
    bands = dict(result.distribution)
    assert bands["40–50"] == 2 and bands["70–80"] == 4 and bands["90–100"] == 4


def test_median_days_and_withdrawn_learners_count_apart():
    run, _ = run_with(10)
    # Completed after 4..9 days: the median of six is 6.5.
    report = run_report(run=run)
    assert report.median_days_to_completion == 6.5
    enrolment = Enrolment.objects.filter(run=run, status=EnrolmentStatus.ACTIVE).first()
    enrolment_withdraw(enrolment=enrolment)
    report = run_report(run=run)
    assert (report.enrolled, report.withdrawn) == (9, 1)
    _, rows = report.learners_page(per_page=100)
    assert enrolment.pk not in {row.enrolment_id for row in rows}


def test_filters_and_search(client):
    run, _ = run_with(20)
    client.force_login(staff(ADMINISTRATORS))
    report = run_report(run=run)
    assert dict(report.filter_counts) == {"stuck": 2, "failed": 2, "not_started": 2}
    for key in report.filter_counts:
        page, rows = report.learners_page(filter_key=key)
        assert page.paginator.count == 2 and all(getattr(row, key) for row in rows), key
    stuck = client.get(dashboard_url(run), {"filter": "stuck"}).content.decode()
    assert stuck.count("<tr data-enrolment=") == 2 and "Stuck</span>" in stuck
    # By registration number, spelt differently; by e-mail; by name.
    someone = report.learners_page(page=1, per_page=20)[1][13]
    for query in (someone.registration_number.lower().replace("-", " "), someone.email.upper(), someone.name):
        page = client.get(dashboard_url(run), {"q": query}).content.decode()
        assert f'data-enrolment="{someone.enrolment_id}"' in page, query
    nobody = client.get(dashboard_url(run), {"q": "no such doctor"}).content.decode()
    assert "0 learners" in nobody and "<tr data-enrolment=" not in nobody


def test_a_bad_filter_is_reported_and_the_whole_list_shown(client):
    run, _ = run_with(10)
    client.force_login(staff(ADMINISTRATORS))
    html = client.get(dashboard_url(run), {"filter": "everyone-who-paid"}).content.decode()
    assert "Select a valid choice" in html
    assert html.count("<tr data-enrolment=") == 10


def test_learner_row_shows_step_score_and_certificate():
    run, _ = run_with(10)
    rows = {row.registration_number: row for row in run_report(run=run).learners_page()[1]}
    certified = rows[f"KMC-{run.pk}-00005"]
    assert certified.step == "Completed" and certified.score_percent == Decimal("75")
    assert certified.certificate == f"PA-{run.pk}-000005" and certified.certificate_status == "Issued"
    failed = rows[f"KMC-{run.pk}-00002"]
    assert (
        failed.failed and not failed.stuck and failed.step.startswith("Required assessments passed (0 of 1)")
    )
    stuck = rows[f"KMC-{run.pk}-00001"]
    assert stuck.step == "All modules done (1 of 3)" and stuck.stuck and not stuck.not_started
    assert rows[f"KMC-{run.pk}-00000"].not_started


def test_the_funnel_agrees_with_the_progress_rule_of_every_learner():
    """The SQL conditions say what enrolments_progress says, learner by learner."""
    from courses.completion import enrolments_progress

    run, _ = run_with(30)
    report = run_report(run=run)
    enrolments = list(Enrolment.objects.filter(run=run).select_related("run__course"))
    progress = enrolments_progress(enrolments)
    counts = {stage.key: stage.count for stage in report.funnel}
    by_step = {}
    for key in ("modules", "assessments"):
        by_step[key] = 0
    for enrolment in enrolments:
        steps = {step.key: step.is_met for step in progress[enrolment.pk].required_steps}
        if steps["modules"]:
            by_step["modules"] += 1
            if steps["assessments"]:
                by_step["assessments"] += 1
    assert counts["modules"] == by_step["modules"] and counts["assessments"] == by_step["assessments"]
    assert counts["assessments"] == sum(1 for e in enrolments if progress[e.pk].is_complete)


def test_a_learner_enrolled_through_the_service_is_not_started_until_they_study():
    run = CourseRunFactory()
    ModulePageFactory(parent=run.course)
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    (row,) = run_report(run=run).learners_page()[1]
    assert row.not_started and not row.stuck and row.step == "All modules done (0 of 1)"


def test_course_dashboard_covers_every_run(client):
    run, _ = run_with(10)
    other, _ = run_with(20, course=run.course, starts_on=run.starts_on.replace(year=run.starts_on.year + 1))
    report = course_report(course=run.course)
    assert report.enrolled == 30 and [stage.count for stage in report.funnel][-1] == 12
    client.force_login(staff(ADMINISTRATORS))
    response = client.get(reverse("courses_courserun:course_dashboard", args=[run.course_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert dashboard_url(run) in html and dashboard_url(other) in html


def test_dashboard_refused_to_those_who_may_not_see_enrolments(client):
    run, _ = run_with(10)
    client.force_login(staff(FACULTY_AUTHORS))
    assert client.get(dashboard_url(run)).status_code in (302, 403)
    assert client.get(reverse("courses_courserun:course_dashboard", args=[run.course_id])).status_code in (
        302,
        403,
    )
    client.force_login(learner())
    assert client.get(dashboard_url(run)).status_code == 302


def test_unknown_run_or_course_is_404(client):
    client.force_login(staff(ADMINISTRATORS))
    assert client.get(reverse("courses_courserun:dashboard", args=[999999])).status_code == 404
    assert client.get(reverse("courses_courserun:course_dashboard", args=[999999])).status_code == 404


def test_the_run_listing_offers_the_dashboard(client):
    run, _ = run_with(10)
    client.force_login(staff(ADMINISTRATORS))
    html = client.get(reverse("courses_courserun:list")).content.decode()
    assert dashboard_url(run) in html


def queries(client, url) -> int:
    client.get(url)
    with count_queries() as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_dashboard_queries_are_the_same_for_10_and_1000_enrolments(client):
    small, _ = run_with(10)
    large, _ = run_with(1000)
    client.force_login(staff(ADMINISTRATORS))
    counts = (queries(client, dashboard_url(small)), queries(client, dashboard_url(large)))
    assert counts[0] == counts[1], counts
    filtered = queries(client, dashboard_url(large) + "?filter=stuck&q=kmc")
    assert filtered == counts[1]
    # A filter alone, and a later page of a search, the same again.
    assert queries(client, dashboard_url(large) + "?filter=failed") == counts[1]
    assert queries(client, dashboard_url(large) + "?q=kmc&p=3") == counts[1]
    assert counts[1] <= 20
    courses = [reverse("courses_courserun:course_dashboard", args=[run.course_id]) for run in (small, large)]
    assert queries(client, courses[0]) == queries(client, courses[1])


def _attempt(quiz, enrolment, number, *, score, days_ago=1, graded=True):
    from django.utils import timezone

    from quizzes.models import Attempt, AttemptState

    when = timezone.now() - datetime.timedelta(days=days_ago)
    return Attempt.objects.create(
        quiz=quiz,
        enrolment=enrolment,
        learner_id=enrolment.learner_id,
        number=number,
        state=AttemptState.GRADED if graded else AttemptState.IN_PROGRESS,
        started_at=when,
        submitted_at=when if graded else None,
        pass_mark_percent=quiz.pass_mark_percent,
        review_policy=quiz.review_policy,
        multiple_response_scoring=quiz.multiple_response_scoring,
        score_percent=Decimal(score) if graded else None,
        passed=Decimal(score) >= quiz.pass_mark_percent if graded else None,
    )


def test_funnel_and_flags_of_crafted_learners_with_two_required_assessments():
    """Each learner placed by hand: the grouped figures count what each one's rows say,
    with two required assessments (distinct assessments, a failure passed since, an
    attempt still open) and a withdrawn learner counted apart."""
    from django.utils import timezone

    from certificates.models import Certificate, CertificateStatus
    from courses.models import ModuleCompletion
    from courses.reports import enrolments_at_step

    run = CourseRunFactory()
    modules = [ModulePageFactory(parent=run.course) for _ in range(2)]
    mid = make_quiz(run.course, title="Mid-test", pass_mark_percent=Decimal("60"))
    post = make_quiz(run.course, title="Post-test", pass_mark_percent=Decimal("60"))
    now = timezone.now()

    def enrol(name, *, status=EnrolmentStatus.ACTIVE, modules_done=0, days_ago=2):
        enrolment = Enrolment.objects.create(
            learner=learner(),
            run=run,
            status=status,
            enrolled_at=now - datetime.timedelta(days=30),
            completed_at=now - datetime.timedelta(days=20) if status == EnrolmentStatus.COMPLETED else None,
        )
        for module in modules[:modules_done]:
            ModuleCompletion.objects.create(
                enrolment=enrolment, module=module, completed_at=now - datetime.timedelta(days=days_ago)
            )
        return name, enrolment

    people = dict(
        [
            enrol("nothing"),
            enrol("stuck", modules_done=1, days_ago=20),
            enrol("failed_post", modules_done=2),
            enrol("passed_after_failing", modules_done=2),
            enrol("failed_mid", modules_done=2),
            enrol("withdrawn", status=EnrolmentStatus.WITHDRAWN, modules_done=2),
            enrol("certified", status=EnrolmentStatus.COMPLETED, modules_done=2),
            enrol("sitting_post", modules_done=2),
        ]
    )
    _attempt(mid, people["failed_post"], 1, score="80")
    _attempt(post, people["failed_post"], 1, score="40")
    _attempt(mid, people["passed_after_failing"], 1, score="30")
    _attempt(mid, people["passed_after_failing"], 2, score="70")
    _attempt(post, people["passed_after_failing"], 1, score="90")
    _attempt(mid, people["failed_mid"], 1, score="50")
    _attempt(post, people["failed_mid"], 1, score="65")
    _attempt(post, people["withdrawn"], 1, score="10")
    _attempt(mid, people["certified"], 1, score="60")
    _attempt(post, people["certified"], 1, score="100")
    _attempt(mid, people["sitting_post"], 1, score="75")
    _attempt(post, people["sitting_post"], 1, score="0", graded=False)
    Certificate.objects.create(
        enrolment=people["certified"],
        serial="PA-CRAFTED-1",
        status=CertificateStatus.ISSUED,
        holder_name="Dr Certified",
        registration_number="KMC-1",
        course_title=run.course.title,
        run_label=run.label,
        issued_at=now,
        pdf="certificates/crafted.pdf",
        pdf_sha256="0" * 64,
    )

    report = run_report(run=run)
    assert (report.enrolled, report.withdrawn, report.completed) == (7, 1, 1)
    assert [(stage.key, stage.count, stage.percent) for stage in report.funnel] == [
        ("enrolled", 7, 100),
        ("started", 6, 85),
        ("modules", 5, 71),
        ("assessments", 2, 28),
        ("certified", 1, 14),
    ]
    assert report.median_days_to_completion == 10.0
    names = {enrolment.pk: name for name, enrolment in people.items()}

    def listed(key):
        page, rows = report.learners_page(filter_key=key)
        assert page.paginator.count == report.filter_counts[key], key
        return {names[row.enrolment_id] for row in rows}

    assert listed("not_started") == {"nothing"}
    assert listed("stuck") == {"stuck"}
    assert listed("failed") == {"failed_post", "failed_mid"}
    rows = {names[row.enrolment_id]: row for row in report.learners_page()[1]}
    assert set(rows) == set(people) - {"withdrawn"}
    assert rows["failed_mid"].failed and not rows["passed_after_failing"].failed
    assert not rows["sitting_post"].failed and not rows["sitting_post"].stuck
    # The enrolment list's step filter asks the same conditions.
    everyone = Enrolment.objects.filter(run=run)
    at = {key: {names[e.pk] for e in enrolments_at_step(everyone, key)} for key in ("modules", "assessments")}
    assert at["modules"] == {"nothing", "stuck"}
    assert at["assessments"] == {"failed_post", "failed_mid", "sitting_post"}


def test_a_search_is_paged_and_counted_with_its_page():
    run, _ = run_with(30)
    report = run_report(run=run)
    page, rows = report.learners_page(query="kavya", per_page=20)
    assert page.paginator.count == 30 and page.paginator.num_pages == 2 and len(rows) == 20
    second, rows = report.learners_page(query="kavya", page=2, per_page=20)
    assert second.number == 2 and len(rows) == 10
    # Past the end, the last page (as Django's get_page); not a number, the first.
    assert report.learners_page(query="kavya", page=9, per_page=20)[0].number == 2
    assert report.learners_page(query="kavya", page="x", per_page=20)[0].number == 1
    assert report.learners_page(query="nobody at all", per_page=20)[0].paginator.count == 0


def test_a_course_without_runs_and_an_empty_list_have_a_dashboard_of_zeros(client):
    from courses.reports import enrolments_at_step

    run = CourseRunFactory()
    course = run.course
    run.delete()
    report = course_report(course=course)
    assert (report.enrolled, report.withdrawn, report.median_days_to_completion) == (0, 0, None)
    assert report.learners_page(filter_key="stuck")[0].paginator.count == 0
    client.force_login(staff(ADMINISTRATORS))
    response = client.get(reverse("courses_courserun:course_dashboard", args=[course.pk]), {"q": "kmc"})
    assert response.status_code == 200 and "No one is enrolled yet." in response.content.decode()
    assert list(enrolments_at_step(Enrolment.objects.none(), "stuck")) == []
