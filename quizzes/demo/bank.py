"""Reading the demo question bank and quizzes in this folder into checked, plain specs.

:func:`load_question_bank` reads ``quiz-defaults.yaml`` and one ``<course-slug>.yaml``
per course of the demo catalogue (in catalogue order; a course without a file has no
questions) and returns ``{"questions": [...], "quizzes": [...]}``:

* a question: ``key``, ``course``, ``track`` (the course's), ``module``, ``kind``,
  ``difficulty``, ``tags``, ``stem`` and ``explanation`` (HTML), ``choices``
  (``text``, ``is_correct``, ``feedback``), and ``source``/``line`` for messages;
* a quiz: ``course``, ``module`` (or ``None``), ``title``, ``role``, ``instructions``
  (HTML), the fixed ``questions`` (keys) or ``draw_count`` and ``draw_tags``, and every
  setting of :data:`SETTINGS` (a setting the quiz leaves out comes from the defaults for
  its role), and ``source``/``line``.

Types, choices, lengths and unknown keys are checked here, and every problem names the
file, the line and the key (:class:`lms.demo_data.DemoDataError`). Whether the bank
and quizzes obey the assessment rules (:mod:`quizzes.validation`) is checked by
:func:`quizzes.demo.demo_content_problems`, which reports every problem at once.
"""

from __future__ import annotations

from pathlib import Path

from taggit.models import Tag

from lms.demo_data import DemoDataError, Fields, fail, read_yaml, rich_text
from quizzes.grading import MultipleResponseScoring, QuestionKind
from quizzes.models import Choice, Difficulty, Quiz, QuizRole, ReviewPolicy, SelectionMode

DEMO_DIR = Path(__file__).resolve().parent
DEFAULTS_FILE = "quiz-defaults.yaml"
# The demo learner's study (quizzes.demo.learner), beside the bank but not part of it.
LEARNER_FILE = "learner.yaml"

# Every quiz setting, with how it is read. A nullable setting may be written as null
# ("no time limit"); the others must have a value, from the quiz or its role's defaults.
SETTINGS: dict[str, tuple[str, object, bool]] = {
    # name: (type, choices, nullable)
    "selection": ("choice", SelectionMode.values, False),
    "draw_count": ("integer", None, True),
    "draw_tags": ("texts", None, False),
    "pass_mark_percent": ("decimal", None, False),
    "attempts_allowed": ("integer", None, False),
    "time_limit_minutes": ("integer", None, True),
    "shuffle_questions": ("boolean", None, False),
    "shuffle_choices": ("boolean", None, False),
    "review_policy": ("choice", ReviewPolicy.values, False),
    "multiple_response_scoring": ("choice", [m.value for m in MultipleResponseScoring], False),
    "required_for_completion": ("boolean", None, False),
}
# Settings a quiz may leave out even when its role's defaults do not give them.
IMPLIED = {"draw_count": None, "draw_tags": []}


def load_question_bank(*, catalogue: dict, folder: Path = DEMO_DIR) -> dict:
    """Read and check the bank and quizzes for the courses of ``catalogue`` (see above)."""
    folder = Path(folder)
    defaults = _defaults(folder / DEFAULTS_FILE)
    courses = {course["slug"]: course for course in catalogue["courses"]}
    for file in sorted(folder.glob("*.yaml")):
        if file.name not in (DEFAULTS_FILE, LEARNER_FILE) and file.stem not in courses:
            raise fail(
                file,
                None,
                "",
                f"there is no course {file.stem!r} in the demo catalogue "
                "(a question bank file is named after its course's folder in courses/demo/courses/)",
            )
    questions: list[dict] = []
    quizzes: list[dict] = []
    for slug, course in courses.items():
        path = folder / f"{slug}.yaml"
        if not path.is_file():
            continue
        top = Fields(read_yaml(path), path=path)
        modules = [module["slug"] for module in course["modules"]]
        questions += [
            _question(spec, course=course, modules=modules)
            for spec in top.mappings("questions", required=False)
        ]
        quizzes += [
            _quiz(spec, course=course, modules=modules, defaults=defaults)
            for spec in top.mappings("quizzes", required=False)
        ]
        top.done()
    return {"questions": questions, "quizzes": quizzes}


