"""Starting and submitting an attempt run the same queries with 5 questions and with 50; item
analysis runs the same queries with 3 attempts and with 30, whatever the versions."""

import pytest

from courses.services import enrolment_create
from quizzes.services import attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def submit_queries(size: int) -> int:
    run = CourseRunFactory()
    ModulePageFactory(parent=run.course)  # an unfinished module: passing cannot complete the course
    questions = [make_question(stem=f"Q{i}") for i in range(size)]
    quiz = make_quiz(run.course, questions=questions)
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    attempt = attempt_start(learner=doctor, quiz=quiz)
    by_pk = {q.pk: q for q in questions}
    answers = {aq.position: correct_ids(by_pk[aq.question_id]) for aq in attempt.questions.all()}
    with count_queries() as captured:
        outcome = attempt_submit(attempt=attempt, learner=doctor, answers=answers)
    assert outcome.graded_now and outcome.attempt.passed
    return len(captured)


def test_submit_is_flat_in_the_number_of_questions():
    five, fifty = submit_queries(5), submit_queries(50)
    assert five == fifty
    assert fifty <= 10


def start_queries(size: int) -> int:
    run = CourseRunFactory()
    quiz = make_quiz(run.course, questions=[make_question(stem=f"Q{i}") for i in range(size)])
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    with count_queries() as captured:
        attempt = attempt_start(learner=doctor, quiz=quiz)
    assert attempt.questions.count() == size
    return len(captured)


def test_start_is_flat_in_the_number_of_questions_checked_for_endorsement():
    five, fifty = start_queries(5), start_queries(50)
    assert five == fifty
    assert fifty <= 14


def analysis_queries(attempts: int) -> int:
    """Item analysis of ``attempts`` graded attempts spread over two endorsed versions of a question."""
    from django.contrib.auth.models import Group

    from lms.roles import BOARD, FACULTY_AUTHORS
    from quizzes.selectors import quiz_item_analysis
    from tests.factories import UserFactory
    from tests.quizzes.factories import endorse

    author, reviewer = UserFactory(is_staff=True), UserFactory(is_staff=True)
    author.groups.add(Group.objects.get(name=FACULTY_AUTHORS))
    reviewer.groups.add(Group.objects.get(name=BOARD))
    run = CourseRunFactory(capacity=attempts + 1)
    question = endorse(make_question(stem="Versioned"), author=author, reviewer=reviewer)
    quiz = make_quiz(run.course, questions=[question, make_question(stem="Other")], attempts_allowed=0)
    for n in range(attempts):
        if n == attempts // 2:
            edited = question.get_latest_revision_as_object()
            edited.stem = "<p>Versioned, second edition</p>"
            endorse(edited, author=author, reviewer=reviewer)
        doctor = learner()
        enrolment_create(learner=doctor, run=run)
        attempt = attempt_start(learner=doctor, quiz=quiz)
        answers = {
            aq.position: correct_ids(aq.question) for aq in attempt.questions.select_related("question")
        }
        attempt_submit(attempt=attempt, learner=doctor, answers=answers)
    with count_queries() as captured:
        analysis = quiz_item_analysis(quiz=quiz)
    assert analysis.summary.n == attempts
    assert len(next(i for i in analysis.items if i.question.pk == question.pk).versions) == 2
    return len(captured)


def test_item_analysis_with_versions_is_flat_in_the_number_of_attempts():
    assert analysis_queries(3) == analysis_queries(30)
