"""What an enrolment must achieve to be complete, step by step, and how far along it is.

Completion is a sequence of **steps** on the enrolment. ``courses`` registers one
("modules": every live module of the course completed); other apps register theirs at
start-up through :func:`courses.api.register_completion_step` — ``quizzes`` adds
"assessments" (every required assessment passed) — without ``courses`` importing them.
The CME sequence (issue 10) adds its steps the same way: a pre-test that never gates
(``required=False``), a post-test, a course evaluation, the attestation and claim.

A :class:`CompletionStep` has a ``key``, an ``order`` (its place in the sequence: lower
first), whether it is ``required`` for completion, and a ``statuses`` function. That
function takes a list of enrolments (with ``run__course`` loaded) and a
:class:`ReadCache`, and returns ``{enrolment.id: StepStatus}`` in a constant number of
queries, so dashboards stay flat however many enrolments they show. A step whose
``total`` is 0 for a course (no required quizzes, say) does not apply to it. The
``ReadCache`` lets a page and the steps share reads (the modules of a course, a
learner's completions) instead of repeating them.

:func:`enrolments_progress` is the only place that combines the steps; the completion
service (:func:`courses.services.enrolment_evaluate_completion`) and every page that
shows progress read it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from courses.models import Enrolment


@dataclass(frozen=True)
class StepStatus:
    """How far one enrolment is through one step: ``done`` of ``total`` things."""

    key: str
    label: str
    done: int
    total: int
    required: bool = True
    order: int = 100

    @property
    def is_met(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        return _percent(min(self.done, self.total), self.total)


def _percent(part: int, whole: int) -> int:
    return int(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class EnrolmentProgress:
    """Every applicable step of one enrolment, in the order of the sequence."""

    steps: tuple[StepStatus, ...]

    @property
    def required_steps(self) -> tuple[StepStatus, ...]:
        return tuple(s for s in self.steps if s.required)

    # Templates and older callers speak of "requirements": the steps that count.
    requirements = required_steps

    @property
    def done(self) -> int:
        return sum(min(s.done, s.total) for s in self.required_steps)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.required_steps)

    @property
    def percent(self) -> int:
        return _percent(self.done, self.total)

    @property
    def is_complete(self) -> bool:
        # A course with nothing to do cannot be "complete": that would certify nothing.
        return self.total > 0 and all(s.is_met for s in self.required_steps)

    @property
    def outstanding(self) -> tuple[StepStatus, ...]:
        return tuple(s for s in self.required_steps if not s.is_met)

    @property
    def next_step(self) -> StepStatus | None:
        """The first required step not yet met, in sequence order (``None`` once complete)."""
        return next(iter(self.outstanding), None)

    def step(self, key: str) -> StepStatus | None:
        """This enrolment's status at step ``key`` (``None`` when the step does not apply)."""
        return next((s for s in self.steps if s.key == key), None)

    def outstanding_before(self, key: str) -> tuple[StepStatus, ...]:
        """The required steps before step ``key`` in the sequence that are not yet met.

        The rule that makes the sequence a sequence: a step's service refuses while this
        is not empty (see :func:`step_refusal`).
        """
        order = _steps[key].order
        return tuple(s for s in self.outstanding if s.order < order)

    def step_refusal(self, key: str, action: str) -> str | None:
        """Why ``action`` (e.g. "submit the course evaluation") must wait, or ``None`` if it need not."""
        blocking = self.outstanding_before(key)
        if not blocking:
            return None
        first = blocking[0]
        return (
            f"You cannot {action} yet: first finish “{first.label}” "
            f"({min(first.done, first.total)} of {first.total} done)."
        )


class ReadCache:
    """Results of reads made while building one page, keyed by what was read.

    Lives for one call chain only (never across requests), so it cannot go stale.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if key not in self._values:
            self._values[key] = compute()
        return self._values[key]


StepStatuses = Callable[[Sequence["Enrolment"], ReadCache], dict[int, StepStatus]]


@dataclass(frozen=True)
class CompletionStep:
    key: str
    label: str
    statuses: StepStatuses
    order: int = 100
    required: bool = True


_steps: dict[str, CompletionStep] = {}


def register_completion_step(step: CompletionStep) -> None:
    """Add (or replace, by ``key``) a step of the completion sequence of every enrolment."""
    _steps[step.key] = step


def enrolments_progress(
    enrolments: Sequence[Enrolment], reads: ReadCache | None = None
) -> dict[int, EnrolmentProgress]:
    """Progress of each enrolment through every registered step (a constant number of queries)."""
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    reads = reads or ReadCache()
    ordered = sorted(_steps.values(), key=lambda step: (step.order, step.key))
    per_step = [(step, step.statuses(enrolments, reads)) for step in ordered]
    result = {}
    for enrolment in enrolments:
        statuses = []
        for step, by_enrolment in per_step:
            status = by_enrolment.get(enrolment.pk)
            if status is not None and status.total > 0:
                # The step's registration decides whether it gates, whatever the function said.
                statuses.append(
                    StepStatus(
                        key=step.key,
                        label=status.label or step.label,
                        done=status.done,
                        total=status.total,
                        required=step.required,
                        order=step.order,
                    )
                )
        result[enrolment.pk] = EnrolmentProgress(steps=tuple(statuses))
    return result
