"""Bulk enrolment from a hospital's CSV: reading the file, and the dry run of what it would do.

:func:`enrolment_csv_parse` reads an upload the way spreadsheets write them — UTF-8 with
or without a byte-order mark (or Windows-1252 as older Excel saves), ``,`` or ``;``
between fields (Excel uses ``;`` where the decimal point is a comma), Excel's quoting
(a field in double quotes, with "" for a quote inside) — and refuses, with a message a person can act on, a file
that is too large, not text, empty, without an ``email`` column or with columns it does
not know. Column names are matched without regard to case, spaces or underscores.

:func:`bulk_enrolment_preview` says what each row would do, changing nothing, in a
constant number of queries whatever the number of rows (one for the accounts, one for
the run's enrolments): *will enrol* an existing doctor; *will invite* a new doctor (an
account is created and an invitation sent to set their password and complete their
profile); *already enrolled*; *run full → waitlist* (rows past the seats left, in file
order); *malformed e-mail*; *missing name* (a new doctor needs one); *duplicate* of an
earlier row. Cells are kept as text, never evaluated: a ``=HYPERLINK(...)`` name is a
name.

Then the job (:func:`bulk_enrolment_upload` → :func:`bulk_enrolment_confirm` →
:func:`bulk_enrolment_apply`): the parsed rows are kept on a :class:`BulkEnrolment`; the
administrator confirms what the preview said; the Celery task ``courses.apply_bulk_enrolment``
(sent through the outbox) applies the rows in chunks of :data:`APPLY_CHUNK`, each chunk
one transaction with its results and progress, on the locked job row — so a job sent
twice, run by two workers at once or resumed after a worker died applies every row
exactly once. A chunk's rows are enrolled together by
:func:`courses.services.enrolments_create_many` — :func:`~courses.services.enrolment_create`'s
rules (capacity, one enrolment per doctor and run) for many doctors in a constant number
of queries: a file applied twice enrols nobody twice (the second says *already
enrolled*). New doctors' accounts are made by :func:`lms.invitations.doctors_invite` and
their invitations (to set a password and complete their profile) sent through the outbox
once the chunk commits; rows past the last seat go on the run's waitlist. A chunk costs
the same few queries whether it holds ten rows or five hundred.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.log_actions import log

from courses.exceptions import BulkEnrolmentError
from courses.models import (
    BulkEnrolment,
    BulkEnrolmentStatus,
    CoursePage,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
)
from lms.dispatch import task_send_on_commit, tasks_send_on_commit

APPLY_TASK = "courses.apply_bulk_enrolment"
APPLY_CHUNK = 500
ACCEPTED_EXTENSIONS = (".csv", ".txt")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000

#: Column name (normalised) → field. ``email`` is required; the others are optional.
COLUMNS = {
    "email": "email",
    "emailaddress": "email",
    "name": "name",
    "fullname": "name",
    "nameasprinted": "name",
    "registrationnumber": "registration_number",
    "regno": "registration_number",
}


class Outcome:
    ENROL = "enrol"
    INVITE = "invite"
    ALREADY = "already_enrolled"
    WAITLIST = "waitlist"
    BAD_EMAIL = "malformed_email"
    NO_NAME = "missing_name"
    DUPLICATE = "duplicate"


OUTCOME_LABELS = {
    Outcome.ENROL: "Will enrol",
    Outcome.INVITE: "Will invite a new doctor",
    Outcome.ALREADY: "Already enrolled",
    Outcome.WAITLIST: "Run full: waitlist",
    Outcome.BAD_EMAIL: "Malformed e-mail address",
    Outcome.NO_NAME: "Missing name",
    Outcome.DUPLICATE: "Duplicate row",
}


@dataclass(frozen=True)
class CsvRow:
    line: int  # the line of the file (the header is line 1)
    email: str
    name: str
    registration_number: str


@dataclass(frozen=True)
class RowOutcome:
    row: CsvRow
    outcome: str
    detail: str = ""

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def _normalise(column: str) -> str:
    return "".join(ch for ch in column.lower() if ch.isalnum())


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise BulkEnrolmentError(
            "This is not a CSV file (it holds binary data). Save the sheet as CSV and upload that."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BulkEnrolmentError(
        "The file is not UTF-8 or Windows text. Save it as “CSV UTF-8” and upload it again."
    )


def enrolment_csv_parse(data: bytes) -> list[CsvRow]:
    """The rows of an uploaded CSV. Raises :class:`BulkEnrolmentError` for a file it cannot use."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise BulkEnrolmentError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    text = _decode(data)
    if not text.strip():
        raise BulkEnrolmentError("The file is empty.")
    first_line = text.lstrip("\ufeff").splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        fields = []
        unknown = []
        for column in header:
            field = COLUMNS.get(_normalise(column))
            if field is None and column.strip():
                unknown.append(column.strip())
            fields.append(field)
        if unknown:
            raise BulkEnrolmentError(
                f"Unknown column(s): {', '.join(unknown)}. Use email, name and registration number."
            )
        if "email" not in fields:
            raise BulkEnrolmentError("The file has no “email” column (the first line must name the columns).")
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                field: cells[i].strip() if i < len(cells) else "" for i, field in enumerate(fields) if field
            }
            rows.append(
                CsvRow(
                    line=reader.line_num,
                    email=values.get("email", ""),
                    name=values.get("name", ""),
                    registration_number=values.get("registration_number", ""),
                )
            )
            if len(rows) > MAX_ROWS:
                raise BulkEnrolmentError(f"The file has more than {MAX_ROWS:,} rows; split it in two.")
    except csv.Error as error:
        raise BulkEnrolmentError(f"The file is not valid CSV (line {reader.line_num}): {error}.") from error
    if not rows:
        raise BulkEnrolmentError("The file names its columns but has no rows.")
    return rows


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def bulk_enrolment_preview(*, run: CourseRun, rows: Sequence[CsvRow]) -> list[RowOutcome]:
    """What applying ``rows`` to ``run`` would do to each of them (two queries; nothing changes)."""
    emails = {row.email.lower() for row in rows if row.email}
    # Accounts are matched without regard to case (the column itself is case-sensitive).
    accounts = dict(
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", "pk")
    )
    enrolled = set(
        Enrolment.objects.filter(run=run, learner_id__in=accounts.values())
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("learner_id", flat=True)
    )
    seats = run.seats_left
    seen: dict[str, int] = {}
    outcomes = []
    for row in rows:
        email = row.email.lower()
        if not row.email or not _valid_email(row.email):
            outcomes.append(RowOutcome(row, Outcome.BAD_EMAIL, row.email or "(empty)"))
            continue
        if email in seen:
            outcomes.append(RowOutcome(row, Outcome.DUPLICATE, f"same e-mail as line {seen[email]}"))
            continue
        seen[email] = row.line
        learner_id = accounts.get(email)
        if learner_id is not None and learner_id in enrolled:
            outcomes.append(RowOutcome(row, Outcome.ALREADY))
            continue
        if learner_id is None and not row.name:
            outcomes.append(RowOutcome(row, Outcome.NO_NAME, "a new doctor needs a name"))
            continue
        if seats <= 0:
            outcomes.append(RowOutcome(row, Outcome.WAITLIST))
            continue
        seats -= 1
        outcomes.append(RowOutcome(row, Outcome.ENROL if learner_id is not None else Outcome.INVITE))
    return outcomes


