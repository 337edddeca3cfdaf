"""The run dashboard: how a run (or every run of a course) is going, in a constant number of queries.

:func:`run_report` reads the run's enrolments once, asks the completion sequence
(:func:`courses.completion.enrolments_progress`) where each learner is, and asks every
registered **report provider** what its app knows about them — ``quizzes``: scores, who
failed a required assessment, each assessment's pass rate and score distribution;
``certificates``: each learner's certificate and the "certified" stage of the funnel.
Providers register through :func:`courses.api.register_run_report`, so ``courses`` never
imports the apps above it; like the page panels, what they show beyond plain facts comes
as :class:`~courses.panels.Panel` data rendered by the providing app's template.

The report guarantees:

* the **funnel** — enrolled → started → each required step of the sequence met (in
  order, cumulatively: a learner counts at a step only if every earlier required step is
  met too) → the providers' stages (certified) — with counts and percentages of the
  enrolled; withdrawn learners are counted apart and appear nowhere else;
* the **median days to completion** of those who completed (enrolment to completion);
* a **learner row** per enrolment with their next step, last activity, score and
  certificate, and the three flags the filters use: *not started* (no activity and
  nothing done), *stuck* (started, not complete, no activity for more than
  :data:`STUCK_AFTER_DAYS` days) and *failed* (a required assessment failed and not yet
  passed, as ``quizzes`` says).

Every read is one query whatever the number of enrolments (the run, its enrolments with
their learners, and each step's and provider's own reads, shared through a
:class:`~courses.completion.ReadCache`); filtering, searching and paging happen on the
rows in memory, so the funnel always describes the whole run.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from courses.completion import EnrolmentProgress, ReadCache, enrolments_progress
from courses.models import CoursePage, CourseRun, Enrolment, EnrolmentStatus
from courses.panels import Panel
from lms.registration import registration_number_key

if TYPE_CHECKING:
    from courses.charts import FunnelChart

#: A learner who started and has done nothing for longer than this is "stuck".
STUCK_AFTER_DAYS = 7

#: How the funnel names a step of the completion sequence (by its key); others use the step's label.
STAGE_LABELS = {
    "modules": "All modules done",
    "assessments": "Required assessments passed",
}


@dataclass(frozen=True)
class LearnerFacts:
    """What a provider knows about one enrolment. ``None`` (or ``""``) means "nothing to say"."""

    score_percent: Decimal | None = None
    score_label: str = ""
    certificate: str = ""
    certificate_status: str = ""
    failed: bool | None = None
    last_activity_at: datetime.datetime | None = None

    def merged_with(self, other: LearnerFacts) -> LearnerFacts:
        """These facts with every fact ``other`` states laid over them (latest activity wins)."""
        changes = {}
        for f in fields(self):
            value = getattr(other, f.name)
            if value is None or value == "":
                continue
            if f.name == "last_activity_at" and self.last_activity_at and self.last_activity_at > value:
                continue
            changes[f.name] = value
        return replace(self, **changes)


@dataclass(frozen=True)
class StageContribution:
    """A stage a provider adds to the end of the funnel: the enrolments that reached it."""

    key: str
    label: str
    enrolment_ids: frozenset[int]
    order: int = 100


@dataclass(frozen=True)
class ReportSection:
    """A provider's answer for a set of enrolments."""

    facts: Mapping[int, LearnerFacts] = field(default_factory=dict)
    stages: Sequence[StageContribution] = ()
    panels: Sequence[Panel] = ()


RunReportProvider = Callable[[Sequence[Enrolment], ReadCache], ReportSection]

_providers: dict[str, RunReportProvider] = {}


def register_run_report(key: str, provider: RunReportProvider) -> None:
    """``provider(enrolments, reads)`` → a :class:`ReportSection` about them (constant queries).

    The enrolments have ``run`` and ``run.course`` loaded and exclude withdrawn ones.
    """
    _providers[key] = provider


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    count: int
    percent: int  # of the enrolled, rounded down


