"""What an enrolment must achieve to be complete, and how far along it is.

The completion rule is the conjunction of *criteria*. ``courses`` registers one (every
live module of the course completed); other apps register theirs at start-up with
:func:`register_completion_criterion` — ``quizzes`` adds "every required assessment
passed" — without ``courses`` importing them.

A criterion is a callable taking a list of enrolments (with ``run__course`` loaded)
and returning ``{enrolment.id: RequirementStatus}`` using a constant number of
queries, so dashboards stay flat however many enrolments they show. Criteria whose
``total`` is 0 for a course (no required quizzes, say) do not count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from courses.models import Enrolment


@dataclass(frozen=True)
class RequirementStatus:
    key: str
    label: str
    done: int
    total: int

    @property
    def is_met(self) -> bool:
        return self.done >= self.total


@dataclass(frozen=True)
class EnrolmentProgress:
    requirements: tuple[RequirementStatus, ...]

    @property
    def done(self) -> int:
        return sum(min(r.done, r.total) for r in self.requirements)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.requirements)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_complete(self) -> bool:
        # A course with nothing to do cannot be "complete": that would certify nothing.
        return self.total > 0 and all(r.is_met for r in self.requirements)

    @property
    def outstanding(self) -> tuple[RequirementStatus, ...]:
        return tuple(r for r in self.requirements if not r.is_met)


Criterion = Callable[[Sequence["Enrolment"]], dict[int, RequirementStatus]]

_criteria: dict[str, Criterion] = {}


def register_completion_criterion(key: str, criterion: Criterion) -> None:
    """Add (or replace, by ``key``) a criterion every enrolment must meet."""
    _criteria[key] = criterion


def registered_criteria() -> dict[str, Criterion]:
    return dict(_criteria)


def enrolments_progress(enrolments: Sequence[Enrolment]) -> dict[int, EnrolmentProgress]:
    """Progress of each enrolment against every registered criterion."""
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    per_criterion = [criterion(enrolments) for criterion in _criteria.values()]
    result = {}
    for enrolment in enrolments:
        statuses = tuple(
            statuses[enrolment.pk]
            for statuses in per_criterion
            if enrolment.pk in statuses and statuses[enrolment.pk].total > 0
        )
        result[enrolment.pk] = EnrolmentProgress(requirements=statuses)
    return result
