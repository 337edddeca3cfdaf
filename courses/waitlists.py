"""Waitlists of full runs: join, leave, the seat a withdrawal frees offered to the first in line.

Writes:

* :func:`waitlist_join` — a doctor queues for a run that is full (not when seats are free,
  not twice, not when already enrolled in it);
* :func:`waitlist_leave` — a doctor leaves the queue; an offer they held passes on;
* :func:`run_seat_release` — called by :func:`courses.services.enrolment_withdraw` in the
  withdrawal's transaction: the freed seat is offered to the first waiting doctor (it stays
  counted in ``seats_taken``, held for them) or, with nobody waiting, freed;
* :func:`waitlist_offer_accept` — the doctor takes the held seat and is enrolled;
* :func:`waitlist_offers_sweep` — Celery beat: offers past their expiry pass to the next in
  line, and seats free while doctors wait (capacity raised) are offered.

**No overfilling, on the database's terms.** Every change to a run's queue or held seats
first locks the run's row (``SELECT … FOR UPDATE``), so withdrawals, acceptances,
expiries and joins of one run are serialised; an enrolment from outside the queue takes a
seat only by the conditional ``UPDATE … WHERE seats_taken < capacity`` and a held seat is
inside ``seats_taken``, so nobody can take the seat an offer holds, and the check
constraint ``seats_taken <= capacity`` stands behind it all. Lock order: learner's user
row, enrolment, then the run, then waitlist entries.

The offer e-mail goes through the outbox (task ``courses.send_waitlist_offer``), sent at
most once per offer (:func:`lms.outbox.email_claim`). How long an offer lasts is
``LMS_WAITLIST_OFFER_HOURS`` (48 hours by default).

Reads: :func:`waitlist_position`, :func:`waitlist_entries_of` (the doctor's open entries
with their positions), :func:`waitlist_offer_refusal`.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.log_actions import log

from courses.exceptions import WaitlistError
from courses.models import (
    OPEN_WAITLIST_STATUSES,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from lms.db import insert_or, reference_index_add_created
from lms.dispatch import task_send_on_commit
from lms.selectors import doctor_profile_is_complete

logger = logging.getLogger(__name__)

OFFER_EMAIL_TASK = "courses.send_waitlist_offer"
SWEEP_TASK = "courses.sweep_waitlist_offers"


def offer_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "LMS_WAITLIST_OFFER_HOURS", 48))


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _lock_run(run_id: int) -> CourseRun:
    return CourseRun.objects.select_for_update(of=("self",)).select_related("course").get(pk=run_id)


def _offer(entry: WaitlistEntry, *, now: datetime.datetime) -> None:
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        status=WaitlistStatus.OFFERED, offered_at=now, offer_expires_at=now + offer_lifetime()
    )
    task_send_on_commit(OFFER_EMAIL_TASK, entry.pk)


def _first_waiting(run: CourseRun):
    return (
        WaitlistEntry.objects.select_for_update()
        .filter(run=run, status=WaitlistStatus.WAITING)
        .order_by("joined_at", "id")
        .first()
    )


def run_seat_release(*, run_id: int, now: datetime.datetime | None = None) -> WaitlistEntry | None:
    """Hand on one seat of ``run_id`` that its holder gave up: offer it to the first waiting
    doctor (the seat stays held) or free it. Returns the entry offered the seat, if any.

    Must run inside the transaction that gave the seat up (a withdrawal, an offer declined
    or expired). A run that has ended offers nothing.
    """
    now = now or timezone.now()
    with transaction.atomic(savepoint=False):
        run = _lock_run(run_id)
        entry = None if run.has_ended(timezone.localdate(now)) else _first_waiting(run)
        if entry is not None:
            _offer(entry, now=now)
            return entry
        CourseRun.objects.filter(pk=run_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)
        return None


def waitlist_join(*, learner, run: CourseRun, now: datetime.datetime | None = None) -> WaitlistEntry:
    """Put ``learner`` at the end of ``run``'s waitlist.

    Raises :class:`WaitlistError`, writing nothing, when the doctor's profile is
    incomplete, the course is not published, enrolment is not open, seats are free (enrol
    instead), the doctor is already enrolled in the run or already on its waitlist.
    """
    now = now or timezone.now()
    if not doctor_profile_is_complete(user=learner):
        raise WaitlistError(
            "Complete your doctor's profile (name for the certificate, council and "
            "registration number) before you join a waitlist."
        )
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=learner.pk).values_list("pk").get()
        run = _lock_run(run.pk)
        if not run.course.live:
            raise WaitlistError("This course is not open for enrolment.")
        if not run.is_enrolment_open(now):
            raise WaitlistError(f"Enrolment for the {run.label} run is not open, so it has no waitlist.")
        if (
            Enrolment.objects.filter(learner=learner, run=run)
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .exists()
        ):
            raise WaitlistError(f"You are already enrolled in the {run.label} run.")
        existing = WaitlistEntry.objects.filter(
            learner=learner, run=run, status__in=OPEN_WAITLIST_STATUSES
        ).first()
        if existing is not None:
            raise WaitlistError(
                f"You are already on the waitlist of the {run.label} run "
                f"(number {waitlist_position(entry=existing)} in line)."
            )
        if run.seats_left > 0:
            raise WaitlistError(f"The {run.label} run has seats free: enrol instead of joining its waitlist.")
        return _waitlist_add(learner=learner, run=run, now=now)


def _waitlist_add(*, learner, run: CourseRun, now: datetime.datetime) -> WaitlistEntry:
    return insert_or(
        lambda: WaitlistEntry.objects.create(run=run, learner=learner, joined_at=now),
        on_conflict=WaitlistError(f"You are already on the waitlist of the {run.label} run."),
    )


def waitlist_add_by_administrator(*, learner, run: CourseRun, now: datetime.datetime | None = None) -> bool:
    """Queue ``learner`` for ``run`` as an administrator does (a bulk enrolment past the last
    seat, the demo); ``False`` if they already were. No profile or window check: the
    administrator decided.

    Must run inside the caller's transaction, which locks the run first.
    """
    now = now or timezone.now()
    if WaitlistEntry.objects.filter(learner=learner, run=run, status__in=OPEN_WAITLIST_STATUSES).exists():
        return False
    with transaction.atomic():
        _waitlist_add(learner=learner, run=run, now=now)
    return True


def waitlist_close_for_enrolled(*, learner, run: CourseRun, now: datetime.datetime) -> None:
    """Close ``learner``'s open entry on ``run``'s waitlist once they are enrolled in it another way.

    Called by :func:`courses.services.enrolment_create` in its transaction. A seat the
    entry held passes to the next in line.
    """
    entries = list(
        WaitlistEntry.objects.filter(learner=learner, run=run, status__in=OPEN_WAITLIST_STATUSES).values_list(
            "pk", "status"
        )
    )
    for entry_id, status in entries:
        WaitlistEntry.objects.filter(pk=entry_id).update(status=WaitlistStatus.ENROLLED, closed_at=now)
        if status == WaitlistStatus.OFFERED:
            run_seat_release(run_id=run.pk, now=now)


def waitlists_close_for_enrolled(*, learner_ids, run: CourseRun, now: datetime.datetime) -> None:
    """:func:`waitlist_close_for_enrolled` for many learners just enrolled in ``run``, in two queries
    (and one hand-on per seat their entries held)."""
    entries = list(
        WaitlistEntry.objects.filter(
            learner_id__in=list(learner_ids), run=run, status__in=OPEN_WAITLIST_STATUSES
        ).values_list("pk", "status")
    )
    if not entries:
        return
    WaitlistEntry.objects.filter(pk__in=[pk for pk, _ in entries]).update(
        status=WaitlistStatus.ENROLLED, closed_at=now
    )
    for _, status in entries:
        if status == WaitlistStatus.OFFERED:
            run_seat_release(run_id=run.pk, now=now)


def waitlist_add_many_by_administrator(
    *, learner_ids, run: CourseRun, now: datetime.datetime | None = None
) -> set[int]:
    """:func:`waitlist_add_by_administrator` for many learners, queued in the order given, in a
    constant number of queries; the ids of those added (the others already were).

    Must run inside the caller's transaction, which locks the learners' and the run's rows first.
    """
    now = now or timezone.now()
    learner_ids = list(dict.fromkeys(learner_ids))
    waiting = set(
        WaitlistEntry.objects.filter(
            learner_id__in=learner_ids, run=run, status__in=OPEN_WAITLIST_STATUSES
        ).values_list("learner_id", flat=True)
    )
    adding = [pk for pk in learner_ids if pk not in waiting]
    if adding:
        with transaction.atomic():
            created = WaitlistEntry.objects.bulk_create(
                [WaitlistEntry(run=run, learner_id=pk, joined_at=now) for pk in adding]
            )
            reference_index_add_created(created)
    return set(adding)


def waitlist_leave(
    *, entry: WaitlistEntry, learner, by=None, now: datetime.datetime | None = None
) -> WaitlistEntry:
    """Take ``entry`` off its waitlist; a seat it had been offered passes to the next in line.

    ``learner`` must own the entry unless ``by`` (an administrator) removes it. Raises
    :class:`WaitlistError` for someone else's entry or one no longer on the list.
    """
    now = now or timezone.now()
    with transaction.atomic():
        run = _lock_run(entry.run_id)
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if by is None and entry.learner_id != getattr(learner, "pk", None):
            raise WaitlistError("This is not your place on the waitlist.")
        if not entry.is_open:
            raise WaitlistError(f"You are no longer on the waitlist of the {run.label} run.")
        held_seat = entry.status == WaitlistStatus.OFFERED
        WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.LEFT, closed_at=now)
        if held_seat:
            run_seat_release(run_id=run.pk, now=now)
        if by is not None:
            log(instance=entry, action="courses.waitlist_remove", user=by)
        entry.refresh_from_db()
        return entry


def waitlist_offer_accept(*, entry_id: int, learner, now: datetime.datetime | None = None) -> Enrolment:
    """Enrol ``learner`` in the seat their waitlist offer holds.

    Raises :class:`WaitlistError`, changing nothing, for an unknown entry or someone
    else's, an entry that holds no offer (never offered, already accepted, left), or an
    offer past its expiry; and the enrolment's own refusals
    (:class:`courses.exceptions.EnrolmentError`: an incomplete profile, already enrolled
    in another run of the course).
    """
    from courses.services import enrolment_create

    now = now or timezone.now()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=learner.pk).values_list("pk").first()
        entry = WaitlistEntry.objects.select_related("run").filter(pk=entry_id).first()
        if entry is None or entry.learner_id != learner.pk:
            raise WaitlistError("This seat was offered to another doctor; it is not yours to accept.")
        run = _lock_run(entry.run_id)
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if refusal := waitlist_offer_refusal(entry=entry, now=now):
            raise WaitlistError(refusal)
        enrolment = enrolment_create(learner=learner, run=run, now=now, ignore_window=True, seat_held=True)
        WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.ENROLLED, closed_at=now)
        return enrolment


def waitlist_offers_sweep(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Pass on the offers past their expiry, and offer seats free while doctors wait.

    Each expired offer is its own transaction on the locked run, so a doctor accepting at
    the same instant either wins (their acceptance commits first and the sweep finds no
    offer) or is told the offer expired. Safe to run twice and concurrently. Returns how
    many offers were made.
    """
    now = now or timezone.now()
    offered = 0
    expired = list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at")
        .values_list("pk", "run_id")[:limit]
    )
    for entry_id, run_id in expired:
        with transaction.atomic():
            _lock_run(run_id)
            if WaitlistEntry.objects.filter(
                pk=entry_id, status=WaitlistStatus.OFFERED, offer_expires_at__lte=now
            ).update(status=WaitlistStatus.EXPIRED, closed_at=now):
                offered += run_seat_release(run_id=run_id, now=now) is not None
    # Seats free while doctors wait: capacity raised, or a seat freed when nobody was waiting.
    today = timezone.localdate(now)
    waiting_runs = (
        CourseRun.objects.filter(
            waitlist__status=WaitlistStatus.WAITING, seats_taken__lt=F("capacity"), ends_on__gte=today
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for run_id in list(waiting_runs[:limit]):
        with transaction.atomic():
            run = _lock_run(run_id)
            for _ in range(run.seats_left):
                entry = _first_waiting(run)
                if entry is None:
                    break
                CourseRun.objects.filter(pk=run.pk, seats_taken__lt=F("capacity")).update(
                    seats_taken=F("seats_taken") + 1
                )
                _offer(entry, now=now)
                offered += 1
    return offered


def waitlist_offer_email(*, entry_id: int) -> bool:
    """E-mail the doctor the seat offered to them, with the link to accept it, at most once per offer.

    Sends nothing for an entry no longer holding an offer, or to a doctor who turned these
    e-mails off (lms.models.NotificationKind.WAITLIST_OFFER); the e-mail carries the one-click
    unsubscribe link and headers (lms.mail). Returns whether it sent now;
    a mail server's refusal releases the claim and raises, so the task's retry sends it.
    """
    from lms.outbox import email_claim, email_release

    entry = (
        WaitlistEntry.objects.select_related("run", "run__course", "learner", "learner__doctor_profile")
        .filter(pk=entry_id, status=WaitlistStatus.OFFERED)
        .first()
    )
    if entry is None:
        return False
    from lms.mail import notification_message
    from lms.models import NotificationKind
    from lms.selectors import notification_wanted

    # A doctor who turned these e-mails off still finds the offer on their dashboard.
    if not notification_wanted(user_id=entry.learner_id, kind=NotificationKind.WAITLIST_OFFER):
        return False
    key = f"waitlist-offer:{entry.pk}:{entry.offered_at.timestamp():.0f}"
    if not email_claim(key=key):
        return False
    context = {
        "entry": entry,
        "run": entry.run,
        "learner": entry.learner,
        "accept_url": f"{settings.LMS_BASE_URL}{reverse('waitlist_offer', args=[entry.pk])}",
        "expires": _when(entry.offer_expires_at),
        "academy_name": settings.LMS_ACADEMY_NAME,
    }
    try:
        notification_message(
            user_id=entry.learner_id,
            email=entry.learner.email,
            kind=NotificationKind.WAITLIST_OFFER,
            subject=f"A seat is yours in {entry.run.course.title}, {entry.run.label} run",
            body=render_to_string("courses/email/waitlist_offer.txt", context),
        ).send()
    except Exception:
        email_release(key=key)
        raise
    return True


# --- Reads ----------------------------------------------------------------------------------


def waitlist_position(*, entry: WaitlistEntry) -> int:
    """Where ``entry`` stands in its run's queue (1 is next); an offered entry is 1."""
    if entry.status == WaitlistStatus.OFFERED:
        return 1
    ahead = (
        WaitlistEntry.objects.filter(
            run_id=entry.run_id, status__in=OPEN_WAITLIST_STATUSES, joined_at__lt=entry.joined_at
        ).count()
        + WaitlistEntry.objects.filter(
            run_id=entry.run_id, status__in=OPEN_WAITLIST_STATUSES, joined_at=entry.joined_at, pk__lt=entry.pk
        ).count()
    )
    return ahead + 1


def waitlist_entries_of(*, user, run_ids=None) -> dict[int, tuple[WaitlistEntry, int]]:
    """The doctor's open waitlist entries by run id, each with its position in line."""
    if not user.is_authenticated:
        return {}
    entries = WaitlistEntry.objects.filter(learner=user, status__in=OPEN_WAITLIST_STATUSES).select_related(
        "run", "run__course"
    )
    if run_ids is not None:
        entries = entries.filter(run_id__in=list(run_ids))
    return {entry.run_id: (entry, waitlist_position(entry=entry)) for entry in entries}


def waitlist_offer_refusal(*, entry: WaitlistEntry, now: datetime.datetime | None = None) -> str | None:
    """Why the seat offered to ``entry`` cannot be accepted now, or ``None``."""
    now = now or timezone.now()
    if entry.status == WaitlistStatus.ENROLLED:
        return "You have already accepted this seat: the course is on your dashboard."
    if entry.status == WaitlistStatus.EXPIRED or (
        entry.status == WaitlistStatus.OFFERED and entry.offer_expires_at <= now
    ):
        when = _when(entry.offer_expires_at) if entry.offer_expires_at else "earlier"
        return f"This offer expired on {when} and the seat has passed to the next doctor in line."
    if entry.status != WaitlistStatus.OFFERED:
        return "No seat is offered to you in this run (yet): you will get an e-mail when one is."
    return None
