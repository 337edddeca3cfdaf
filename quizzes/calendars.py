"""What ``quizzes`` adds to a doctor's private calendar (:mod:`courses.calendars`): assessment deadlines.

* Each required assessment of an enrolment in progress that the doctor has not passed yet,
  due by the run's last day (a run closes on its last day, and the certificate needs it);
* the end of the time limit of an attempt in progress (a timed event).

Two queries (the courses' live quizzes, the enrolments' attempts), whatever the number of
enrolments.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from courses.api import CalendarEvent, EnrolmentStatus, calendar_uid
from quizzes.models import Attempt, AttemptState
from quizzes.selectors import live_quizzes


def assessment_deadlines(enrolments) -> list[CalendarEvent]:
    active = [e for e in enrolments if e.status == EnrolmentStatus.ACTIVE]
    if not active:
        return []
    required: dict[int, list] = {}
    for quiz in live_quizzes({e.run.course_id for e in active}):
        if quiz.required_for_completion:
            required.setdefault(quiz.course_id, []).append(quiz)
    attempts = list(
        Attempt.objects.filter(enrolment_id__in=[e.pk for e in active]).only(
            "pk", "enrolment_id", "quiz_id", "state", "deadline", "passed"
        )
    )
    passed = {(a.enrolment_id, a.quiz_id) for a in attempts if a.passed}
    titles = {quiz.pk: quiz.title for quizzes in required.values() for quiz in quizzes}
    dashboard_url = f"{settings.LMS_BASE_URL}{reverse('dashboard')}"
    events = []
    for enrolment in active:
        run = enrolment.run
        for quiz in required.get(run.course_id, []):
            if (enrolment.pk, quiz.pk) in passed:
                continue
            events.append(
                CalendarEvent(
                    uid=calendar_uid("assessment-due", f"{enrolment.pk}-{quiz.pk}"),
                    summary=f"Assessment due: {quiz.title} ({run.course.title})",
                    start=run.ends_on,
                    end=run.ends_on + datetime.timedelta(days=1),
                    description=(
                        f"Pass “{quiz.title}” by the end of {run.ends_on:%d %B %Y}, the last day of the "
                        f"{run.label} run: it is required for your certificate."
                    ),
                    url=dashboard_url,
                )
            )
    now = timezone.now()
    for attempt in attempts:
        if attempt.state == AttemptState.IN_PROGRESS and attempt.deadline and attempt.deadline > now:
            title = titles.get(attempt.quiz_id) or "your assessment"
            events.append(
                CalendarEvent(
                    uid=calendar_uid("attempt-deadline", attempt.pk),
                    summary=f"Time limit ends: {title}",
                    start=attempt.deadline,
                    description="Answers saved after this moment are not counted.",
                    url=dashboard_url,
                )
            )
    return events
