"""Knowledge gain: pre-test against post-test scores of the learners who sat both (pure functions).

Accreditors ask whether an activity changed what doctors know. For the learners of a run
who took both the pre-test and the post-test, :func:`knowledge_gain` gives each test's
mean and median, the mean of the paired differences (post − pre) with its 95 %
confidence interval (Student's t with n − 1 degrees of freedom), and n. Plain numbers
in, a dataclass out, no ORM and no numpy: the same shape as :mod:`quizzes.statistics`,
and tested against scipy on generated data.

:func:`knowledge_gain_report` does the same overall and per objective (the tags of the
bank questions): a learner's score on a tag is the marks they earned on that tag's
questions over the marks those questions carried, in each test; a learner counts for a
tag only if both of their tests asked at least one of its questions.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class KnowledgeGain:
    n: int
    pre_mean: float | None
    post_mean: float | None
    pre_median: float | None
    post_median: float | None
    mean_difference: float | None
    ci_low: float | None  # 95 % interval of the mean difference; None below two pairs
    ci_high: float | None


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b) (Lentz's continued fraction)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _incomplete_beta(b, a, 1 - x)
    front = (
        math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
        / a
    )
    tiny = 1e-300
    f, c, d = 1.0, 1.0, 0.0
    for i in range(400):
        m = i // 2
        if i == 0:
            numerator = 1.0
        elif i % 2 == 0:
            numerator = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + numerator * d
        d = tiny if abs(d) < tiny else d
        d = 1.0 / d
        c = 1.0 + numerator / c
        c = tiny if abs(c) < tiny else c
        f *= c * d
        if abs(1.0 - c * d) < 1e-15:
            break
    return front * (f - 1.0)


def student_t_cdf(t: float, df: int) -> float:
    x = df / (df + t * t)
    tail = 0.5 * _incomplete_beta(df / 2, 0.5, x)
    return 1.0 - tail if t > 0 else tail


def student_t_quantile(p: float, df: int) -> float:
    """The t value below which a fraction ``p`` of Student's t with ``df`` degrees of freedom lies."""
    if not 0 < p < 1:
        raise ValueError("p must be between 0 and 1.")
    low, high = -1e3, 1e3
    for _ in range(200):  # bisection: the CDF is monotonic
        middle = (low + high) / 2
        if student_t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def knowledge_gain(pairs: Sequence[tuple[float, float]]) -> KnowledgeGain:
    """Summarise ``(pre score, post score)`` pairs (percentages) of the learners who sat both tests."""
    pairs = [(float(pre), float(post)) for pre, post in pairs]
    n = len(pairs)
    if n == 0:
        return KnowledgeGain(0, None, None, None, None, None, None, None)
    pre = [p for p, _ in pairs]
    post = [q for _, q in pairs]
    differences = [q - p for p, q in pairs]
    mean_difference = statistics.fmean(differences)
    low = high = None
    if n >= 2:
        half = student_t_quantile(0.975, n - 1) * statistics.stdev(differences) / math.sqrt(n)
        low, high = mean_difference - half, mean_difference + half
    return KnowledgeGain(
        n=n,
        pre_mean=statistics.fmean(pre),
        post_mean=statistics.fmean(post),
        pre_median=statistics.median(pre),
        post_median=statistics.median(post),
        mean_difference=mean_difference,
        ci_low=low,
        ci_high=high,
    )


@dataclass(frozen=True)
class PairedAttempts:
    """One learner's pre-test and post-test: each test's percent, and question id → (marks earned, marks available)."""

    learner_id: Hashable
    pre_percent: float
    post_percent: float
    pre_items: Mapping[str, tuple[float, float]]
    post_items: Mapping[str, tuple[float, float]]


@dataclass(frozen=True)
class TagGain:
    tag: str
    gain: KnowledgeGain


@dataclass(frozen=True)
class KnowledgeGainReport:
    overall: KnowledgeGain
    by_tag: tuple[TagGain, ...]  # tags in alphabetical order (case-insensitive); only tags some pair covers


def tag_percent(
    items: Mapping[str, tuple[float, float]], tags_by_question: Mapping[str, Collection[str]], tag: str
) -> float | None:
    """The percent earned on the questions tagged ``tag`` (``None`` if none of them carried marks)."""
    earned = available = 0.0
    for question_id, (awarded, possible) in items.items():
        if tag in tags_by_question.get(question_id, ()):
            earned += float(awarded)
            available += float(possible)
    return None if available <= 0 else 100.0 * earned / available


def knowledge_gain_report(
    attempts: Sequence[PairedAttempts], tags_by_question: Mapping[str, Collection[str]]
) -> KnowledgeGainReport:
    """:func:`knowledge_gain` of every pair, and of each tag's scores for the pairs whose two tests both asked it."""
    overall = knowledge_gain([(a.pre_percent, a.post_percent) for a in attempts])
    tags = sorted(
        {tag for tags in tags_by_question.values() for tag in tags}, key=lambda t: (t.casefold(), t)
    )
    by_tag = []
    for tag in tags:
        pairs = []
        for attempt in attempts:
            pre = tag_percent(attempt.pre_items, tags_by_question, tag)
            post = tag_percent(attempt.post_items, tags_by_question, tag)
            if pre is not None and post is not None:
                pairs.append((pre, post))
        if pairs:
            by_tag.append(TagGain(tag=tag, gain=knowledge_gain(pairs)))
    return KnowledgeGainReport(overall=overall, by_tag=tuple(by_tag))
