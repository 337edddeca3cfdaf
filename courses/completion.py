"""What an enrolment must achieve to be complete, and how far along it is.

The completion rule is the conjunction of *criteria*. ``courses`` registers one (every
live module of the course completed); other apps register theirs at start-up with
:func:`register_completion_criterion` — ``quizzes`` adds "every required assessment
passed" — without ``courses`` importing them.

A criterion is a callable taking a list of enrolments (with ``run__course`` loaded)
and a :class:`ReadCache`, returning ``{enrolment.id: RequirementStatus}`` using a
constant number of queries, so dashboards stay flat however many enrolments they
show. Criteria whose ``total`` is 0 for a course (no required quizzes, say) do not
count. The ``ReadCache`` lets a page and the criteria share reads (the modules of a
course, a learner's completions) instead of repeating them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


Criterion = Callable[[Sequence["Enrolment"], ReadCache], dict[int, RequirementStatus]]

_criteria: dict[str, Criterion] = {}


def register_completion_criterion(key: str, criterion: Criterion) -> None:
    """Add (or replace, by ``key``) a criterion every enrolment must meet."""
    _criteria[key] = criterion


def registered_criteria() -> dict[str, Criterion]:
    return dict(_criteria)


def enrolments_progress(
    enrolments: Sequence[Enrolment], reads: ReadCache | None = None
) -> dict[int, EnrolmentProgress]:
    """Progress of each enrolment against every registered criterion."""
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    reads = reads or ReadCache()
    per_criterion = [criterion(enrolments, reads) for criterion in _criteria.values()]
    result = {}
    for enrolment in enrolments:
        statuses = tuple(
            statuses[enrolment.pk]
            for statuses in per_criterion
            if enrolment.pk in statuses and statuses[enrolment.pk].total > 0
        )
        result[enrolment.pk] = EnrolmentProgress(requirements=statuses)
    return result
