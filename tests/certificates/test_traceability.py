"""Issue 10, traceability: a certificate records exactly what the Faculty endorsed behind it.

The revision of each module studied and its endorsement, the course page's endorsement,
the quiz versions of the passed attempts, the faculty's disclosures as shown and the
claim — copied into the certificate when it is issued, shown on the administrator's
certificate screen, and read by the public verification page. Later edits and
endorsements change nothing already issued.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_reissue, certificate_render
from courses.models import (
    CourseFaculty,
    Endorsement,
    FacultyDisclosure,
    FacultyMember,
    ModuleAuthor,
    ModuleCompletion,
)
from courses.services import credit_claim_submit, enrolment_create, evaluation_submit, module_complete
from lms.roles import BOARD, FACULTY_AUTHORS
from quizzes.services import attempt_start, attempt_submit
from tests.courses.factories import (
    EVALUATION_ANSWERS,
    CourseRunFactory,
    CreditTypeFactory,
    ModulePageFactory,
    designate,
    evaluation_page,
)
from tests.courses.test_endorsement import conforming
from tests.factories import UserFactory, learner
from tests.quizzes.factories import correct_ids, endorse, make_question, make_quiz, wrong_ids

pytestmark = pytest.mark.django_db


def member(role: str, name: str):
    user = UserFactory(is_staff=True, first_name=name.split()[0], last_name=name.split()[-1])
    user.groups.add(Group.objects.get(name=role))
    return user


def endorse_page(page, *, author, reviewer, text: str):
    """Edit ``page`` to meet the content standard and take it through the board's approval."""
    if page.specific_class.__name__ == "ModulePage":
        conforming(page, text)
    else:
        page.summary = text
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    page.refresh_from_db()
    return Endorsement.objects.get(page=page, revision_id=page.live_revision_id)


def pin(endorsement: Endorsement, days_ago: int) -> datetime.datetime:
    """Give an endorsement a day of its own, so a page must show this one's date."""
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Endorsement.objects.filter(pk=endorsement.pk).update(approved_at=moment)
    return moment


@dataclass
class Accredited:
    enrolment: object
    course: object
    module: object
    quiz: object
    questions: list
    author: object
    reviewer: object
    course_endorsed_at: datetime.datetime
    module_endorsed_at: datetime.datetime
    quiz_endorsement: Endorsement


@pytest.fixture
def accredited():
    """An endorsed course, module and post-test, designating 6 credits; a doctor enrolled."""
    author = member(FACULTY_AUTHORS, "Asha Menon")
    reviewer = member(BOARD, "Vikram Shah")
    run = CourseRunFactory()
    course = run.course
    director = FacultyMember.objects.create(
        name="Dr Meera Iyer", credentials="MD, FIPP", disclosures_confirmed_on=timezone.localdate()
    )
    FacultyDisclosure.objects.create(
        faculty_member=director,
        company="Abbott",
        relationship="consultant",
        started_on=datetime.date(2025, 4, 1),
    )
    course.faculty_links = [CourseFaculty(faculty_member=director, role="Course director")]

    module = ModulePageFactory(parent=course, title="Radiofrequency ablation", estimated_minutes=360)
    writer = FacultyMember.objects.create(name="Dr Rohan Das", disclosures_confirmed_on=timezone.localdate())
    module.module_authors = [ModuleAuthor(faculty_member=writer)]
    module_endorsement = endorse_page(module, author=author, reviewer=reviewer, text="First edition.")
    module_endorsed_at = pin(module_endorsement, 30)
    designate(course, CreditTypeFactory(name="AMA PRA Category 1 Credit™", awarding_body="ACCME"), "6")
    evaluation_page(course)
    course = type(course).objects.get(pk=course.pk)
    course.faculty_links = [CourseFaculty(faculty_member=director, role="Course director")]
    course_endorsement = endorse_page(course, author=author, reviewer=reviewer, text="Endorsed overview.")
    course_endorsed_at = pin(course_endorsement, 40)

    questions = [
        endorse(
            make_question(stem="Which is first-line for neuropathic pain?"), author=author, reviewer=reviewer
        ),
        endorse(
            make_question(
                stem="Which opioid is safest in renal failure?",
                choices=(("Buprenorphine", True), ("Morphine", False), ("Codeine", False)),
            ),
            author=author,
            reviewer=reviewer,
        ),
    ]
    quiz = endorse(
        make_quiz(course, questions=questions, title="Post-test", live=False, attempts_allowed=3),
        author=author,
        reviewer=reviewer,
    )
    quiz_endorsement = Endorsement.objects.get(revision_id=quiz.live_revision_id)

    enrolment = enrolment_create(learner=learner(full_name="Dr Kavya Raghunathan"), run=run)
    return Accredited(
        enrolment=enrolment,
        course=course,
        module=module,
        quiz=quiz,
        questions=questions,
        author=author,
        reviewer=reviewer,
        course_endorsed_at=course_endorsed_at,
        module_endorsed_at=module_endorsed_at,
        quiz_endorsement=quiz_endorsement,
    )


