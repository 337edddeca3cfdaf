"""``manage.py seed_demo`` adds a valid, published question bank and quizzes, idempotently.

The tests share one seed (the ``seeded_demo`` fixture); each test's changes roll back.
Refusing broken demo files is tested in ``test_demo_bank.py``.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import strip_tags
from taggit.models import Tag
from wagtail.models import ModelLogEntry, Revision, WorkflowState

from courses.demo.catalogue import load_catalogue
from courses.models import CoursePage, CourseRun, Endorsement, ModulePage
from courses.services import enrolment_create, module_complete
from quizzes.demo import load_question_bank
from quizzes.models import (
    AttemptQuestion,
    Choice,
    Question,
    QuestionTag,
    Quiz,
    QuizQuestion,
    QuizRole,
    ReviewPolicy,
    SelectionMode,
)
from quizzes.services import attempt_start
from quizzes.validation import ChoiceData, question_problems, quiz_problems
from tests.factories import learner as new_learner
from tests.support.demo import account, seed

pytestmark = pytest.mark.django_db

WORKFLOW = "Faculty endorsement"

REGENERATIVE_MODULE = "regenerative-therapy-for-joint-pain"
CHRONIC = "chronic-musculoskeletal-pain"


@pytest.fixture
def seeded(seeded_demo):
    return seeded_demo


@pytest.fixture(scope="module")
def bank():
    """The demo files as the seeder reads them."""
    return load_question_bank(catalogue=load_catalogue())


def described(question: Question) -> tuple[int, str, list[ChoiceData]]:
    return question.pk, question.kind, [ChoiceData(c.text, c.is_correct) for c in question.choices.all()]


def counts() -> dict[str, int]:
    models = [Question, Choice, QuestionTag, Tag, Quiz, QuizQuestion, Revision, ModelLogEntry]
    return {model._meta.label: model.objects.count() for model in models}


def tally(output: str, kind: str) -> tuple[int, int]:
    match = re.search(rf"{kind}\s+(\d+) created,\s+(\d+) already present", output)
    assert match, output
    return int(match[1]), int(match[2])


def test_seeding_twice_creates_the_bank_once_and_changes_nothing(seeded, bank):
    assert tally(seeded, "questions") == (len(bank["questions"]), 0)
    assert tally(seeded, "quizzes") == (len(bank["quizzes"]), 0)
    first = counts()
    quizzes_before = list(Quiz.objects.order_by("pk").values())

    output = seed()

    assert counts() == first
    assert list(Quiz.objects.order_by("pk").values()) == quizzes_before
    assert tally(output, "questions") == (0, len(bank["questions"]))
    assert tally(output, "quizzes") == (0, len(bank["quizzes"]))


def test_an_editors_changes_survive_reseeding_and_only_missing_quizzes_come_back(seeded, bank):
    question = Question.objects.get(stem=bank["questions"][0]["stem"])
    question.explanation = "<p>Rewritten by the faculty author.</p>"
    question.save()
    quiz = Quiz.objects.get(title=bank["quizzes"][0]["title"])
    quiz.pass_mark_percent = Decimal("55")
    quiz.save()
    deleted = Quiz.objects.get(title=bank["quizzes"][1]["title"])
    deleted_pk = deleted.pk
    deleted.delete()
    questions_before = Question.objects.count()

    output = seed()

    question.refresh_from_db()
    quiz.refresh_from_db()
    assert question.explanation == "<p>Rewritten by the faculty author.</p>"
    assert quiz.pass_mark_percent == Decimal("55")
    assert Question.objects.count() == questions_before
    recreated = Quiz.objects.get(title=bank["quizzes"][1]["title"])
    assert recreated.pk != deleted_pk and recreated.live
    assert tally(output, "quizzes") == (1, len(bank["quizzes"]) - 1)


def test_every_demo_question_passes_validation_and_is_complete(seeded, bank):
    questions = list(Question.objects.prefetch_related("choices", "tags"))
    author = account("Faculty author")

    assert len(questions) == len(bank["questions"])
    assert 40 <= len(questions) <= 60
    assert {q.kind for q in questions} == {"single", "multiple", "true_false"}
    for question in questions:
        _, kind, choices = described(question)
        assert question_problems(kind, choices) == [], question
        if kind == "single":
            # The format of medical examinations: one best answer among five options.
            assert len(choices) == 5, question
        assert strip_tags(question.explanation).strip(), question
        assert question.tags.exists() and question.track and question.difficulty, question
        assert question.created_by == author
    single = sum(q.kind == "single" for q in questions)
    assert single > len(questions) / 2


def test_every_quiz_is_valid_live_and_published_by_the_board_reviewer(seeded, bank):
    author, reviewer = account("Faculty author"), account("Board reviewer")
    quizzes = list(Quiz.objects.select_related("course", "module", "live_revision"))

    assert len(quizzes) == len(bank["quizzes"])
    for quiz in quizzes:
        pool = (
            Question.objects.filter(tags__in=quiz.draw_tags.all()).distinct()
            if quiz.draw_tags.exists()
            else []
        )
        problems = quiz_problems(
            selection=quiz.selection,
            role=quiz.role,
            course_path=quiz.course.path,
            module_path=quiz.module.path if quiz.module else None,
            fixed_questions=[described(link.question) for link in quiz.quiz_questions.all()],
            draw_count=quiz.draw_count,
            draw_pool=[described(question) for question in pool],
        )
        assert problems == [], (quiz.title, problems)
        assert quiz.live and not quiz.has_unpublished_changes, quiz.title
        assert quiz.live_revision is not None and quiz.live_revision == quiz.latest_revision, quiz.title
        assert quiz.live_revision.user == author, quiz.title
        published = ModelLogEntry.objects.for_instance(quiz).filter(action="wagtail.publish").get()
        assert published.user == reviewer, quiz.title
        if quiz.module is not None:
            assert quiz.module.get_parent().specific == quiz.course, quiz.title


def test_every_question_and_quiz_went_through_the_endorsement_workflow(seeded):
    """The author submits, the board approves: each live version carries its endorsement."""
    author, reviewer = account("Faculty author"), account("Board reviewer")
    items = [*Question.objects.all(), *Quiz.objects.all()]
    assert len(items) > 40

    for item in items:
        assert item.live and not item.has_unpublished_changes, str(item)
        endorsement = Endorsement.objects.get(
            content_type=ContentType.objects.get_for_model(item), object_id=str(item.pk)
        )
        assert endorsement.revision_id == item.live_revision_id, str(item)
        assert endorsement.approved_by == reviewer, str(item)
        state = WorkflowState.objects.for_instance(item).get()
        assert (state.workflow.name, state.status, state.requested_by) == (WORKFLOW, "approved", author)
        actions = {entry.action: entry.user for entry in ModelLogEntry.objects.for_instance(item)}
        assert actions["wagtail.workflow.start"] == author, str(item)
        assert actions["wagtail.workflow.approve"] == reviewer, str(item)
        assert actions["wagtail.publish"] == reviewer, str(item)
    # A quiz is endorsed only after every question it lists.
    for quiz in Quiz.objects.all():
        endorsed_at = Endorsement.objects.get(
            content_type=ContentType.objects.get_for_model(Quiz), object_id=str(quiz.pk)
        ).approved_at
        for link in quiz.quiz_questions.all():
            assert (
                Endorsement.objects.get(
                    content_type=ContentType.objects.get_for_model(Question), object_id=str(link.question_id)
                ).approved_at
                <= endorsed_at
            )


def test_each_course_has_one_required_timed_final_assessment(seeded):
    for course in CoursePage.objects.all():
        final = Quiz.objects.get(course=course, role=QuizRole.FINAL)
        size = final.draw_count if final.selection == SelectionMode.RANDOM else final.quiz_questions.count()

        assert final.required_for_completion, course.title
        assert final.module is None
        assert 10 <= size <= 12, course.title
        assert 20 <= final.time_limit_minutes <= 30, course.title
        assert final.pass_mark_percent == Decimal("70")
        assert final.attempts_allowed in (2, 3)
        assert final.review_policy == ReviewPolicy.AFTER_PASSING

        checks = Quiz.objects.filter(course=course, role=QuizRole.MODULE_CHECK)
        assert checks.exists(), course.title
        for check in checks:
            assert 4 <= check.quiz_questions.count() <= 6, check.title
            assert Decimal("60") <= check.pass_mark_percent <= Decimal("70")
            assert check.attempts_allowed == 3
            assert check.review_policy == ReviewPolicy.AFTER_EACH_ATTEMPT
            assert check.time_limit_minutes in (None, 15)
    assert Quiz.objects.filter(selection=SelectionMode.RANDOM, role=QuizRole.FINAL).count() == 1
    # Most module checks are optional, so a learner completes a course by passing its final.
    checks = Quiz.objects.filter(role=QuizRole.MODULE_CHECK)
    assert checks.filter(required_for_completion=False).count() > checks.count() / 2

    pre_tests = Quiz.objects.filter(role=QuizRole.PRE_TEST).select_related("course")
    assert sorted(p.course.slug for p in pre_tests) == [
        "acute-pain-management",
        "cancer-pain",
        "foundations-of-pain-medicine",
    ]
    for pre_test in pre_tests:
        assert not pre_test.required_for_completion
        assert pre_test.review_policy == ReviewPolicy.NEVER


def test_chronic_course_assesses_regenerative_therapy_from_the_seed_facts(seeded):
    chronic = CoursePage.objects.get(slug=CHRONIC)
    regenerative = Question.objects.filter(track="chronic", tags__name="regenerative therapy").distinct()
    text = " ".join(
        strip_tags(" ".join([q.stem, q.explanation, *(c.text for c in q.choices.all())]))
        for q in regenerative
    ).lower()

    assert regenerative.count() >= 10
    for fact in [
        "prp",
        "platelet-rich plasma",
        "prolotherapy",
        "stem cell",
        "three sessions",
        "single session",
        "ultrasound",
        "fluoroscopy",
        "day-care",
        "local anaesthetic",
        "swelling, bruising and tenderness",
        "within a few days to a week",
        "stemone",
        "allogeneic",
        "single intra-articular injection",
        "september 2022",
        "drugs controller general of india",
        "not regulated as a drug",
        "a year or longer",
        "rehabilitation",
    ]:
        assert fact in text, fact

    module = ModulePage.objects.child_of(chronic).get(slug=REGENERATIVE_MODULE)
    check = Quiz.objects.get(course=chronic, module=module)
    linked = Question.objects.filter(pk__in=check.quiz_questions.values("question"))
    assert set(linked) <= set(regenerative)
    final = Quiz.objects.get(course=chronic, role=QuizRole.FINAL)
    assert set(regenerative) <= set(Question.objects.filter(tags__in=final.draw_tags.all()))


def test_a_doctor_in_this_months_run_can_start_every_final_assessment(seeded):
    # The demo learner has completed two courses (test_seed_demo_credit.py): a new doctor.
    learner = new_learner()
    this_month = timezone.localdate().replace(day=1)

    for final in Quiz.objects.filter(role=QuizRole.FINAL).select_related("course"):
        enrolment_create(
            learner=learner, run=CourseRun.objects.get(course=final.course, starts_on=this_month)
        )
        # Every demo course is accredited: its post-test opens once the modules are done.
        for module in ModulePage.objects.child_of(final.course).live():
            module_complete(learner=learner, module=module)

        attempt = attempt_start(learner=learner, quiz=final)

        shown = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("question"))
        assert attempt.deadline - attempt.started_at == datetime.timedelta(minutes=final.time_limit_minutes)
        if final.selection == SelectionMode.RANDOM:
            pool = set(Question.objects.filter(tags__in=final.draw_tags.all()))
            assert len(pool) > final.draw_count, "the draw should vary between attempts"
            assert len(shown) == final.draw_count
            assert len({row.question_id for row in shown}) == final.draw_count
            assert {row.question for row in shown} <= pool
            assert {row.question.track for row in shown} == {final.course.track}
        else:
            assert {row.question_id for row in shown} == set(
                final.quiz_questions.values_list("question", flat=True)
            )
