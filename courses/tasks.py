"""Celery tasks of courses: exports, bulk enrolment, waitlist offers, reminders. Each calls one service and is safe twice."""

from celery import shared_task

from courses.bulk_enrolment import APPLY_TASK, bulk_enrolment_apply
from courses.exports import BUILD_TASK, run_export_build, run_exports_purge_expired
from courses.reminders import SEND_TASK, reminders_sweep
from courses.waitlists import OFFER_EMAIL_TASK, SWEEP_TASK, waitlist_offer_email, waitlist_offers_sweep


@shared_task(name=BUILD_TASK, acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3500)
def build_export(export_id: int) -> None:
    # Long exports are what the task exists for: its own time limit, not the default two minutes.
    run_export_build(export_id=export_id)


@shared_task(name="courses.purge_expired_exports", ignore_result=True)
def purge_expired_exports() -> int:
    return run_exports_purge_expired()


@shared_task(name=APPLY_TASK, acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3500)
def apply_bulk_enrolment(bulk_id: int) -> None:
    # A hospital's list of thousands of doctors takes longer than the default limit.
    bulk_enrolment_apply(bulk_id=bulk_id)


@shared_task(
    name=OFFER_EMAIL_TASK,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_waitlist_offer(entry_id: int) -> None:
    waitlist_offer_email(entry_id=entry_id)


@shared_task(name=SWEEP_TASK, ignore_result=True)
def sweep_waitlist_offers() -> int:
    return waitlist_offers_sweep()


@shared_task(name=SEND_TASK, acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700)
def send_reminders() -> int:
    # Celery beat runs it hourly; a second run (or a redelivery) records and sends nothing twice.
    return reminders_sweep().sent
