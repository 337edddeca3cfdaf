"""The run dashboard: how a run (or every run of a course) is going, in a constant number of queries.

A run of 10,000 learners must answer in a fraction of a second, so nothing here walks
every enrolment in Python: the figures are **conditions on enrolments** that
PostgreSQL counts in one aggregate query, and only the page of learners on screen is
read row by row.

* ``courses`` states its own conditions: *started* (any activity, a module completed,
  or a provider's activity), the "modules" step met (every live module of the course
  completed — the rule of :func:`courses.selectors.modules_step_statuses`, as SQL), the
  learner flags *not started*, *stuck* (started, not complete, no activity for more than
  :data:`STUCK_AFTER_DAYS` days) and, with the providers, *failed*.
* Other apps register a :class:`RunReportProvider` through
  :func:`courses.api.register_run_report` — ``quizzes``: the "assessments" step met,
  attempts as activity, a failed required assessment not passed since, each learner's
  score, the assessments section; ``certificates``: the *Certified* stage and each
  learner's certificate. ``courses`` never imports them; what they show beyond facts
  comes as :class:`~courses.panels.Panel` data their own template renders.

The **funnel** is enrolled → started → each required step of the completion sequence
that has a condition, in sequence order and cumulatively (a learner counts at a step
only when every earlier step is met too) → the providers' stages. Withdrawn learners are
counted apart and appear nowhere else. Each **learner row** of the page on screen gets
its next step from :func:`courses.completion.enrolments_progress` (the one progress
rule) and its flags from the same conditions the counts use, so a filter's count and its
list always agree. Filters and the search (name, e-mail, registration number in any
spelling) are SQL; paging is Django's paginator over the filtered query.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Upper
from django.utils import timezone

from courses import completion
from courses.completion import ReadCache, enrolments_progress
from courses.models import CoursePage, CourseRun, Enrolment, EnrolmentStatus, ModuleCompletion
from courses.panels import Panel
from lms.registration import registration_number_key

#: A learner who started and has done nothing for longer than this is "stuck".
STUCK_AFTER_DAYS = 7

#: How the funnel and the learner list name a step of the completion sequence (by key).
STAGE_LABELS = {
    "modules": "All modules done",
    "assessments": "Required assessments passed",
}


@dataclass(frozen=True)
class LearnerFacts:
    """What a provider knows about one enrolment on screen. ``None`` or ``""``: nothing to say."""

    score_percent: Decimal | None = None
    score_label: str = ""
    certificate: str = ""
    certificate_status: str = ""
    last_activity_at: datetime.datetime | None = None

    def merged_with(self, other: LearnerFacts) -> LearnerFacts:
        """These facts with every fact ``other`` states laid over them (the latest activity wins)."""
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
class ReportStage:
    """A stage a provider adds to the end of the funnel: the enrolments meeting ``condition``."""

    key: str
    label: str
    condition: Q
    order: int = 100


@dataclass(frozen=True)
class ReportScope:
    """What a provider is asked about: the runs (with their courses) and their enrolments.

    ``enrolments`` is a query of the ids of the non-withdrawn enrolments, for a provider
    to filter its own rows by (``enrolment__in=scope.enrolments``) without querying
    ``courses``' models itself.
    """

    runs: tuple[CourseRun, ...]
    enrolments: QuerySet
    reads: ReadCache

    @property
    def course_ids(self) -> set[int]:
        return {run.course_id for run in self.runs}


@dataclass(frozen=True)
class RunReportProvider:
    """What one app adds to the dashboard. Every function runs a constant number of queries.

    Conditions are ``Q`` objects on ``Enrolment``, best ``Q(pk__in=<the app's rows of
    scope.enrolments>.values("enrolment"))``: a set PostgreSQL hashes once, where a
    correlated ``EXISTS`` would run once per enrolment.

    ``step_conditions(scope)`` — ``{completion step key: condition}`` for the steps of the
    sequence the app owns and that apply to the scope's courses; ``activity(scope, since)`` —
    the enrolment has activity in this app (since ``since``, or ever when ``None``);
    ``failed(scope)`` — the learner failed something that blocks completion;
    ``stages(scope)`` — :class:`ReportStage` stages after the sequence (certified);
    ``facts(enrolments, reads)`` — :class:`LearnerFacts` for the page's enrolments;
    ``panels(scope)`` — sections of the dashboard.
    """

    key: str
    step_conditions: Callable[[ReportScope], Mapping[str, Q]] | None = None
    activity: Callable[[ReportScope, datetime.datetime | None], Q] | None = None
    failed: Callable[[ReportScope], Q | None] | None = None
    stages: Callable[[ReportScope], Sequence[ReportStage]] | None = None
    facts: Callable[[Sequence[Enrolment], ReadCache], Mapping[int, LearnerFacts]] | None = None
    panels: Callable[[ReportScope], Sequence[Panel]] | None = None


_providers: dict[str, RunReportProvider] = {}


def register_run_report(provider: RunReportProvider) -> None:
    """Add (or replace, by ``key``) what an app contributes to the run dashboard."""
    _providers[provider.key] = provider


# --- What the report holds ------------------------------------------------------------------


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


#: The learner-list filters: key → label.
LEARNER_FILTERS: dict[str, str] = {
    "stuck": f"Stuck (no activity for more than {STUCK_AFTER_DAYS} days)",
    "failed": "Failed a required assessment",
    "not_started": "Not started",
}


@dataclass(frozen=True)
class RunReport:
    title: str
    runs: tuple[CourseRun, ...]
    enrolled: int
    withdrawn: int
    completed: int
    median_days_to_completion: float | None
    funnel: tuple[FunnelStage, ...]
    filter_counts: Mapping[str, int]
    panels: tuple[Panel, ...]
    now: datetime.datetime
    scope: ReportScope = field(repr=False)
    annotations: Mapping[str, object] = field(repr=False)
    conditions: Mapping[str, Q] = field(repr=False)

    @property
    def funnel_chart(self):
        from courses.charts import funnel_chart

        return funnel_chart(self.funnel)

    def learners_query(self, *, filter_key: str = "", query: str = "") -> QuerySet:
        """The enrolments a filter (a :data:`LEARNER_FILTERS` key) and a search leave, in enrolment order."""
        rows = Enrolment.objects.filter(self.conditions["counted"], run__in=[run.pk for run in self.runs])
        if filter_key:
            rows = rows.annotate(**self.annotations).filter(self.conditions[filter_key])
        if query:
            rows = _search(rows, query)
        return rows.order_by("enrolled_at", "id")

    def learners_page(
        self, *, filter_key: str = "", query: str = "", page: object = 1, per_page: int = 50
    ) -> tuple[Page, list[LearnerRow]]:
        """One page of learners (Django's ``Page``) and its rows, in a constant number of queries."""
        ids = self.learners_query(filter_key=filter_key, query=query).values_list("pk", flat=True)
        shown = Paginator(ids, per_page).get_page(page)
        # The flags of the rows on screen, by the same conditions asked about these rows only.
        on_screen = list(shown.object_list)
        scope = replace(self.scope, enrolments=Enrolment.objects.filter(pk__in=on_screen).values("pk"))
        annotations, conditions, _, _ = _conditions(scope, self.now)
        enrolments = list(
            Enrolment.objects.filter(pk__in=on_screen)
            .select_related("learner", "learner__doctor_profile")
            .annotate(**annotations)
            .annotate(
                **{
                    f"flag_{key}": ExpressionWrapper(conditions[key], output_field=BooleanField())
                    for key in LEARNER_FILTERS
                }
            )
            .order_by("enrolled_at", "id")
        )
        return shown, self._rows(enrolments)

    def _rows(self, enrolments: list[Enrolment]) -> list[LearnerRow]:
        by_id = {run.pk: run for run in self.runs}
        for enrolment in enrolments:
            enrolment.run = by_id[enrolment.run_id]
        reads = self.scope.reads  # the courses' modules and quizzes were read for the figures already
        progress = enrolments_progress(enrolments, reads)
        facts = {e.pk: LearnerFacts() for e in enrolments}
        for provider in _providers.values():
            if provider.facts is not None and enrolments:
                for enrolment_id, known in provider.facts(enrolments, reads).items():
                    facts[enrolment_id] = facts[enrolment_id].merged_with(known)
        return [_learner_row(e, progress[e.pk], facts[e.pk]) for e in enrolments]


def enrolment_step_label(enrolment: Enrolment, progress) -> str:
    """Where a learner is, in words: "Completed", "Withdrawn", or their next step and how far into it."""
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return "Completed"
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return "Withdrawn"
    if progress.next_step is not None:
        label = STAGE_LABELS.get(progress.next_step.key, progress.next_step.label)
        return f"{label} ({progress.next_step.done} of {progress.next_step.total})"
    return "Nothing to do yet"


def _learner_row(enrolment: Enrolment, progress, facts: LearnerFacts) -> LearnerRow:
    learner = enrolment.learner
    profile = getattr(learner, "doctor_profile", None)
    completed = enrolment.status == EnrolmentStatus.COMPLETED
    last_activity = facts.last_activity_at
    if enrolment.last_activity_at and (last_activity is None or enrolment.last_activity_at > last_activity):
        last_activity = enrolment.last_activity_at
    step = enrolment_step_label(enrolment, progress)
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
        not_started=enrolment.flag_not_started,
        stuck=enrolment.flag_stuck,
        failed=enrolment.flag_failed,
    )


