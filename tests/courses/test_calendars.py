"""Calendars: a course's public .ics of runs and a doctor's private feed, valid RFC 5545 read back."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from courses.models import EnrolmentStatus
from lms.services import calendar_feed_regenerate, calendar_feed_revoke
from quizzes.models import Attempt, AttemptState
from tests.courses.factories import CourseRunFactory, EnrolmentFactory
from tests.factories import learner
from tests.quizzes.factories import make_quiz
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db

HOST = urlsplit(settings.LMS_BASE_URL).hostname


def today():
    return timezone.localdate()


def parse(response) -> Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # RFC 5545 §3.1 folding
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event, required
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert event.to_ical().decode().count("DTSTAMP:") == 1 and "DTSTAMP:" in event.to_ical().decode()
        assert event.to_ical().decode().split("DTSTAMP:")[1][:16].endswith("Z")
    return calendar


def events(calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_course_page_offers_the_ics_of_its_runs(client):
    run = CourseRunFactory(
        starts_on=today() + datetime.timedelta(days=5), ends_on=today() + datetime.timedelta(days=34)
    )
    later = CourseRunFactory(
        course=run.course,
        starts_on=run.starts_on + datetime.timedelta(days=40),
        ends_on=run.ends_on + datetime.timedelta(days=40),
    )
    CourseRunFactory(
        course=run.course,
        starts_on=today() - datetime.timedelta(days=60),
        ends_on=today() - datetime.timedelta(days=31),
    )
    page = client.get(run.course.url)
    url = reverse("course_calendar", args=[run.course.pk])
    assert f'href="{url}"' in page.content.decode()

    first = parse(client.get(url))
    found = events(first)
    assert set(found) == {
        f"run-{run.pk}@{HOST}",
        f"run-enrolment-closes-{run.pk}@{HOST}",
        f"run-{later.pk}@{HOST}",
        f"run-enrolment-closes-{later.pk}@{HOST}",
    }  # the run that ended is not there
    span = found[f"run-{run.pk}@{HOST}"]
    assert span.decoded("DTSTART") == run.starts_on
    assert span.decoded("DTEND") == run.ends_on + datetime.timedelta(days=1)  # exclusive end of a date
    assert run.course.title in str(span["SUMMARY"]) and run.label in str(span["SUMMARY"])
    closes = found[f"run-enrolment-closes-{run.pk}@{HOST}"]
    assert closes["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert closes.decoded("DTSTART") == run.enrolment_closes_at.replace(microsecond=0)
    assert [str(tz["TZID"]) for tz in first.walk("VTIMEZONE")] == ["Asia/Kolkata"]
    # Downloaded again: the same events (a subscribed calendar updates them, adds no copies).
    assert set(events(parse(client.get(url)))) == set(found)


def test_an_unknown_course_has_no_calendar(client):
    assert client.get(reverse("course_calendar", args=[987654])).status_code == 404


def private_feed_doctor():
    doctor = learner()
    run = CourseRunFactory(
        starts_on=today() - datetime.timedelta(days=3), ends_on=today() + datetime.timedelta(days=26)
    )
    quiz = make_quiz(run.course, title="Final assessment", pass_mark_percent=Decimal("70"))
    enrolment = EnrolmentFactory(run=run, learner=doctor)
    return doctor, run, quiz, enrolment


def test_the_private_feed_has_the_doctors_runs_and_deadlines(client):
    doctor, run, quiz, enrolment = private_feed_doctor()
    withdrawn = EnrolmentFactory(
        learner=doctor, status=EnrolmentStatus.WITHDRAWN, withdrawn_at=timezone.now()
    )
    EnrolmentFactory(run=run)  # someone else's
    deadline = timezone.now() + datetime.timedelta(minutes=40)
    attempt = Attempt.objects.create(
        quiz=quiz,
        enrolment=enrolment,
        learner=doctor,
        number=1,
        state=AttemptState.IN_PROGRESS,
        deadline=deadline,
        pass_mark_percent=quiz.pass_mark_percent,
        review_policy=quiz.review_policy,
        multiple_response_scoring=quiz.multiple_response_scoring,
    )
    feed = calendar_feed_regenerate(user=doctor)
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response["Cache-Control"] == "private, no-store"
    found = events(parse(response))
    assert set(found) == {
        f"enrolment-{enrolment.pk}@{HOST}",
        f"enrolment-last-day-{enrolment.pk}@{HOST}",
        f"assessment-due-{enrolment.pk}-{quiz.pk}@{HOST}",
        f"attempt-deadline-{attempt.pk}@{HOST}",
    }
    assert not any(
        str(withdrawn.pk) in uid.split("@")[0].split("-")[-1:]
        for uid in found
        if "enrolment-" in uid and withdrawn.pk != enrolment.pk
    )
    assert found[f"enrolment-last-day-{enrolment.pk}@{HOST}"].decoded("DTSTART") == run.ends_on
    due = found[f"assessment-due-{enrolment.pk}-{quiz.pk}@{HOST}"]
    assert "Final assessment" in str(due["SUMMARY"]) and due.decoded("DTSTART") == run.ends_on
    limit = found[f"attempt-deadline-{attempt.pk}@{HOST}"]
    assert limit["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert limit.decoded("DTSTART") == deadline.replace(microsecond=0)

    # Passed: the assessment is no longer due.
    Attempt.objects.filter(pk=attempt.pk).update(
        state=AttemptState.GRADED, passed=True, score_percent=Decimal("80"), submitted_at=timezone.now()
    )
    again = events(parse(client.get(reverse("calendar_feed", args=[feed.token]))))
    assert f"assessment-due-{enrolment.pk}-{quiz.pk}@{HOST}" not in again
    assert f"attempt-deadline-{attempt.pk}@{HOST}" not in again


def test_a_wrong_regenerated_or_revoked_token_is_a_404(client):
    doctor, run, quiz, enrolment = private_feed_doctor()
    old = calendar_feed_regenerate(user=doctor).token
    new = calendar_feed_regenerate(user=doctor).token
    assert old != new
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200
    assert client.get(reverse("calendar_feed", args=["x" * 43])).status_code == 404
    calendar_feed_revoke(user=doctor)
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 404


def test_the_profile_shows_and_regenerates_the_address(client):
    doctor, *_ = private_feed_doctor()
    client.force_login(doctor)
    assert "Create my calendar address" in client.get(reverse("profile")).content.decode()
    client.post(reverse("calendar_feed_edit"), {"action": "regenerate"})
    token = doctor.calendar_feed.token
    html = client.get(reverse("profile")).content.decode()
    assert reverse("calendar_feed", args=[token]) in html
    client.post(reverse("calendar_feed_edit"), {"action": "regenerate"})
    doctor.calendar_feed.refresh_from_db()
    assert doctor.calendar_feed.token != token
    client.post(reverse("calendar_feed_edit"), {"action": "revoke"})
    assert "Create my calendar address" in client.get(reverse("profile")).content.decode()
    response = client.post(reverse("calendar_feed_edit"), {"action": "nonsense"}, follow=True)
    assert "Choose whether" in response.content.decode()


def test_the_private_feed_is_flat_in_queries(client):
    doctor, run, quiz, enrolment = private_feed_doctor()
    token = calendar_feed_regenerate(user=doctor).token
    url = reverse("calendar_feed", args=[token])
    client.get(url)
    with count_queries() as one:
        client.get(url)
    for _ in range(4):
        other = CourseRunFactory(
            course=run.course,
            starts_on=run.starts_on + datetime.timedelta(days=31 * (_ + 1)),
            ends_on=run.ends_on + datetime.timedelta(days=31 * (_ + 1)),
        )
        EnrolmentFactory(run=other, learner=doctor)
    with count_queries() as five:
        body = client.get(url).content
    assert body.count(b"BEGIN:VEVENT") == 15
    assert len(five) == len(one), (one.statements, five.statements)
