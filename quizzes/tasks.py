"""Periodic work for quizzes."""

from celery import shared_task

from quizzes.services import attempts_close_overdue


@shared_task(name="quizzes.close_overdue_attempts", ignore_result=True)
def close_overdue_attempts() -> int:
    """Grade timed attempts abandoned after their deadline, so completion never waits on a learner's return."""
    return attempts_close_overdue()