# --- The conditions ---------------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median of an expression."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days_to_completion():
    return Func(
        F("completed_at") - F("enrolled_at"),
        template="(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)",
        output_field=FloatField(),
    )


def _registration_key(expression):
    """SQL twin of :func:`lms.registration.registration_number_key`: upper-case letters and digits."""
    return Func(Upper(expression), Value("[^A-Z0-9]"), Value(""), Value("g"), function="regexp_replace")


def enrolments_search(rows: QuerySet, query: str) -> QuerySet:
    """The enrolments whose learner's name, e-mail or registration number (in any spelling) matches."""
    return _search(rows, query)


def enrolment_step_choices() -> list[tuple[str, str]]:
    """What the enrolment list can filter by step: each required step of the sequence as the
    *next* step, then the dashboard's own flags."""
    steps = [
        (step.key, f"Next step: {STAGE_LABELS.get(step.key, step.label)}")
        for step in sorted(completion._steps.values(), key=lambda s: (s.order, s.key))
        if step.required
    ]
    return steps + list(LEARNER_FILTERS.items())


def enrolments_at_step(rows: QuerySet, key: str, *, now: datetime.datetime | None = None) -> QuerySet:
    """``rows`` (enrolments) left by a step filter of :func:`enrolment_step_choices`, in SQL.

    A sequence step means "enrolled, every earlier required step met, this one not"; a
    flag is the dashboard's own condition, so the list and the dashboard always agree.
    An unknown key leaves no rows.
    """
    runs = tuple(CourseRun.objects.filter(pk__in=rows.order_by().values("run")).select_related("course"))
    scope = ReportScope(runs=runs, enrolments=rows.order_by().values("pk"), reads=ReadCache())
    annotations, conditions, steps, _ = _conditions(scope, now or timezone.now())
    if key in LEARNER_FILTERS:
        return rows.annotate(**annotations).filter(conditions[key])
    for index, (step_key, _, _) in enumerate(steps):
        if step_key == key:
            before = conditions[f"step_{index - 1}"] if index else conditions["counted"]
            return rows.annotate(**annotations).filter(
                before, Q(status=EnrolmentStatus.ACTIVE), ~Q(**{f"atom_step_{index}": True})
            )
    return rows.none()