# --- The job: upload, confirm, apply -------------------------------------------------------


class Applied:
    """What applying a row did (the ``outcome`` of a result)."""

    ENROLLED = "enrolled"
    INVITED = "invited"
    ALREADY = Outcome.ALREADY
    WAITLISTED = "waitlisted"
    INVITED_WAITLISTED = "invited_waitlisted"
    ALREADY_WAITING = "already_waiting"
    BAD_EMAIL = Outcome.BAD_EMAIL
    NO_NAME = Outcome.NO_NAME
    DUPLICATE = Outcome.DUPLICATE
    REFUSED = "refused"


APPLIED_LABELS = {
    Applied.ENROLLED: "Enrolled",
    Applied.INVITED: "New doctor invited and enrolled",
    Applied.ALREADY: "Already enrolled",
    Applied.WAITLISTED: "Run full: on the waitlist",
    Applied.INVITED_WAITLISTED: "New doctor invited; run full: on the waitlist",
    Applied.ALREADY_WAITING: "Already on the waitlist",
    Applied.BAD_EMAIL: "Malformed e-mail address",
    Applied.NO_NAME: "Missing name",
    Applied.DUPLICATE: "Duplicate row",
    Applied.REFUSED: "Not enrolled",
}


def bulk_enrolment_upload(*, run: CourseRun, upload, by, course: CoursePage | None = None) -> BulkEnrolment:
    """Read an uploaded file for ``run`` and keep its rows for the preview; nothing else changes.

    ``upload`` is a Django ``UploadedFile``. Raises :class:`BulkEnrolmentError`, writing
    nothing, for a run of another ``course`` than the one chosen, a file that is not
    ``.csv``, too large, empty, not text, without an ``email`` column or with columns it
    does not know (:func:`enrolment_csv_parse`).
    """
    if course is not None and run.course_id != course.pk:
        raise BulkEnrolmentError(f"{run.label} is a run of another course, not of {course.title}.")
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:255]
    if not name.lower().endswith(ACCEPTED_EXTENSIONS):
        raise BulkEnrolmentError(
            f"“{name}” is not a CSV file. Save the sheet as CSV (comma- or semicolon-separated) and upload that."
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise BulkEnrolmentError(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    rows = enrolment_csv_parse(data)
    with transaction.atomic():
        bulk = BulkEnrolment.objects.create(
            run=run,
            file_name=name,
            file_sha256=hashlib.sha256(data).hexdigest(),
            rows=[[r.line, r.email, r.name, r.registration_number] for r in rows],
            rows_total=len(rows),
            uploaded_by=by,
        )
        log(instance=bulk, action="courses.bulk_upload", user=by)
    return bulk


def bulk_enrolment_rows(bulk: BulkEnrolment) -> list[CsvRow]:
    return [
        CsvRow(line=line, email=email, name=name, registration_number=number)
        for line, email, name, number in bulk.rows
    ]


def bulk_enrolment_applied_before(bulk: BulkEnrolment) -> BulkEnrolment | None:
    """An earlier job that applied the same file to the same run, if any (the preview warns)."""
    return (
        BulkEnrolment.objects.filter(run_id=bulk.run_id, file_sha256=bulk.file_sha256)
        .exclude(pk=bulk.pk)
        .exclude(status=BulkEnrolmentStatus.PREVIEW)
        .order_by("-uploaded_at")
        .first()
    )


def bulk_enrolment_confirm(*, bulk: BulkEnrolment, by) -> BulkEnrolment:
    """Queue the checked file to be applied (after commit, through the outbox).

    Raises :class:`BulkEnrolmentError` if it was confirmed already (a second click queues
    nothing).
    """
    with transaction.atomic():
        confirmed = BulkEnrolment.objects.filter(pk=bulk.pk, status=BulkEnrolmentStatus.PREVIEW).update(
            status=BulkEnrolmentStatus.QUEUED, confirmed_at=timezone.now()
        )
        if not confirmed:
            raise BulkEnrolmentError("This file has already been confirmed; its progress is shown below.")
        bulk.refresh_from_db()
        log(instance=bulk, action="courses.bulk_confirm", user=by)
        task_send_on_commit(APPLY_TASK, bulk.pk)
    return bulk


def _apply_chunk(
    part: Sequence[CsvRow], *, run: CourseRun, by, first_line_of: Mapping[str, int], now
) -> list[list]:
    """Apply ``part`` of the file (in its transaction) in a constant number of queries; its results in order.

    ``first_line_of`` maps each valid address (lower case) to the first line of the file
    that holds it: a later line with it is a duplicate, applied or not.
    """
    from courses.services import enrolments_create_many
    from courses.waitlists import waitlist_add_many_by_administrator
    from lms.invitations import INVITATION_TASK, doctors_invite

    results: dict[int, list] = {}
    people: list[CsvRow] = []
    for row in part:
        email = row.email.lower()
        if not row.email or not _valid_email(row.email):
            results[row.line] = [row.line, row.email, Applied.BAD_EMAIL, row.email or "(empty)"]
        elif first_line_of[email] != row.line:
            results[row.line] = [row.line, row.email, Applied.DUPLICATE, "same e-mail as an earlier line"]
        else:
            people.append(row)
    accounts = {
        user.email_lower: user
        for user in get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[row.email.lower() for row in people])
    }
    newcomers = [row for row in people if row.email.lower() not in accounts and row.name]
    invited = {}
    for row, (user, created) in zip(
        newcomers,
        doctors_invite([(row.email, row.name, row.registration_number) for row in newcomers]),
        strict=True,
    ):
        accounts[row.email.lower()] = user
        if created:
            invited[user.pk] = row
    learners = []
    for row in people:
        learner = accounts.get(row.email.lower())
        if learner is None:
            results[row.line] = [row.line, row.email, Applied.NO_NAME, "a new doctor needs a name"]
        else:
            learners.append((row, learner))
    attempts = enrolments_create_many(learners=[learner for _, learner in learners], run=run, now=now, by=by)
    waiting = [
        a.learner_id for a in attempts if a.enrolment is None and not a.already_enrolled and a.run_full
    ]
    added = waitlist_add_many_by_administrator(learner_ids=waiting, run=run, now=now) if waiting else set()
    invitations = []
    place = f"{run.course.title} ({run.label} run)"
    for (row, learner), attempt in zip(learners, attempts, strict=True):
        new = learner.pk in invited
        if attempt.enrolment is not None:
            outcome, detail = (Applied.INVITED if new else Applied.ENROLLED), ""
        elif attempt.already_enrolled:
            outcome, detail = Applied.ALREADY, ""
        elif attempt.run_full:
            if learner.pk in added:
                outcome = Applied.INVITED_WAITLISTED if new else Applied.WAITLISTED
            else:
                outcome = Applied.ALREADY_WAITING
            detail = ""
        else:
            outcome, detail = Applied.REFUSED, attempt.refusal
        results[row.line] = [row.line, row.email, outcome, detail]
        if new:
            waitlisted = outcome in (Applied.INVITED_WAITLISTED, Applied.ALREADY_WAITING)
            where = f"the waitlist of {place}" if waitlisted else place
            invitations.append([learner.pk, where, f"invitation:{learner.pk}"])
    tasks_send_on_commit(INVITATION_TASK, invitations)
    return [results[row.line] for row in part]


def _first_lines(rows: Sequence[CsvRow]) -> dict[str, int]:
    """Each valid address in the file (lower case) → the first line that holds it."""
    first: dict[str, int] = {}
    for row in rows:
        if row.email and row.email.lower() not in first and _valid_email(row.email):
            first[row.email.lower()] = row.line
    return first


def bulk_enrolment_apply(*, bulk_id: int, chunk: int = APPLY_CHUNK) -> BulkEnrolment | None:
    """Apply a confirmed file's rows; returns the job (``None`` for an unknown id).

    Does nothing to a job not queued or running (a preview, one done or failed). Each
    chunk is one transaction on the locked job row that starts where the committed
    progress says, so two deliveries of the task, or a resumed one, apply each row once.
    A chunk costs a constant number of queries whatever its size
    (:func:`courses.services.enrolments_create_many`, :func:`lms.invitations.doctors_invite`,
    one outbox insert for its invitations).
    """
    with transaction.atomic():
        bulk = BulkEnrolment.objects.select_for_update().filter(pk=bulk_id).first()
        if bulk is None or bulk.status not in (BulkEnrolmentStatus.QUEUED, BulkEnrolmentStatus.RUNNING):
            return bulk
        BulkEnrolment.objects.filter(pk=bulk.pk).update(status=BulkEnrolmentStatus.RUNNING)
    run = CourseRun.objects.select_related("course").get(pk=bulk.run_id)
    by = bulk.uploaded_by
    rows = bulk_enrolment_rows(bulk)
    first_line_of = _first_lines(rows)
    try:
        while True:
            with transaction.atomic():
                # The file's rows are read once above: the lock reads only the progress.
                bulk = BulkEnrolment.objects.select_for_update().defer("rows").get(pk=bulk_id)
                start = bulk.rows_done
                if bulk.status != BulkEnrolmentStatus.RUNNING or start >= len(rows):
                    break
                part = rows[start : start + chunk]
                results = _apply_chunk(part, run=run, by=by, first_line_of=first_line_of, now=timezone.now())
                BulkEnrolment.objects.filter(pk=bulk.pk).update(
                    results=bulk.results + results, rows_done=start + len(part)
                )
    except Exception as error:
        BulkEnrolment.objects.filter(pk=bulk_id).update(
            status=BulkEnrolmentStatus.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    BulkEnrolment.objects.filter(pk=bulk_id, status=BulkEnrolmentStatus.RUNNING).update(
        status=BulkEnrolmentStatus.DONE, finished_at=timezone.now()
    )
    return BulkEnrolment.objects.get(pk=bulk_id)


def bulk_enrolment_counts(results: Sequence[Sequence]) -> list[tuple[str, str, int]]:
    """How many rows had each outcome: ``(outcome, label, count)``, in the labels' order."""
    counts: dict[str, int] = {}
    for result in results:
        counts[result[2]] = counts.get(result[2], 0) + 1
    return [(key, label, counts[key]) for key, label in APPLIED_LABELS.items() if counts.get(key)]