@dataclass(frozen=True)
class LearnerRow:
    enrolment_id: int
    learner_id: int
    name: str
    email: str
    council: str
    registration_number: str
    run_label: str
    status: str
    step: str
    percent_done: int
    enrolled_at: datetime.datetime
    completed_at: datetime.datetime | None
    last_activity_at: datetime.datetime | None
    score_percent: Decimal | None
    score_label: str
    certificate: str
    certificate_status: str
    not_started: bool
    stuck: bool
    failed: bool

    def matches(self, query: str) -> bool:
        """Whether the search ``query`` is in the name, the e-mail or the registration number."""
        needle = query.casefold()
        if needle in self.name.casefold() or needle in self.email.casefold():
            return True
        number = registration_number_key(query)
        return bool(number) and number in registration_number_key(self.registration_number)


#: The learner-list filters: key → (label, the row's flag).
LEARNER_FILTERS: dict[str, tuple[str, Callable[[LearnerRow], bool]]] = {
    "stuck": (f"Stuck (no activity for more than {STUCK_AFTER_DAYS} days)", lambda row: row.stuck),
    "failed": ("Failed a required assessment", lambda row: row.failed),
    "not_started": ("Not started", lambda row: row.not_started),
}


@dataclass(frozen=True)
class RunReport:
    title: str
    runs: tuple[CourseRun, ...]
    enrolled: int
    withdrawn: int
    funnel: tuple[FunnelStage, ...]
    median_days_to_completion: float | None
    completed: int
    learners: tuple[LearnerRow, ...]
    panels: tuple[Panel, ...]

    def learners_matching(self, *, filter_key: str = "", query: str = "") -> list[LearnerRow]:
        """The learner rows a filter (a :data:`LEARNER_FILTERS` key) and a search leave."""
        rows: Iterable[LearnerRow] = self.learners
        if filter_key:
            flag = LEARNER_FILTERS[filter_key][1]
            rows = (row for row in rows if flag(row))
        if query:
            rows = (row for row in rows if row.matches(query))
        return list(rows)

    @property
    def filter_counts(self) -> dict[str, int]:
        return {
            key: sum(1 for row in self.learners if flag(row)) for key, (_, flag) in LEARNER_FILTERS.items()
        }

    @property
    def funnel_chart(self) -> FunnelChart:
        from courses.charts import funnel_chart

        return funnel_chart(self.funnel)


def _percent(part: int, whole: int) -> int:
    return (100 * part) // whole if whole else 0


def _report_enrolments(runs: Sequence[CourseRun]) -> list[Enrolment]:
    by_id = {run.pk: run for run in runs}
    enrolments = list(
        Enrolment.objects.filter(run__in=list(by_id))
        .select_related("learner", "learner__doctor_profile")
        .only(
            "id",
            "run_id",
            "status",
            "enrolled_at",
            "completed_at",
            "last_activity_at",
            "learner__id",
            "learner__email",
            "learner__first_name",
            "learner__last_name",
            "learner__doctor_profile__full_name",
            "learner__doctor_profile__council",
            "learner__doctor_profile__council_other",
            "learner__doctor_profile__registration_number",
        )
        .order_by("enrolled_at", "id")
    )
    for enrolment in enrolments:
        # Every enrolment of the report shares its run (and the run's course) object.
        enrolment.run = by_id[enrolment.run_id]
    return enrolments


def _stages(
    counted: Sequence[Enrolment],
    progress: Mapping[int, EnrolmentProgress],
    started: set[int],
    contributed: Sequence[StageContribution],
) -> tuple[FunnelStage, ...]:
    enrolled = len(counted)
    keys: list[tuple[str, str]] = []
    for enrolment in counted:
        for step in progress[enrolment.pk].required_steps:
            if step.key not in {key for key, _ in keys}:
                keys.append((step.key, step.label))
    stages = [
        FunnelStage("enrolled", "Enrolled", enrolled, _percent(enrolled, enrolled)),
        FunnelStage("started", "Started", len(started), _percent(len(started), enrolled)),
    ]
    for index, (key, label) in enumerate(keys):
        through = {key for key, _ in keys[: index + 1]}
        count = sum(
            1
            for enrolment in counted
            if all(step.is_met for step in progress[enrolment.pk].required_steps if step.key in through)
            and any(step.key == key for step in progress[enrolment.pk].required_steps)
        )
        stages.append(FunnelStage(key, STAGE_LABELS.get(key, label), count, _percent(count, enrolled)))
    for stage in sorted(contributed, key=lambda s: (s.order, s.key)):
        count = sum(1 for enrolment in counted if enrolment.pk in stage.enrolment_ids)
        stages.append(FunnelStage(stage.key, stage.label, count, _percent(count, enrolled)))
    return tuple(stages)


