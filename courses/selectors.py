"""Reads for the catalogue, course pages, module access and the learner's dashboard.

Every selector here runs a constant number of queries whatever the number of modules,
runs or enrolments involved (tests pin this).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from courses.completion import EnrolmentProgress, ReadCache, RequirementStatus, enrolments_progress
from courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    ModuleCompletion,
    ModulePage,
)
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


def modules_criterion(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, RequirementStatus]:
    """Completion criterion registered by ``courses``: every live module completed."""
    modules = modules_by_course(_courses_of(enrolments), reads)
    done = completed_module_ids(enrolments, reads)
    result = {}
    for enrolment in enrolments:
        live_ids = {m.id for m in modules[enrolment.run.course_id]}
        result[enrolment.pk] = RequirementStatus(
            key="modules",
            label="Modules",
            done=len(live_ids & done[enrolment.pk]),
            total=len(live_ids),
        )
    return result


def _courses_of(enrolments: Sequence[Enrolment]) -> list[CoursePage]:
    return list({e.run.course_id: e.run.course for e in enrolments}.values())


# --- Access -------------------------------------------------------------------------------


def enrolment_giving_access(*, user, course_id: int, today: datetime.date | None = None) -> Enrolment | None:
    """The learner's enrolment that opens the course's modules, if any.

    Access is given by an active enrolment in a run that has started and not ended,
    and — so a doctor can look back at what they were certified for — by a completed
    enrolment. Withdrawn enrolments and runs not yet started give none.
    """
    if not user.is_authenticated:
        return None
    today = today or timezone.localdate()
    candidates = (
        Enrolment.objects.filter(learner=user, run__course_id=course_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("run", "run__course")
        .order_by("-run__starts_on")
    )
    for enrolment in candidates:
        if enrolment.is_completed or enrolment.run.is_in_progress(today):
            return enrolment
    return None


@dataclass(frozen=True)
class ModuleAccess:
    allowed: bool
    enrolment: Enrolment | None = None
    as_staff: bool = False


def module_access(*, user, module: ModulePage) -> ModuleAccess:
    """Whether ``user`` may read ``module``, and through which enrolment (one query)."""
    if user.is_authenticated:
        today = timezone.localdate()
        candidates = (
            Enrolment.objects.filter(learner=user, run__course__path=module.path[: -Page.steplen])
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .select_related("run", "run__course")
            .order_by("-run__starts_on")
        )
        for enrolment in candidates:
            if enrolment.is_completed or enrolment.run.is_in_progress(today):
                return ModuleAccess(allowed=True, enrolment=enrolment)
    if user_is_staff_reader(user):
        return ModuleAccess(allowed=True, as_staff=True)
    return ModuleAccess(allowed=False)


def accessible_course_ids(*, user, today: datetime.date | None = None) -> set[int]:
    """Ids of courses whose modules ``user`` may read (one query)."""
    if not user.is_authenticated:
        return set()
    today = today or timezone.localdate()
    rows = (
        Enrolment.objects.filter(learner=user)
        .filter(
            Q(status=EnrolmentStatus.COMPLETED)
            | Q(status=EnrolmentStatus.ACTIVE, run__starts_on__lte=today, run__ends_on__gte=today)
        )
        .values_list("run__course_id", flat=True)
    )
    return set(rows)


# --- Catalogue ----------------------------------------------------------------------------


@dataclass
class CourseCard:
    course: CoursePage
    module_count: int
    next_run: CourseRun | None


def upcoming_runs(
    course_ids: Iterable[int], *, today: datetime.date | None = None
) -> dict[int, list[CourseRun]]:
    """Runs that have not ended, per course, soonest first (one query)."""
    today = today or timezone.localdate()
    result: dict[int, list[CourseRun]] = defaultdict(list)
    for run in CourseRun.objects.filter(course_id__in=list(course_ids), ends_on__gte=today).order_by(
        "starts_on"
    ):
        result[run.course_id].append(run)
    return result


def catalogue_courses(*, track: str | None, index: CourseIndexPage | None = None) -> list[CourseCard]:
    """Live courses for the catalogue, with their next open run and module count."""
    courses = CoursePage.objects.live().select_related("hero_image").order_by("path")
    if index is not None:
        courses = courses.child_of(index)
    if track:
        courses = courses.filter(track=track)
    courses = list(courses)
    modules = modules_by_course(courses)
    runs = upcoming_runs(c.pk for c in courses)
    now = timezone.now()
    cards = []
    for course in courses:
        course_runs = runs.get(course.pk, [])
        open_runs = [r for r in course_runs if r.is_enrolment_open(now)]
        cards.append(
            CourseCard(
                course=course,
                module_count=len(modules[course.pk]),
                next_run=(open_runs or course_runs or [None])[0],
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
    extras: dict = field(default_factory=dict)
    reads: ReadCache = field(default_factory=ReadCache)


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
    modules = modules_by_course([course], reads)[course.pk]
    runs = upcoming_runs([course.pk], today=today).get(course.pk, [])

    enrolments: list[Enrolment] = []
    if user.is_authenticated:
        enrolments = list(
            Enrolment.objects.filter(learner=user, run__course_id=course.pk)
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .select_related("run", "run__course")
            .order_by("-run__starts_on")
        )
    access_enrolment = next((e for e in enrolments if e.is_completed or e.run.is_in_progress(today)), None)
    current = access_enrolment or next(
        (e for e in enrolments if e.is_active and not e.run.has_ended(today)), None
    )
    as_staff = access_enrolment is None and user_is_staff_reader(user)

    done: set[int] = set()
    progress = None
    if current is not None:
        done = completed_module_ids([current], reads)[current.pk]
        progress = enrolments_progress([current], reads)[current.pk]

    rows = [ModuleRow(entry=m, url=m.url(request), completed=m.id in done) for m in modules]
    by_run = {e.run_id: e for e in enrolments}
    run_rows = [
        RunRow(
            run=run,
            is_open=run.is_enrolment_open(now),
            opens_later=now < run.enrolment_opens_at,
            learner_enrolment=by_run.get(run.pk),
        )
        for run in runs
    ]
    return CourseOverview(
        course=course,
        faculty=faculty,
        modules=rows,
        runs=run_rows,
        enrolment=current,
        has_access=access_enrolment is not None or as_staff,
        as_staff=as_staff,
        progress=progress,
        continue_url=_continue_url(current, rows) if access_enrolment else None,
        # Only a visitor who may still enrol needs to know; enrolled learners skip the query.
        profile_complete=current is not None
        or (user.is_authenticated and doctor_profile_is_complete(user=user)),
        total_minutes=sum(m.estimated_minutes or 0 for m in modules),
        reads=reads,
    )


def _continue_url(enrolment: Enrolment | None, rows: list[ModuleRow]) -> str | None:
    """Where "continue" leads: the last module opened, unless done; else the first not done."""
    if enrolment is None or not rows:
        return None
    by_id = {row.entry.id: row for row in rows}
    last = by_id.get(enrolment.last_module_id)
    if last is not None and not last.completed:
        return last.url
    if last is not None:
        after = rows[rows.index(last) + 1 :]
        following = next((row for row in after if not row.completed), None)
        if following is not None:
            return following.url
    first_open = next((row for row in rows if not row.completed), None)
    return (first_open or rows[0]).url


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
    reads: ReadCache = field(default_factory=ReadCache)


def module_context(*, module: ModulePage, enrolment: Enrolment | None, request=None) -> ModuleContext:
    """The course around a module: its siblings, position, and the learner's progress."""
    reads = ReadCache()
    course = (
        enrolment.run.course
        if enrolment is not None
        else CoursePage.objects.get(path=module.path[: -Page.steplen])
    )
    modules = modules_by_course([course], reads)[course.pk]
    done = completed_module_ids([enrolment], reads)[enrolment.pk] if enrolment is not None else set()
    rows = [ModuleRow(entry=m, url=m.url(request), completed=m.id in done) for m in modules]
    index = next((i for i, row in enumerate(rows) if row.entry.id == module.pk), 0)
    return ModuleContext(
        course=course,
        modules=rows,
        position=index + 1,
        previous=rows[index - 1] if index > 0 else None,
        next=rows[index + 1] if index + 1 < len(rows) else None,
        completed=module.pk in done,
        enrolment=enrolment,
        progress=enrolments_progress([enrolment], reads)[enrolment.pk] if enrolment is not None else None,
        reads=reads,
    )


