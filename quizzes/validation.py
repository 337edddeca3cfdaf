"""Rules a question and a quiz must satisfy before learners may meet them.

Shared by the admin forms (refusing to submit, approve or publish) and by
``attempt_start`` (refusing to start a quiz that was somehow published broken). Each function returns a list of
messages; an empty list means valid.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from quizzes.grading import QuestionKind


@dataclass(frozen=True)
class ChoiceData:
    text: str
    is_correct: bool


def question_problems(kind: str, choices: Sequence[ChoiceData], label: str = "This question") -> list[str]:
    """What is wrong with a question's choices for its kind."""
    problems = []
    correct = sum(1 for c in choices if c.is_correct)
    if len(choices) < 2:
        problems.append(f"{label} needs at least two choices.")
    if correct == 0:
        problems.append(f"{label} has no correct choice.")
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct > 1:
        kind_label = "single-best-answer" if kind == QuestionKind.SINGLE else "true/false"
        problems.append(
            f"{label} is {kind_label} but has {correct} correct choices; it must have exactly one."
        )
    if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
        problems.append(f"{label} is true/false and must have exactly two choices.")
    texts = [c.text.strip().lower() for c in choices]
    if len(set(texts)) != len(texts):
        problems.append(f"{label} has two identical choices.")
    return problems


def quiz_problems(
    *,
    selection: str,
    role: str,
    course_path: str | None,
    module_path: str | None,
    fixed_questions: Iterable[tuple[int, str, Sequence[ChoiceData]]],
    draw_count: int | None,
    draw_pool: Iterable[tuple[int, str, Sequence[ChoiceData]]],
    endorsed_ids: Collection[int] | None = None,
) -> list[str]:
    """What stops a quiz from being submitted for endorsement, approved or published.

    ``fixed_questions`` and ``draw_pool`` are ``(question id, kind, choices)``; the pool
    is every bank question carrying one of the quiz's draw tags. With ``endorsed_ids``
    (the ids of questions that have a live, endorsed version), a fixed question outside
    it is a problem — learners could not be given it — and only endorsed questions count
    towards the draw.
    """
    problems: list[str] = []
    if role == "module_check" and not module_path:
        problems.append("A module check must be attached to a module.")
    if module_path and course_path and not module_path.startswith(course_path):
        problems.append("The module chosen is not part of the quiz's course.")
    if selection == "fixed":
        questions = list(fixed_questions)
        if not questions:
            problems.append("Add at least one question.")
        ids = [q[0] for q in questions]
        if len(set(ids)) != len(ids):
            problems.append("The same question is listed twice.")
        for position, (question_id, kind, choices) in enumerate(questions, start=1):
            if endorsed_ids is not None and question_id not in endorsed_ids:
                problems.append(
                    f"Question {position} has not been endorsed yet: submit it to the Faculty of Pain "
                    "Medicine and have it approved before this quiz."
                )
            problems += question_problems(kind, choices, label=f"Question {position}")
    else:
        if not draw_count:
            problems.append("Say how many questions to draw.")
        usable = [
            q
            for q in draw_pool
            if not question_problems(q[1], q[2]) and (endorsed_ids is None or q[0] in endorsed_ids)
        ]
        if draw_count and len(usable) < draw_count:
            endorsed = " endorsed," if endorsed_ids is not None else ""
            problems.append(
                f"The draw needs {draw_count} questions but the bank has {len(usable)}{endorsed} valid "
                "questions with these tags."
            )
    return problems
