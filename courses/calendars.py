"""Calendars (RFC 5545, built with the ``icalendar`` library): a course's runs, and a doctor's own feed.

* :func:`course_runs_calendar` — public: every run of a course still to come or in
  progress, as an all-day event from its first to its last day, and the moment its
  enrolment closes (a timed event in the academy's time zone).
* :func:`learner_calendar` — private (its address carries the doctor's revocable secret,
  :class:`lms.models.CalendarFeed`): for each run the doctor is enrolled in (not withdrawn),
  the run itself, its last day while it is not complete, and what other apps add through
  :func:`register_calendar_events` (``quizzes``: the required assessments still to pass by
  the run's last day, and the deadline of an attempt in progress).

Every event has a **stable UID** (``<what>-<id>@<host>``: the same run is the same event in
every download, so a calendar that subscribes updates it instead of adding a copy) and a
``DTSTAMP`` in UTC; timed events carry ``TZID`` with the matching ``VTIMEZONE``; dates are
``VALUE=DATE`` with an exclusive ``DTEND``, as RFC 5545 §3.6.1 requires. Building a
calendar runs a constant number of queries, whatever the number of runs or enrolments.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from courses.models import CoursePage, CourseRun, Enrolment, EnrolmentStatus

PRODID = "-//IPSC Pain Academy//Pain Academy LMS//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One event. ``start``/``end`` are both dates (all-day, ``end`` exclusive) or both aware
    datetimes; ``end`` may be ``None`` for a moment (a deadline)."""

    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None = None
    description: str = ""
    url: str = ""


#: key → ``provider(enrolments) -> [CalendarEvent]`` (constant queries for any number of enrolments)
_providers: dict[str, Callable[[Sequence[Enrolment]], list[CalendarEvent]]] = {}


def register_calendar_events(
    key: str, provider: Callable[[Sequence[Enrolment]], list[CalendarEvent]]
) -> None:
    """Add (or replace, by ``key``) events of another app to the doctors' private feeds."""
    _providers[key] = provider


def calendar_uid(what: str, pk: int | str) -> str:
    """The stable UID of ``what`` number ``pk`` (``run-12@academy.example.org``)."""
    host = urlsplit(settings.LMS_BASE_URL).hostname or "localhost"
    return f"{what}-{pk}@{host}"


def _absolute(url: str | None) -> str:
    if not url:
        return ""
    return f"{settings.LMS_BASE_URL}{url}" if url.startswith("/") else url


def _calendar(name: str, events: Sequence[CalendarEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    zone = ZoneInfo(settings.TIME_ZONE)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        start, end = item.start, item.end
        if isinstance(start, datetime.datetime):
            start = start.astimezone(zone).replace(microsecond=0)
            end = end.astimezone(zone).replace(microsecond=0) if end is not None else None
        event.add("dtstart", start)
        if end is not None:
            event.add("dtend", end)
        if isinstance(start, datetime.date) and not isinstance(start, datetime.datetime):
            event.add("transp", "TRANSPARENT")  # a course's days are not busy time
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _run_event(run: CourseRun, *, uid: str, course_url: str) -> CalendarEvent:
    return CalendarEvent(
        uid=uid,
        summary=f"{run.course.title} — {run.label} run",
        start=run.starts_on,
        end=run.ends_on + datetime.timedelta(days=1),
        description=(
            f"{run.course.title}, {run.label} run: study online at your own pace from "
            f"{run.starts_on:%d %B %Y} to {run.ends_on:%d %B %Y}."
        ),
        url=course_url,
    )


def course_runs_calendar(*, course: CoursePage, today: datetime.date | None = None) -> bytes:
    """The public ``.ics`` of a course's runs that have not ended (two queries)."""
    today = today or timezone.localdate()
    course_url = _absolute(course.get_url())
    events: list[CalendarEvent] = []
    for run in CourseRun.objects.filter(course=course, ends_on__gte=today).select_related("course"):
        events.append(_run_event(run, uid=calendar_uid("run", run.pk), course_url=course_url))
        if run.enrolment_closes_at >= timezone.now():
            events.append(
                CalendarEvent(
                    uid=calendar_uid("run-enrolment-closes", run.pk),
                    summary=f"Enrolment closes: {course.title} — {run.label} run",
                    start=run.enrolment_closes_at,
                    description=f"The last moment to enrol in the {run.label} run of {course.title}.",
                    url=course_url,
                )
            )
    return _calendar(f"{course.title} — runs", events)


def learner_calendar(*, user) -> bytes:
    """The doctor's private feed: their runs, last days and assessment deadlines (constant queries)."""
    enrolments = list(
        Enrolment.objects.filter(learner=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("run__course")
        .order_by("run__starts_on", "pk")
    )
    dashboard_url = f"{settings.LMS_BASE_URL}{reverse('dashboard')}"
    events: list[CalendarEvent] = []
    for enrolment in enrolments:
        run = enrolment.run
        course_url = _absolute(run.course.get_url())
        events.append(_run_event(run, uid=calendar_uid("enrolment", enrolment.pk), course_url=course_url))
        if enrolment.status == EnrolmentStatus.ACTIVE:
            events.append(
                CalendarEvent(
                    uid=calendar_uid("enrolment-last-day", enrolment.pk),
                    summary=f"Last day: {run.course.title} — {run.label} run",
                    start=run.ends_on,
                    end=run.ends_on + datetime.timedelta(days=1),
                    description="Finish the required steps by the end of this day to receive your certificate.",
                    url=dashboard_url,
                )
            )
    for provider in _providers.values():
        if enrolments:
            events.extend(provider(enrolments))
    return _calendar(f"{settings.LMS_ACADEMY_NAME} — my courses", events)