def sit(doctor, quiz, questions, *, right: bool):
    attempt = attempt_start(learner=doctor, quiz=quiz)
    by_pk = {q.pk: q for q in questions}
    answers = {
        aq.position: (correct_ids if right else wrong_ids)(by_pk[aq.question_id])
        for aq in attempt.questions.all()
    }
    attempt_submit(attempt=attempt, learner=doctor, answers=answers)
    return attempt


def finish(setting: Accredited) -> Certificate:
    """Modules, post-test (fail, then pass), evaluation, 5 h 10 min claimed; the certificate rendered here."""
    from courses.models import CourseEvaluationPage

    doctor = setting.enrolment.learner
    module_complete(learner=doctor, module=setting.module)
    sit(doctor, setting.quiz, setting.questions, right=False)
    passed = sit(doctor, setting.quiz, setting.questions, right=True)
    page = CourseEvaluationPage.objects.child_of(setting.course).live().get()
    evaluation_submit(learner=doctor, page=page, form_data=EVALUATION_ANSWERS)
    credit_claim_submit(learner=doctor, enrolment=setting.enrolment, minutes_spent=310, attested=True)
    pending = Certificate.objects.get(enrolment=setting.enrolment, status="pending")
    certificate = certificate_render(certificate_id=pending.pk)
    certificate.passed_attempt = passed
    return certificate


def test_a_module_completion_records_the_revision_the_learner_studied(accredited):
    studied = accredited.module.live_revision_id
    module_complete(learner=accredited.enrolment.learner, module=accredited.module)
    endorse_page(
        accredited.module, author=accredited.author, reviewer=accredited.reviewer, text="Second edition."
    )
    module_complete(
        learner=accredited.enrolment.learner, module=accredited.module
    )  # idempotent: keeps the first

    completion = ModuleCompletion.objects.get(enrolment=accredited.enrolment)
    assert (
        completion.revision_id
        == studied
        != ModulePageFactory._meta.model.objects.get(pk=accredited.module.pk).live_revision_id
    )


