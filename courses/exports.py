"""Exports of a run (or every run of a course) that never time out: a Celery task writes the file.

An administrator asks for an export (:func:`run_export_request`): a :class:`RunExport`
row is written and, after commit, the task ``courses.build_export`` is sent with its id.
The worker (:func:`run_export_build`) streams the rows of the export's **kind** into a
temporary file on disk — CSV (UTF-8 with a byte-order mark, for Excel) or XLSX
(openpyxl's write-only mode) — counting them in the row every :data:`PROGRESS_EVERY`
rows for the admin's progress screen, then stores the file in the private storage and
marks the export ready until ``expires_at`` (:data:`EXPORT_LIFETIME`, setting
``LMS_EXPORT_LIFETIME_SECONDS``). Memory stays flat whatever the number of rows.

Kinds are registered by the app that owns the rows (:func:`register_export_kind`, through
:mod:`courses.api`): ``courses`` — enrolments, progress; ``quizzes`` — attempts;
``certificates`` — certificates. A kind's ``rows(scope)`` yields plain values for the
enrolments of the :class:`ExportScope`, in a constant number of queries per chunk.

Every text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is written with a leading apostrophe
(:func:`spreadsheet_safe`): a doctor named ``=HYPERLINK(...)`` cannot run anything on the
administrator's machine (CSV injection, OWASP).

Safe twice: building a ready, failed or expired export does nothing; a worker that died
mid-way leaves the export running, and running it again starts the file afresh.
:func:`run_exports_purge_expired` (Celery beat) deletes expired files and says so on
their rows. Downloads are for whoever asked for the export (and superusers), before it
expires (:func:`run_export_for_download`).
"""

from __future__ import annotations

import csv
import datetime
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log

from courses.exceptions import ExportError
from courses.models import CoursePage, CourseRun, Enrolment, EnrolmentStatus, ExportStatus, RunExport
from lms.dispatch import task_send_on_commit

logger = logging.getLogger(__name__)

BUILD_TASK = "courses.build_export"
PROGRESS_EVERY = 1000
FORMATS = {"csv": "CSV (comma-separated, UTF-8)", "xlsx": "Excel workbook (XLSX)"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_lifetime() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "LMS_EXPORT_LIFETIME_SECONDS", 24 * 3600))


@dataclass(frozen=True)
class ExportScope:
    """The runs an export covers, and a query of their non-withdrawn enrolments' ids
    (``enrolment__in=scope.enrolments``) for kinds of other apps to filter their rows by."""

    course: CoursePage
    runs: tuple[CourseRun, ...]
    enrolments: QuerySet


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str
    header: Sequence[str]
    rows: Callable[[ExportScope], Iterable[Sequence]]
    count: Callable[[ExportScope], int] | None = None
    order: int = 100


_kinds: dict[str, ExportKind] = {}


def register_export_kind(kind: ExportKind) -> None:
    """Add (or replace, by ``key``) a kind of export."""
    _kinds[kind.key] = kind