def _defaults(path: Path) -> dict[str, Fields]:
    top = Fields(read_yaml(path), path=path)
    table = top.mapping("quiz_defaults")
    top.done()
    defaults = {}
    for role in list(table.value):
        if role not in QuizRole.values:
            raise table.error(role, f"{role!r} is not a quiz role ({', '.join(QuizRole.values)})")
        fields = table.mapping(role)
        for name in fields.value:
            if name not in SETTINGS:
                raise fields.error(name, f"is not a quiz setting ({', '.join(SETTINGS)})")
            _setting(fields, name)  # checked now, so a bad default is reported where it is written
        defaults[role] = fields
    table.done()
    return defaults


def _setting(fields: Fields, name: str):
    kind, choices, nullable = SETTINGS[name]
    if nullable and fields.value.get(name, 0) is None:
        fields.raw(name, required=False)
        return None
    if kind == "choice":
        return fields.text(name, choices=choices)
    if kind == "integer":
        return fields.integer(name, minimum=0)
    if kind == "decimal":
        value = fields.decimal(name)
        if not 0 < value <= 100:
            raise fields.error(name, "must be a percentage above 0 and at most 100")
        return value
    if kind == "boolean":
        return fields.boolean(name)
    return fields.texts(name, required=False)


def _question(spec: Fields, *, course: dict, modules: list[str]) -> dict:
    text_limit = Choice._meta.get_field("text").max_length
    feedback_limit = Choice._meta.get_field("feedback").max_length
    tag_limit = Tag._meta.get_field("name").max_length
    question = {
        "key": spec.text("key", max_length=100),
        "course": course["slug"],
        "track": course["track"],
        "module": spec.text("module", choices=modules),
        "kind": spec.text("kind", choices=[kind.value for kind in QuestionKind]),
        "difficulty": spec.text("difficulty", choices=Difficulty.values),
        "tags": spec.texts("tags", max_length=tag_limit),
        "source": spec.path,
        "line": spec.line,
    }
    if question["kind"] == QuestionKind.TRUE_FALSE:
        # The stem says what is asked; the two choices are always True and False.
        statement = spec.text("statement")
        line = spec.key_line("statement")
        question["stem"] = rich_text(
            f"True or false: {statement}", path=spec.path, line=line, where=spec.label("statement")
        )
        answer = spec.boolean("answer")
        question["choices"] = [
            {
                "text": "True",
                "is_correct": answer,
                "feedback": spec.text("if_true", required=False, max_length=feedback_limit),
            },
            {
                "text": "False",
                "is_correct": not answer,
                "feedback": spec.text("if_false", required=False, max_length=feedback_limit),
            },
        ]
    else:
        question["stem"] = spec.rich_text("stem")
        question["choices"] = []
        for choice in spec.mappings("choices"):
            marked = [mark for mark in ("right", "wrong") if choice.has(mark)]
            if len(marked) != 1:
                raise choice.error(None, "a choice is written as 'right: <text>' or 'wrong: <text>'")
            question["choices"].append(
                {
                    "text": choice.text(marked[0], max_length=text_limit),
                    "is_correct": marked[0] == "right",
                    "feedback": choice.text("feedback", required=False, max_length=feedback_limit),
                }
            )
            choice.done()
    question["explanation"] = spec.rich_text("explanation")
    spec.done()
    return question


def _quiz(spec: Fields, *, course: dict, modules: list[str], defaults: dict[str, Fields]) -> dict:
    quiz = {
        "course": course["slug"],
        "title": spec.text("title", max_length=Quiz._meta.get_field("title").max_length),
        "role": spec.text("role", choices=QuizRole.values),
        "module": spec.text("module", required=False, default=None, choices=modules),
        "instructions": spec.rich_text("instructions", required=False),
        "questions": spec.texts("questions", required=False, max_length=100),
        "source": spec.path,
        "line": spec.line,
    }
    role_defaults = defaults.get(quiz["role"])
    for name in SETTINGS:
        if spec.has(name):
            quiz[name] = _setting(spec, name)
        elif role_defaults is not None and role_defaults.has(name):
            quiz[name] = _setting(role_defaults, name)
        elif name in IMPLIED:
            quiz[name] = IMPLIED[name]
        else:
            raise spec.error(
                None,
                f"the quiz {quiz['title']!r} needs {name!r}: {DEFAULTS_FILE} gives no default for "
                f"{quiz['role']} quizzes",
            )
    spec.done()
    return quiz


__all__ = ["DEMO_DIR", "DemoDataError", "SETTINGS", "load_question_bank"]
