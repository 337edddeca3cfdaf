"""The demo question bank and quizzes, added by ``python manage.py seed_demo``.

``seed_demo`` calls every ``lms_seed_demo`` hook inside its transaction; the quizzes app
registers :func:`seed_quizzes` there, so ``courses`` never imports ``quizzes``.

Contract:

* **Idempotent, and never overwrites.** A question is found by its exact stem, a quiz by
  its course and title. Whatever exists is left exactly as it is (a faculty author's
  edits in the admin survive re-seeding); only what is missing is created. Counts are
  reported to the seeder as ``questions`` and ``quizzes``.
* **Valid or nothing.** The content in :mod:`quizzes.demo_content` is checked against
  :func:`quizzes.validation.question_problems` and for consistency (keys, modules, draw
  pools) before anything is written, and every quiz created is checked with
  :func:`quizzes.validation.quiz_problems` against the database before it is published.
  Any problem raises :class:`~django.core.management.base.CommandError` with a readable
  list, and ``seed_demo``'s transaction rolls the whole demo back.
* **Authored and endorsed like real content.** Questions are created by the demo faculty
  author; each quiz is saved as a revision by the faculty author and published by the
  demo board reviewer, so the admin shows its history. Quizzes end up live.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.core.management.base import CommandError
from taggit.models import Tag

from courses import demo_content as course_content
from courses.models import ModulePage, Track
from quizzes import demo_content
from quizzes.grading import MultipleResponseScoring, QuestionKind
from quizzes.models import (
    Choice,
    Difficulty,
    Question,
    Quiz,
    QuizQuestion,
    QuizRole,
    ReviewPolicy,
    SelectionMode,
)
from quizzes.validation import ChoiceData, question_problems, quiz_problems

AUTHOR_ROLE = "Faculty author"
PUBLISHER_ROLE = "Board reviewer"


def seed_quizzes(*, seeder) -> None:
    """Create whatever part of the demo question bank and quizzes is missing.

    ``seeder`` is ``seed_demo``'s seeder: its ``users`` (by demo role), ``courses`` (by
    slug) and ``tally(kind, created)`` are used. Raises :class:`CommandError` when the demo
    content or a quiz built from it breaks the validation rules.
    """
    problems = demo_content_problems()
    if problems:
        raise CommandError("The demo question bank does not validate:\n  - " + "\n  - ".join(problems))
    author = seeder.users.get(AUTHOR_ROLE)
    publisher = seeder.users.get(PUBLISHER_ROLE)
    questions = {
        spec["key"]: _ensure_question(spec, author=author, seeder=seeder) for spec in demo_content.QUESTIONS
    }
    for spec in demo_content.QUIZZES:
        _ensure_quiz(spec, questions=questions, seeder=seeder, author=author, publisher=publisher)


# --- Checking the content before writing anything -----------------------------------------


def _choices(spec: dict) -> list[ChoiceData]:
    return [ChoiceData(choice["text"], choice["is_correct"]) for choice in spec["choices"]]


def demo_content_problems() -> list[str]:
    """Everything wrong with :mod:`quizzes.demo_content`, as readable messages (empty if valid)."""
    problems: list[str] = []
    modules = {course["slug"]: {m["slug"] for m in course["modules"]} for course in course_content.COURSES}
    text_limit = Choice._meta.get_field("text").max_length
    feedback_limit = Choice._meta.get_field("feedback").max_length
    tag_limit = Tag._meta.get_field("name").max_length

    by_key: dict[str, dict] = {}
    for key, n in Counter(spec["key"] for spec in demo_content.QUESTIONS).items():
        if n > 1:
            problems.append(f"Question key {key!r} is used {n} times.")
    for stem, n in Counter(spec["stem"] for spec in demo_content.QUESTIONS).items():
        if n > 1:
            problems.append(f"{n} questions share the stem {stem[:60]!r}…; stems identify demo questions.")
    for spec in demo_content.QUESTIONS:
        key = spec["key"]
        by_key[key] = spec
        label = f"Question {key!r}"
        if spec["kind"] not in [kind.value for kind in QuestionKind]:
            problems.append(f"{label} has an unknown kind {spec['kind']!r}.")
        problems += question_problems(spec["kind"], _choices(spec), label=label)
        if spec["course"] not in modules:
            problems.append(f"{label} belongs to an unknown course {spec['course']!r}.")
        elif spec["module"] not in modules[spec["course"]]:
            problems.append(f"{label}: {spec['module']!r} is not a module of {spec['course']!r}.")
        if spec["track"] not in Track.values:
            problems.append(f"{label} has an unknown track {spec['track']!r}.")
        if spec["difficulty"] not in Difficulty.values:
            problems.append(f"{label} has an unknown difficulty {spec['difficulty']!r}.")
        if not spec["tags"] or any(not tag or len(tag) > tag_limit for tag in spec["tags"]):
            problems.append(f"{label} needs one or more tags of at most {tag_limit} characters.")
        if not spec["explanation"]:
            problems.append(f"{label} has no explanation.")
        for choice in spec["choices"]:
            if len(choice["text"]) > text_limit or len(choice["feedback"]) > feedback_limit:
                problems.append(
                    f"{label}: a choice is longer than {text_limit} characters or its feedback longer than "
                    f"{feedback_limit}: {choice['text'][:60]!r}…"
                )

    titles = Counter((spec["course"], spec["title"]) for spec in demo_content.QUIZZES)
    problems += [
        f"Two quizzes in {course!r} are titled {title!r}." for (course, title), n in titles.items() if n > 1
    ]
    for spec in demo_content.QUIZZES:
        problems += _quiz_spec_problems(spec, by_key=by_key, modules=modules)
    return problems


def _quiz_spec_problems(spec: dict, *, by_key: dict[str, dict], modules: dict[str, set[str]]) -> list[str]:
    label = f"Quiz {spec['title']!r}"
    problems: list[str] = []
    if len(spec["title"]) > Quiz._meta.get_field("title").max_length:
        problems.append(f"{label}: the title is too long.")
    if spec["course"] not in modules:
        return [*problems, f"{label} belongs to an unknown course {spec['course']!r}."]
    if spec["module"] is not None and spec["module"] not in modules[spec["course"]]:
        problems.append(f"{label}: {spec['module']!r} is not a module of {spec['course']!r}.")
    for field, allowed in [
        ("role", QuizRole.values),
        ("selection", SelectionMode.values),
        ("review_policy", ReviewPolicy.values),
        ("multiple_response_scoring", [m.value for m in MultipleResponseScoring]),
    ]:
        if spec[field] not in allowed:
            problems.append(f"{label} has an unknown {field.replace('_', ' ')} {spec[field]!r}.")
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


def _ensure_question(spec: dict, *, author, seeder) -> Question:
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
        created_by=author,
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
    seeder.tally("questions", True)
    return question


def _ensure_quiz(spec: dict, *, questions: dict[str, Question], seeder, author, publisher) -> Quiz:
    course = seeder.courses[spec["course"]]
    quiz = Quiz.objects.filter(course=course, title=spec["title"]).order_by("pk").first()
    if quiz is not None:
        seeder.tally("quizzes", False)
        return quiz
    module = None
    if spec["module"] is not None:
        module = ModulePage.objects.child_of(course).filter(slug=spec["module"]).first()
        if module is None:
            raise CommandError(
                f"Demo quiz {spec['title']!r}: {course.title!r} has no module {spec['module']!r}."
            )
    draw_tags = list(Tag.objects.filter(name__in=spec["draw_tags"]))
    if len(draw_tags) != len(set(spec["draw_tags"])):
        found = {tag.name for tag in draw_tags}
        missing = ", ".join(sorted(set(spec["draw_tags"]) - found))
        raise CommandError(f"Demo quiz {spec['title']!r} draws from tags no question carries: {missing}.")
    quiz = Quiz(
        title=spec["title"],
        course=course,
        module=module,
        role=spec["role"],
        instructions=spec["instructions"],
        selection=spec["selection"],
        draw_count=spec["draw_count"],
        pass_mark_percent=Decimal(spec["pass_mark_percent"]),
        attempts_allowed=spec["attempts_allowed"],
        time_limit_minutes=spec["time_limit_minutes"],
        shuffle_questions=spec["shuffle_questions"],
        shuffle_choices=spec["shuffle_choices"],
        review_policy=spec["review_policy"],
        multiple_response_scoring=spec["multiple_response_scoring"],
        required_for_completion=spec["required_for_completion"],
        # A draft until the board reviewer publishes its first revision below.
        live=False,
    )
    quiz.quiz_questions = [
        QuizQuestion(question=questions[key], marks=Decimal(1), sort_order=position)
        for position, key in enumerate(spec["questions"])
    ]
    quiz.draw_tags = draw_tags
    quiz.save()
    problems = quiz_problems_in_database(quiz)
    if problems:
        raise CommandError(
            f"Demo quiz {spec['title']!r} cannot be published:\n  - " + "\n  - ".join(problems)
        )
    revision = quiz.save_revision(user=author, log_action=True)
    # The seed acts with the operator's authority: the reviewer is recorded as publisher
    # whatever the admin groups' permissions happen to be on this database.
    revision.publish(user=publisher, skip_permission_checks=True)
    seeder.tally("quizzes", True)
    return quiz


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
