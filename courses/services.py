"""Writes for runs, enrolment and progress. Each function is one transaction.

The integrity rules live here, on the database's terms:

* a seat is taken with a conditional ``UPDATE … WHERE seats_taken < capacity``, so two
  requests for the last seat cannot both succeed, on PostgreSQL or SQLite;
* one enrolment per learner and run is a unique constraint;
* a learner's enrolment changes are serialised by locking their user row, so a double
  click cannot enrol them twice in the same course;
* the completion of an enrolment is one transition (:func:`_enrolment_complete`, a
  conditional ``UPDATE … WHERE status = 'active'`` on the locked row), made by the
  completion rule (:func:`enrolment_evaluate_completion`) or by an administrator
  (:func:`enrolment_mark_completed`), and announced once by
  :data:`courses.signals.enrolment_completed`.

**Lock order.** Every path that locks rows of several apps locks the enrolment first
(:func:`enrolment_lock`), then rows that belong to it (attempts, certificates). Two
paths that take the same rows in the same order cannot deadlock.

**Audit log.** Every change an administrator makes (``by=`` someone) is written to
Wagtail's audit log here, in the same transaction as the change; interfaces never
write it.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.log_actions import log

from courses.completion import enrolments_progress
from courses.credits import claimed_credits, is_on_step
from courses.exceptions import (
    CreditClaimError,
    DisclosureError,
    EndorsementError,
    EnrolmentError,
    EvaluationError,
    ExternalCreditError,
    ModuleAccessError,
    ProfileIncompleteError,
    RunSchedulingError,
)
from courses.models import (
    CourseEvaluationPage,
    CoursePage,
    CourseRun,
    CreditClaim,
    CreditType,
    Endorsement,
    Enrolment,
    EnrolmentStatus,
    EvaluationSubmission,
    ExternalCredit,
    FacultyMember,
    ModuleCompletion,
    ModulePage,
    TranscriptEntry,
)
from courses.selectors import (
    course_designates_credit,
    designated_credit_lock_refusals,
    designated_credits,
    enrolment_giving_access,
    enrolment_withdraw_refusal,
    faculty_disclosures_may_confirm,
    module_access,
)
from courses.signals import enrolment_completed
from lms.db import audit_log_many, insert_or, reference_index_add_created
from lms.selectors import doctor_profile_is_complete


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def enrolment_create(
    *,
    learner,
    run: CourseRun,
    now: datetime.datetime | None = None,
    ignore_window: bool = False,
    by=None,
    profile_required: bool = True,
    seat_held: bool = False,
) -> Enrolment:
    """Enrol ``learner`` in ``run``, taking one seat.

    ``ignore_window`` lets an administrator enrol someone outside the enrolment window;
    capacity and every other rule still hold. ``by`` is the administrator enrolling
    someone else; their action goes to the audit log. ``profile_required=False`` is for
    an administrator's bulk enrolment, whose new doctors complete their profile when they
    accept the invitation. ``seat_held=True`` is for :mod:`courses.waitlists` only: the
    doctor takes the seat a waitlist offer already holds in ``seats_taken``.

    Raises :class:`ProfileIncompleteError` when the doctor's profile is incomplete and
    :class:`EnrolmentError` when the course is not published, the window is closed, the
    run is full, or the learner is already enrolled in (or has completed) this course.
    On any refusal nothing is written.
    """
    now = now or timezone.now()
    if profile_required and not doctor_profile_is_complete(user=learner):
        raise ProfileIncompleteError(
            "Complete your doctor's profile (name for the certificate, council and "
            "registration number) before you enrol."
        )
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=learner.pk).values_list("pk").get()
        run = CourseRun.objects.select_related("course").get(pk=run.pk)
        if not run.course.live:
            raise EnrolmentError("This course is not open for enrolment.")
        if not ignore_window and now < run.enrolment_opens_at:
            raise EnrolmentError(
                f"Enrolment for the {run.label} run opens on {_when(run.enrolment_opens_at)}."
            )
        if not ignore_window and now >= run.enrolment_closes_at:
            raise EnrolmentError(
                f"Enrolment for the {run.label} run closed on {_when(run.enrolment_closes_at)}."
            )

        refusal = _enrolled_in_course_refusal(
            Enrolment.objects.filter(learner=learner, run__course_id=run.course_id)
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .select_related("run"),
            run=run,
            now=now,
        )
        if refusal:
            raise EnrolmentError(refusal)
        existing = Enrolment.objects.filter(learner=learner, run=run).first()

        seat_taken = seat_held or CourseRun.objects.filter(pk=run.pk, seats_taken__lt=F("capacity")).update(
            seats_taken=F("seats_taken") + 1
        )
        if not seat_taken:
            raise EnrolmentError(f"The {run.label} run is full. Please choose another month.")

        if existing is not None:
            # Re-enrolling after withdrawing: the same row comes back, with its progress.
            existing.status = EnrolmentStatus.ACTIVE
            existing.enrolled_at = now
            existing.withdrawn_at = None
            existing.save(update_fields=["status", "enrolled_at", "withdrawn_at"])
            enrolment = existing
        else:
            # A course that designates credit puts its new enrolments on the accredited
            # sequence; designations are locked once a run opens, so this cannot shift later.
            accredited = course_designates_credit(course_id=run.course_id)
            enrolment = insert_or(
                lambda: Enrolment.objects.create(
                    learner=learner, run=run, enrolled_at=now, accredited=accredited
                ),
                on_conflict=EnrolmentError(f"You are already enrolled in the {run.label} run."),
            )
        if not seat_held:
            # A doctor who got a seat another way leaves the run's waitlist (and a seat
            # held for them there passes on to the next in line).
            from courses.waitlists import waitlist_close_for_enrolled

            waitlist_close_for_enrolled(learner=learner, run=run, now=now)
        if by is not None:
            log(instance=enrolment, action="wagtail.create", user=by)
        return enrolment


def _enrolled_in_course_refusal(others, *, run: CourseRun, now: datetime.datetime) -> str:
    """Why a learner with these (not withdrawn) enrolments in ``run``'s course may not enrol in ``run``; ``""`` if nothing stops them."""
    for other in others:
        if other.run_id == run.pk:
            return f"You are already enrolled in the {run.label} run."
        if other.is_completed:
            return f"You have already completed this course (the {other.run.label} run)."
        if not other.run.has_ended(timezone.localdate(now)):
            return (
                f"You are already enrolled in the {other.run.label} run of this course. "
                "Withdraw from it first if you want to change runs."
            )
    return ""