# --- Dashboard ----------------------------------------------------------------------------


@dataclass
class DashboardEntry:
    enrolment: Enrolment
    progress: EnrolmentProgress
    continue_url: str | None
    has_access: bool
    modules_done: int
    modules_total: int
    extras: dict = field(default_factory=dict)


@dataclass
class Dashboard:
    current: list[DashboardEntry]
    upcoming: list[DashboardEntry]
    past: list[DashboardEntry]
    profile_complete: bool

    @property
    def is_empty(self) -> bool:
        return not (self.current or self.upcoming or self.past)

    @property
    def entries(self) -> list[DashboardEntry]:
        return self.current + self.upcoming + self.past


def learner_dashboard(*, user, request=None) -> Dashboard:
    """The learner's enrolments, grouped, each with progress and a "continue" link."""
    today = timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(learner=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("run", "run__course")
        .order_by("run__starts_on")
    )
    reads = ReadCache()
    progress = enrolments_progress(enrolments, reads)
    modules = modules_by_course(_courses_of(enrolments), reads)
    done = completed_module_ids(enrolments, reads)
    current, upcoming, past = [], [], []
    for enrolment in enrolments:
        rows = [
            ModuleRow(entry=m, url=m.url(request), completed=m.id in done[enrolment.pk])
            for m in modules[enrolment.run.course_id]
        ]
        has_access = enrolment.is_completed or enrolment.run.is_in_progress(today)
        entry = DashboardEntry(
            enrolment=enrolment,
            progress=progress[enrolment.pk],
            continue_url=_continue_url(enrolment, rows) if has_access else None,
            has_access=has_access,
            modules_done=sum(row.completed for row in rows),
            modules_total=len(rows),
        )
        if enrolment.is_completed or enrolment.run.has_ended(today):
            past.append(entry)
        elif enrolment.run.has_started(today):
            current.append(entry)
        else:
            upcoming.append(entry)
    past.reverse()
    return Dashboard(
        current=current,
        upcoming=upcoming,
        past=past,
        profile_complete=doctor_profile_is_complete(user=user),
    )


