"""Celery tasks of courses: build an export, purge expired ones. Each calls one service and is safe twice."""

from celery import shared_task

from courses.exports import BUILD_TASK, run_export_build, run_exports_purge_expired


@shared_task(name=BUILD_TASK, acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3500)
def build_export(export_id: int) -> None:
    # Long exports are what the task exists for: its own time limit, not the default two minutes.
    run_export_build(export_id=export_id)


@shared_task(name="courses.purge_expired_exports", ignore_result=True)
def purge_expired_exports() -> int:
    return run_exports_purge_expired()
