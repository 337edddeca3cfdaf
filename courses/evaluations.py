"""The course evaluation report: what learners answered, item by item (pure functions over plain data).

Faculty write the evaluation with Wagtail's form builder, so its questions are data. A
question with ordered options (radio buttons or a drop-down: "Strongly disagree" …
"Strongly agree") is a **scale**: the report counts each option and gives the mean
position, the first option scoring 1. Check boxes are a **choice** (each option counted,
no mean: they are not ordered). Anything else is **free text**, listed as written. An
answer that is not among the options any more (the faculty edited them since) is
counted apart, as "no longer offered", and left out of the mean. Blank answers are not
responses. No ORM here: the selector reads the rows, this module does the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

SCALE_FIELD_TYPES = frozenset({"radio", "dropdown"})
CHOICE_FIELD_TYPES = frozenset({"checkboxes", "checkbox"})

SCALE, CHOICE, TEXT = "scale", "choice", "text"


@dataclass(frozen=True)
class EvaluationQuestion:
    key: str  # the form field's clean name, the key of its answer in a submission
    label: str
    kind: str  # SCALE, CHOICE or TEXT
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    percent: float  # of this item's responses


@dataclass(frozen=True)
class TextAnswer:
    text: str
    run_label: str


@dataclass(frozen=True)
class ItemSummary:
    question: EvaluationQuestion
    responses: int
    options: tuple[OptionCount, ...] = ()
    no_longer_offered: int = 0
    mean: float | None = None  # scale items: mean position, 1 = the first option
    answers: tuple[TextAnswer, ...] = ()

    @property
    def scale_max(self) -> int:
        return len(self.question.options)


def form_builder_options(choices: str) -> tuple[str, ...]:
    """The options a form-builder field's ``choices`` text offers, split as Wagtail's form
    builder splits them when it draws the form (``FormBuilder.get_formatted_field_choices``):
    one per line, or — when the text is a single line — separated by commas; surrounding
    spaces (and a line's trailing comma) dropped, blank options left out."""
    lines = choices.strip().splitlines()
    if len(lines) > 1:
        options = (line.strip().rstrip(",").strip() for line in lines)
    else:
        options = (option.strip() for option in choices.split(","))
    return tuple(option for option in options if option)


def evaluation_question(*, key: str, label: str, field_type: str, choices: str) -> EvaluationQuestion:
    """A form-builder field as a report question (Wagtail keeps choices one per line)."""
    # Split exactly as the form builder does when it draws the form, so the report's
    # options are the ones learners were offered.
    options = form_builder_options(choices or "")
    if field_type in SCALE_FIELD_TYPES and options:
        kind = SCALE
    elif field_type in CHOICE_FIELD_TYPES and options:
        kind = CHOICE
    else:
        kind, options = TEXT, ()
    return EvaluationQuestion(key=key, label=label, kind=kind, options=options)


def _values(answer) -> list[str]:
    if answer is None:
        return []
    if isinstance(answer, list | tuple):
        return [str(value).strip() for value in answer if str(value).strip()]
    text = str(answer).strip()
    return [text] if text else []


def summarise_evaluation(
    questions: Sequence[EvaluationQuestion], submissions: Iterable[tuple[Mapping, str]]
) -> list[ItemSummary]:
    """One :class:`ItemSummary` per question, in the form's order, from ``(answers, run label)`` pairs."""
    submissions = list(submissions)
    summaries = []
    for question in questions:
        counts = dict.fromkeys(question.options, 0)
        other = responses = 0
        positions: list[int] = []
        texts: list[TextAnswer] = []
        for answers, run_label in submissions:
            values = _values(answers.get(question.key))
            if not values:
                continue
            responses += 1
            if question.kind == TEXT:
                texts.append(TextAnswer(text="\n".join(values), run_label=run_label))
                continue
            for value in values if question.kind == CHOICE else values[:1]:
                if value in counts:
                    counts[value] += 1
                    if question.kind == SCALE:
                        positions.append(question.options.index(value) + 1)
                else:
                    other += 1
        summaries.append(
            ItemSummary(
                question=question,
                responses=responses,
                options=tuple(
                    OptionCount(
                        label=label, count=count, percent=100 * count / responses if responses else 0.0
                    )
                    for label, count in counts.items()
                ),
                no_longer_offered=other,
                mean=sum(positions) / len(positions) if question.kind == SCALE and positions else None,
                answers=tuple(texts),
            )
        )
    return summaries