def _search(rows: QuerySet, query: str) -> QuerySet:
    found = (
        Q(learner__doctor_profile__full_name__icontains=query)
        | Q(learner__email__icontains=query)
        | Q(learner__first_name__icontains=query)
        | Q(learner__last_name__icontains=query)
    )
    number = registration_number_key(query)
    if number:
        rows = rows.alias(
            registration_key=_registration_key(F("learner__doctor_profile__registration_number"))
        )
        found |= Q(registration_key__contains=number)
    return rows.filter(found)


def _modules_condition(scope: ReportScope) -> Q | None:
    from courses.selectors import modules_by_course

    modules = modules_by_course([run.course for run in scope.runs], scope.reads)
    if not any(modules.values()):
        return None
    met = Q()
    for course_id, entries in modules.items():
        live = [entry.id for entry in entries]
        if not live:
            met |= Q(run__course_id=course_id)
            continue
        # One completion per enrolment and module (a unique constraint), so a plain count
        # of rows is the count of modules done: PostgreSQL hashes the groups in one pass,
        # where COUNT(DISTINCT) would sort every enrolment's rows.
        done_all = (
            ModuleCompletion.objects.filter(enrolment__in=scope.enrolments, module_id__in=live)
            .values("enrolment")
            .annotate(done=Count("pk"))
            .filter(done__gte=len(live))
            .values("enrolment")
        )
        met |= Q(run__course_id=course_id, pk__in=done_all)
    return met


