"""The run dashboard: how a run (or every run of a course) is going, in a constant number of queries.

A run of 10,000 learners must answer in a fraction of a second, so nothing here walks
every enrolment in Python, and no condition is a set joined back to the enrolments on
its own: each app reads **its table once, grouped by enrolment** (a
:class:`ReportTable`: a learner's module completions, attempts, certificates), those
grouped rows are joined to the enrolments in one query, and every figure is a
condition over that join which PostgreSQL counts in the same pass. Only the page of
learners on screen is read row by row.

* ``courses`` states its own conditions: *started* (any activity, a module completed,
  or a provider's activity), the "modules" step met (every live module of the course
  completed — the rule of :func:`courses.selectors.modules_step_statuses`, as SQL), the
  learner flags *not started*, *stuck* (started, not complete, no activity for more than
  :data:`STUCK_AFTER_DAYS` days) and, with the providers, *failed*.
* Other apps register a :class:`RunReportProvider` through
  :func:`courses.api.register_run_report`; for a scope it returns a
  :class:`ReportFigures`: its grouped table and conditions over its columns —
  ``quizzes``: the "assessments" step met, attempts as activity, a failed required
  assessment not passed since; ``certificates``: the *Certified* stage. For the learners
  on screen they give facts (each learner's score, certificate), and sections of the
  page as :class:`~courses.panels.Panel` data their own template renders (``quizzes``:
  the assessments). ``courses`` never imports them.

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
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Aggregate, Count, F, Func, Max, Q, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.functional import cached_property

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
    """A stage a provider adds to the end of the funnel: the enrolments meeting ``condition`` (SQL, see :class:`ReportFigures`)."""

    key: str
    label: str
    condition: str
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
class ReportTable:
    """One app's rows about the scope's enrolments, read in one grouped pass: a row per enrolment.

    ``rows`` is a query of the app's model (which has an ``enrolment`` foreign key)
    limited to ``scope.enrolments``; ``columns`` are aggregates over each enrolment's rows
    (``Count``, ``Max``…, named unlike the model's fields); ``activity``, if given, names
    the column holding the time of the enrolment's latest activity in this app. The
    dashboard joins the grouped rows to the enrolments under ``key`` (unique among the
    tables), so conditions name a column ``"<key>"."<column>"`` — :meth:`column` — and
    find it NULL for an enrolment without rows.
    """

    key: str
    rows: QuerySet
    columns: Mapping[str, Aggregate]
    activity: str | None = None

    def column(self, name: str) -> str:
        return f'"{self.key}"."{name}"'


@dataclass(frozen=True)
class ReportFigures:
    """What one app adds to the figures of a scope: its grouped table and conditions over it.

    A condition is a PostgreSQL boolean expression without parameters (integers written
    in it) over the columns of this app's table (NULL where the enrolment has no rows —
    a NULL condition counts as not met) and the enrolment's ``e.course_id``. ``steps`` —
    ``{completion step key: condition}`` for the steps of the sequence the app owns and
    that apply to the scope's courses; ``failed`` — the learner failed something that
    blocks completion; ``stages`` — :class:`ReportStage` stages after the sequence
    (certified). The table's ``activity`` column is activity (for *started* and *stuck*).
    """

    table: ReportTable | None = None
    steps: Mapping[str, str] = field(default_factory=dict)
    failed: str | None = None
    stages: Sequence[ReportStage] = ()


@dataclass(frozen=True)
class RunReportProvider:
    """What one app adds to the dashboard. Every function runs a constant number of queries.

    ``figures(scope)`` — its :class:`ReportFigures` (a grouped table and conditions, which
    the dashboard counts in its one query); ``facts(enrolments, reads)`` —
    :class:`LearnerFacts` for the page's enrolments; ``panels(scope)`` — sections of the
    dashboard.
    """

    key: str
    figures: Callable[[ReportScope], ReportFigures] | None = None
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
    facts: _Facts = field(repr=False)

    @property
    def funnel_chart(self):
        from courses.charts import funnel_chart

        return funnel_chart(self.funnel)

    def learners_query(self, *, filter_key: str = "", query: str = "") -> QuerySet:
        """The enrolments a filter (a :data:`LEARNER_FILTERS` key) and a search leave, in enrolment order."""
        rows = Enrolment.objects.filter(
            ~Q(status=EnrolmentStatus.WITHDRAWN), run__in=[run.pk for run in self.runs]
        )
        if filter_key:
            rows = rows.filter(self.facts.matching(rows, self.facts.conditions[filter_key]))
        if query:
            rows = _search(rows, query)
        return rows.order_by("enrolled_at", "id")

    def learners_page(
        self, *, filter_key: str = "", query: str = "", page: object = 1, per_page: int = 50
    ) -> tuple[Page, list[LearnerRow]]:
        """One page of learners (Django's ``Page``) and its rows, in a constant number of queries."""
        # The page's ids first, then their learners: a sort of the matching enrolments alone,
        # not of every enrolment joined to its learner.
        ids = self.learners_query(filter_key=filter_key, query=query).values_list("pk", flat=True)
        # Without a search, the figures counted this list already, by the same conditions.
        known = None if query else (self.filter_counts[filter_key] if filter_key else self.enrolled)
        shown = _page_of(ids, page, per_page, count=known)
        enrolments = list(
            Enrolment.objects.filter(pk__in=list(shown.object_list))
            .select_related("learner", "learner__doctor_profile")
            .order_by("enrolled_at", "id")
        )
        # The flags of the rows on screen, by the same conditions asked about these rows only.
        flags = self.facts.flags([e.pk for e in enrolments]) if enrolments else {}
        for enrolment in enrolments:
            for key in LEARNER_FILTERS:
                setattr(enrolment, f"flag_{key}", flags[enrolment.pk][key])
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


class _CountedPaginator(Paginator):
    """Django's paginator, told the count of its list (the figures counted it already)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _page_of(rows: QuerySet, number: object, per_page: int, *, count: int | None) -> Page:
    """Django's page ``number`` of ``rows`` (enrolment ids) (``get_page``: the first for a bad number, the last past the end).

    With ``count`` unknown (a search), the count comes with the page's rows in one query,
    a window over the matching rows; only a page out of range asks again.
    """
    if count is not None:
        return _CountedPaginator(rows, per_page, count=count).get_page(number)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        start = (wanted - 1) * per_page
        found = list(
            rows.annotate(matching_count=Window(Count("pk"))).values_list("pk", "matching_count")[
                start : start + per_page
            ]
        )
        if found or wanted == 1:
            paginator = _CountedPaginator(rows, per_page, count=found[0][1] if found else 0)
            return Page([pk for pk, _ in found], wanted, paginator)
    return Paginator(rows, per_page).get_page(number)


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
    facts = _facts(scope, since=_stuck_since(now or timezone.now()))
    if key in LEARNER_FILTERS:
        return rows.filter(facts.matching(rows, facts.conditions[key]))
    for index, (step_key, _) in enumerate(facts.steps):
        if step_key == key:
            before = facts.conditions[f"step_{index - 1}"] if index else facts.conditions["counted"]
            condition = f"{before} AND f.status = '{_ACTIVE}' AND NOT f.atom_step_{index}"
            return rows.filter(facts.matching(rows, condition))
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


def _modules_figures(scope: ReportScope) -> ReportFigures:
    """``courses``' own table: each enrolment's module completions (activity, and the "modules" step)."""
    from courses.selectors import modules_by_course

    modules = modules_by_course([run.course for run in scope.runs], scope.reads)
    live = sorted({entry.id for entries in modules.values() for entry in entries})
    # One completion per enrolment and module (a unique constraint), so a plain count of
    # the live modules' rows is the count of modules done.
    table = ReportTable(
        key="modules",
        rows=ModuleCompletion.objects.filter(enrolment__in=scope.enrolments),
        columns={
            "latest_completion": Max("completed_at"),
            "live_done": Count("pk", filter=Q(module_id__in=live)) if live else Value(0),
        },
        activity="latest_completion",
    )
    if not live:
        return ReportFigures(table=table)
    met = []
    for course_id, entries in sorted(modules.items()):
        if entries:
            met.append(f"(e.course_id = {int(course_id)} AND {table.column('live_done')} >= {len(entries)})")
        else:
            met.append(f"e.course_id = {int(course_id)}")
    return ReportFigures(table=table, steps={"modules": " OR ".join(met)})


_ACTIVE = EnrolmentStatus.ACTIVE.value
_COMPLETED = EnrolmentStatus.COMPLETED.value
_WITHDRAWN = EnrolmentStatus.WITHDRAWN.value
_COUNTED = f"f.status <> '{_WITHDRAWN}'"
#: What each enrolment of a report's base query brings to the join (as ``e``).
_ENROLMENT_COLUMNS = ("id", "status", "enrolled_at", "completed_at", "last_activity_at")


@dataclass(frozen=True)
class _Facts:
    """The conditions of one scope, as SQL over the enrolments joined to every app's grouped table.

    An *atom* is a condition computed once per enrolment (``f.atom_<name>``); the
    :attr:`conditions` the counts, the filters and the learner flags use combine atoms,
    so they cannot disagree.
    """

    scope: ReportScope
    since: datetime.datetime
    tables: tuple[ReportTable, ...]
    atoms: Mapping[str, str]
    atom_params: Mapping[str, tuple]  # the parameters of an atom's placeholders, if it has any
    steps: tuple[tuple[str, str], ...]  # (key, label) of each step with a condition, in order
    stages: tuple[ReportStage, ...]
    conditions: Mapping[str, str]

    def select(self, base: QuerySet, atoms: Sequence[str] | None = None) -> tuple[str, list]:
        """``SELECT`` of each enrolment of ``base`` with its atoms (all, or those named): SQL and parameters.

        Only the tables an atom names are joined; each is grouped in one pass over the
        app's rows of the scope, then hashed against the enrolments.
        """
        chosen = {name: self.atoms[name] for name in (atoms if atoms is not None else self.atoms)}
        used = [t for t in self.tables if any(f'"{t.key}".' in sql for sql in chosen.values())]
        base_sql, base_params = (
            base.order_by().values(*_ENROLMENT_COLUMNS, course_id=F("run__course_id")).query.sql_with_params()
        )
        params: list = []
        columns = ["e.id", "e.status", "e.enrolled_at", "e.completed_at"]
        for name, sql in chosen.items():
            columns.append(f"COALESCE(({sql}), false) AS atom_{name}")
            params.extend(self.atom_params.get(name, ()))
        joins = [f"({base_sql}) AS e"]
        params.extend(base_params)
        for table in used:
            grouped = table.rows.order_by().values("enrolment").annotate(**table.columns)
            table_sql, table_params = grouped.query.sql_with_params()
            joins.append(f'LEFT JOIN ({table_sql}) AS "{table.key}" ON "{table.key}"."enrolment" = e.id')
            params.extend(table_params)
        return f"SELECT {', '.join(columns)} FROM {' '.join(joins)}", params

    def matching(self, base: QuerySet, condition: str) -> Q:
        """The enrolments of ``base`` meeting ``condition`` (over ``f``), as a ``Q`` on enrolments.

        Only the atoms the condition names are computed (a filter on *stuck* reads no
        certificates)."""
        try:
            sql, params = self.select(base, list(dict.fromkeys(re.findall(r"\bf\.atom_(\w+)", condition))))
        except EmptyResultSet:  # nothing to ask about (a course without runs, an empty list)
            return Q(pk__in=[])
        return Q(pk__in=RawSQL(f"SELECT f.id FROM ({sql}) AS f WHERE {condition}", params))

    def count(self, base: QuerySet, counts: Mapping[str, str], *, median_days: bool = False) -> dict:
        """``{name: how many enrolments of base meet the condition}`` in one query; with
        ``median_days``, also the median days from enrolment to completion of the completed."""
        try:
            sql, params = self.select(base)
        except EmptyResultSet:  # nothing to count (a course without runs)
            return {**dict.fromkeys(counts, 0), "median_days": None}
        figures = [f"COUNT(*) FILTER (WHERE {condition})" for condition in counts.values()]
        if median_days:
            figures.append(
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM f.completed_at - f.enrolled_at)"
                f" / 86400.0) FILTER (WHERE f.status = '{_COMPLETED}')"
            )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(figures)} FROM ({sql}) AS f", params)
            row = cursor.fetchone()
        result = dict(zip(counts, row, strict=False))
        if median_days:
            result["median_days"] = row[-1]
        return result

    def flags(self, enrolment_ids: Sequence[int]) -> dict[int, dict[str, bool]]:
        """The learner flags (:data:`LEARNER_FILTERS`) of these enrolments, in one query over them only."""
        scope = replace(self.scope, enrolments=Enrolment.objects.filter(pk__in=enrolment_ids).values("pk"))
        facts = _facts(scope, since=self.since)
        sql, params = facts.select(
            Enrolment.objects.filter(pk__in=enrolment_ids), ["started", "recent", "failed"]
        )
        keys = list(LEARNER_FILTERS)
        flags = ", ".join(f"COALESCE(({facts.conditions[key]}), false)" for key in keys)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT f.id, {flags} FROM ({sql}) AS f", params)
            return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in cursor.fetchall()}


def _stuck_since(now: datetime.datetime) -> datetime.datetime:
    """Activity before this time, and none since, makes a learner *stuck*."""
    return now - datetime.timedelta(days=STUCK_AFTER_DAYS)


def _facts(scope: ReportScope, *, since: datetime.datetime) -> _Facts:
    """The scope's conditions; *recent* activity is activity since ``since``."""
    contributions = [_modules_figures(scope)]
    for provider in _providers.values():
        if provider.figures is not None:
            contributions.append(provider.figures(scope))
    tables = tuple(c.table for c in contributions if c.table is not None)
    step_conditions: dict[str, str] = {}
    failed = [c.failed for c in contributions if c.failed]
    stages: list[ReportStage] = []
    for contribution in contributions:
        step_conditions.update(contribution.steps)
        stages.extend(contribution.stages)
    steps = [
        (step.key, STAGE_LABELS.get(step.key, step.label), step_conditions[step.key])
        for step in sorted(completion._steps.values(), key=lambda s: (s.order, s.key))
        if step.required and step.key in step_conditions
    ]
    stages.sort(key=lambda s: (s.order, s.key))
    # GREATEST skips NULLs: the latest of the enrolment's own activity and every app's.
    latest = "GREATEST({})".format(
        ", ".join(["e.last_activity_at"] + [t.column(t.activity) for t in tables if t.activity])
    )
    atoms = {
        "started": f"e.status = '{_COMPLETED}' OR {latest} IS NOT NULL",
        "recent": f"{latest} >= %s",
        "failed": " OR ".join(f"({sql})" for sql in failed) or "false",
    }
    atoms.update({f"step_{index}": sql for index, (_, _, sql) in enumerate(steps)})
    atoms.update({f"stage_{index}": stage.condition for index, stage in enumerate(stages)})
    active = f"{_COUNTED} AND f.status = '{_ACTIVE}'"
    conditions = {
        "counted": _COUNTED,
        "started": f"{_COUNTED} AND f.atom_started",
        "not_started": f"{active} AND NOT f.atom_started",
        "stuck": f"{active} AND f.atom_started AND NOT f.atom_recent",
        "failed": f"{active} AND f.atom_failed",
    }
    through = _COUNTED
    for index in range(len(steps)):
        through = f"{through} AND f.atom_step_{index}"
        conditions[f"step_{index}"] = through
    for index in range(len(stages)):
        conditions[f"stage_{index}"] = f"{_COUNTED} AND f.atom_stage_{index}"
    return _Facts(
        scope=scope,
        since=since,
        tables=tables,
        atoms=atoms,
        atom_params={"recent": (since,)},
        steps=tuple((key, label) for key, label, _ in steps),
        stages=tuple(stages),
        conditions=conditions,
    )


def activity_since(scope: ReportScope, since: datetime.datetime) -> Q:
    """The scope's enrolments with any activity since ``since``: courses' own and every provider's.

    The one rule for "active lately", shared by the dashboard's *stuck* flag and the
    inactivity reminder (:mod:`courses.reminders`).
    """
    facts = _facts(scope, since=since)
    return facts.matching(Enrolment.objects.filter(pk__in=scope.enrolments), "f.atom_recent")


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
    facts = _facts(scope, since=_stuck_since(now))
    conditions = facts.conditions
    counts = {
        "enrolled": conditions["counted"],
        "withdrawn": f"NOT ({conditions['counted']})",
        "completed": f"f.status = '{_COMPLETED}'",
        "started": conditions["started"],
    }
    for index in range(len(facts.steps)):
        counts[f"step_{index}"] = conditions[f"step_{index}"]
    for index in range(len(facts.stages)):
        counts[f"stage_{index}"] = conditions[f"stage_{index}"]
    for key in LEARNER_FILTERS:
        counts[f"filter_{key}"] = conditions[key]
    figures = facts.count(Enrolment.objects.filter(run__in=run_ids), counts, median_days=True)

    enrolled = figures["enrolled"]
    funnel = [
        FunnelStage("enrolled", "Enrolled", enrolled, _percent(enrolled, enrolled)),
        FunnelStage("started", "Started", figures["started"], _percent(figures["started"], enrolled)),
    ]
    for index, (key, label) in enumerate(facts.steps):
        count = figures[f"step_{index}"]
        funnel.append(FunnelStage(key, label, count, _percent(count, enrolled)))
    for index, stage in enumerate(facts.stages):
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
        facts=facts,
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
