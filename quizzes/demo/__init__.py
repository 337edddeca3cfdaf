"""The demo question bank and quizzes, added by ``python manage.py seed_demo``.

The content is data in this folder (README.md describes it): ``quiz-defaults.yaml`` and
one ``<course-slug>.yaml`` per demo course, read by :mod:`quizzes.demo.bank`.
``seed_demo`` calls every ``lms_seed_demo`` hook inside its transaction; the quizzes
app registers :func:`seed_quizzes` there, so ``courses`` never imports ``quizzes``.

Contract:

* **Idempotent, and never overwrites.** A question is found by its exact stem, a quiz by
  its course and title. Whatever exists is left exactly as it is (a faculty author's
  edits in the admin survive re-seeding); only what is missing is created. Counts are
  reported to the seeder as ``questions`` and ``quizzes``.
* **Valid or nothing.** The files are checked as they are read, then as a whole
  against :func:`quizzes.validation.question_problems` and for consistency (keys,
  modules, draw pools) before anything is written, and every quiz created is checked
  with :func:`quizzes.validation.quiz_problems` against the database before it is
  published: the rules the admin forms apply. Any problem raises
  :class:`lms.demo_data.DemoDataError` with a readable list naming files and lines, and
  ``seed_demo``'s transaction rolls the whole demo back.
* **Authored and endorsed like real content.** Each question and quiz is created as a
  draft by the demo faculty author, saved as a revision, submitted to the "Faculty
  endorsement" workflow by the author and approved by the demo board reviewer
  (:func:`_endorse`, through :func:`quizzes.services.assessment_submit_for_endorsement`
  and :func:`quizzes.services.assessment_endorse`, which apply the content standard).
  The workflow's finish action publishes each and records its endorsement, so questions
  are endorsed before the quizzes that list them, and everything ends up live.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from taggit.models import Tag

from courses.api import EndorsementError, course_module_by_slug
from lms.demo_data import Collected, DemoDataError, display_path
from quizzes.demo.bank import DEMO_DIR, load_question_bank
from quizzes.models import Choice, Question, Quiz, QuizQuestion, QuizRole, SelectionMode
from quizzes.services import assessment_endorse, assessment_submit_for_endorsement
from quizzes.validation import ChoiceData, question_problems, quiz_problems

__all__ = ["DEMO_DIR", "demo_content_problems", "load_question_bank", "seed_quizzes"]


def seed_quizzes(*, seeder) -> None:
    """Create whatever part of the demo question bank and quizzes is missing.

    ``seeder`` is ``seed_demo``'s seeder: its ``folder_for``, ``catalogue``, ``author``, ``board``,
    ``courses`` (by slug) and ``tally(kind, created)`` are used. Raises
    :class:`DemoDataError` when the files, or a quiz built from them, break the rules.
    """
    bank = load_question_bank(catalogue=seeder.catalogue, folder=seeder.folder_for("quizzes", DEMO_DIR))
    problems = demo_content_problems(bank=bank, catalogue=seeder.catalogue)
    if problems:
        raise DemoDataError("The demo question bank does not validate:\n  - " + "\n  - ".join(problems))
    questions = {spec["key"]: _ensure_question(spec, seeder=seeder) for spec in bank["questions"]}
    for spec in bank["quizzes"]:
        _ensure_quiz(spec, questions=questions, seeder=seeder)


# --- Checking the content before writing anything -----------------------------------------


def _choices(spec: dict) -> list[ChoiceData]:
    return [ChoiceData(choice["text"], choice["is_correct"]) for choice in spec["choices"]]


def _where(spec: dict) -> str:
    return f"{display_path(spec['source'])}:{spec['line']}"


def demo_content_problems(*, bank: dict, catalogue: dict) -> list[str]:
    """Everything wrong with the bank and quizzes as a whole, as readable messages (empty if valid)."""
    problems = Collected()
    modules = {course["slug"]: {m["slug"] for m in course["modules"]} for course in catalogue["courses"]}

    by_key: dict[str, dict] = {}
    first_key: dict[str, dict] = {}
    first_stem: dict[str, dict] = {}
    for spec in bank["questions"]:
        key = spec["key"]
        if key in first_key:
            problems.add(
                spec["source"],
                spec["line"],
                "",
                f"the question key {key!r} is already used at {_where(first_key[key])}",
            )
        first_key.setdefault(key, spec)
        if spec["stem"] in first_stem:
            problems.add(
                spec["source"],
                spec["line"],
                "",
                f"question {key!r} has the same stem as {first_stem[spec['stem']]['key']!r}; stems identify demo questions",
            )
        first_stem.setdefault(spec["stem"], spec)
        by_key[key] = spec
        for problem in question_problems(spec["kind"], _choices(spec), label=f"Question {key!r}"):
            problems.add(spec["source"], spec["line"], "", problem)

    titles = Counter((spec["course"], spec["title"]) for spec in bank["quizzes"])
    for spec in bank["quizzes"]:
        if titles[(spec["course"], spec["title"])] > 1:
            problems.add(
                spec["source"],
                spec["line"],
                "",
                f"two quizzes in {spec['course']!r} are titled {spec['title']!r}",
            )
            titles[(spec["course"], spec["title"])] = 1
        for problem in _quiz_spec_problems(spec, by_key=by_key, modules=modules):
            problems.add(spec["source"], spec["line"], "", problem)
    return problems.problems


def _quiz_spec_problems(spec: dict, *, by_key: dict[str, dict], modules: dict[str, set[str]]) -> list[str]:
    label = f"Quiz {spec['title']!r}"
    problems: list[str] = []
    if spec["role"] == QuizRole.MODULE_CHECK and spec["module"] is None:
        problems.append(f"{label} is a module check but names no module.")
    if spec["role"] != QuizRole.MODULE_CHECK and spec["module"] is not None:
        problems.append(f"{label} is a course-level assessment but names a module.")
    missing = [key for key in spec["questions"] if key not in by_key]
    if missing:
        problems.append(f"{label} lists unknown questions: {', '.join(missing)}.")
    fixed = [by_key[key] for key in spec["questions"] if key in by_key]
    for question in fixed:
        if question["course"] != spec["course"]:
            problems.append(f"{label} uses {question['key']!r}, a question of another course.")
        if spec["module"] and question["module"] != spec["module"]:
            problems.append(
                f"{label} checks {spec['module']!r} but uses {question['key']!r} from {question['module']!r}."
            )
    pool = [q for q in by_key.values() if set(q["tags"]) & set(spec["draw_tags"])]
    if spec["selection"] == SelectionMode.RANDOM:
        if spec["questions"]:
            problems.append(f"{label} draws at random but also lists fixed questions.")
        strangers = [q["key"] for q in pool if q["course"] != spec["course"]]
        if strangers:
            problems.append(
                f"{label}'s draw tags also match other courses' questions: {', '.join(strangers)}."
            )
        unknown_tags = sorted(set(spec["draw_tags"]) - {tag for q in by_key.values() for tag in q["tags"]})
        if unknown_tags:
            problems.append(f"{label} draws from tags no question carries: {', '.join(unknown_tags)}.")
    problems += [
        f"{label}: {problem}"
        for problem in quiz_problems(
            selection=spec["selection"],
            role=spec["role"],
            # Paths exist only in the database; here only "is there a module" matters.
            course_path=None,
            module_path=spec["module"],
            fixed_questions=[(q["key"], q["kind"], _choices(q)) for q in fixed],
            draw_count=spec["draw_count"],
            draw_pool=[(q["key"], q["kind"], _choices(q)) for q in pool],
        )
    ]
    return problems


# --- Writing ------------------------------------------------------------------------------


def _ensure_question(spec: dict, *, seeder) -> Question:
    question = Question.objects.filter(stem=spec["stem"]).order_by("pk").first()
    if question is not None:
        seeder.tally("questions", False)
        return question
    question = Question(
        kind=spec["kind"],
        stem=spec["stem"],
        explanation=spec["explanation"],
        track=spec["track"],
        difficulty=spec["difficulty"],
        created_by=seeder.author,
        # A draft until the board approves its first revision below.
        live=False,
    )
    question.choices = [
        Choice(
            text=choice["text"],
            is_correct=choice["is_correct"],
            feedback=choice["feedback"],
            sort_order=position,
        )
        for position, choice in enumerate(spec["choices"])
    ]
    # Cluster tags are held in memory until the question is saved, with its choices.
    question.tags.add(*spec["tags"])
    question.save()
    question.save_revision(user=seeder.author, log_action=True)
    _endorse(question, where=_where(spec), seeder=seeder)
    seeder.tally("questions", True)
    return question


def _ensure_quiz(spec: dict, *, questions: dict[str, Question], seeder) -> Quiz:
    course = seeder.courses[spec["course"]]
    quiz = Quiz.objects.filter(course=course, title=spec["title"]).order_by("pk").first()
    if quiz is not None:
        seeder.tally("quizzes", False)
        return quiz
    module = None
    if spec["module"] is not None:
        module = course_module_by_slug(course=course, slug=spec["module"])
        if module is None:
            # An editor removed the module the demo quiz checks: say so rather than guess.
            raise DemoDataError(
                f"{_where(spec)}: the quiz {spec['title']!r} checks the module {spec['module']!r}, "
                f"which {course.title!r} no longer has."
            )
    quiz = Quiz(
        title=spec["title"],
        course=course,
        module=module,
        role=spec["role"],
        instructions=spec["instructions"],
        selection=spec["selection"],
        draw_count=spec["draw_count"],
        pass_mark_percent=spec["pass_mark_percent"],
        attempts_allowed=spec["attempts_allowed"],
        time_limit_minutes=spec["time_limit_minutes"],
        shuffle_questions=spec["shuffle_questions"],
        shuffle_choices=spec["shuffle_choices"],
        review_policy=spec["review_policy"],
        multiple_response_scoring=spec["multiple_response_scoring"],
        required_for_completion=spec["required_for_completion"],
        # A draft until the board reviewer approves its first revision below.
        live=False,
    )
    quiz.quiz_questions = [
        QuizQuestion(question=questions[key], marks=Decimal(1), sort_order=position)
        for position, key in enumerate(spec["questions"])
    ]
    draw_tags = list(Tag.objects.filter(name__in=spec["draw_tags"]))
    if len(draw_tags) != len(set(spec["draw_tags"])):
        # Possible when an editor has since retagged the demo questions.
        missing = ", ".join(sorted(set(spec["draw_tags"]) - {tag.name for tag in draw_tags}))
        raise DemoDataError(
            f"{_where(spec)}: the quiz {spec['title']!r} draws from tags no question carries: {missing}."
        )
    quiz.draw_tags = draw_tags
    quiz.save()
    problems = quiz_problems_in_database(quiz)
    if problems:
        raise DemoDataError(
            f"{_where(spec)}: the quiz {spec['title']!r} cannot be published:\n  - " + "\n  - ".join(problems)
        )
    quiz.save_revision(user=seeder.author, log_action=True)
    _endorse(quiz, where=_where(spec), seeder=seeder)
    seeder.tally("quizzes", True)
    return quiz


def _endorse(item, *, where: str, seeder) -> None:
    """The author submits ``item``'s draft revision; the board reviewer approves it (publishing it)."""
    try:
        assessment_submit_for_endorsement(item=item, user=seeder.author)
        assessment_endorse(item=item, user=seeder.board)
    except EndorsementError as error:
        raise DemoDataError(f"{where}: {error.message}") from None
    item.refresh_from_db()


def quiz_problems_in_database(quiz: Quiz) -> list[str]:
    """:func:`quizzes.validation.quiz_problems` for a saved quiz, with its questions and pool as stored."""

    def described(question: Question):
        return question.pk, question.kind, [ChoiceData(c.text, c.is_correct) for c in question.choices.all()]

    links = (
        QuizQuestion.objects.filter(quiz=quiz)
        .select_related("question")
        .prefetch_related("question__choices")
    )
    pool = (
        Question.objects.filter(tags__in=list(quiz.draw_tags.all())).distinct().prefetch_related("choices")
        if quiz.selection == SelectionMode.RANDOM
        else Question.objects.none()
    )
    return quiz_problems(
        selection=quiz.selection,
        role=quiz.role,
        course_path=quiz.course.path,
        module_path=quiz.module.path if quiz.module_id else None,
        fixed_questions=[described(link.question) for link in links.order_by("sort_order")],
        draw_count=quiz.draw_count,
        draw_pool=[described(question) for question in pool],
    )