def _learner_row(
    enrolment: Enrolment, progress: EnrolmentProgress, facts: LearnerFacts, *, stuck_before
) -> LearnerRow:
    learner = enrolment.learner
    profile = getattr(learner, "doctor_profile", None)
    completed = enrolment.status == EnrolmentStatus.COMPLETED
    last_activity = facts.last_activity_at
    if enrolment.last_activity_at and (last_activity is None or enrolment.last_activity_at > last_activity):
        last_activity = enrolment.last_activity_at
    not_started = last_activity is None and progress.done == 0 and not completed
    if completed:
        step = "Completed"
    elif progress.next_step is not None:
        step = STAGE_LABELS.get(progress.next_step.key, progress.next_step.label)
        step = f"{step} ({progress.next_step.done} of {progress.next_step.total})"
    else:
        step = "Nothing to do yet"
    return LearnerRow(
        enrolment_id=enrolment.pk,
        learner_id=learner.pk,
        name=learner.display_name,
        email=learner.email,
        council=profile.council_display if profile else "",
        registration_number=profile.registration_number if profile else "",
        run_label=enrolment.run.label,
        status=enrolment.get_status_display(),
        step=step,
        percent_done=100 if completed else progress.percent,
        enrolled_at=enrolment.enrolled_at,
        completed_at=enrolment.completed_at,
        last_activity_at=last_activity,
        score_percent=facts.score_percent,
        score_label=facts.score_label,
        certificate=facts.certificate,
        certificate_status=facts.certificate_status,
        not_started=not_started,
        stuck=not completed and not not_started and (last_activity or enrolment.enrolled_at) < stuck_before,
        failed=bool(facts.failed) and not completed,
    )


def _report(*, title: str, runs: Sequence[CourseRun], now: datetime.datetime | None) -> RunReport:
    now = now or timezone.now()
    everyone = _report_enrolments(runs)
    counted = [e for e in everyone if e.status != EnrolmentStatus.WITHDRAWN]
    reads = ReadCache()
    progress = enrolments_progress(counted, reads)
    facts: dict[int, LearnerFacts] = {e.pk: LearnerFacts() for e in counted}
    contributed: list[StageContribution] = []
    panels: list[Panel] = []
    if counted:
        for provider in _providers.values():
            section = provider(counted, reads)
            for enrolment_id, known in section.facts.items():
                if enrolment_id in facts:
                    facts[enrolment_id] = facts[enrolment_id].merged_with(known)
            contributed.extend(section.stages)
            panels.extend(section.panels)
    stuck_before = now - datetime.timedelta(days=STUCK_AFTER_DAYS)
    rows = tuple(_learner_row(e, progress[e.pk], facts[e.pk], stuck_before=stuck_before) for e in counted)
    started = {row.enrolment_id for row in rows if not row.not_started}
    days = [
        (e.completed_at - e.enrolled_at).total_seconds() / 86400
        for e in counted
        if e.status == EnrolmentStatus.COMPLETED and e.completed_at
    ]
    return RunReport(
        title=title,
        runs=tuple(runs),
        enrolled=len(counted),
        withdrawn=len(everyone) - len(counted),
        funnel=_stages(counted, progress, started, contributed),
        median_days_to_completion=round(statistics.median(days), 1) if days else None,
        completed=len(days),
        learners=rows,
        panels=tuple(sorted(panels, key=lambda p: (p.order, p.key))),
    )


def run_report(*, run: CourseRun, now: datetime.datetime | None = None) -> RunReport:
    """The dashboard of one run (its course loaded or not): a constant number of queries."""
    run = (
        CourseRun.objects.select_related("course").get(pk=run.pk)
        if "course" not in run._state.fields_cache
        else run
    )
    return _report(title=str(run), runs=[run], now=now)


def course_report(*, course: CoursePage, now: datetime.datetime | None = None) -> RunReport:
    """The dashboard of every run of a course together: a constant number of queries."""
    runs = list(CourseRun.objects.filter(course=course).select_related("course").order_by("starts_on"))
    return _report(title=course.title, runs=runs, now=now)