def test_the_certificate_records_the_whole_chain_and_a_later_edit_and_endorsement_changes_none_of_it(
    accredited, media_root, admin_client, client
):
    studied_module = accredited.module.live_revision_id
    certificate = finish(accredited)
    trail = certificate.traceability

    [module] = trail["modules"]
    assert module["revision_id"] == studied_module and not module["revision_inferred"]
    assert module["title"] == "Radiofrequency ablation"
    assert module["endorsement"]["approved_by"] == "Vikram Shah"
    assert module["endorsement"]["approved_at"] == accredited.module_endorsed_at.isoformat()
    assert len(module["endorsement"]["content_sha256"]) == 64
    assert trail["course"]["endorsement"]["approved_at"] == accredited.course_endorsed_at.isoformat()
    [quiz] = trail["quizzes"]  # the failed first attempt is not part of the chain
    assert quiz["attempt_id"] == certificate.passed_attempt.pk and quiz["number"] == 2
    assert quiz["revision_id"] == accredited.quiz.live_revision_id
    assert quiz["endorsement"]["approved_by"] == "Vikram Shah"
    assert quiz["score_percent"] == "100.00"
    faculty = {f["name"]: f for f in trail["faculty"]}
    assert faculty["Dr Meera Iyer"]["roles"] == ["Course director"]
    assert faculty["Dr Meera Iyer"]["disclosures"] == [
        {
            "company": "Abbott",
            "relationship": "Consultant or advisory board",
            "started_on": "2025-04-01",
            "ended_on": None,
        }
    ]
    assert faculty["Dr Rohan Das"]["roles"] == ["Module author"]
    assert faculty["Dr Rohan Das"]["disclosures"] == []
    assert trail["claim"]["minutes_spent"] == 310 and trail["claim"]["attested_personally"]
    assert trail["claim"]["credits"] == [
        {
            "credit_type": "AMA PRA Category 1 Credit™",
            "awarding_body": "ACCME",
            "designated_max": "6.00",
            "credits": "5.25",
        }
    ]

    # A second edition of everything, endorsed; the director's disclosures change too.
    endorse_page(
        accredited.module, author=accredited.author, reviewer=accredited.reviewer, text="Second edition."
    )
    endorse_page(
        accredited.course, author=accredited.author, reviewer=accredited.reviewer, text="Second overview."
    )
    accredited.quiz.title = "Post-test, second edition"
    endorse(accredited.quiz, author=accredited.author, reviewer=accredited.reviewer)
    FacultyDisclosure.objects.filter(company="Abbott").update(company="Medtronic")
    certificate.refresh_from_db()
    assert certificate.traceability == trail

    inspect = admin_client.get(
        reverse("wagtailsnippets_certificates_certificate:inspect", args=[certificate.pk])
    ).content.decode()
    assert "What this certificate was earned on" in inspect
    assert f"Revision {studied_module}" in inspect
    assert f"Revision {accredited.module.live_revision_id}" not in inspect  # the second edition
    assert (
        f"Endorsed by Vikram Shah on {timezone.localtime(accredited.module_endorsed_at):%-d %b %Y}" in inspect
    )
    assert "Post-test (final assessment), attempt 2: 100 % (pass mark 60 %)" in inspect
    assert "Abbott" in inspect and "Medtronic" not in inspect
    assert "spent 5 h 10 min" in inspect and "5.25" in inspect and "ACCME" in inspect

    page = client.get(certificate.verification_path).content.decode()
    assert "Endorsed by the Faculty of Pain Medicine" in page
    assert f'<time datetime="{timezone.localtime(accredited.course_endorsed_at):%Y-%m-%d}">' in page
    assert "5.25 AMA PRA Category 1 Credit™, awarded by ACCME" in page


def test_a_reissue_after_a_new_edition_still_traces_to_the_revision_the_learner_studied(
    accredited, media_root, admin_user
):
    studied_module = accredited.module.live_revision_id
    certificate = finish(accredited)
    endorse_page(
        accredited.module, author=accredited.author, reviewer=accredited.reviewer, text="Second edition."
    )

    replacement = certificate_render(
        certificate_id=certificate_reissue(certificate=certificate, by=admin_user, reason="Name corrected").pk
    )

    assert replacement.traceability["modules"][0]["revision_id"] == studied_module
    assert (
        replacement.traceability["modules"][0]["endorsement"]
        == certificate.traceability["modules"][0]["endorsement"]
    )


def test_without_a_course_endorsement_the_verification_page_shows_the_modules_endorsement(
    accredited, media_root, client
):
    Endorsement.objects.filter(page=accredited.course).delete()
    certificate = finish(accredited)
    assert certificate.traceability["course"]["endorsement"] is None

    page = client.get(certificate.verification_path).content.decode()
    assert f'<time datetime="{timezone.localtime(accredited.module_endorsed_at):%Y-%m-%d}">' in page


def test_a_completion_recorded_before_revisions_were_kept_is_traced_through_the_publishing_history(
    accredited, media_root
):
    studied_module = accredited.module.live_revision_id
    module_complete(learner=accredited.enrolment.learner, module=accredited.module)
    ModuleCompletion.objects.filter(enrolment=accredited.enrolment).update(revision=None)
    certificate = finish(accredited)

    [module] = certificate.traceability["modules"]
    assert module["revision_id"] == studied_module and module["revision_inferred"]
    assert module["endorsement"]["approved_by"] == "Vikram Shah"


def test_a_certificate_issued_before_the_chain_was_recorded_keeps_working(
    accredited, media_root, admin_client, client
):
    certificate = finish(accredited)
    Certificate.objects.filter(pk=certificate.pk).update(traceability={})

    inspect = admin_client.get(
        reverse("wagtailsnippets_certificates_certificate:inspect", args=[certificate.pk])
    )
    assert inspect.status_code == 200
    assert (
        "issued before the academy recorded the content behind each certificate" in inspect.content.decode()
    )
    page = client.get(certificate.verification_path).content.decode()
    # Read from the publishing history instead: the course revision live at completion.
    assert f'<time datetime="{timezone.localtime(accredited.course_endorsed_at):%Y-%m-%d}">' in page
