"""Reminders by e-mail, sent by a Celery beat sweep: at most once per enrolment and kind.

The kinds (each a :class:`~lms.models.NotificationKind` a doctor can turn off):

* ``run_starting`` — the run starts tomorrow (enrolled, not withdrawn);
* ``inactive`` — the run is open, the learner enrolled and the run began more than
  ``LMS_REMINDER_INACTIVE_DAYS`` days ago, and there has been no activity of any app
  since then (the dashboard's own rule, :func:`courses.reports.activity_since`);
* ``run_closing`` — the run closes within ``LMS_REMINDER_CLOSING_DAYS`` days and the
  enrolment is not complete (required steps are left);
* ``certificate_ready`` — registered by ``certificates`` (:func:`register_reminder_kind`):
  an issued certificate whose own e-mail never went out.

**At most once.** :func:`reminders_sweep` first *records* every reminder due — one
:class:`~courses.models.Reminder` row per enrolment and kind, a unique constraint, rows
inserted with ``ON CONFLICT DO NOTHING`` and committed — and only then sends the ones
still pending: it claims them (``pending → sent``) under ``FOR UPDATE SKIP LOCKED`` in a
transaction that commits before the first e-mail leaves, so two sweeps running at once,
a redelivered task or a sweep run twice send nothing twice. A send the mail server
refuses is put back to pending and tried by the next sweeps for
``LMS_REMINDER_SEND_WITHIN_HOURS``; then it is dropped (a stale "starts tomorrow" would be
wrong). A doctor who turned the kind off gets no row, and a row still pending when they
turn it off is skipped.

**Constant queries.** Each kind's due enrolments are one SQL condition; recording is one
select and one bulk insert per kind, sending one locked select (with the learner, their
profile joined; the runs and their courses in one more), the kinds' ``claim``/``context`` hooks (a
constant number each) and one update, whatever the number of enrolments — 10 or 10,000.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from courses.completion import ReadCache
from courses.models import CourseRun, Enrolment, EnrolmentStatus, Reminder, ReminderStatus
from lms.mail import notification_message
from lms.models import NotificationKind, NotificationOptOut
from lms.selectors import users_opted_out

logger = logging.getLogger(__name__)

SEND_TASK = "courses.send_reminders"


@dataclass(frozen=True)
class ReminderKind:
    """One kind of reminder.

    ``due(now)`` — a ``Q`` on ``Enrolment``: the enrolments it is due for now;
    ``subject(enrolment)`` — the e-mail's subject; ``template`` — its text template
    (given ``enrolment``, ``learner``, ``name``, ``run``, ``course``, ``dashboard_url``,
    ``course_url``, ``academy_name``, the settings' ``days`` and whatever ``context``
    adds); ``context(enrolments)`` — ``{enrolment id: extra context}``, constant queries;
    ``claim(enrolment_ids, now)`` — inside the sending transaction, the ids that may
    still be sent (another path may have sent the same news: the certificate's e-mail);
    ``release(enrolment_ids)`` — undo the claim of those the mail server refused.
    """

    kind: str
    due: Callable[[datetime.datetime], Q]
    subject: Callable[[Enrolment], str]
    template: str
    context: Callable[[Sequence[Enrolment]], Mapping[int, dict]] | None = None
    claim: Callable[[Sequence[int], datetime.datetime], set[int]] | None = None
    release: Callable[[Sequence[int]], None] | None = None


_kinds: dict[str, ReminderKind] = {}


def register_reminder_kind(kind: ReminderKind) -> None:
    """Add (or replace, by ``kind.kind``) a kind of reminder the sweep sends."""
    NotificationKind(kind.kind)  # every reminder is a kind the doctor can turn off
    _kinds[kind.kind] = kind


def reminder_kinds() -> dict[str, ReminderKind]:
    return dict(_kinds)


# --- courses' own kinds ---------------------------------------------------------------------


def _today(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now)


def run_starting_due(now: datetime.datetime) -> Q:
    return Q(status=EnrolmentStatus.ACTIVE, run__starts_on=_today(now) + datetime.timedelta(days=1))


def inactive_due(now: datetime.datetime) -> Q:
    from courses.reports import ReportScope, activity_since

    today = _today(now)
    since = now - datetime.timedelta(days=settings.LMS_REMINDER_INACTIVE_DAYS)
    open_runs = Q(
        status=EnrolmentStatus.ACTIVE,
        run__starts_on__lte=timezone.localdate(since),
        run__ends_on__gte=today,
        enrolled_at__lte=since,
    )
    scope = ReportScope(
        runs=(), enrolments=Enrolment.objects.filter(open_runs).order_by().values("pk"), reads=ReadCache()
    )
    return open_runs & ~activity_since(scope, since)


def run_closing_due(now: datetime.datetime) -> Q:
    today = _today(now)
    return Q(
        status=EnrolmentStatus.ACTIVE,
        run__starts_on__lte=today,
        run__ends_on__gte=today,
        run__ends_on__lte=today + datetime.timedelta(days=settings.LMS_REMINDER_CLOSING_DAYS),
    )


#: courses' own kinds: (kind, when it is due, subject, template under ``courses/email/``).
_COURSE_KINDS = (
    (
        NotificationKind.RUN_STARTING,
        run_starting_due,
        lambda e: f"{e.run.course.title} starts tomorrow",
        "reminder_run_starting.txt",
    ),
    (
        NotificationKind.INACTIVE,
        inactive_due,
        lambda e: f"Pick up where you left off in {e.run.course.title}",
        "reminder_inactive.txt",
    ),
    (
        NotificationKind.RUN_CLOSING,
        run_closing_due,
        lambda e: f"{e.run.course.title} closes on {e.run.ends_on:%d %B}: steps left to finish",
        "reminder_run_closing.txt",
    ),
)
for _kind, _due, _subject, _template in _COURSE_KINDS:
    register_reminder_kind(
        ReminderKind(kind=_kind, due=_due, subject=_subject, template=f"courses/email/{_template}")
    )
del _kind, _due, _subject, _template


# --- The sweep ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSweep:
    recorded: int
    sent: int
    failed: int
    skipped: int


def reminders_record(*, now: datetime.datetime | None = None) -> int:
    """Record (and commit) a pending reminder for every enrolment and kind now due; how many were new.

    Enrolments that already have one of that kind, and doctors who turned it off, get none.
    """
    now = now or timezone.now()
    recorded = 0
    for kind in _kinds.values():
        due = list(
            Enrolment.objects.filter(kind.due(now))
            .exclude(learner__in=users_opted_out(kind=kind.kind))
            .exclude(pk__in=Reminder.objects.filter(kind=kind.kind).values("enrolment"))
            .order_by()
            .values_list("pk", flat=True)
        )
        if due:
            # ignore_conflicts: a sweep running beside this one may record the same rows.
            Reminder.objects.bulk_create(
                [Reminder(enrolment_id=pk, kind=kind.kind, created_at=now) for pk in due],
                ignore_conflicts=True,
            )
            recorded += len(due)
    return recorded


def _claim_pending(now: datetime.datetime, limit: int) -> tuple[list[Reminder], int]:
    """Lock the pending reminders, mark them sent (or skipped) and commit; the ones to send now."""
    oldest = now - datetime.timedelta(hours=settings.LMS_REMINDER_SEND_WITHIN_HOURS)
    opted_out = NotificationOptOut.objects.filter(user=OuterRef("enrolment__learner"), kind=OuterRef("kind"))
    with transaction.atomic():
        Reminder.objects.filter(status=ReminderStatus.PENDING, created_at__lt=oldest).update(
            status=ReminderStatus.SKIPPED
        )
        pending = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=ReminderStatus.PENDING, kind__in=list(_kinds))
            .annotate(opted_out=Exists(opted_out))
            .select_related("enrolment__learner__doctor_profile")
            .order_by("pk")[:limit]
        )
        # A sweep's thousands of reminders share a few runs: each run and course is read
        # once, not joined (and built as a page object) once per reminder.
        runs = CourseRun.objects.select_related("course").in_bulk({r.enrolment.run_id for r in pending})
        for reminder in pending:
            reminder.enrolment.run = runs[reminder.enrolment.run_id]
        sending = [r for r in pending if not r.opted_out]
        for key, kind in _kinds.items():
            if kind.claim is None:
                continue
            of_kind = [r for r in sending if r.kind == key]
            if of_kind:
                allowed = kind.claim([r.enrolment_id for r in of_kind], now)
                sending = [r for r in sending if r.kind != key or r.enrolment_id in allowed]
        sent_ids = {r.pk for r in sending}
        skipped = [r.pk for r in pending if r.pk not in sent_ids]
        if sent_ids:
            Reminder.objects.filter(pk__in=sent_ids).update(status=ReminderStatus.SENT, sent_at=now)
        if skipped:
            Reminder.objects.filter(pk__in=skipped).update(status=ReminderStatus.SKIPPED)
    return sending, len(skipped)


def _messages(reminders: Sequence[Reminder], connection) -> list:
    enrolments = [r.enrolment for r in reminders]
    extra: dict[tuple[str, int], dict] = {}
    for key, kind in _kinds.items():
        of_kind = [r.enrolment for r in reminders if r.kind == key]
        if kind.context is not None and of_kind:
            for enrolment_id, context in kind.context(of_kind).items():
                extra[(key, enrolment_id)] = context
    dashboard_url = f"{settings.LMS_BASE_URL}{reverse('dashboard')}"
    course_urls: dict[int, str] = {}
    days = {
        "inactive_days": settings.LMS_REMINDER_INACTIVE_DAYS,
        "closing_days": settings.LMS_REMINDER_CLOSING_DAYS,
    }
    templates = {key: get_template(kind.template) for key, kind in _kinds.items()}
    messages = []
    for reminder, enrolment in zip(reminders, enrolments, strict=True):
        kind = _kinds[reminder.kind]
        course = enrolment.run.course
        if course.pk not in course_urls:
            url = course.get_url() or reverse("dashboard")  # relative with one site; Wagtail caches the roots
            course_urls[course.pk] = f"{settings.LMS_BASE_URL}{url}" if url.startswith("/") else url
        learner = enrolment.learner
        context = {
            "enrolment": enrolment,
            "learner": learner,
            "name": learner.display_name,
            "run": enrolment.run,
            "course": course,
            "dashboard_url": dashboard_url,
            "course_url": course_urls[course.pk],
            "academy_name": settings.LMS_ACADEMY_NAME,
            **days,
            **extra.get((reminder.kind, enrolment.pk), {}),
        }
        messages.append(
            (
                reminder,
                notification_message(
                    user_id=learner.pk,
                    email=learner.email,
                    kind=reminder.kind,
                    subject=kind.subject(enrolment),
                    body=templates[reminder.kind].render(context),
                    connection=connection,
                ),
            )
        )
    return messages


def reminders_send(*, now: datetime.datetime | None = None, limit: int = 20_000) -> tuple[int, int, int]:
    """Send the pending reminders (each claimed and committed first); ``(sent, failed, skipped)``.

    Those the mail server refuses go back to pending for the next sweep, and their kind's
    claim is released.
    """
    now = now or timezone.now()
    reminders, skipped = _claim_pending(now, limit)
    if not reminders:
        return 0, 0, skipped
    failed: list[Reminder] = []
    connection = get_connection()
    try:
        connection.open()
        for reminder, message in _messages(reminders, connection):
            try:
                message.send()
            except Exception:  # noqa: BLE001 - one refused address must not stop the others
                logger.warning("Reminder %s could not be sent", reminder.pk, exc_info=True)
                failed.append(reminder)
    finally:
        connection.close()
    if failed:
        Reminder.objects.filter(pk__in=[r.pk for r in failed]).update(
            status=ReminderStatus.PENDING, sent_at=None
        )
        for key, kind in _kinds.items():
            of_kind = [r.enrolment_id for r in failed if r.kind == key]
            if kind.release is not None and of_kind:
                kind.release(of_kind)
    return len(reminders) - len(failed), len(failed), skipped


def reminders_sweep(*, now: datetime.datetime | None = None) -> ReminderSweep:
    """Record every reminder now due, then send the pending ones (the beat task's one call).

    Safe to run twice, or in two workers at once: nothing is recorded or sent twice.
    """
    now = now or timezone.now()
    recorded = reminders_record(now=now)
    sent, failed, skipped = reminders_send(now=now)
    if recorded or sent or failed:
        logger.info("Reminders: %d recorded, %d sent, %d failed, %d skipped", recorded, sent, failed, skipped)
    return ReminderSweep(recorded=recorded, sent=sent, failed=failed, skipped=skipped)