def searchable_module_ids(*, user) -> set[int] | None:
    """Module ids a search may return for ``user``; ``None`` means every module (staff)."""
    if user_is_staff_reader(user):
        return None
    course_ids = accessible_course_ids(user=user)
    if not course_ids:
        return set()
    courses = CoursePage.objects.filter(pk__in=course_ids).only("id", "path", "depth")
    return {m.id for entries in modules_by_course(courses).values() for m in entries}


# --- Endorsements -------------------------------------------------------------------------


@dataclass(frozen=True)
class EndorsementFact:
    """What an endorsement record says: which revision, when, by whom."""

    revision_id: int | None
    approved_at: datetime.datetime
    approved_by_name: str


def _fact(endorsement) -> EndorsementFact:
    return EndorsementFact(
        revision_id=endorsement.revision_id,
        approved_at=endorsement.approved_at,
        approved_by_name=endorsement.approved_by_name,
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
    from wagtail.models import PageLogEntry

    from courses.models import Endorsement

    revision_id = (
        PageLogEntry.objects.filter(
            page_id=course_id,
            action__in=["wagtail.publish", "wagtail.publish.scheduled"],
            timestamp__lte=at,
            revision__isnull=False,
        )
        .order_by("-timestamp", "-id")
        .values_list("revision_id", flat=True)
        .first()
    )
    if revision_id is None:
        return None
    endorsement = Endorsement.objects.filter(page_id=course_id, revision_id=revision_id).first()
    return _fact(endorsement) if endorsement else None