@dataclass(frozen=True)
class EnrolmentAttempt:
    """What :func:`enrolments_create_many` did for one learner.

    ``enrolment`` when they were enrolled; otherwise ``refusal`` (the message
    :func:`enrolment_create` would raise), whether they were ``already_enrolled`` in the
    run, and whether the run had no seat left when their turn came (``run_full``).
    """

    learner_id: int
    enrolment: Enrolment | None = None
    refusal: str = ""
    already_enrolled: bool = False
    run_full: bool = False


def enrolments_create_many(
    *, learners, run: CourseRun, now: datetime.datetime | None = None, by=None
) -> list[EnrolmentAttempt]:
    """Enrol ``learners`` (distinct) in ``run`` one after the other, in order, as an administrator's
    :func:`enrolment_create` would each (``ignore_window=True, profile_required=False``),
    in a constant number of queries whatever their number — a hospital's file of doctors.

    The same rules and guarantees, on the same rows: the learners' user rows are locked
    (in id order), then the run's row, so nothing else can enrol them or take a seat
    meanwhile; seats go to the first learners in order until none is left, taken in one
    conditional ``UPDATE`` (the check constraint stands behind it); a withdrawn enrolment
    comes back; each enrolled learner leaves the run's waitlist (a seat it held passes on);
    ``by`` is written to the audit log for each enrolment. Returns one
    :class:`EnrolmentAttempt` per learner, in order. Nothing is written for a refusal.
    """
    from courses.waitlists import waitlists_close_for_enrolled

    now = now or timezone.now()
    learners = list(learners)
    ids = [learner.pk for learner in learners]
    if len(set(ids)) != len(ids):
        raise ValueError("Each learner may be enrolled only once in a call.")
    if not learners:
        return []
    with transaction.atomic():
        list(get_user_model().objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        run = CourseRun.objects.select_for_update(of=("self",)).select_related("course").get(pk=run.pk)
        if not run.course.live:
            return [EnrolmentAttempt(pk, refusal="This course is not open for enrolment.") for pk in ids]
        in_course: dict[int, list[Enrolment]] = {}
        existing: dict[int, Enrolment] = {}
        for other in Enrolment.objects.filter(learner__in=ids, run__course_id=run.course_id).select_related(
            "run"
        ):
            if other.run_id == run.pk:
                existing[other.learner_id] = other
            if other.status != EnrolmentStatus.WITHDRAWN:
                in_course.setdefault(other.learner_id, []).append(other)
        seats = run.seats_left
        attempts: list[EnrolmentAttempt] = []
        taking: list[int] = []
        for pk in ids:
            already = any(other.run_id == run.pk for other in in_course.get(pk, ()))
            refusal = _enrolled_in_course_refusal(in_course.get(pk, ()), run=run, now=now)
            if not refusal and seats <= 0:
                refusal = f"The {run.label} run is full. Please choose another month."
            if refusal:
                attempts.append(
                    EnrolmentAttempt(pk, refusal=refusal, already_enrolled=already, run_full=seats <= 0)
                )
                continue
            seats -= 1
            taking.append(pk)
        if not taking:
            return attempts
        taken = CourseRun.objects.filter(pk=run.pk, seats_taken__lte=F("capacity") - len(taking)).update(
            seats_taken=F("seats_taken") + len(taking)
        )
        if not taken:  # the run's row is locked: its seats cannot have changed since it was read
            raise EnrolmentError(f"The {run.label} run is full. Please choose another month.")
        back = [existing[pk].pk for pk in taking if pk in existing]
        if back:
            # Re-enrolling after withdrawing: the same rows come back, with their progress.
            Enrolment.objects.filter(pk__in=back).update(
                status=EnrolmentStatus.ACTIVE, enrolled_at=now, withdrawn_at=None
            )
        accredited = course_designates_credit(course_id=run.course_id)
        created = Enrolment.objects.bulk_create(
            [
                Enrolment(learner_id=pk, run=run, enrolled_at=now, accredited=accredited)
                for pk in taking
                if pk not in existing
            ]
        )
        reference_index_add_created(created)
        enrolments = {enrolment.learner_id: enrolment for enrolment in created}
        for pk in taking:
            if pk in existing:
                enrolment = existing[pk]
                enrolment.status, enrolment.enrolled_at, enrolment.withdrawn_at = (
                    EnrolmentStatus.ACTIVE,
                    now,
                    None,
                )
                enrolments[pk] = enrolment
        by_learner = {learner.pk: learner for learner in learners}
        for enrolment in enrolments.values():
            enrolment.learner = by_learner[enrolment.learner_id]
            enrolment.run = run
        waitlists_close_for_enrolled(learner_ids=taking, run=run, now=now)
        if by is not None:
            audit_log_many([enrolments[pk] for pk in taking], action="wagtail.create", user=by)
        attempts.extend(EnrolmentAttempt(pk, enrolment=enrolments[pk]) for pk in taking)
    order = {pk: index for index, pk in enumerate(ids)}
    return sorted(attempts, key=lambda attempt: order[attempt.learner_id])


def enrolment_withdraw(*, enrolment: Enrolment, now: datetime.datetime | None = None, by=None) -> Enrolment:
    """Withdraw an active enrolment and free its seat — or offer it to the first on the run's waitlist.

    The seat is handed on in the same transaction (:func:`courses.waitlists.run_seat_release`),
    so racing withdrawals and acceptances never overfill the run. ``by`` is the administrator withdrawing a learner; their action goes to the audit log.
    Raises :class:`EnrolmentError` if the enrolment is completed, already withdrawn, or
    its run has ended (:func:`courses.selectors.enrolment_withdraw_refusal`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = enrolment_lock(enrolment_id=enrolment.pk)
        if refusal := enrolment_withdraw_refusal(enrolment=enrolment, today=timezone.localdate(now)):
            raise EnrolmentError(refusal)
        Enrolment.objects.filter(pk=enrolment.pk, status=EnrolmentStatus.ACTIVE).update(
            status=EnrolmentStatus.WITHDRAWN, withdrawn_at=now
        )
        from courses.waitlists import run_seat_release

        run_seat_release(run_id=enrolment.run_id, now=now)
        enrolment.refresh_from_db()
        if by is not None:
            log(instance=enrolment, action="courses.withdraw", user=by)
        return enrolment


def enrolment_record_visit(*, enrolment: Enrolment, module: ModulePage) -> None:
    """Remember the module the learner opened last, for "continue where you left off"."""
    Enrolment.objects.filter(pk=enrolment.pk).update(last_module=module, last_activity_at=timezone.now())


@dataclass(frozen=True)
class ModuleCompletionResult:
    completion: ModuleCompletion
    created: bool
    course_completed: bool


def module_complete(*, learner, module: ModulePage) -> ModuleCompletionResult:
    """Record that ``learner`` finished ``module``, then re-evaluate the enrolment.

    Idempotent: completing a module twice keeps the first completion. Raises
    :class:`ModuleAccessError` if the learner has no enrolment giving access to it
    (staff reading a module have nothing to complete).
    """
    access = module_access(user=learner, module=module)
    if access.enrolment is None:
        raise ModuleAccessError("Only learners enrolled in a current run can complete this module.")
    enrolment = access.enrolment
    with transaction.atomic():
        # The live revision is what the learner studied: kept with the completion, so a
        # certificate traces back to it whatever is edited and endorsed later.
        completion, created = ModuleCompletion.objects.get_or_create(
            enrolment=enrolment, module=module, defaults={"revision_id": module.live_revision_id}
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(last_module=module, last_activity_at=timezone.now())
        completed = enrolment_evaluate_completion(enrolment=enrolment)
    return ModuleCompletionResult(completion=completion, created=created, course_completed=completed)


def enrolment_lock(*, enrolment_id: int, skip_locked: bool = False) -> Enrolment | None:
    """Lock the enrolment's row until the current transaction ends, and return it (run and course loaded).

    The first lock of every path that changes an enrolment or what belongs to it (see
    the lock order in this module's docstring). Must be called inside a transaction.
    Raises ``Enrolment.DoesNotExist`` for an unknown id; with ``skip_locked`` (a sweeper
    that will come back later) it returns ``None`` instead of waiting for a row another
    transaction holds.
    """
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",), skip_locked=skip_locked)
        .select_related("run", "run__course")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None and not skip_locked:
        raise Enrolment.DoesNotExist(f"No enrolment {enrolment_id}.")
    return enrolment


def _enrolment_complete(enrolment: Enrolment, *, at: datetime.datetime) -> bool:
    """The one completion transition: ``active`` → ``completed``, then the announcement.

    Runs on a row the caller has locked (:func:`enrolment_lock`). The conditional update
    lets exactly one caller make the transition; only that caller sends
    :data:`courses.signals.enrolment_completed`, inside its transaction. Returns whether
    this call completed the enrolment.
    """
    changed = Enrolment.objects.filter(pk=enrolment.pk, status=EnrolmentStatus.ACTIVE).update(
        status=EnrolmentStatus.COMPLETED, completed_at=at
    )
    if changed:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = at
        enrolment_completed.send(sender=Enrolment, enrolment=enrolment)
    return bool(changed)


def enrolment_evaluate_completion(*, enrolment: Enrolment, already_locked: bool = False) -> bool:
    """Decide whether ``enrolment`` is complete; the single place that decides it.

    Complete means every required step of the completion sequence is met (see
    :mod:`courses.completion`). The first time it becomes complete, the enrolment is
    marked ``completed`` and :data:`courses.signals.enrolment_completed` is sent, inside
    this transaction; later calls return ``True`` and send nothing. Safe to call
    concurrently: the row lock and the conditional update let exactly one caller make
    the transition. Returns whether the enrolment is complete.

    ``already_locked=True`` says the caller passes the object :func:`enrolment_lock`
    returned in the current transaction (the lock order puts it first), so it is not
    locked and read a second time.
    """
    # No savepoint: callers inside a transaction (grading) roll back with it as a whole.
    with transaction.atomic(savepoint=False):
        if not already_locked:
            enrolment = enrolment_lock(enrolment_id=enrolment.pk)
        if enrolment.status == EnrolmentStatus.COMPLETED:
            return True
        if enrolment.status != EnrolmentStatus.ACTIVE:
            return False
        if not enrolments_progress([enrolment])[enrolment.pk].is_complete:
            return False
        _enrolment_complete(enrolment, at=timezone.now())
        return True


def course_runs_schedule_monthly(
    *,
    course: CoursePage,
    first_month: datetime.date,
    count: int,
    capacity: int,
    enrolment_opens_days_before: int = 30,
    enrolment_closes_days_after_start: int = 7,
    by=None,
) -> list[CourseRun]:
    """Create ``count`` consecutive monthly runs of ``course`` starting with ``first_month``.

    Each run spans a calendar month and is labelled like "January 2027". Enrolment opens
    ``enrolment_opens_days_before`` days before the first day and closes at the end of
    the ``enrolment_closes_days_after_start``-th day. Months that already have a run
    starting on their first day are refused as a whole, so nothing is half-scheduled.
    ``by`` is the administrator scheduling them: each run's creation goes to the audit log.
    Raises :class:`RunSchedulingError` for a count, capacity or month that cannot be.
    """
    if not 1 <= count <= 24:
        raise RunSchedulingError("Schedule between 1 and 24 runs at a time.")
    if capacity < 1:
        raise RunSchedulingError("Capacity must be at least one seat.")
    tz = timezone.get_current_timezone()
    year, month = first_month.year, first_month.month
    planned = []
    for _ in range(count):
        starts = datetime.date(year, month, 1)
        ends = datetime.date(year, month, calendar.monthrange(year, month)[1])
        opens = datetime.datetime.combine(
            starts - datetime.timedelta(days=enrolment_opens_days_before), datetime.time(0, 0), tz
        )
        closes = datetime.datetime.combine(
            starts + datetime.timedelta(days=enrolment_closes_days_after_start), datetime.time(0, 0), tz
        )
        planned.append(
            CourseRun(
                course=course,
                label=date_format(starts, "F Y"),
                starts_on=starts,
                ends_on=ends,
                enrolment_opens_at=opens,
                enrolment_closes_at=min(
                    closes,
                    datetime.datetime.combine(ends + datetime.timedelta(days=1), datetime.time(0, 0), tz),
                ),
                capacity=capacity,
            )
        )
        month += 1
        if month > 12:
            year, month = year + 1, 1
    with transaction.atomic():
        clashes = CourseRun.objects.filter(course=course, starts_on__in=[r.starts_on for r in planned])
        if clashes.exists():
            labels = ", ".join(r.label for r in clashes.order_by("starts_on"))
            raise RunSchedulingError(f"{course.title} already has runs for: {labels}. Nothing was scheduled.")
        runs = insert_or(
            lambda: CourseRun.objects.bulk_create(planned),
            on_conflict=RunSchedulingError(
                "Another administrator scheduled some of these months just now; nothing was scheduled."
            ),
        )
        if by is not None:
            for run in runs:
                log(instance=run, action="wagtail.create", user=by)
        return runs


def enrolment_mark_completed(
    *, enrolment: Enrolment, completed_at: datetime.datetime | None = None
) -> Enrolment:
    """Mark an enrolment complete by an administrator's decision (e.g. completed in person).

    Bypasses the completion steps but is otherwise the normal completion: the same
    transition, and :data:`courses.signals.enrolment_completed` sent once, inside this
    transaction. Raises :class:`EnrolmentError` for a withdrawn enrolment; an already
    completed one is returned unchanged.
    """
    with transaction.atomic(savepoint=False):
        enrolment = enrolment_lock(enrolment_id=enrolment.pk)
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            raise EnrolmentError("This learner withdrew from the run; enrol them again before completing it.")
        if enrolment.status == EnrolmentStatus.ACTIVE:
            _enrolment_complete(enrolment, at=completed_at or timezone.now())
        return enrolment


def _content_sha256(content) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def endorsement_record(
    *, revision, user, comment: str = "", approved_at: datetime.datetime | None = None
) -> Endorsement:
    """Record that the Faculty of Pain Medicine endorsed ``revision`` (of a page, question or quiz).

    Keeps its own copy of the facts — the content's title, the SHA-256 of the revision's
    content, the approver's name — so the record outlives the approver's account and the
    content. Idempotent per revision: recording the same revision again returns the first
    record unchanged.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    obj = revision.as_object()
    content_type = ContentType.objects.get_for_id(revision.base_content_type_id)
    name = ""
    if user is not None:
        name = getattr(user, "display_name", "") or user.get_username()
    with transaction.atomic():
        endorsement, _ = Endorsement.objects.get_or_create(
            content_type=content_type,
            object_id=str(revision.object_id),
            revision=revision,
            defaults={
                "page_id": obj.pk if isinstance(obj, Page) else None,
                "object_title": str(obj)[:255],
                "content_sha256": _content_sha256(revision.content),
                "approved_by": user,
                "approved_by_name": name[:255],
                "approved_at": approved_at or timezone.now(),
                "comment": comment,
            },
        )
    return endorsement


def endorsement_publish(*, workflow_state, user) -> Endorsement:
    """Publish what a finished endorsement workflow approved, and record the endorsement.

    Wagtail calls this when the last task of a workflow is approved
    (``WAGTAIL_FINISH_WORKFLOW_ACTION``, see :mod:`courses.workflow`), whichever screen
    approved it: the dashboard, the editor's "Approve and publish" (which first saves the
    reviewer's last edit as a new revision), "Approve with comment". It publishes the
    object's latest revision — what the approver saw and approved — on the workflow's
    authority, since no role holds a bare publish permission, and records the endorsement
    of that same revision, with the approving board member, the time and the comment. A
    revision with a go-live date in the future is scheduled instead of published (Wagtail's
    ``publish_scheduled`` makes it live later); its endorsement is recorded now, so the
    line appears the moment it goes live.
    """
    obj = workflow_state.content_object
    revision = obj.get_latest_revision()
    task_state = workflow_state.current_task_state
    with transaction.atomic():
        revision.publish(user=user, skip_permission_checks=True)
        return endorsement_record(
            revision=revision,
            user=user,
            comment=task_state.comment if task_state else "",
            approved_at=task_state.finished_at if task_state and task_state.finished_at else None,
        )


def _standard_problems(pages: Sequence) -> list[list[str]]:
    """What the content standard finds wrong with each of ``pages``, in as many queries for
    thirty pages as for one (the board's review queue checks every page in it).

    Each page is a revision's content (``revision.as_object()``): the same values the page
    editor's form checks (:mod:`courses.page_forms`) with the same rules
    (:mod:`courses.standards`). Pages other than courses and modules have no standard.
    A module's checks read only its content; a course's also read its live modules' study
    time, its credit types and whether a run has opened (:func:`designated_credit_lock_refusals`),
    each once for all the courses.
    """
    from wagtail.models import Page

    from courses.standards import Designation, course_problems, module_problems

    courses = [page for page in pages if isinstance(page, CoursePage)]
    minutes_by_course: dict[str, list[int]] = {course.path: [] for course in courses}
    locks: dict[int, str | None] = {}
    credit_types: dict[int, CreditType] = {}
    if courses:
        for path, minutes in (
            ModulePage.objects.live()
            .filter(depth__in={course.depth + 1 for course in courses})
            .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
            .filter(parent_path__in=list(minutes_by_course))
            .values_list("parent_path", "estimated_minutes")
        ):
            minutes_by_course[path].append(minutes or 0)
        designated = {course.pk: list(course.designated_credits.all()) for course in courses}
        credit_types = CreditType.objects.in_bulk(
            {d.credit_type_id for ds in designated.values() for d in ds}
        )
        locks = designated_credit_lock_refusals(
            proposed_by_course={
                course_id: {(d.credit_type_id, d.max_credits) for d in ds}
                for course_id, ds in designated.items()
            }
        )

    found = []
    for page in pages:
        if isinstance(page, ModulePage):
            body = [(block.block_type, block.value) for block in page.body]
            problems = module_problems(
                objectives=len(page.objectives),
                body_blocks=body,
                references=sum(len(value["references"]) for kind, value in body if kind == "references"),
                estimated_minutes=page.estimated_minutes,
            )
        elif isinstance(page, CoursePage):
            minutes = minutes_by_course[page.path]
            problems = course_problems(
                track=page.track,
                cme_credit_hours=page.cme_credit_hours,
                faculty=len(page.faculty_links.all()),
                published_modules=len(minutes),
                designations=[
                    Designation(
                        credit_type=credit_types[d.credit_type_id].name,
                        max_credits=d.max_credits,
                        minutes_per_credit=credit_types[d.credit_type_id].minutes_per_credit,
                        step=credit_types[d.credit_type_id].step,
                    )
                    for d in designated[page.pk]
                ],
                study_minutes=sum(minutes),
            )
            if lock := locks[page.pk]:
                problems.append(lock)
        else:
            problems = []
        found.append(problems)
    return found


def _endorsement_problems(*, page, user, submitting: bool) -> list[str]:
    """What the content standard (and, on submission, the disclosure rules) finds wrong with ``page``.

    ``page`` is a revision's content; the standard is :func:`_standard_problems`. On
    submission every faculty member named on the page, and the submitter's own faculty
    record, must have confirmed their disclosures within the last year.
    """
    from courses.standards import DisclosureState, stale_disclosure_problems

    problems = _standard_problems([page])[0]
    if not submitting or not isinstance(page, (ModulePage, CoursePage)):
        return problems
    if isinstance(page, ModulePage):
        people = [author.faculty_member for author in page.module_authors.all()]
    else:
        people = [link.faculty_member for link in page.faculty_links.all()]
    named = {member.pk: member for member in people}
    for member in FacultyMember.objects.filter(user=user):
        named.setdefault(member.pk, member)
    problems += stale_disclosure_problems(
        [DisclosureState(name=m.name, confirmed_on=m.disclosures_confirmed_on) for m in named.values()],
        timezone.localdate(),
    )
    return problems


def endorsement_problems_of_page(page) -> list[str]:
    """The content standard's objections to ``page`` (a revision's content) at approval."""
    return _standard_problems([page])[0]


def endorsement_problems_of_revisions(revisions: Sequence) -> list[list[str]]:
    """:func:`endorsement_problems_of_page` for each of ``revisions`` (of pages, their
    ``content_object`` loaded), in a number of queries that does not grow with them: the
    board's review queue.

    Each revision's content is read as a page without what ``revision.as_object()`` also
    restores for an editor at a query or more each — its URL path, comments, and a check
    that every foreign key it names still exists — none of which the standard reads: its
    content fields, and the page's id and place in the tree.
    """
    drafts = []
    for revision in revisions:
        page = revision.content_object
        draft = page.specific_class.from_serializable_data(revision.content, check_fks=False)
        draft.id = draft.pk = page.pk
        draft.path, draft.depth = page.path, page.depth
        drafts.append(draft)
    return _standard_problems(drafts)


def page_submit_for_endorsement(*, page, user):
    """Submit ``page``'s latest revision for endorsement, as the page editor's submit action does.

    Starts the page's workflow (the "Faculty endorsement" workflow on the course tree),
    or resumes it when the board had requested changes. Before anything is written the
    latest revision must meet the content standard and every faculty member named on it
    (and the submitter's own faculty record) must have confirmed their disclosures
    within the last year: the rules the editor's form applies on submission.

    Raises :class:`EndorsementError` when ``user`` may not edit and submit the page, the
    page has no workflow or no saved revision, it is already in review, or its content
    breaks a rule (``problems`` lists them); nothing is written then. Returns the
    workflow state.
    """
    from wagtail.models import Page

    with transaction.atomic():
        # The row lock makes two submissions of one page queue up; the second is refused.
        page = Page.objects.select_for_update().get(pk=page.pk).specific
        title = page.get_admin_display_title()
        permissions = page.permissions_for_user(user)
        workflow = page.get_workflow()
        if workflow is None:
            raise EndorsementError(f"“{title}” is not under an endorsement workflow.")
        if page.workflow_in_progress:
            raise EndorsementError(f"“{title}” is already awaiting endorsement.")
        if not (permissions.can_edit() and permissions.can_submit_for_moderation()):
            raise EndorsementError(f"You may not submit “{title}” for endorsement.")
        return endorsement_start_or_resume(
            item=page,
            workflow=workflow,
            user=user,
            name=f"“{title}”",
            problems_of=lambda draft: _endorsement_problems(page=draft, user=user, submitting=True),
        )


def endorsement_start_or_resume(*, item, workflow, user, name: str, problems_of):
    """Send ``item``'s latest revision into ``workflow``: the last step of every submission.

    Shared by pages and by the assessment snippets (``quizzes``), whose callers have
    already locked the item and checked who may submit. ``problems_of(draft)`` lists what
    keeps the latest revision from review (the content standard); ``name`` is how a
    message names the item. Raises :class:`EndorsementError` without a saved revision or
    with problems, writing nothing; otherwise resumes a review that asked for changes, or
    starts a new one, and returns the workflow state.
    """
    from wagtail.models import WorkflowState

    revision = item.get_latest_revision()
    if revision is None:
        raise EndorsementError(f"Save a draft of {name} before submitting it for endorsement.")
    problems = problems_of(revision.as_object())
    if problems:
        raise EndorsementError(
            f"{name[0].upper()}{name[1:]} cannot be submitted for endorsement: " + " ".join(problems),
            problems,
        )
    state = item.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return state
    return workflow.start(item, user)


def page_endorse(*, page, user, comment: str = "") -> Endorsement:
    """Approve the revision ``page`` is in review with, as a board member's "Approve" does.

    Calls the workflow task's own ``approve`` action, so Wagtail finishes the workflow
    and its finish action (:func:`endorsement_publish`) publishes the page's latest
    revision and records its endorsement. That revision must still meet the content
    standard. Raises :class:`EndorsementError` when the page is not awaiting
    endorsement, ``user`` may not approve this task, or the content breaks a rule;
    nothing is written then. Returns the endorsement of the revision that went live (or
    was scheduled).
    """
    from wagtail.models import Page

    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk).specific
        title = page.get_admin_display_title()
        task_state = page.current_workflow_task_state
        if task_state is None:
            raise EndorsementError(f"“{title}” is not awaiting endorsement.")
        task = task_state.task.specific
        # What approval publishes is the latest revision (a reviewer may have saved an edit
        # since the submission), so that is the one that must meet the standard.
        revision = page.get_latest_revision()
        problems = _endorsement_problems(page=revision.as_object(), user=user, submitting=False)
        if problems:
            raise EndorsementError(f"“{title}” cannot be endorsed: " + " ".join(problems), problems)
        if "approve" not in [name for name, _label, _modal in task.get_actions(page, user)]:
            raise EndorsementError(f"Only the reviewers of “{task.name}” can endorse “{title}”.")
        task.on_action(task_state, user, "approve", comment=comment)
        return Endorsement.objects.get(page_id=page.pk, revision_id=revision.pk)


def faculty_disclosures_confirm(*, faculty_member: FacultyMember, by) -> FacultyMember:
    """Record that ``faculty_member``'s disclosures are complete and current as of today.

    Only the faculty member themself (through their linked account) or someone allowed
    to change faculty records may confirm (:func:`courses.selectors.faculty_disclosures_may_confirm`);
    raises :class:`courses.exceptions.DisclosureError` otherwise. The confirmation goes
    to the audit log with who made it.
    """
    if not faculty_disclosures_may_confirm(faculty_member=faculty_member, user=by):
        raise DisclosureError("Only the faculty member or an administrator can confirm these disclosures.")
    with transaction.atomic():
        FacultyMember.objects.filter(pk=faculty_member.pk).update(
            disclosures_confirmed_on=timezone.localdate()
        )
        faculty_member.refresh_from_db()
        log(instance=faculty_member, action="courses.confirm_disclosures", user=by)
    return faculty_member


# --- The accredited sequence: evaluation, attestation and claim -------------------------------

# More than a fortnight of study for one course is not a claim anyone could attest.
CLAIM_MAX_MINUTES = 20_000


def evaluation_submit(*, learner, page: CourseEvaluationPage, form_data: dict) -> EvaluationSubmission:
    """Store ``learner``'s answers to a course evaluation, once per enrolment.

    ``form_data`` is the cleaned data of the page's form (Wagtail's form builder). Raises
    :class:`EvaluationError` — writing nothing — when the learner has no enrolment giving
    access to the course, the steps before the evaluation (modules, post-test) are not
    done, or this enrolment has already submitted it (a racing second submission fails
    on the one-per-enrolment constraint with the same message).
    """
    course = page.get_parent().specific
    enrolment = enrolment_giving_access(user=learner, course_id=course.pk)
    if enrolment is None:
        raise EvaluationError(
            "Only doctors enrolled in a current run of this course can submit its evaluation."
        )
    already = EvaluationError("You have already submitted the evaluation of this course. Thank you.")
    with transaction.atomic():
        enrolment = enrolment_lock(enrolment_id=enrolment.pk)
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            raise EvaluationError("You withdrew from this run; enrol again to evaluate the course.")
        if EvaluationSubmission.objects.filter(enrolment=enrolment).exists():
            raise already
        refusal = enrolments_progress([enrolment])[enrolment.pk].step_refusal(
            "evaluation", "evaluate the course"
        )
        if refusal:
            raise EvaluationError(refusal)
        submission = insert_or(
            lambda: EvaluationSubmission.objects.create(
                page=page, enrolment=enrolment, form_data=form_data, submit_time=timezone.now()
            ),
            on_conflict=already,
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=timezone.now())
    return submission


def credit_claim_submit(*, learner, enrolment: Enrolment, minutes_spent: int, attested: bool) -> CreditClaim:
    """Record ``learner``'s attestation and credit claim, its transcript lines, and complete the enrolment.

    Claimed credit per designated type is the attested time in the type's unit, rounded
    half up to the type's step and never above the designated maximum
    (:func:`courses.credits.claimed_credits`). The claim, its :class:`TranscriptEntry`
    rows and the completion (whose receiver records the pending certificate) are one
    transaction, on the locked enrolment: two racing claims make one claim and one
    certificate.

    Raises :class:`CreditClaimError`, writing nothing, when the enrolment is not the
    learner's, is not on the accredited sequence, is withdrawn, has already claimed; when
    a step before the claim (evaluation, post-test, modules) is not done; when the
    learner has not attested personal participation, or the time is not a whole number of
    minutes between 1 and :data:`CLAIM_MAX_MINUTES`.
    """
    if not attested:
        raise CreditClaimError(
            "Confirm that you took part in this activity personally before claiming credit."
        )
    if isinstance(minutes_spent, bool) or not isinstance(minutes_spent, int):
        raise CreditClaimError("Enter the time you spent in hours and minutes.")
    if not 1 <= minutes_spent <= CLAIM_MAX_MINUTES:
        raise CreditClaimError(
            f"Enter the time you actually spent, between 1 minute and {CLAIM_MAX_MINUTES // 60} hours."
        )
    already = CreditClaimError("You have already claimed credit for this course.")
    with transaction.atomic():
        enrolment = enrolment_lock(enrolment_id=enrolment.pk)
        if enrolment.learner_id != learner.pk:
            raise CreditClaimError("You can only claim credit for your own enrolment.")
        if not enrolment.accredited:
            raise CreditClaimError("This enrolment carries no accredited credit to claim.")
        if CreditClaim.objects.filter(enrolment=enrolment).exists():
            raise already
        if enrolment.status != EnrolmentStatus.ACTIVE:
            raise CreditClaimError("Only a current enrolment can claim credit.")
        refusal = enrolments_progress([enrolment])[enrolment.pk].step_refusal("claim", "claim credit")
        if refusal:
            raise CreditClaimError(refusal)
        designations = designated_credits(course_id=enrolment.run.course_id)
        if not designations:
            raise CreditClaimError("This course designates no credit to claim.")
        now = timezone.now()
        claim = insert_or(
            lambda: CreditClaim.objects.create(
                enrolment=enrolment, minutes_spent=minutes_spent, attested_personally=True, claimed_at=now
            ),
            on_conflict=already,
        )
        course = enrolment.run.course
        TranscriptEntry.objects.bulk_create(
            [
                TranscriptEntry(
                    claim=claim,
                    learner_id=enrolment.learner_id,
                    credit_type=d.credit_type,
                    credit_type_name=d.credit_type.name,
                    awarding_body=d.credit_type.awarding_body,
                    accreditation_statement=d.credit_type.accreditation_statement,
                    course_title=course.title,
                    provider=settings.LMS_ACADEMY_NAME,
                    run_label=enrolment.run.label,
                    completed_on=timezone.localdate(now),
                    designated_max=d.max_credits,
                    credits=claimed_credits(
                        minutes=minutes_spent,
                        minutes_per_credit=d.credit_type.minutes_per_credit,
                        step=d.credit_type.step,
                        maximum=d.max_credits,
                    ),
                )
                for d in designations
            ]
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
        if not enrolment_evaluate_completion(enrolment=enrolment, already_locked=True):
            # Only the claim was left (checked above); anything else is a rule changing under us.
            raise CreditClaimError("Your course is not yet complete; nothing was claimed. Please try again.")
    return claim


EXTERNAL_CREDITS_MAX = Decimal("100")


def external_credit_add(
    *,
    learner,
    activity: str,
    provider: str,
    completed_on: datetime.date,
    credit_type,
    credits: Decimal,
    evidence,
) -> ExternalCredit:
    """Record credit ``learner`` earned elsewhere, with its evidence file, on their transcript.

    The evidence is checked by its content (:func:`lms.evidence.evidence_check`: PDF,
    PNG or JPEG, size-limited, no active PDF content) and stored privately. Raises
    :class:`ExternalCreditError` — storing no file and writing no row — for credits that
    are not positive, above :data:`EXTERNAL_CREDITS_MAX` or off the type's step, a date in
    the future, or evidence refused.
    """
    from lms.evidence import EvidenceError, evidence_check

    if isinstance(credits, float) or not isinstance(credits, Decimal):
        raise ExternalCreditError("Enter the credits as a number, e.g. 2.5.")
    if not activity.strip() or not provider.strip():
        raise ExternalCreditError("Give the activity and its provider.")
    if not Decimal(0) < credits <= EXTERNAL_CREDITS_MAX:
        raise ExternalCreditError(f"Enter between 0.25 and {EXTERNAL_CREDITS_MAX} credits.")
    if not is_on_step(credits, credit_type.step):
        raise ExternalCreditError(
            f"{credit_type.name} is counted in steps of {credit_type.step}; {credits} is not one."
        )
    if completed_on > timezone.localdate():
        raise ExternalCreditError("The completion date cannot be in the future.")
    if evidence is None:
        raise ExternalCreditError("Attach the certificate you received as evidence.")
    try:
        checked, data = evidence_check(evidence)
    except EvidenceError as error:
        raise ExternalCreditError(error.message) from None
    from django.core.files.base import ContentFile

    with transaction.atomic():
        credit = ExternalCredit(
            learner=learner,
            activity=activity.strip(),
            provider=provider.strip(),
            completed_on=completed_on,
            credit_type=credit_type,
            credits=credits,
            evidence_kind=checked.kind,
            evidence_sha256=checked.sha256,
        )
        credit.evidence.save("evidence", ContentFile(data), save=False)
        # If the row cannot be written, the file just stored must not stay behind.
        try:
            credit.save()
        except Exception:
            credit.evidence.storage.delete(credit.evidence.name)
            raise
    return credit


def external_credits_erase_evidence(*, learner) -> int:
    """Delete the evidence files of ``learner``'s external credits, keeping the credits' entries.

    For an account being deleted (:data:`lms.signals.account_anonymised`): the entry
    (activity, provider, date, type, credits) stays with the participation record, and so
    does the SHA-256 of the file it was reported with; the file itself, personal data
    beyond that record, is deleted from private storage once the transaction commits.
    Returns how many files go.
    """
    with transaction.atomic():
        credits = list(
            ExternalCredit.objects.select_for_update().filter(learner=learner).exclude(evidence="")
        )
        names = [(credit.evidence.storage, credit.evidence.name) for credit in credits]
        ExternalCredit.objects.filter(pk__in=[c.pk for c in credits]).update(evidence="")

        def delete_files():
            for storage, name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return len(names)
