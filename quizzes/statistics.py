"""Quiz and item statistics (as in Moodle's quiz statistics report), as pure functions.

Contract
--------
The caller loads, with a constant number of queries, one ``AttemptScores`` per graded
attempt (its percent, whether it passed, and the fraction 0..1 it scored on each question
it was shown) and optionally one ``ChoicePick`` per selected choice. These functions touch
no database and return plain dataclasses:

* ``quiz_summary(attempts)``: number of attempts, mean, median and sample standard
  deviation of the percent, pass rate, and a 10-bin score distribution.
* ``item_statistics(attempts, picks, choice_ids_by_question)``: per question, the number
  of attempts that were shown it, its facility index (mean fraction), the sample standard
  deviation of its fractions, its discrimination index and how often each choice was
  picked, with readable flags for questions that need the faculty's attention.
* ``item_version_statistics(attempts, versions)``: per question, the attempts and the
  facility of each version of it (its endorsed revisions) that attempts were shown. The
  statistics above stay per question across versions; this splits them by version.

Definitions
-----------
* A question counts as *shown* in an attempt when it has an entry in that attempt's
  ``item_fractions``; an unanswered question must be present with fraction 0. With random
  draws, attempts hold different subsets and each question is analysed over the attempts
  that were shown it.
* Discrimination is the point-biserial coefficient: the Pearson correlation, over the
  attempts that were shown the question, between its fraction and the *rest of the test*
  (the sum of the attempt's other fractions), so the question is not correlated with
  itself. It is ``None`` with fewer than two attempts or when either side does not vary.
  Fractions are summed unweighted; with equal marks per question this is the same
  coefficient as on marks.
* Standard deviations are sample ones (n - 1); ``None`` below two values.

Everything runs in time linear in the number of item scores plus picks (the median sorts
the percents once), in pure Python.

Errors
------
``ValueError`` for a percent outside 0-100 or a fraction outside 0-1 (including NaN).
"""

from __future__ import annotations

import math
import statistics as _stats
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "DISCRIMINATION_FLAG_AT_OR_BELOW",
    "FLAG_DOES_NOT_DISCRIMINATE",
    "FLAG_TOO_EASY",
    "FLAG_TOO_HARD",
    "SCORE_BIN_LABELS",
    "TOO_EASY_ABOVE",
    "TOO_HARD_BELOW",
    "AttemptScores",
    "ChoicePick",
    "ItemStatistics",
    "QuizSummary",
    "VersionStatistics",
    "item_statistics",
    "item_version_statistics",
    "quiz_summary",
]

# Moodle's statistics report treats a discrimination index of 0.2 or less as a question
# that does not separate stronger from weaker candidates.
DISCRIMINATION_FLAG_AT_OR_BELOW = 0.2
TOO_EASY_ABOVE = 0.9
TOO_HARD_BELOW = 0.2

FLAG_DOES_NOT_DISCRIMINATE = "does not discriminate"
FLAG_TOO_EASY = "too easy"
FLAG_TOO_HARD = "too hard"

SCORE_BIN_LABELS: tuple[str, ...] = tuple(f"{low}–{low + 10}" for low in range(0, 100, 10))

# Rest-of-test scores are floating-point sums, so a rest score that is constant in exact
# arithmetic can wobble in the last bits; such noise must read as "no variance", not as a
# correlation of noise. Real score differences are many orders of magnitude larger.
_CONSTANT_RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class AttemptScores:
    """One graded attempt: its percent (0-100), pass/fail, and question id -> fraction 0..1."""

    attempt_id: Hashable
    total_percent: float
    passed: bool
    item_fractions: Mapping[str, float]


@dataclass(frozen=True)
class ChoicePick:
    """One selected choice of one question in one attempt."""

    question_id: str
    choice_id: str


@dataclass(frozen=True)
class QuizSummary:
    n: int
    mean: float | None
    median: float | None
    sd: float | None
    pass_rate: float | None
    distribution: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ItemStatistics:
    question_id: str
    attempts: int
    facility: float
    sd: float | None
    discrimination: float | None
    choice_counts: dict[str, int]
    flags: tuple[str, ...]


def _check_percent(value: float, attempt_id: Hashable) -> float:
    if not 0.0 <= value <= 100.0:
        raise ValueError(f"Attempt {attempt_id!r}: percent must be within 0-100, not {value!r}.")
    return value


def _check_fraction(value: float, attempt_id: Hashable, question_id: str) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(
            f"Attempt {attempt_id!r}, question {question_id!r}: fraction must be within 0-1, not {value!r}."
        )
    return value


def _is_constant(values: Sequence[float]) -> bool:
    low, high = min(values), max(values)
    return high - low <= _CONSTANT_RELATIVE_TOLERANCE * max(1.0, abs(low), abs(high))


def _sample_sd(values: Sequence[float], mean: float) -> float | None:
    if len(values) < 2:
        return None
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))