def export_kinds() -> list[ExportKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def export_kind_label(key: str) -> str:
    kind = _kinds.get(key)
    return kind.label if kind else key


# --- Writing cells safely -------------------------------------------------------------------


def spreadsheet_safe(value):
    """``value`` as a cell: numbers and dates as they are, text that looks like a formula
    prefixed with an apostrophe, ``None`` as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, int | float) or hasattr(value, "as_tuple"):  # numbers, Decimals
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_download(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV an admin screen hands over at once (a report's figures, not an export's
    thousands of rows): ``<filename>.csv`` as an attachment, UTF-8 with a byte-order mark
    so spreadsheets read it, and every cell through :func:`spreadsheet_safe`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


class _CsvWriter:
    def __init__(self, path: str):
        self._file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in close()
        self._writer = csv.writer(self._file)

    def write(self, row: Sequence) -> None:
        self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def close(self) -> None:
        self._file.close()


class _XlsxWriter:
    def __init__(self, path: str, title: str):
        from openpyxl import Workbook

        self.path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title=title[:31] or "Export")

    def write(self, row: Sequence) -> None:
        cells = []
        for cell in row:
            value = spreadsheet_safe(cell)
            cells.append(float(value) if hasattr(value, "as_tuple") else value)
        self._sheet.append(cells)

    def close(self) -> None:
        self._book.save(self.path)


# --- Services -------------------------------------------------------------------------------


def export_scope(*, course: CoursePage, run: CourseRun | None) -> ExportScope:
    runs = (run,) if run is not None else tuple(CourseRun.objects.filter(course=course).order_by("starts_on"))
    enrolments = (
        Enrolment.objects.filter(run__in=[r.pk for r in runs])
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .order_by()
        .values("pk")
    )
    return ExportScope(course=course, runs=runs, enrolments=enrolments)


def run_export_request(
    *, kind: str, file_format: str, course: CoursePage, run: CourseRun | None = None, by
) -> RunExport:
    """Record an export and queue its building after commit.

    Raises :class:`ExportError` for an unknown kind or format, or a run of another course.
    """
    if kind not in _kinds:
        raise ExportError(f"There is no export of “{kind}”.")
    if file_format not in FORMATS:
        raise ExportError(f"Exports are made as CSV or XLSX, not “{file_format}”.")
    if run is not None and run.course_id != course.pk:
        raise ExportError(f"{run.label} is a run of another course, not of {course.title}.")
    with transaction.atomic():
        export = RunExport.objects.create(
            kind=kind, file_format=file_format, course=course, run=run, requested_by=by
        )
        log(instance=export, action="courses.request_export", user=by)
        task_send_on_commit(BUILD_TASK, export.pk)
    return export


def _filename(export: RunExport) -> str:
    scope = slugify(export.run.label) if export.run_id else "all-runs"
    stamp = timezone.localtime(export.requested_at).strftime("%Y%m%d-%H%M")
    return f"{export.kind}-{slugify(export.course.title)[:50]}-{scope}-{stamp}.{export.file_format}"


def run_export_build(*, export_id: int) -> RunExport | None:
    """Write the export's file (see the module docstring); ``None`` if there is no such export."""
    with transaction.atomic():
        export = (
            RunExport.objects.select_for_update(of=("self",))
            .select_related("course", "run")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
            return export
        kind = _kinds.get(export.kind)
        scope = export_scope(course=export.course, run=export.run)
        total = kind.count(scope) if kind and kind.count else None
        RunExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.RUNNING, rows_written=0, rows_total=total
        )
    if kind is None:
        return _fail(export, f"There is no export of “{export.kind}” any more.")
    handle, path = tempfile.mkstemp(prefix="lms-export-", suffix=f".{export.file_format}")
    os.close(handle)
    written = 0
    try:
        writer = _CsvWriter(path) if export.file_format == "csv" else _XlsxWriter(path, kind.label)
        try:
            writer.write(kind.header)
            for row in kind.rows(scope):
                writer.write(row)
                written += 1
                if written % PROGRESS_EVERY == 0:
                    RunExport.objects.filter(pk=export.pk).update(rows_written=written)
        finally:
            writer.close()
        with open(path, "rb") as source:
            stored = RunExport._meta.get_field("file").storage.save(
                RunExport._meta.get_field("file").generate_filename(export, _filename(export)), File(source)
            )
    except Exception as error:
        logger.exception("Export %s failed", export.pk)
        return _fail(export, f"{type(error).__name__}: {error}")
    finally:
        os.unlink(path)
    now = timezone.now()
    RunExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY,
        file=stored,
        rows_written=written,
        rows_total=written,
        finished_at=now,
        expires_at=now + export_lifetime(),
        error="",
    )
    export.refresh_from_db()
    return export


def _fail(export: RunExport, error: str) -> RunExport:
    RunExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.FAILED, error=error, finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


