"""Celery tasks of courses: build an export, purge expired ones, send reminders. Each calls one service and is safe twice."""

from celery import shared_task

from courses.exports import BUILD_TASK, run_export_build, run_exports_purge_expired
from courses.reminders import SEND_TASK, reminders_sweep


@shared_task(name=BUILD_TASK, acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3500)
def build_export(export_id: int) -> None:
    # Long exports are what the task exists for: its own time limit, not the default two minutes.
    run_export_build(export_id=export_id)


@shared_task(name="courses.purge_expired_exports", ignore_result=True)
def purge_expired_exports() -> int:
    return run_exports_purge_expired()


@shared_task(name=SEND_TASK, acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700)
def send_reminders() -> int:
    # Celery beat runs it hourly; a second run (or a redelivery) records and sends nothing twice.
    return reminders_sweep().sent
