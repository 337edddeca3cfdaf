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
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

from courses.exceptions import BulkEnrolmentError
from courses.models import CourseRun, Enrolment, EnrolmentStatus

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