def run_exports_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their lifetime and mark them expired; how many were."""
    now = now or timezone.now()
    purged = 0
    for export in RunExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now).iterator():
        if export.file:
            export.file.storage.delete(export.file.name)
        purged += RunExport.objects.filter(pk=export.pk, status=ExportStatus.READY).update(
            status=ExportStatus.EXPIRED, file=""
        )
    return purged


# --- Reads ----------------------------------------------------------------------------------


def run_export_download_refusal(
    *, export: RunExport, user, now: datetime.datetime | None = None
) -> str | None:
    """Why ``user`` may not download ``export`` now, or ``None``. Only its requester (or a
    superuser) may, only once it is ready and only before it expires."""
    if not (user.is_superuser or (export.requested_by_id is not None and export.requested_by_id == user.pk)):
        return "This export belongs to another administrator: ask them for it, or make your own."
    if export.status == ExportStatus.EXPIRED or (
        export.expires_at is not None and export.expires_at <= (now or timezone.now())
    ):
        return "This export has expired and its file has been deleted. Make a new export."
    if export.status != ExportStatus.READY:
        return f"This export is not ready: {export.get_status_display().lower()}."
    return None


def stream_file(export: RunExport, chunk: int = 64 * 1024) -> Iterator[bytes]:
    with export.file.open("rb") as source:
        while data := source.read(chunk):
            yield data


# --- The kinds courses owns ---------------------------------------------------------------------


def _learner_columns():
    return (
        "learner__doctor_profile__full_name",
        "learner__email",
        "learner__doctor_profile__council",
        "learner__doctor_profile__registration_number",
    )


def _enrolment_rows(scope: ExportScope) -> Iterator[Sequence]:
    labels = {run.pk: run.label for run in scope.runs}
    statuses = dict(EnrolmentStatus.choices)
    rows = (
        Enrolment.objects.filter(run__in=list(labels))
        .order_by("run__starts_on", "enrolled_at", "id")
        .values_list(
            "id", *_learner_columns(), "run_id", "status", "enrolled_at", "completed_at", "withdrawn_at"
        )
    )
    for row in rows.iterator(chunk_size=2000):
        (pk, name, email, council, number, run_id, status, *dates) = row
        yield (pk, name, email, council, number, labels[run_id], statuses.get(status, status), *dates)


def _progress_rows(scope: ExportScope) -> Iterator[Sequence]:
    from courses.completion import ReadCache, enrolments_progress

    by_id = {run.pk: run for run in scope.runs}
    for run in scope.runs:
        run.course = scope.course
    reads = ReadCache()
    chunk: list[Enrolment] = []
    query = (
        Enrolment.objects.filter(pk__in=scope.enrolments)
        .select_related("learner", "learner__doctor_profile")
        .order_by("run__starts_on", "enrolled_at", "id")
    )

    def flush():
        progress = enrolments_progress(chunk, reads)
        for enrolment in chunk:
            p = progress[enrolment.pk]
            profile = getattr(enrolment.learner, "doctor_profile", None)
            yield (
                enrolment.pk,
                enrolment.learner.display_name,
                profile.registration_number if profile else "",
                enrolment.run.label,
                enrolment.get_status_display(),
                p.percent if not enrolment.is_completed else 100,
                "Completed" if enrolment.is_completed else (p.next_step.label if p.next_step else ""),
                "; ".join(f"{s.label} {min(s.done, s.total)}/{s.total}" for s in p.steps),
                enrolment.last_activity_at,
            )

    for enrolment in query.iterator(chunk_size=1000):
        enrolment.run = by_id[enrolment.run_id]
        chunk.append(enrolment)
        if len(chunk) == 1000:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def _count(scope: ExportScope) -> int:
    return scope.enrolments.count()


register_export_kind(
    ExportKind(
        key="enrolments",
        label="Enrolments",
        header=(
            "Enrolment",
            "Name (as printed)",
            "E-mail",
            "Council",
            "Registration number",
            "Run",
            "Status",
            "Enrolled at",
            "Completed at",
            "Withdrawn at",
        ),
        rows=_enrolment_rows,
        count=lambda scope: Enrolment.objects.filter(run__in=[r.pk for r in scope.runs]).count(),
        order=10,
    )
)
register_export_kind(
    ExportKind(
        key="progress",
        label="Progress",
        header=(
            "Enrolment",
            "Name (as printed)",
            "Registration number",
            "Run",
            "Status",
            "Percent done",
            "Next step",
            "Steps",
            "Last activity",
        ),
        rows=_progress_rows,
        count=_count,
        order=20,
    )
)
