"""Grading of a quiz attempt, as a pure function over plain data.

Contract
--------
``grade(keys=..., responses=..., policy=...)`` takes the attempt's frozen answer key (one
``QuestionKey`` per question slot, in the order the attempt presents them), the learner's
selections (question id -> selected choice ids) and the quiz's ``GradingPolicy``, and
returns a ``GradeResult``. It touches no database, clock or settings, so the same input
always yields the same result: regrading an attempt from its snapshot reproduces its
grade exactly.

Rules
-----
* Single best answer and true/false: full marks if and only if exactly the one correct
  choice is selected; anything else, including selecting several choices, scores 0.
* Multiple response, all or nothing (the default): full marks if and only if the selected
  set equals the correct set.
* Multiple response, partial credit: ``fraction = max(0, hits/|correct| - wrong/|incorrect|)``,
  where ``incorrect`` are the offered choices that are not correct (the penalty term is 0
  when every choice is correct). Selecting every choice therefore scores 0 whenever an
  incorrect choice exists, so guessing everything is never rewarded; the score never goes
  below 0 nor above 1.
* A question with no response, or whose response holds no offered choice, is unanswered
  and scores 0.
* Selected ids that are not choices of that question are ignored: a forged or stale id
  earns nothing and costs nothing, and is dropped from ``QuestionResult.selected_ids``.
  Rejecting such input (and telling the learner) is the caller's job, done before grading.
* Responses for question ids that are not in ``keys`` are ignored.
* ``fraction`` is rounded half-up to 4 decimal places; ``marks_awarded`` is the question's
  marks times that fraction (exact decimal arithmetic). ``is_correct`` means full credit on
  the exact rule (the selection equals the correct set).
* ``percent`` is ``100 * marks_awarded / marks_available`` computed exactly and rounded
  half-up to 0.01; the attempt passes when that displayed percent is ``>=`` the pass mark,
  so a learner is never shown "70.00 %" next to "failed" on a 70 % pass mark.
  With no questions at all the percent is 0 and the attempt does not pass.

Errors
------
``InvalidKey`` (a ``ValueError``) for a malformed key (a correct choice that is not offered,
no correct choice, a single best answer or true/false question without exactly one
correct choice, a true/false question without exactly two choices, non-positive marks) or
for two keys with the same question id. ``InvalidPolicy`` (a ``ValueError``) for a pass mark
outside 0-100. ``ValueError`` from ``GradeResult.from_dict`` for stored data it cannot read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import Any

__all__ = [
    "GradeResult",
    "GradingPolicy",
    "InvalidKey",
    "InvalidPolicy",
    "MultipleResponseScoring",
    "QuestionKey",
    "QuestionKind",
    "QuestionResult",
    "grade",
]

#: Version of the ``GradeResult.as_dict()`` layout, stored with it so old rows stay readable.
SCHEMA_VERSION = 1

_FRACTION_PLACES = 4
_PERCENT_PLACES = 2
# Marks are small decimals; this precision keeps every sum and product exact whatever
# context the caller's thread happens to have set.
_EXACT = Context(prec=60)


class InvalidKey(ValueError):
    """An answer key that cannot be graded fairly."""


class InvalidPolicy(ValueError):
    """A grading policy outside its allowed range."""


class QuestionKind(StrEnum):
    SINGLE = "single"  # single best answer
    MULTIPLE = "multiple"  # multiple response
    TRUE_FALSE = "true_false"


class MultipleResponseScoring(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


def _to_decimal(value: Any, *, what: str, error: type[ValueError]) -> Decimal:
    # Floats are refused: 0.1 is not one tenth, and marks and pass marks must be exact.
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise error(f"{what} must be a Decimal, an int or a numeric string, not {value!r}.")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise error(f"{what} must be a number, not {value!r}.") from None
    if not result.is_finite():
        raise error(f"{what} must be a finite number, not {value!r}.")
    return result


def _to_id_set(value: Any, *, what: str, question_id: str) -> frozenset[str]:
    # A bare string is iterable too; taking it letter by letter would be a silent bug.
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidKey(f"Question {question_id!r}: {what} must be a collection of ids, not {value!r}.")
    ids = frozenset(value)
    if not all(isinstance(i, str) and i for i in ids):
        raise InvalidKey(f"Question {question_id!r}: every id in {what} must be a non-empty string.")
    return ids


@dataclass(frozen=True)
class QuestionKey:
    """The answer key of one question slot of an attempt (a snapshot, never the live question)."""

    question_id: str
    kind: QuestionKind
    choice_ids: frozenset[str]
    correct_ids: frozenset[str]
    marks: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if not isinstance(self.question_id, str) or not self.question_id:
            raise InvalidKey(f"A question id must be a non-empty string, not {self.question_id!r}.")
        qid = self.question_id
        try:
            kind = QuestionKind(self.kind)
        except ValueError:
            allowed = ", ".join(k.value for k in QuestionKind)
            raise InvalidKey(
                f"Question {qid!r}: unknown kind {self.kind!r} (expected one of {allowed})."
            ) from None
        choices = _to_id_set(self.choice_ids, what="choice_ids", question_id=qid)
        correct = _to_id_set(self.correct_ids, what="correct_ids", question_id=qid)
        marks = _to_decimal(self.marks, what=f"Question {qid!r}: marks", error=InvalidKey)
        # Normalise in place so equal keys compare equal however they were spelled.
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "choice_ids", choices)
        object.__setattr__(self, "correct_ids", correct)
        object.__setattr__(self, "marks", marks)

        if not correct:
            raise InvalidKey(f"Question {qid!r} has no correct choice.")
        if not correct <= choices:
            strays = ", ".join(sorted(correct - choices))
            raise InvalidKey(f"Question {qid!r}: correct choice(s) {strays} are not among its choices.")
        if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(correct) != 1:
            label = "A single best answer" if kind is QuestionKind.SINGLE else "A true/false"
            raise InvalidKey(
                f"{label} question must have exactly one correct choice; {qid!r} has {len(correct)}."
            )
        if kind is QuestionKind.TRUE_FALSE and len(choices) != 2:
            raise InvalidKey(
                f"A true/false question must have exactly two choices; {qid!r} has {len(choices)}."
            )
        if marks <= 0:
            raise InvalidKey(f"Question {qid!r}: marks must be greater than 0, not {marks}.")


@dataclass(frozen=True)
class GradingPolicy:
    """How a quiz turns marks into a result: its pass mark and multiple-response scoring."""

    pass_mark_percent: Decimal
    multiple_response: MultipleResponseScoring = MultipleResponseScoring.ALL_OR_NOTHING

    def __post_init__(self) -> None:
        mark = _to_decimal(self.pass_mark_percent, what="The pass mark", error=InvalidPolicy)
        if not Decimal(0) <= mark <= Decimal(100):
            raise InvalidPolicy(f"The pass mark must be between 0 and 100 %, not {mark}.")
        try:
            scoring = MultipleResponseScoring(self.multiple_response)
        except ValueError:
            raise InvalidPolicy(f"Unknown multiple-response scoring {self.multiple_response!r}.") from None
        object.__setattr__(self, "pass_mark_percent", mark)
        object.__setattr__(self, "multiple_response", scoring)


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    marks_awarded: Decimal
    marks_available: Decimal
    fraction: Decimal
    is_correct: bool
    answered: bool
    selected_ids: frozenset[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "marks_awarded": str(self.marks_awarded),
            "marks_available": str(self.marks_available),
            "fraction": str(self.fraction),
            "is_correct": self.is_correct,
            "answered": self.answered,
            "selected_ids": sorted(self.selected_ids),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionResult:
        return cls(
            question_id=_read(data, "question_id", str),
            marks_awarded=_read_decimal(data, "marks_awarded"),
            marks_available=_read_decimal(data, "marks_available"),
            fraction=_read_decimal(data, "fraction"),
            is_correct=_read(data, "is_correct", bool),
            answered=_read(data, "answered", bool),
            selected_ids=frozenset(_read_str_list(data, "selected_ids")),
        )


@dataclass(frozen=True)
class GradeResult:
    questions: tuple[QuestionResult, ...]
    marks_awarded: Decimal
    marks_available: Decimal
    percent: Decimal
    passed: bool

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (decimals as strings, ids sorted); ``from_dict`` reads it back."""
        return {
            "schema": SCHEMA_VERSION,
            "marks_awarded": str(self.marks_awarded),
            "marks_available": str(self.marks_available),
            "percent": str(self.percent),
            "passed": self.passed,
            "questions": [q.as_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GradeResult:
        """Rebuild a result stored by ``as_dict``; raises ``ValueError`` on anything else."""
        if not isinstance(data, Mapping):
            raise ValueError(f"A stored grade must be a mapping, not {type(data).__name__}.")
        if data.get("schema") != SCHEMA_VERSION:
            raise ValueError(
                f"Unknown stored grade schema {data.get('schema')!r} (expected {SCHEMA_VERSION})."
            )
        questions = _read(data, "questions", list)
        if not all(isinstance(q, Mapping) for q in questions):
            raise ValueError("Every stored question result must be a mapping.")
        return cls(
            questions=tuple(QuestionResult.from_dict(q) for q in questions),
            marks_awarded=_read_decimal(data, "marks_awarded"),
            marks_available=_read_decimal(data, "marks_available"),
            percent=_read_decimal(data, "percent"),
            passed=_read(data, "passed", bool),
        )


def _read(data: Mapping[str, Any], name: str, kind: type) -> Any:
    if name not in data:
        raise ValueError(f"A stored grade is missing {name!r}.")
    value = data[name]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ValueError(f"Stored {name!r} must be a {kind.__name__}, not {value!r}.")
    return value


def _read_decimal(data: Mapping[str, Any], name: str) -> Decimal:
    raw = _read(data, name, str)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"Stored {name!r} is not a decimal number: {raw!r}.") from None
    if not value.is_finite():
        raise ValueError(f"Stored {name!r} is not a finite number: {raw!r}.")
    return value


def _read_str_list(data: Mapping[str, Any], name: str) -> list[str]:
    values = _read(data, name, list)
    if not all(isinstance(v, str) for v in values):
        raise ValueError(f"Stored {name!r} must be a list of strings.")
    return values


def _round_half_up(value: Fraction, places: int) -> Decimal:
    """Round a non-negative exact rational to ``places`` decimals, half up, with no double rounding."""
    scaled = value * 10**places
    quotient, remainder = divmod(scaled.numerator, scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        quotient += 1
    # Built from digits, so the result always shows ``places`` decimals ("1.0000", "0.00").
    return Decimal((0, tuple(int(d) for d in str(quotient)), -places))


def _fraction_earned(
    key: QuestionKey, selected: frozenset[str], scoring: MultipleResponseScoring
) -> Fraction:
    if key.kind is not QuestionKind.MULTIPLE or scoring is MultipleResponseScoring.ALL_OR_NOTHING:
        # For single best answer this is "exactly the one correct choice, nothing else".
        return Fraction(1) if selected == key.correct_ids else Fraction(0)
    hits = len(selected & key.correct_ids)
    wrong = len(selected - key.correct_ids)
    incorrect = len(key.choice_ids) - len(key.correct_ids)
    earned = Fraction(hits, len(key.correct_ids))
    if incorrect:
        earned -= Fraction(wrong, incorrect)
    return max(Fraction(0), earned)


def _selection(question_id: str, raw: Iterable[str]) -> frozenset[str]:
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        raise TypeError(
            f"The response to question {question_id!r} must be a collection of choice ids, not {raw!r}."
        )
    return frozenset(raw)


def grade(
    *,
    keys: Sequence[QuestionKey],
    responses: Mapping[str, Iterable[str]],
    policy: GradingPolicy,
) -> GradeResult:
    """Grade one attempt. See the module docstring for the rules; raises ``InvalidKey`` for
    duplicate question ids and ``TypeError`` for a response that is a bare string."""
    seen: set[str] = set()
    for key in keys:
        if key.question_id in seen:
            raise InvalidKey(f"Question {key.question_id!r} appears twice in the answer key.")
        seen.add(key.question_id)

    results: list[QuestionResult] = []
    with localcontext(_EXACT):
        for key in keys:
            raw = responses.get(key.question_id)
            selected = frozenset() if raw is None else _selection(key.question_id, raw) & key.choice_ids
            exact = _fraction_earned(key, selected, policy.multiple_response)
            fraction = _round_half_up(exact, _FRACTION_PLACES)
            results.append(
                QuestionResult(
                    question_id=key.question_id,
                    marks_awarded=key.marks * fraction,
                    marks_available=key.marks,
                    fraction=fraction,
                    is_correct=exact == 1,
                    answered=bool(selected),
                    selected_ids=selected,
                )
            )
        awarded = sum((r.marks_awarded for r in results), Decimal(0))
        available = sum((r.marks_available for r in results), Decimal(0))

    if available:
        percent = _round_half_up(Fraction(awarded) * 100 / Fraction(available), _PERCENT_PLACES)
        passed = percent >= policy.pass_mark_percent
    else:
        percent = _round_half_up(Fraction(0), _PERCENT_PLACES)
        passed = False
    return GradeResult(
        questions=tuple(results),
        marks_awarded=awarded,
        marks_available=available,
        percent=percent,
        passed=passed,
    )