def activity_since(scope: ReportScope, since: datetime.datetime) -> Q:
    """The scope's enrolments with any activity since ``since``: courses' own and every provider's.

    The one rule for "active lately", shared by the dashboard's *stuck* flag and the
    inactivity reminder (:mod:`courses.reminders`).
    """
    completions = ModuleCompletion.objects.filter(enrolment__in=scope.enrolments, completed_at__gte=since)
    active = Q(last_activity_at__gte=since) | Q(pk__in=completions.values("enrolment"))
    for provider in _providers.values():
        if provider.activity is not None:
            active |= provider.activity(scope, since)
    return active


def _conditions(scope: ReportScope, now: datetime.datetime):
    # Conditions are ``pk IN (subquery)`` over whole sets rather than correlated EXISTS:
    # PostgreSQL hashes each set once, so counting 10,000 enrolments stays one quick pass.
    counted = ~Q(status=EnrolmentStatus.WITHDRAWN)
    active = Q(status=EnrolmentStatus.ACTIVE)
    cutoff = now - datetime.timedelta(days=STUCK_AFTER_DAYS)
    completions = ModuleCompletion.objects.filter(enrolment__in=scope.enrolments)
    started = (
        Q(last_activity_at__isnull=False)
        | Q(status=EnrolmentStatus.COMPLETED)
        | Q(pk__in=completions.values("enrolment"))
    )
    recent = activity_since(scope, cutoff)
    failed: Q | None = None
    step_conditions: dict[str, Q] = {}
    modules = _modules_condition(scope)
    if modules is not None:
        step_conditions["modules"] = modules
    for provider in _providers.values():
        if provider.activity is not None:
            started |= provider.activity(scope, None)
        if provider.failed is not None:
            condition = provider.failed(scope)
            if condition is not None:
                failed = condition if failed is None else failed | condition
        if provider.step_conditions is not None:
            step_conditions.update(provider.step_conditions(scope))
    steps = [
        (step.key, STAGE_LABELS.get(step.key, step.label), step_conditions[step.key])
        for step in sorted(completion._steps.values(), key=lambda s: (s.order, s.key))
        if step.required and step.key in step_conditions
    ]
    stages: list[ReportStage] = []
    for provider in _providers.values():
        if provider.stages is not None:
            stages.extend(provider.stages(scope))
    stages.sort(key=lambda s: (s.order, s.key))
    # Each set is computed once per query as an "atom" column; the conditions the counts,
    # the filters and the learner flags use combine atoms, so they cannot disagree.
    atoms = {"started": started, "recent": recent, "failed": failed}
    atoms.update({f"step_{index}": condition for index, (_, _, condition) in enumerate(steps)})
    atoms.update({f"stage_{index}": stage.condition for index, stage in enumerate(stages)})
    never = Q(pk__isnull=True)  # a condition no enrolment meets (nothing can be failed, say)
    annotations = {
        f"atom_{name}": ExpressionWrapper(
            condition if condition is not None else never, output_field=BooleanField()
        )
        for name, condition in atoms.items()
    }

    def atom(name: str) -> Q:
        return Q(**{f"atom_{name}": True})

    conditions = {
        "counted": counted,
        "started": counted & atom("started"),
        "not_started": counted & active & ~atom("started"),
        "stuck": counted & active & atom("started") & ~atom("recent"),
        "failed": counted & active & atom("failed"),
    }
    through = counted
    for index in range(len(steps)):
        through = through & atom(f"step_{index}")
        conditions[f"step_{index}"] = through
    for index in range(len(stages)):
        conditions[f"stage_{index}"] = counted & atom(f"stage_{index}")
    return annotations, conditions, steps, stages


