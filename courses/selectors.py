"""Reads for the catalogue, course pages, module access and the learner's dashboard.

Every selector here runs a constant number of queries whatever the number of modules,
runs or enrolments involved (tests pin this).

The rules that several places need are written here once:

* **module access** — :func:`enrolment_opens_modules` (for an enrolment in hand) and
  :func:`enrolments_opening_modules` (the same rule as a ``Q``, for queries); every
  access decision (pages, search, documents, assessments) goes through them;
* **who may confirm a faculty member's disclosures** —
  :func:`faculty_disclosures_may_confirm`;
* **whether an enrolment can be withdrawn** — :func:`enrolment_withdraw_refusal` (the
  service, the learner's and the administrator's screens ask it).

Other apps reach these through :mod:`courses.api`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_

from django.db.models import Exists, F, FilteredRelation, Func, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from courses.completion import EnrolmentProgress, ReadCache, StepStatus, enrolments_progress
from courses.models import (
    CourseEvaluationPage,
    CourseFaculty,
    CourseIndexPage,
    CoursePage,
    CourseRun,
    CreditClaim,
    DesignatedCredit,
    Enrolment,
    EnrolmentStatus,
    EvaluationField,
    EvaluationSubmission,
    ExternalCredit,
    FacultyMember,
    ModuleAuthor,
    ModuleCompletion,
    ModulePage,
    TranscriptEntry,
)
from courses.panels import Panel, course_panels, dashboard_panels, module_panels
from lms.selectors import doctor_profile_is_complete


def user_is_staff_reader(user) -> bool:
    """Staff may read every module: superusers, and staff accounts with Wagtail admin access.

    Accounts given an admin role are marked ``is_staff`` (the role groups' migration and
    the admin's user form do it), so a learner costs no permission query here.
    """
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.is_staff and user.has_perm("wagtailadmin.access_admin")))
    )


def faculty_disclosures_may_confirm(*, faculty_member: FacultyMember, user) -> bool:
    """Whether ``user`` may confirm ``faculty_member``'s disclosures: the member themself
    (through their linked account) or someone allowed to change faculty records."""
    return user.is_authenticated and (
        faculty_member.user_id == user.pk or user.has_perm("courses.change_facultymember")
    )


def enrolment_withdraw_refusal(*, enrolment: Enrolment, today: datetime.date | None = None) -> str | None:
    """Why ``enrolment`` cannot be withdrawn now, or ``None`` when it can: an active
    enrolment in a run that has not ended. Reads the enrolment and its run (loaded with it
    in listings: no query of its own)."""
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return "This enrolment is already withdrawn."
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return "This course has been completed; a completed enrolment cannot be withdrawn."
    if enrolment.run.has_ended(today or timezone.localdate()):
        return f"The {enrolment.run.label} run has ended; there is nothing to withdraw from."
    return None


# --- Access ---------------------------------------------------------------------------------


def enrolment_opens_modules(*, enrolment: Enrolment, today: datetime.date | None = None) -> bool:
    """Whether ``enrolment`` opens its course's modules: the one access rule.

    An active enrolment in a run that has started and not ended opens them, and — so a
    doctor can look back at what they were certified for — so does a completed one.
    Withdrawn enrolments and runs not yet started (or over) open nothing.
    :func:`enrolments_opening_modules` is the same rule for queries.
    """
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return True
    return enrolment.status == EnrolmentStatus.ACTIVE and enrolment.run.is_in_progress(
        today or timezone.localdate()
    )


def enrolments_opening_modules(*, today: datetime.date | None = None) -> Q:
    """:func:`enrolment_opens_modules` as a filter on ``Enrolment`` (the same rule, in SQL)."""
    today = today or timezone.localdate()
    return Q(status=EnrolmentStatus.COMPLETED) | Q(
        status=EnrolmentStatus.ACTIVE, run__starts_on__lte=today, run__ends_on__gte=today
    )


# --- Modules of courses -----------------------------------------------------------------


@dataclass(frozen=True)
class ModuleEntry:
    id: int
    title: str
    url_path: str
    path: str
    estimated_minutes: int | None

    def url(self, request=None) -> str:
        return Page(id=self.id, url_path=self.url_path, path=self.path).get_url(request)


def modules_by_course(
    courses: Iterable[CoursePage], reads: ReadCache | None = None
) -> dict[int, list[ModuleEntry]]:
    """The live modules of each course, in the order editors arranged them (one query)."""
    courses = list(courses)
    key = ("modules_by_course", frozenset(c.pk for c in courses))
    if reads is not None:
        return reads.get(key, lambda: modules_by_course(courses))
    result: dict[int, list[ModuleEntry]] = {course.pk: [] for course in courses}
    if not courses:
        return result
    by_path = {course.path: course.pk for course in courses}
    depths = {course.depth + 1 for course in courses}
    rows = (
        ModulePage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=path) for path in by_path)), depth__in=depths)
        .order_by("path")
        .values_list("id", "title", "url_path", "path", "estimated_minutes")
    )
    steplen = Page.steplen
    for row in rows:
        course_id = by_path.get(row[3][:-steplen])
        if course_id is not None:
            result[course_id].append(ModuleEntry(*row))
    return result


def modules_with_completions(
    *, course: CoursePage, enrolment: Enrolment, reads: ReadCache
) -> tuple[list[ModuleEntry], set[int]]:
    """The live modules of ``course`` and those ``enrolment`` completed, in one query.

    What it reads is shared through ``reads`` under the keys of :func:`modules_by_course`
    and :func:`completed_module_ids`, so the completion steps (and anything else building
    the same page) read neither again. Completions of modules no longer live are left
    out: nothing on a page counts them.
    """
    rows = (
        ModulePage.objects.live()
        .filter(path__startswith=course.path, depth=course.depth + 1)
        .annotate(
            done=Exists(ModuleCompletion.objects.filter(enrolment_id=enrolment.pk, module_id=OuterRef("pk")))
        )
        .order_by("path")
        .values_list("id", "title", "url_path", "path", "estimated_minutes", "done")
    )
    entries, done = [], set()
    for *fields, completed in rows:
        entry = ModuleEntry(*fields)
        entries.append(entry)
        if completed:
            done.add(entry.id)
    reads.get(("modules_by_course", frozenset({course.pk})), lambda: {course.pk: entries})
    reads.get(("completed_module_ids", frozenset({enrolment.pk})), lambda: {enrolment.pk: done})
    return entries, done


def completed_module_ids(
    enrolments: Sequence[Enrolment], reads: ReadCache | None = None
) -> dict[int, set[int]]:
    """``{enrolment id: {module ids completed}}`` in one query."""
    enrolments = list(enrolments)
    key = ("completed_module_ids", frozenset(e.pk for e in enrolments))
    if reads is not None:
        return reads.get(key, lambda: completed_module_ids(enrolments))
    result: dict[int, set[int]] = {e.pk: set() for e in enrolments}
    if enrolments:
        for enrolment_id, module_id in ModuleCompletion.objects.filter(
            enrolment__in=[e.pk for e in enrolments]
        ).values_list("enrolment_id", "module_id"):
            result[enrolment_id].add(module_id)
    return result


def modules_step_statuses(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, StepStatus]:
    """The "modules" completion step, registered by ``courses``: every live module completed."""
    modules = modules_by_course(_courses_of(enrolments), reads)
    done = completed_module_ids(enrolments, reads)
    result = {}
    for enrolment in enrolments:
        live_ids = {m.id for m in modules[enrolment.run.course_id]}
        result[enrolment.pk] = StepStatus(
            key="modules",
            label="Modules",
            done=len(live_ids & done[enrolment.pk]),
            total=len(live_ids),
        )
    return result


def _courses_of(enrolments: Sequence[Enrolment]) -> list[CoursePage]:
    return list({e.run.course_id: e.run.course for e in enrolments}.values())


# --- Who may read what ---------------------------------------------------------------------


def _non_withdrawn(user):
    return (
        Enrolment.objects.filter(learner=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("run", "run__course")
        .order_by("-run__starts_on")
    )


def enrolment_giving_access(*, user, course_id: int, today: datetime.date | None = None) -> Enrolment | None:
    """The learner's enrolment that opens the course's modules (the latest run), if any (one query)."""
    if not user.is_authenticated:
        return None
    return (
        _non_withdrawn(user).filter(enrolments_opening_modules(today=today), run__course_id=course_id).first()
    )


@dataclass(frozen=True)
class ModuleAccess:
    allowed: bool
    enrolment: Enrolment | None = None
    as_staff: bool = False


def module_access(*, user, module: ModulePage) -> ModuleAccess:
    """Whether ``user`` may read ``module``, and through which enrolment (one query)."""
    if user.is_authenticated:
        enrolment = (
            _non_withdrawn(user)
            .filter(enrolments_opening_modules(), run__course__path=module.path[: -Page.steplen])
            .first()
        )
        if enrolment is not None:
            return ModuleAccess(allowed=True, enrolment=enrolment)
    if user_is_staff_reader(user):
        return ModuleAccess(allowed=True, as_staff=True)
    return ModuleAccess(allowed=False)


def modules_readable_by(*, user, module_ids: Iterable[int]) -> bool:
    """Whether ``user`` may read at least one of the modules ``module_ids`` (two queries at most)."""
    module_ids = list(module_ids)
    if not module_ids:
        return False
    if user_is_staff_reader(user):
        return True
    if not user.is_authenticated:
        return False
    course_paths = {
        path[: -Page.steplen]
        for path in ModulePage.objects.filter(pk__in=module_ids).values_list("path", flat=True)
    }
    return (
        Enrolment.objects.filter(learner=user, run__course__path__in=course_paths)
        .filter(enrolments_opening_modules())
        .exists()
    )


def accessible_course_ids(*, user, today: datetime.date | None = None) -> set[int]:
    """Ids of courses whose modules ``user`` may read (one query)."""
    if not user.is_authenticated:
        return set()
    rows = (
        Enrolment.objects.filter(learner=user)
        .filter(enrolments_opening_modules(today=today))
        .values_list("run__course_id", flat=True)
    )
    return set(rows)


# --- Catalogue ----------------------------------------------------------------------------


@dataclass
class CourseCard:
    course: CoursePage
    module_count: int
    next_run: CourseRun | None
    # Every run that has not ended, soonest first (the REST API lists them all).
    runs: list[CourseRun] = field(default_factory=list)


def catalogue_courses(*, track: str | None, index: CourseIndexPage | None = None) -> list[CourseCard]:
    """Live courses for the catalogue, with their next open run and module count (one query).

    Each course row joins its runs that have not ended (so a course comes once per such
    run, or once with none) and counts its live modules in a subquery.
    """
    today = timezone.localdate()
    live_modules = (
        ModulePage.objects.live()
        .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    rows = (
        CoursePage.objects.live()
        .annotate(
            upcoming_run=FilteredRelation("runs", condition=Q(runs__ends_on__gte=today)),
            module_count=Coalesce(Subquery(live_modules), 0),
        )
        .select_related("hero_image", "upcoming_run")
        .order_by("path", "upcoming_run__starts_on")
    )
    if index is not None:
        rows = rows.child_of(index)
    if track:
        rows = rows.filter(track=track)
    now = timezone.now()
    courses: dict[int, tuple[CoursePage, list[CourseRun]]] = {}
    for row in rows:
        course, runs = courses.setdefault(row.pk, (row, []))
        # Django leaves a joined relation that matched no row unset.
        run = getattr(row, "upcoming_run", None)
        if run is not None:
            run.course = course
            runs.append(run)
    cards = []
    for course, course_runs in courses.values():
        open_runs = [r for r in course_runs if r.is_enrolment_open(now)]
        cards.append(
            CourseCard(
                course=course,
                module_count=course.module_count,
                next_run=(open_runs or course_runs or [None])[0],
                runs=course_runs,
            )
        )
    return cards


def live_courses(*, track: str | None = None):
    """Live courses in the order editors arranged them, optionally of one track (a queryset to page)."""
    courses = CoursePage.objects.live().order_by("path")
    if track:
        courses = courses.filter(track=track)
    return courses


def live_course_get(*, course_id: int) -> CoursePage | None:
    """The live course with this id, or ``None``."""
    return live_courses().filter(pk=course_id).first()


def course_cards(courses: Iterable[CoursePage]) -> list[CourseCard]:
    """A catalogue card for each course of a page of them: module count, runs that have not
    ended (soonest first) and the next open one — two queries, whatever the page's size."""
    courses = list(courses)
    modules = modules_by_course(courses)
    runs: dict[int, list[CourseRun]] = {course.pk: [] for course in courses}
    for run in CourseRun.objects.filter(course_id__in=list(runs), ends_on__gte=timezone.localdate()).order_by(
        "starts_on"
    ):
        runs[run.course_id].append(run)
    now = timezone.now()
    cards = []
    for course in courses:
        course_runs = runs[course.pk]
        open_runs = [r for r in course_runs if r.is_enrolment_open(now)]
        cards.append(
            CourseCard(
                course=course,
                module_count=len(modules[course.pk]),
                next_run=(open_runs or course_runs or [None])[0],
                runs=course_runs,
            )
        )
    return cards


# --- Course page --------------------------------------------------------------------------


@dataclass
class ModuleRow:
    entry: ModuleEntry
    url: str
    completed: bool


@dataclass
class RunRow:
    run: CourseRun
    is_open: bool
    opens_later: bool
    learner_enrolment: Enrolment | None
    # Whether this visitor is offered the run's "Enrol" button (or "Sign in to enrol"):
    # open, with a seat left, and the visitor neither in it nor in another run of the course.
    offers_enrolment: bool = False
    # A full run open for enrolment: the visitor may join its waitlist (or is on it).
    offers_waitlist: bool = False
    waitlist_entry: object = None
    waitlist_position: int | None = None

    @property
    def seats_taken_percent(self) -> int:
        run = self.run
        return max(0, min(100, round(100 * run.seats_taken / run.capacity))) if run.capacity else 0


@dataclass
class CourseOverview:
    course: CoursePage
    faculty: list
    modules: list[ModuleRow]
    runs: list[RunRow]
    enrolment: Enrolment | None
    has_access: bool
    as_staff: bool
    progress: EnrolmentProgress | None
    continue_url: str | None
    profile_complete: bool
    total_minutes: int = 0
    # A signed-in doctor who could enrol but must complete their profile first.
    asks_for_profile: bool = False
    panels: list[Panel] = field(default_factory=list)
    reads: ReadCache = field(default_factory=ReadCache)


def course_runs_and_enrolments(
    *, course: CoursePage, user, today: datetime.date
) -> tuple[list[CourseRun], list[Enrolment]]:
    """The course's runs that have not ended (soonest first) and the learner's enrolments
    in any of its runs, not withdrawn (latest run first), in one query.

    A run joins the learner's enrolment in it (at most one: one enrolment per learner and
    run), so a run that has ended still comes when the learner was enrolled in it.
    """
    runs = CourseRun.objects.filter(course_id=course.pk).order_by("starts_on")
    if not user.is_authenticated:
        upcoming = list(runs.filter(ends_on__gte=today))
        for run in upcoming:
            run.course = course
        return upcoming, []
    rows = (
        runs.annotate(
            learner_enrolment=FilteredRelation(
                "enrolments",
                condition=Q(enrolments__learner=user) & ~Q(enrolments__status=EnrolmentStatus.WITHDRAWN),
            )
        )
        .filter(Q(ends_on__gte=today) | Q(learner_enrolment__isnull=False))
        .select_related("learner_enrolment")
    )
    upcoming, enrolments = [], []
    for run in rows:
        run.course = course
        enrolment = getattr(run, "learner_enrolment", None)  # unset when no row joined
        if enrolment is not None:
            enrolment.run, enrolment.learner = run, user
            enrolments.append(enrolment)
        if run.ends_on >= today:
            upcoming.append(run)
    enrolments.sort(key=lambda e: e.run.starts_on, reverse=True)
    return upcoming, enrolments


def course_overview(*, course: CoursePage, user, request=None) -> CourseOverview:
    """Everything the course page shows, for this visitor."""
    today = timezone.localdate()
    now = timezone.now()
    reads = ReadCache()
    faculty = list(
        course.faculty_links.select_related("faculty_member", "faculty_member__photo").prefetch_related(
            "faculty_member__disclosures"
        )
    )
    runs, enrolments = course_runs_and_enrolments(course=course, user=user, today=today)
    access_enrolment = next(
        (e for e in enrolments if enrolment_opens_modules(enrolment=e, today=today)), None
    )
    current = access_enrolment or next(
        (e for e in enrolments if e.is_active and not e.run.has_ended(today)), None
    )
    as_staff = access_enrolment is None and user_is_staff_reader(user)

    done: set[int] = set()
    progress = None
    if current is not None:
        modules, done = modules_with_completions(course=course, enrolment=current, reads=reads)
        progress = progress_as_shown(current, enrolments_progress([current], reads)[current.pk])
    else:
        modules = modules_by_course([course], reads)[course.pk]

    rows = [ModuleRow(entry=m, url=m.url(request), completed=m.id in done) for m in modules]
    by_run = {e.run_id: e for e in enrolments}
    full_runs = [run.pk for run in runs if run.seats_left == 0]
    # Only a full run has a waitlist: a visitor with none to see costs no query.
    waiting = {}
    if full_runs and user.is_authenticated:
        from courses.waitlists import waitlist_entries_of

        waiting = waitlist_entries_of(user=user, run_ids=full_runs)
    run_rows = []
    for run in runs:
        is_open = run.is_enrolment_open(now)
        learner_enrolment = by_run.get(run.pk)
        entry, position = waiting.get(run.pk, (None, None))
        run_rows.append(
            RunRow(
                waitlist_entry=entry,
                waitlist_position=position,
                offers_waitlist=is_open
                and run.seats_left == 0
                and current is None
                and learner_enrolment is None,
                run=run,
                is_open=is_open,
                opens_later=now < run.enrolment_opens_at,
                learner_enrolment=learner_enrolment,
                offers_enrolment=is_open
                and run.seats_left > 0
                and current is None
                and learner_enrolment is None,
            )
        )
    # Only a visitor who may still enrol needs to know; enrolled learners skip the query.
    profile_complete = current is not None or (
        user.is_authenticated and doctor_profile_is_complete(user=user)
    )
    overview = CourseOverview(
        course=course,
        faculty=faculty,
        modules=rows,
        runs=run_rows,
        enrolment=current,
        has_access=access_enrolment is not None or as_staff,
        as_staff=as_staff,
        progress=progress,
        continue_url=_next_step_url(current, progress, rows) if access_enrolment else None,
        profile_complete=profile_complete,
        total_minutes=sum(m.estimated_minutes or 0 for m in modules),
        asks_for_profile=user.is_authenticated
        and not profile_complete
        and current is None
        and bool(run_rows),
        reads=reads,
    )
    overview.panels = course_panels(overview, user)
    return overview


def progress_as_shown(enrolment: Enrolment, progress: EnrolmentProgress) -> EnrolmentProgress:
    """What a learner is shown of ``progress``: for a completed enrolment, progress as of
    its completion — what it completed against — not against what was added since.

    A module (or a required assessment) published after the doctor completed the course
    does not make a certified completion read "3 of 4". Each required step of a completed
    enrolment counts what it achieved; a step with nothing achieved (added since) no
    longer applies. Optional steps are shown as they are.
    """
    if not enrolment.is_completed:
        return progress
    steps = []
    for step in progress.steps:
        if step.required and step.done < step.total:
            if step.done == 0:
                continue
            step = replace(step, total=step.done, url=None)
        steps.append(step)
    return EnrolmentProgress(steps=tuple(steps))


def _next_step_url(enrolment: Enrolment | None, progress: EnrolmentProgress | None, rows: list[ModuleRow]):
    """Where "Continue" leads: the next required step — a module, then the assessment (or
    whatever step a later app adds), as its app names it; the modules once complete."""
    step = progress.next_step if progress is not None else None
    if step is not None and step.key != "modules" and step.url:
        return step.url
    return _continue_url(enrolment, rows)


def _continue_url(enrolment: Enrolment | None, rows: list[ModuleRow]) -> str | None:
    """Where "continue" leads within the modules (:func:`_continue_row`)."""
    row = _continue_row(enrolment, rows)
    return row.url if row is not None else None


# --- Module page --------------------------------------------------------------------------


@dataclass
class ModuleContext:
    course: CoursePage
    modules: list[ModuleRow]
    position: int
    previous: ModuleRow | None
    next: ModuleRow | None
    completed: bool
    enrolment: Enrolment | None
    progress: EnrolmentProgress | None
    module_id: int = 0
    panels: list[Panel] = field(default_factory=list)
    reads: ReadCache = field(default_factory=ReadCache)


def module_context(
    *, module: ModulePage, enrolment: Enrolment | None, request=None, with_panels: bool = True
) -> ModuleContext:
    """The course around a module: its siblings, position, the learner's progress, and the
    sections other apps add to the page (``with_panels=False`` skips those reads)."""
    reads = ReadCache()
    course = (
        enrolment.run.course
        if enrolment is not None
        else CoursePage.objects.get(path=module.path[: -Page.steplen])
    )
    if enrolment is not None:
        modules, done = modules_with_completions(course=course, enrolment=enrolment, reads=reads)
    else:
        modules, done = modules_by_course([course], reads)[course.pk], set()
    rows = [ModuleRow(entry=m, url=m.url(request), completed=m.id in done) for m in modules]
    index = next((i for i, row in enumerate(rows) if row.entry.id == module.pk), 0)
    context = ModuleContext(
        course=course,
        modules=rows,
        position=index + 1,
        previous=rows[index - 1] if index > 0 else None,
        next=rows[index + 1] if index + 1 < len(rows) else None,
        completed=module.pk in done,
        enrolment=enrolment,
        progress=progress_as_shown(enrolment, enrolments_progress([enrolment], reads)[enrolment.pk])
        if enrolment is not None
        else None,
        module_id=module.pk,
        reads=reads,
    )
    if with_panels:
        context.panels = module_panels(context)
    return context


# --- Dashboard ----------------------------------------------------------------------------


@dataclass
class DashboardEntry:
    enrolment: Enrolment
    progress: EnrolmentProgress
    continue_url: str | None
    has_access: bool
    modules_done: int
    modules_total: int
    panels: list[Panel] = field(default_factory=list)


@dataclass
class Dashboard:
    """The learner's enrolments: in progress, starting soon, completed (whatever the run's
    dates), and past (runs that ended before the learner completed them)."""

    current: list[DashboardEntry]
    upcoming: list[DashboardEntry]
    completed: list[DashboardEntry]
    past: list[DashboardEntry]
    profile_complete: bool
    # Open waitlist entries, each with its position in line (an offer first).
    waitlist: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.entries and not self.waitlist

    @property
    def entries(self) -> list[DashboardEntry]:
        return self.current + self.upcoming + self.completed + self.past


def learner_dashboard(*, user, request=None) -> Dashboard:
    """The learner's enrolments, grouped, each with progress and a "continue" link."""
    today = timezone.localdate()
    enrolments = list(_non_withdrawn(user).order_by("run__starts_on"))
    reads = ReadCache()
    progress = enrolments_progress(enrolments, reads)
    modules = modules_by_course(_courses_of(enrolments), reads)
    done = completed_module_ids(enrolments, reads)
    current, upcoming, completed, past = [], [], [], []
    for enrolment in enrolments:
        rows = [
            ModuleRow(entry=m, url=m.url(request), completed=m.id in done[enrolment.pk])
            for m in modules[enrolment.run.course_id]
        ]
        has_access = enrolment_opens_modules(enrolment=enrolment, today=today)
        shown = progress_as_shown(enrolment, progress[enrolment.pk])
        entry = DashboardEntry(
            enrolment=enrolment,
            progress=shown,
            continue_url=_next_step_url(enrolment, shown, rows) if has_access else None,
            has_access=has_access,
            modules_done=sum(row.completed for row in rows),
            modules_total=len(rows),
        )
        if enrolment.is_completed:
            completed.append(entry)
        elif enrolment.run.has_ended(today):
            past.append(entry)
        elif enrolment.run.has_started(today):
            current.append(entry)
        else:
            upcoming.append(entry)
    completed.sort(key=lambda entry: entry.enrolment.completed_at, reverse=True)
    past.reverse()
    dashboard = Dashboard(
        current=current,
        upcoming=upcoming,
        completed=completed,
        past=past,
        # Enrolling needed a complete profile, and the profile form keeps it complete:
        # only a doctor with no enrolment yet costs the query.
        profile_complete=bool(enrolments) or doctor_profile_is_complete(user=user),
    )
    from courses.waitlists import waitlist_entries_of

    dashboard.waitlist = sorted(
        waitlist_entries_of(user=user).values(),
        key=lambda pair: (pair[0].status != "offered", pair[0].joined_at),
    )
    by_enrolment = {entry.enrolment.pk: entry for entry in dashboard.entries}
    for enrolment_id, panels in dashboard_panels(dashboard.entries).items():
        by_enrolment[enrolment_id].panels = panels
    return dashboard


@dataclass
class EnrolmentSummary:
    """One enrolment of a learner as the REST API lists it: progress and where to continue."""

    enrolment: Enrolment
    progress: EnrolmentProgress
    has_access: bool
    withdraw_refusal: str | None
    modules_done: int
    modules_total: int
    continue_module: ModuleRow | None


def learner_enrolments(*, user, status: str | None = None):
    """``user``'s enrolments in every status (or one), newest run first, run and course loaded (a queryset)."""
    enrolments = Enrolment.objects.filter(learner=user).select_related("run", "run__course")
    if status:
        enrolments = enrolments.filter(status=status)
    return enrolments.order_by("-run__starts_on", "-pk")


def learner_enrolment_get(*, user, enrolment_id: int) -> Enrolment | None:
    """The enrolment if it is ``user``'s (run and course loaded); ``None`` otherwise (answer 404)."""
    if not user.is_authenticated:
        return None
    return learner_enrolments(user=user).filter(pk=enrolment_id).first()


def enrolment_summaries(enrolments: Sequence[Enrolment], request=None) -> list[EnrolmentSummary]:
    """Progress, module counts and the module to continue with, for each enrolment.

    A constant number of queries whatever the number of enrolments (the completion steps'
    and two of its own), the same rules as the dashboard: "continue" is offered only
    where the enrolment opens the modules.
    """
    enrolments = list(enrolments)
    today = timezone.localdate()
    reads = ReadCache()
    progress = enrolments_progress(enrolments, reads)
    modules = modules_by_course(_courses_of(enrolments), reads)
    done = completed_module_ids(enrolments, reads)
    summaries = []
    for enrolment in enrolments:
        rows = [
            ModuleRow(entry=m, url=m.url(request), completed=m.id in done[enrolment.pk])
            for m in modules[enrolment.run.course_id]
        ]
        has_access = enrolment_opens_modules(enrolment=enrolment, today=today)
        summaries.append(
            EnrolmentSummary(
                enrolment=enrolment,
                progress=progress[enrolment.pk],
                has_access=has_access,
                withdraw_refusal=enrolment_withdraw_refusal(enrolment=enrolment, today=today),
                modules_done=sum(row.completed for row in rows),
                modules_total=len(rows),
                continue_module=_continue_row(enrolment, rows) if has_access else None,
            )
        )
    return summaries


def search_results(*, user, query: str) -> list[Page]:
    """Live courses matching ``query``, then the live modules ``user`` may read that match it.

    Modules are searched only among those the visitor may open (staff: all of them), so a
    search never reveals a module's words to someone who may not read it.
    """
    query = query.strip()[:200]
    if not query:
        return []
    courses = list(CoursePage.objects.live().search(query)[:20])
    allowed = searchable_module_ids(user=user)
    if allowed is not None and not allowed:
        return courses
    modules = ModulePage.objects.live()
    if allowed is not None:
        modules = modules.filter(id__in=list(allowed))
    return courses + list(modules.search(query)[:40])


def searchable_module_ids(*, user) -> set[int] | None:
    """Module ids a search may return for ``user``; ``None`` means every module (staff)."""
    if user_is_staff_reader(user):
        return None
    course_ids = accessible_course_ids(user=user)
    if not course_ids:
        return set()
    courses = CoursePage.objects.filter(pk__in=course_ids).only("id", "path", "depth")
    return {m.id for entries in modules_by_course(courses).values() for m in entries}


# --- Enrolments and runs, for other apps' screens (through courses.api) -----------------------


def enrolment_get(*, enrolment_id: int) -> Enrolment | None:
    """The enrolment with its learner, run and course loaded, or ``None``."""
    return Enrolment.objects.select_related("run__course", "learner").filter(pk=enrolment_id).first()


def enrolment_of(*, learner, run: CourseRun) -> Enrolment | None:
    """``learner``'s enrolment in ``run`` (in any status), or ``None``."""
    return Enrolment.objects.select_related("run__course", "learner").filter(learner=learner, run=run).first()


def run_completed_enrolments(*, run: CourseRun):
    """The completed enrolments of ``run``, learner and course loaded (a queryset: filter, count or iterate; never write)."""
    return Enrolment.objects.filter(run=run, status=EnrolmentStatus.COMPLETED).select_related(
        "run__course", "learner"
    )


def course_run_get(*, run_id: int) -> CourseRun | None:
    """The run with its course loaded, or ``None``."""
    return CourseRun.objects.select_related("course").filter(pk=run_id).first()


def course_module_by_slug(*, course: CoursePage, slug: str) -> ModulePage | None:
    """The module of ``course`` with ``slug`` (live or draft), or ``None``."""
    return ModulePage.objects.child_of(course).filter(slug=slug).first()


def course_runs(*, course_id: int) -> list[CourseRun]:
    """The runs of one course, newest first, with the course loaded (one query)."""
    return list(
        CourseRun.objects.filter(course_id=course_id).select_related("course").order_by("-starts_on", "-id")
    )


def runs_enrolment_ids(*, run_ids):
    """``(enrolment id, run id)`` of the non-withdrawn enrolments of these runs (a values queryset:
    iterate it, or filter by ``enrolment__in=<it>.values("pk")``; never write)."""
    return (
        Enrolment.objects.filter(run_id__in=list(run_ids))
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("pk", "run_id")
    )


def runs_for_choice():
    """Every run, newest first, for an administrator's form or filter."""
    return CourseRun.objects.select_related("course").order_by("-starts_on")


def courses_for_choice():
    """Every course page by title, for an administrator's form or filter."""
    return CoursePage.objects.order_by("title")


# --- Endorsements -------------------------------------------------------------------------


@dataclass(frozen=True)
class EndorsementFact:
    """What an endorsement record says: which revision, when, by whom (and the SHA-256 of what)."""

    revision_id: int | None
    approved_at: datetime.datetime
    approved_by_name: str
    content_sha256: str = ""

    def as_record(self) -> dict:
        """The fact as JSON-ready data, for a snapshot that must outlive the record itself."""
        return {
            "revision_id": self.revision_id,
            "approved_at": self.approved_at.isoformat(),
            "approved_by": self.approved_by_name,
            "content_sha256": self.content_sha256,
        }

    @classmethod
    def from_record(cls, record: dict | None) -> EndorsementFact | None:
        """The fact back from :meth:`as_record`'s data (``None`` for none, or data that is not one)."""
        if not record or not record.get("approved_at"):
            return None
        try:
            approved_at = datetime.datetime.fromisoformat(record["approved_at"])
        except (TypeError, ValueError):
            return None
        return cls(
            revision_id=record.get("revision_id"),
            approved_at=approved_at,
            approved_by_name=record.get("approved_by", ""),
            content_sha256=record.get("content_sha256", ""),
        )


def _fact(endorsement) -> EndorsementFact:
    return EndorsementFact(
        revision_id=endorsement.revision_id,
        approved_at=endorsement.approved_at,
        approved_by_name=endorsement.approved_by_name,
        content_sha256=endorsement.content_sha256,
    )


def endorsements_for_revisions(*, revision_ids: Iterable[int]) -> dict[int, EndorsementFact]:
    """The endorsement of each of these revisions (of any content) that has one, in one query."""
    from courses.models import Endorsement

    revision_ids = {pk for pk in revision_ids if pk is not None}
    if not revision_ids:
        return {}
    return {e.revision_id: _fact(e) for e in Endorsement.objects.filter(revision_id__in=revision_ids)}


def course_endorsement_at(*, course_id: int, at: datetime.datetime) -> EndorsementFact | None:
    """The endorsement of the course page's revision that was live at ``at``, if it had one.

    The live revision at a moment is the one the last publication before it made live
    (Wagtail's audit log); two queries. ``None`` when that revision was not endorsed (a
    superuser published it) or nothing was published by then.
    """
    from courses.models import Endorsement

    revision_id = page_live_revision_at(page_id=course_id, at=at)
    if revision_id is None:
        return None
    endorsement = Endorsement.objects.filter(page_id=course_id, revision_id=revision_id).first()
    return _fact(endorsement) if endorsement else None


def page_live_revision_at(*, page_id: int, at: datetime.datetime) -> int | None:
    """The id of the page's revision that was live at ``at``: the last one published before it (one query).

    Read from Wagtail's audit log, which records every publication with its revision;
    ``None`` if nothing was published by then.
    """
    from wagtail.models import PageLogEntry

    return (
        PageLogEntry.objects.filter(
            page_id=page_id,
            action__in=["wagtail.publish", "wagtail.publish.scheduled"],
            timestamp__lte=at,
            revision__isnull=False,
        )
        .order_by("-timestamp", "-id")
        .values_list("revision_id", flat=True)
        .first()
    )


# --- Traceability: what a certificate was earned on -------------------------------------------


def _disclosure_records(member: FacultyMember) -> list[dict]:
    return [
        {
            "company": d.company,
            "relationship": d.get_relationship_display(),
            "started_on": d.started_on.isoformat(),
            "ended_on": d.ended_on.isoformat() if d.ended_on else None,
        }
        for d in member.disclosures.all()
    ]


def enrolment_trail(*, enrolment: Enrolment) -> dict:
    """What ``enrolment``'s completion rests on, as JSON-ready data for a certificate's snapshot.

    ``course``: the course page's revision live at completion and its endorsement;
    ``modules``: for each module completed, the revision the learner studied (kept on the
    completion; for completions recorded before it was kept, the revision the audit log
    shows live at that moment, marked ``inferred``) and the endorsement that revision
    carried; ``faculty``: the course's faculty and the completed modules' authors with
    their disclosures as the course and module pages show them now; ``claim``: the
    attestation and the credit claimed per type (``None`` on the path without credit).
    Endorsements are copied, not referenced, so the snapshot reads the same whatever is
    edited, endorsed or deleted later. A constant number of queries (plus one per old
    completion without a recorded revision).
    """
    course_id = enrolment.run.course_id
    completed_at = enrolment.completed_at or timezone.now()
    course_revision_id = page_live_revision_at(page_id=course_id, at=completed_at)

    # The titles alone, not the module pages and revisions they come from: a revision's
    # content holds the whole module, read here for one key.
    completions = list(
        ModuleCompletion.objects.filter(enrolment_id=enrolment.pk)
        .annotate(
            module_title=F("module__title"), revision_title=KeyTextTransform("title", "revision__content")
        )
        .order_by("module__path", "id")
    )
    module_revisions: dict[int, tuple[int | None, bool]] = {}
    for completion in completions:
        if completion.revision_id is not None:
            module_revisions[completion.pk] = (completion.revision_id, False)
        else:
            inferred = page_live_revision_at(page_id=completion.module_id, at=completion.completed_at)
            module_revisions[completion.pk] = (inferred, inferred is not None)
    endorsements = endorsements_for_revisions(
        revision_ids=[course_revision_id, *(rev for rev, _ in module_revisions.values())]
    )

    def endorsement_of(revision_id: int | None) -> dict | None:
        fact = endorsements.get(revision_id) if revision_id is not None else None
        return fact.as_record() if fact else None

    modules = []
    for completion in completions:
        revision_id, inferred = module_revisions[completion.pk]
        title = completion.revision_title or completion.module_title
        modules.append(
            {
                "module_id": completion.module_id,
                "title": title,
                "completed_at": completion.completed_at.isoformat(),
                "revision_id": revision_id,
                "revision_inferred": inferred,
                "endorsement": endorsement_of(revision_id),
            }
        )

    faculty: dict[int, dict] = {}
    links = CourseFaculty.objects.filter(course_id=course_id).select_related("faculty_member")
    authors = ModuleAuthor.objects.filter(module_id__in=[c.module_id for c in completions]).select_related(
        "faculty_member"
    )
    members = [(link.faculty_member, link.role) for link in links.order_by("sort_order", "id")]
    members += [
        (author.faculty_member, "Module author") for author in authors.order_by("module__path", "sort_order")
    ]
    with_disclosures = {
        m.pk: m
        for m in FacultyMember.objects.filter(pk__in={m.pk for m, _ in members}).prefetch_related(
            "disclosures"
        )
    }
    for member, role in members:
        entry = faculty.get(member.pk)
        if entry is None:
            member = with_disclosures[member.pk]
            entry = faculty[member.pk] = {
                "faculty_member_id": member.pk,
                "name": member.name,
                "credentials": member.credentials,
                "roles": [],
                "disclosures": _disclosure_records(member),
                "disclosures_confirmed_on": (
                    member.disclosures_confirmed_on.isoformat() if member.disclosures_confirmed_on else None
                ),
            }
        if role not in entry["roles"]:
            entry["roles"].append(role)

    claim = CreditClaim.objects.filter(enrolment_id=enrolment.pk).first()
    claim_record = None
    if claim is not None:
        claim_record = {
            "minutes_spent": claim.minutes_spent,
            "attested_personally": claim.attested_personally,
            "claimed_at": claim.claimed_at.isoformat(),
            "credits": [
                {
                    "credit_type": entry.credit_type_name,
                    "awarding_body": entry.awarding_body,
                    "designated_max": str(entry.designated_max),
                    "credits": str(entry.credits),
                }
                for entry in TranscriptEntry.objects.filter(claim=claim).order_by("id")
            ],
        }

    return {
        "course": {
            "course_id": course_id,
            "revision_id": course_revision_id,
            "endorsement": endorsement_of(course_revision_id),
        },
        "modules": modules,
        "faculty": list(faculty.values()),
        "claim": claim_record,
    }


# --- The accredited sequence: evaluation, claim, transcript -------------------------------------


def evaluation_pages_by_course(
    courses: Iterable[CoursePage], reads: ReadCache | None = None
) -> dict[int, CourseEvaluationPage]:
    """The live course evaluation of each course that has one (one query)."""
    courses = list(courses)
    key = ("evaluation_pages", frozenset(c.pk for c in courses))
    if reads is not None:
        return reads.get(key, lambda: evaluation_pages_by_course(courses))
    if not courses:
        return {}
    by_path = {course.path: course.pk for course in courses}
    pages = CourseEvaluationPage.objects.live().filter(
        reduce(or_, (Q(path__startswith=path) for path in by_path)),
        depth__in={course.depth + 1 for course in courses},
    )
    return {
        by_path[page.path[: -Page.steplen]]: page for page in pages if page.path[: -Page.steplen] in by_path
    }


def course_evaluation_page(*, course: CoursePage) -> CourseEvaluationPage | None:
    """The live course evaluation of ``course`` (``None`` if it has none)."""
    return evaluation_pages_by_course([course]).get(course.pk)


def evaluation_step_statuses(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, StepStatus]:
    """The "evaluation" step: an accredited enrolment in a course with a live evaluation submits it once.

    Enrolments on today's path (not accredited) have no such step, and cost no query.
    """
    accredited = [e for e in enrolments if e.accredited]
    if not accredited:
        return {}
    pages = evaluation_pages_by_course(_courses_of(accredited), reads)
    submitted = set(
        EvaluationSubmission.objects.filter(enrolment__in=[e.pk for e in accredited]).values_list(
            "enrolment_id", flat=True
        )
    )
    return {
        e.pk: StepStatus(
            key="evaluation",
            label="Course evaluation",
            done=int(e.pk in submitted),
            total=int(e.run.course_id in pages),
        )
        for e in accredited
    }


def claim_step_statuses(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, StepStatus]:
    """The "claim" step: an accredited enrolment attests its participation and claims its credit."""
    accredited = [e for e in enrolments if e.accredited]
    if not accredited:
        return {}
    claimed = set(
        CreditClaim.objects.filter(enrolment__in=[e.pk for e in accredited]).values_list(
            "enrolment_id", flat=True
        )
    )
    return {
        e.pk: StepStatus(
            key="claim", label="Attestation and credit claim", done=int(e.pk in claimed), total=1
        )
        for e in accredited
    }


def designated_credits(*, course_id: int) -> list[DesignatedCredit]:
    """The credit a course designates, per type, with the types loaded (one query)."""
    return list(
        DesignatedCredit.objects.filter(course_id=course_id)
        .select_related("credit_type")
        .order_by("sort_order", "id")
    )


def course_designates_credit(*, course_id: int) -> bool:
    return DesignatedCredit.objects.filter(course_id=course_id).exists()


def enrolment_evaluation(*, enrolment: Enrolment) -> EvaluationSubmission | None:
    return EvaluationSubmission.objects.filter(enrolment=enrolment).first()


def enrolment_claim_entries(*, enrolment_id: int) -> list[TranscriptEntry]:
    """The transcript lines of an enrolment's claim, in the order the course designated them."""
    return list(TranscriptEntry.objects.filter(claim__enrolment_id=enrolment_id).order_by("id"))


def transcript_entries(*, learner) -> list[TranscriptEntry]:
    """Every transcript line of ``learner``, newest first, with the enrolment's ids loaded (one query)."""
    return list(
        TranscriptEntry.objects.filter(learner=learner)
        .select_related("claim", "credit_type")
        .order_by("-completed_on", "-id")
    )


@dataclass(frozen=True)
class EvaluationContext:
    """What the course evaluation page shows a signed-in visitor."""

    course: CoursePage
    enrolment: Enrolment | None
    refusal: str | None  # why the form is not offered; None when it is
    submitted: bool
    next_url: str | None  # where the learner goes after submitting: the claim


def evaluation_context(*, page: CourseEvaluationPage, user) -> EvaluationContext:
    """The rule the evaluation service applies, read for the page (so the page offers the form only when it would be accepted)."""
    from django.urls import reverse

    course = page.get_parent().specific
    enrolment = enrolment_giving_access(user=user, course_id=course.pk)
    if enrolment is None:
        return EvaluationContext(
            course=course,
            enrolment=None,
            refusal="The evaluation is for doctors enrolled in a current run of this course.",
            submitted=False,
            next_url=None,
        )
    next_url = reverse("credit_claim", args=[enrolment.pk]) if enrolment.accredited else None
    if EvaluationSubmission.objects.filter(enrolment=enrolment).exists():
        return EvaluationContext(
            course=course,
            enrolment=enrolment,
            refusal="You have already submitted the evaluation of this course. Thank you.",
            submitted=True,
            next_url=next_url,
        )
    refusal = enrolments_progress([enrolment])[enrolment.pk].step_refusal("evaluation", "evaluate the course")
    return EvaluationContext(
        course=course, enrolment=enrolment, refusal=refusal, submitted=False, next_url=next_url
    )


@dataclass(frozen=True)
class ClaimContext:
    """What the attestation and claim page shows for one of the learner's enrolments."""

    enrolment: Enrolment
    designations: list[DesignatedCredit]
    progress: EnrolmentProgress
    refusal: str | None
    entries: list[TranscriptEntry]
    study_minutes: int


def credit_claim_context(*, enrolment: Enrolment) -> ClaimContext:
    """The rules :func:`courses.services.credit_claim_submit` applies, read for the claim page."""
    progress = enrolments_progress([enrolment])[enrolment.pk]
    entries = enrolment_claim_entries(enrolment_id=enrolment.pk)
    if entries:
        refusal = "You have already claimed credit for this course."
    elif not enrolment.accredited:
        refusal = "This enrolment carries no accredited credit to claim."
    elif enrolment.status != EnrolmentStatus.ACTIVE:
        refusal = "Only a current enrolment can claim credit."
    else:
        refusal = progress.step_refusal("claim", "claim credit")
    modules = modules_by_course([enrolment.run.course]).get(enrolment.run.course_id, [])
    return ClaimContext(
        enrolment=enrolment,
        designations=designated_credits(course_id=enrolment.run.course_id),
        progress=progress,
        refusal=refusal,
        entries=entries,
        study_minutes=sum(m.estimated_minutes or 0 for m in modules),
    )


def designated_credit_lock_refusal(
    *, course_id: int, proposed: set, now: datetime.datetime | None = None
) -> str | None:
    """Why a course's designated credit cannot become ``proposed`` (``{(credit type id, maximum)}``), or ``None``.

    Accreditors require credit designated *before* the activity: once any run of the
    course has opened for enrolment, the designation is what those learners enrolled
    under, and it stays.
    """
    return designated_credit_lock_refusals(proposed_by_course={course_id: proposed}, now=now)[course_id]


def designated_credit_lock_refusals(
    *, proposed_by_course: Mapping[int, set], now: datetime.datetime | None = None
) -> dict[int, str | None]:
    """:func:`designated_credit_lock_refusal` for several courses at once, in two queries:
    ``{course id: refusal or None}`` for each course id in ``proposed_by_course``."""
    now = now or timezone.now()
    course_ids = list(proposed_by_course)
    opened = {}
    for run in CourseRun.objects.filter(course_id__in=course_ids, enrolment_opens_at__lte=now).order_by(
        "course_id", "enrolment_opens_at"
    ):
        opened.setdefault(run.course_id, run)
    current: dict[int, set] = {course_id: set() for course_id in opened}
    for course_id, credit_type_id, maximum in DesignatedCredit.objects.filter(
        course_id__in=list(opened)
    ).values_list("course_id", "credit_type_id", "max_credits"):
        current[course_id].add((credit_type_id, maximum))
    refusals: dict[int, str | None] = {}
    for course_id, proposed in proposed_by_course.items():
        run = opened.get(course_id)
        if run is None or current[course_id] == set(proposed):
            refusals[course_id] = None
        else:
            refusals[course_id] = (
                "Designated credit cannot change once a run has opened for enrolment: enrolment for the "
                f"{run.label} run opened on {timezone.localtime(run.enrolment_opens_at):%d %b %Y}. "
                "Offer different credit as a new course."
            )
    return refusals


# --- The credit panels on the course page and the dashboard ---------------------------------------


@dataclass(frozen=True)
class NextCreditStep:
    """Where an accredited learner goes next in the sequence, when it is a step ``courses`` serves."""

    label: str
    url: str


def _next_credit_step(enrolment: Enrolment, progress: EnrolmentProgress | None, evaluation_url: str | None):
    from django.urls import reverse

    if progress is None or not enrolment.accredited or not enrolment.is_active:
        return None
    step = progress.next_step
    if step is None:
        return None
    if step.key == "evaluation" and evaluation_url:
        return NextCreditStep(label="Evaluate the course", url=evaluation_url)
    if step.key == "claim":
        return NextCreditStep(
            label="Attest and claim your credit", url=reverse("credit_claim", args=[enrolment.pk])
        )
    return None


@dataclass(frozen=True)
class CourseCreditPanel:
    """The course page's "Accredited credit" section (``courses/includes/course_credit.html``)."""

    designations: list[DesignatedCredit]
    study_minutes: int
    accredited_enrolment: bool
    next_step: NextCreditStep | None


def course_credit_panel(overview: CourseOverview, user) -> Panel | None:
    """The credit a course designates, its study time, and the learner's next credit step (two queries at most).

    A course routed by :mod:`courses.routing` says whether it designates credit; one that
    does not costs no query here.
    """
    if getattr(overview.course, "designates_credit_annotated", None) is False:
        return None
    designations = designated_credits(course_id=overview.course.pk)
    if not designations:
        return None
    enrolment = overview.enrolment
    next_step = None
    if enrolment is not None and enrolment.accredited:
        page = evaluation_pages_by_course([overview.course], overview.reads).get(overview.course.pk)
        next_step = _next_credit_step(enrolment, overview.progress, page.url if page else None)
    return Panel(
        key="credit",
        template="courses/includes/course_credit.html",
        data=CourseCreditPanel(
            designations=designations,
            study_minutes=overview.total_minutes,
            accredited_enrolment=bool(enrolment and enrolment.accredited),
            next_step=next_step,
        ),
        order=5,
    )


def dashboard_credit_panels(entries: Sequence[DashboardEntry]) -> dict[int, Panel]:
    """For accredited enrolments waiting on their evaluation or claim: the link to it (one query, or none)."""
    waiting = [
        e
        for e in entries
        if e.enrolment.accredited
        and e.enrolment.is_active
        and e.progress.next_step is not None
        and e.progress.next_step.key in ("evaluation", "claim")
    ]
    if not waiting:
        return {}
    pages = evaluation_pages_by_course(_courses_of([e.enrolment for e in waiting]))
    panels = {}
    for entry in waiting:
        page = pages.get(entry.enrolment.run.course_id)
        step = _next_credit_step(entry.enrolment, entry.progress, page.url if page else None)
        if step is not None:
            panels[entry.enrolment.pk] = Panel(
                key="credit", template="courses/includes/dashboard_credit.html", data=step, order=5
            )
    return panels


def external_credits(*, learner) -> list[ExternalCredit]:
    """The credit ``learner`` reported from elsewhere, newest first (one query)."""
    return list(ExternalCredit.objects.filter(learner=learner).select_related("credit_type"))


def external_credit_for_evidence(*, user, pk: int) -> ExternalCredit | None:
    """The external credit whose evidence ``user`` may read: their own, or any for an administrator."""
    if not user.is_authenticated:
        return None
    credit = ExternalCredit.objects.filter(pk=pk).first()
    if credit is None or not credit.evidence:  # erased with a deleted account
        return None
    if credit.learner_id == user.pk or user.has_perm("courses.view_externalcredit"):
        return credit
    return None


def _continue_row(enrolment: Enrolment | None, rows: list[ModuleRow]) -> ModuleRow | None:
    """Where "continue" leads: the last module opened, unless done; else the first not done."""
    if enrolment is None or not rows:
        return None
    by_id = {row.entry.id: row for row in rows}
    last = by_id.get(enrolment.last_module_id)
    if last is not None and not last.completed:
        return last
    if last is not None:
        after = rows[rows.index(last) + 1 :]
        following = next((row for row in after if not row.completed), None)
        if following is not None:
            return following
    first_open = next((row for row in rows if not row.completed), None)
    return first_open or rows[0]


# --- The course evaluation report ---------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationReport:
    """What learners of ``runs`` answered in the course's evaluation, item by item."""

    course: CoursePage
    page: CourseEvaluationPage | None
    runs: tuple[CourseRun, ...]
    submissions: int
    items: list


def evaluation_report(*, course: CoursePage, runs: Sequence[CourseRun]) -> EvaluationReport:
    """The evaluation report of ``course`` for the submissions of these runs' enrolments.

    Three queries whatever the number of submissions (the page, its questions as the
    faculty have them now, the answers); the counting is
    :func:`courses.evaluations.summarise_evaluation`. A course without an evaluation has
    no items.
    """
    from courses.evaluations import evaluation_question, summarise_evaluation

    runs = tuple(runs)
    page = CourseEvaluationPage.objects.child_of(course).first()
    if page is None:
        return EvaluationReport(course=course, page=None, runs=runs, submissions=0, items=[])
    questions = [
        evaluation_question(
            key=form_field.clean_name,
            label=form_field.label,
            field_type=form_field.field_type,
            choices=form_field.choices,
        )
        for form_field in EvaluationField.objects.filter(page=page).order_by("sort_order", "id")
    ]
    answers = list(
        EvaluationSubmission.objects.filter(page=page, enrolment__run__in=[run.pk for run in runs])
        .order_by("submit_time", "id")
        .values_list("form_data", "enrolment__run__label")
    )
    return EvaluationReport(
        course=course,
        page=page,
        runs=runs,
        submissions=len(answers),
        items=summarise_evaluation(questions, answers),
    )