def quiz_summary(attempts: Iterable[AttemptScores]) -> QuizSummary:
    """Summarise graded attempts; with none, n is 0, the statistics None and every bin 0."""
    percents: list[float] = []
    passes = 0
    bins = [0] * len(SCORE_BIN_LABELS)
    for attempt in attempts:
        percent = _check_percent(float(attempt.total_percent), attempt.attempt_id)
        percents.append(percent)
        passes += bool(attempt.passed)
        # Lower bounds are inclusive; 100 % belongs to the last bin, 90-100.
        bins[min(int(percent // 10), len(bins) - 1)] += 1
    distribution = list(zip(SCORE_BIN_LABELS, bins, strict=True))
    n = len(percents)
    if not n:
        return QuizSummary(n=0, mean=None, median=None, sd=None, pass_rate=None, distribution=distribution)
    mean = math.fsum(percents) / n
    return QuizSummary(
        n=n,
        mean=mean,
        median=float(_stats.median(percents)),
        sd=_sample_sd(percents, mean),
        pass_rate=passes / n,
        distribution=distribution,
    )


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 2 or _is_constant(xs) or _is_constant(ys):
        return None
    n = len(xs)
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = math.fsum(d * d for d in dx)
    syy = math.fsum(d * d for d in dy)
    sxy = math.fsum(a * b for a, b in zip(dx, dy, strict=True))
    r = sxy / math.sqrt(sxx * syy)
    # Rounding can push a perfect correlation a hair past 1.
    return max(-1.0, min(1.0, r))


def _flags(facility: float, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if discrimination is None or discrimination <= DISCRIMINATION_FLAG_AT_OR_BELOW:
        flags.append(FLAG_DOES_NOT_DISCRIMINATE)
    if facility > TOO_EASY_ABOVE:
        flags.append(FLAG_TOO_EASY)
    if facility < TOO_HARD_BELOW:
        flags.append(FLAG_TOO_HARD)
    return tuple(flags)


def item_statistics(
    attempts: Iterable[AttemptScores],
    picks: Iterable[ChoicePick] = (),
    choice_ids_by_question: Mapping[str, Sequence[str]] | None = None,
) -> list[ItemStatistics]:
    """Per-question statistics, in order of each question's first appearance in ``attempts``.

    ``choice_counts`` lists the choices of ``choice_ids_by_question`` first, in the order
    given and with zero counts, then any other picked choice in order of first pick. Picks
    and choice lists for questions no attempt was shown are ignored.
    """
    # question id -> (its fractions, the matching rest-of-test scores); dicts keep first-seen order.
    item_scores: dict[str, list[float]] = {}
    rest_scores: dict[str, list[float]] = {}
    for attempt in attempts:
        fractions = attempt.item_fractions
        for question_id, value in fractions.items():
            _check_fraction(value, attempt.attempt_id, question_id)
        total = math.fsum(fractions.values())
        for question_id, value in fractions.items():
            scores = item_scores.get(question_id)
            if scores is None:
                scores = item_scores[question_id] = []
                rest_scores[question_id] = []
            scores.append(value)
            rest_scores[question_id].append(total - value)

    counts: dict[str, dict[str, int]] = {question_id: {} for question_id in item_scores}
    if choice_ids_by_question:
        for question_id, choice_ids in choice_ids_by_question.items():
            if question_id in counts:
                counts[question_id] = dict.fromkeys(choice_ids, 0)
    for pick in picks:
        choice_counts = counts.get(pick.question_id)
        if choice_counts is not None:
            choice_counts[pick.choice_id] = choice_counts.get(pick.choice_id, 0) + 1

    results = []
    for question_id, scores in item_scores.items():
        n = len(scores)
        facility = math.fsum(scores) / n
        discrimination = _pearson(scores, rest_scores[question_id])
        results.append(
            ItemStatistics(
                question_id=question_id,
                attempts=n,
                facility=facility,
                sd=_sample_sd(scores, facility),
                discrimination=discrimination,
                choice_counts=counts[question_id],
                flags=_flags(facility, discrimination),
            )
        )
    return results


@dataclass(frozen=True)
class VersionStatistics:
    """One version of a question (``None``: from before versions were recorded)."""

    version: int | None
    attempts: int
    facility: float


def item_version_statistics(
    attempts: Iterable[AttemptScores], versions: Mapping[tuple[Hashable, str], int | None]
) -> dict[str, list[VersionStatistics]]:
    """Per question, its attempts and facility in each version, oldest version first.

    ``versions`` maps ``(attempt id, question id)`` to the version (revision id) of the
    question that attempt showed; a question shown without an entry counts under ``None``,
    which sorts first. Questions keep their order of first appearance in ``attempts``.
    """
    fractions: dict[str, dict[int | None, list[float]]] = {}
    for attempt in attempts:
        for question_id, value in attempt.item_fractions.items():
            _check_fraction(value, attempt.attempt_id, question_id)
            version = versions.get((attempt.attempt_id, question_id))
            fractions.setdefault(question_id, {}).setdefault(version, []).append(value)
    return {
        question_id: [
            VersionStatistics(version=version, attempts=len(values), facility=math.fsum(values) / len(values))
            for version, values in sorted(
                by_version.items(), key=lambda item: (item[0] is not None, item[0] or 0)
            )
        ]
        for question_id, by_version in fractions.items()
    }