def _percent(part: int, whole: int) -> int:
    return (100 * part) // whole if whole else 0


def _report(*, title: str, runs: Sequence[CourseRun], now: datetime.datetime | None) -> RunReport:
    now = now or timezone.now()
    runs = tuple(runs)
    run_ids = [run.pk for run in runs]
    scope = ReportScope(
        runs=runs,
        enrolments=Enrolment.objects.filter(run__in=run_ids)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .order_by()
        .values("pk"),
        reads=ReadCache(),
    )
    annotations, conditions, steps, stages = _conditions(scope, now)
    counted = conditions["counted"]
    aggregates = {
        "enrolled": Count("pk", filter=counted),
        "withdrawn": Count("pk", filter=~counted),
        "completed": Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        "median_days": Median(_days_to_completion(), filter=Q(status=EnrolmentStatus.COMPLETED)),
        "started": Count("pk", filter=conditions["started"]),
    }
    for index in range(len(steps)):
        aggregates[f"step_{index}"] = Count("pk", filter=conditions[f"step_{index}"])
    for index in range(len(stages)):
        aggregates[f"stage_{index}"] = Count("pk", filter=conditions[f"stage_{index}"])
    for key in LEARNER_FILTERS:
        aggregates[f"filter_{key}"] = Count("pk", filter=conditions[key])
    # DISTINCT (harmless: one row per enrolment) makes Django count over a subquery that
    # computes each atom once, instead of repeating its set in every count.
    figures = (
        Enrolment.objects.filter(run__in=run_ids).annotate(**annotations).distinct().aggregate(**aggregates)
    )

    enrolled = figures["enrolled"]
    funnel = [
        FunnelStage("enrolled", "Enrolled", enrolled, _percent(enrolled, enrolled)),
        FunnelStage("started", "Started", figures["started"], _percent(figures["started"], enrolled)),
    ]
    for index, (key, label, _) in enumerate(steps):
        count = figures[f"step_{index}"]
        funnel.append(FunnelStage(key, label, count, _percent(count, enrolled)))
    for index, stage in enumerate(stages):
        count = figures[f"stage_{index}"]
        funnel.append(FunnelStage(stage.key, stage.label, count, _percent(count, enrolled)))
    panels: list[Panel] = []
    for provider in _providers.values():
        if provider.panels is not None and enrolled:
            panels.extend(provider.panels(scope))
    median = figures["median_days"]
    return RunReport(
        title=title,
        runs=runs,
        enrolled=enrolled,
        withdrawn=figures["withdrawn"],
        completed=figures["completed"],
        median_days_to_completion=round(median, 1) if median is not None else None,
        funnel=tuple(funnel),
        filter_counts={key: figures[f"filter_{key}"] for key in LEARNER_FILTERS},
        panels=tuple(sorted(panels, key=lambda p: (p.order, p.key))),
        now=now,
        scope=scope,
        annotations=annotations,
        conditions=conditions,
    )


def run_report(*, run: CourseRun, now: datetime.datetime | None = None) -> RunReport:
    """The dashboard of one run: a constant number of queries, whatever its size."""
    if "course" not in run._state.fields_cache:
        run = CourseRun.objects.select_related("course").get(pk=run.pk)
    return _report(title=str(run), runs=[run], now=now)


def course_report(*, course: CoursePage, now: datetime.datetime | None = None) -> RunReport:
    """The dashboard of every run of a course together: a constant number of queries."""
    runs = list(CourseRun.objects.filter(course=course).select_related("course").order_by("starts_on"))
    return _report(title=course.title, runs=runs, now=now)


def course_for_report(*, course_id: int) -> CoursePage | None:
    return CoursePage.objects.filter(pk=course_id).first()
