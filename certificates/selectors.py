"""Reads for certificates: the dashboard, verification, downloads and the admin's progress view.

Each selector runs a constant number of queries, whatever the number of enrolments.
Also here: the panels ``certificates`` adds to courses' course page and dashboard
(registered with :mod:`courses.api` in ``CertificatesConfig.ready``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone

from certificates.codes import normalise_code, normalise_serial
from certificates.models import (
    VALID_STATUSES,
    Certificate,
    CertificateStatus,
    TranscriptPDF,
    TranscriptPDFStatus,
)
from courses.api import (
    CourseOverview,
    DashboardEntry,
    EndorsementFact,
    Panel,
    course_endorsement_at,
    external_credits,
    run_completed_enrolments,
    transcript_entries,
)
from lms.registration import registration_number_key

if TYPE_CHECKING:
    from courses.models import CourseRun, ExternalCredit, TranscriptEntry

__all__ = ["normalise_code", "normalise_serial"]  # re-exported for the verification form and views


def certificates_for_enrolments(enrolment_ids: Iterable[int]) -> dict[int, Certificate]:
    """The certificate to show for each enrolment (one query).

    The valid one (pending, issued or failed) if there is one; otherwise the latest
    revoked one, so the learner sees that it was revoked. Enrolments with neither are
    absent.
    """
    ids = list(enrolment_ids)
    result: dict[int, Certificate] = {}
    if not ids:
        return result
    rows = (
        Certificate.objects.filter(enrolment_id__in=ids)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .order_by("enrolment_id", "-requested_at", "-id")
    )
    for certificate in rows:
        current = result.get(certificate.enrolment_id)
        if current is None or (certificate.is_valid and not current.is_valid):
            result[certificate.enrolment_id] = certificate
    return result


#: The administrators' actions on one certificate, each with its rule below.
CERTIFICATE_ACTIONS = ("revoke", "reissue", "retry", "download")


def certificate_action_refusal(*, certificate: Certificate, action: str) -> str | None:
    """Why an administrator's ``action`` does not apply to ``certificate`` as it is now,
    or ``None`` when it does. The one rule behind the admin's buttons, its screens and
    the services that perform the actions (which ask again on the locked row).

    * ``revoke`` — a valid certificate (being prepared, issued or failed); a revoked or
      superseded one stays as it is.
    * ``reissue`` — an issued certificate: one being prepared or failed has printed
      nothing to replace, a revoked one was revoked on purpose (issue a new one by hand),
      a superseded one has already been replaced.
    * ``retry`` — a certificate that failed to render.
    * ``download`` — a certificate with a stored PDF.

    Reads only the certificate's own fields (no query), so a listing can ask it of every
    row. Raises :class:`ValueError` for any other action.
    """
    status = certificate.status
    if action == "revoke":
        if status == CertificateStatus.REVOKED:
            return f"{certificate} is already revoked."
        if status == CertificateStatus.SUPERSEDED:
            return f"{certificate} is superseded: the reissued certificate that replaced it is the one to revoke."
        return None
    if action == "reissue":
        if status == CertificateStatus.ISSUED:
            return None
        reason = {
            CertificateStatus.PENDING: "is still being prepared; it can be reissued once it is issued",
            CertificateStatus.FAILED: "failed to render: retry it instead",
            CertificateStatus.REVOKED: "is revoked, and a revoked certificate is not reissued; "
            "issue a new certificate by hand if the learner should have one",
            CertificateStatus.SUPERSEDED: "has already been reissued: reissue the certificate that replaced it",
        }[status]
        return f"Only an issued certificate can be reissued; {certificate} {reason}."
    if action == "retry":
        if status == CertificateStatus.FAILED:
            return None
        return f"{certificate} has not failed; there is nothing to retry."
    if action == "download":
        return None if certificate.pdf else f"No PDF is stored for {certificate} yet."
    raise ValueError(f"Unknown certificate action {action!r}; expected one of {CERTIFICATE_ACTIONS}.")


def certificate_for_verification(*, code: str) -> Certificate | None:
    """The certificate a verifier may see for ``code``, or ``None`` (unknown, malformed, or never issued).

    Certificates still being prepared (or that failed) have printed nothing and so
    verify nothing; revoked and superseded ones stay verifiable as such.
    """
    code = normalise_code(code)
    if code is None:
        return None
    return (
        Certificate.objects.filter(verification_code=code, issued_at__isnull=False)
        .exclude(status__in=[CertificateStatus.PENDING, CertificateStatus.FAILED])
        .select_related("superseded_by", "enrolment__run")
        .first()
    )


def signatures_collection():
    """The restricted "Certificate signatures" collection (created by a migration), or ``None``."""
    from wagtail.models import Collection

    from lms.roles import SIGNATURES_COLLECTION

    return Collection.objects.filter(depth=2, name=SIGNATURES_COLLECTION).first()


def certificate_course_endorsement(*, certificate: Certificate) -> EndorsementFact | None:
    """When the Faculty of Pain Medicine endorsed the course content the certificate was earned on.

    From the certificate's own record (its traceability snapshot): the endorsement of the
    course page's revision live at completion, or, if that revision carried none, the
    latest endorsement among the module revisions studied. A certificate issued before
    the snapshot was kept asks the audit log for the course page's revision live at
    completion (:func:`courses.api.course_endorsement_at`). ``None`` if nothing was endorsed.
    """
    trail = certificate.traceability or {}
    if "course" in trail:
        course = EndorsementFact.from_record((trail.get("course") or {}).get("endorsement"))
        if course is not None:
            return course
        modules = [EndorsementFact.from_record(m.get("endorsement")) for m in trail.get("modules") or ()]
        return max((m for m in modules if m is not None), key=lambda f: f.approved_at, default=None)
    enrolment = certificate.enrolment
    return course_endorsement_at(
        course_id=enrolment.run.course_id, at=enrolment.completed_at or certificate.requested_at
    )


def _moment(value: str | None) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class TrailStep:
    """One link of a certificate's chain: a course page, module or quiz version, with its endorsement."""

    title: str
    revision_id: int | None
    endorsement: EndorsementFact | None
    revision_inferred: bool = False
    completed_at: datetime.datetime | None = None
    detail: str = ""


@dataclass(frozen=True)
class TrailDisclosure:
    company: str
    relationship: str
    started_on: datetime.date | None
    ended_on: datetime.date | None


@dataclass(frozen=True)
class TrailFaculty:
    name: str
    credentials: str
    roles: tuple[str, ...]
    disclosures: tuple[TrailDisclosure, ...]
    confirmed_on: datetime.date | None


@dataclass(frozen=True)
class TrailCredit:
    credit_type: str
    awarding_body: str
    designated_max: str
    credits: str


@dataclass(frozen=True)
class TrailClaim:
    minutes_spent: int
    attested_personally: bool
    claimed_at: datetime.datetime | None
    credits: tuple[TrailCredit, ...]

    @property
    def time_spent(self) -> str:
        hours, minutes = divmod(self.minutes_spent, 60)
        return f"{hours} h {minutes} min" if hours else f"{minutes} min"


@dataclass(frozen=True)
class CertificateTrail:
    """A certificate's traceability snapshot, read back for the administrator's screen."""

    recorded_at: datetime.datetime | None
    course: TrailStep
    modules: tuple[TrailStep, ...]
    quizzes: tuple[TrailStep, ...]
    faculty: tuple[TrailFaculty, ...]
    claim: TrailClaim | None


def certificate_trail(*, certificate: Certificate) -> CertificateTrail | None:
    """The chain a certificate recorded when it was issued, or ``None`` if it recorded none.

    Reads only the certificate's own snapshot (no query): what it shows cannot change
    with later edits or endorsements of the content.
    """
    trail = certificate.traceability or {}
    if not trail:
        return None
    course = trail.get("course") or {}
    claim = trail.get("claim")
    return CertificateTrail(
        recorded_at=_moment(trail.get("recorded_at")),
        course=TrailStep(
            title=certificate.course_title,
            revision_id=course.get("revision_id"),
            endorsement=EndorsementFact.from_record(course.get("endorsement")),
        ),
        modules=tuple(
            TrailStep(
                title=m.get("title", ""),
                revision_id=m.get("revision_id"),
                endorsement=EndorsementFact.from_record(m.get("endorsement")),
                revision_inferred=bool(m.get("revision_inferred")),
                completed_at=_moment(m.get("completed_at")),
            )
            for m in trail.get("modules") or ()
        ),
        quizzes=tuple(
            TrailStep(
                title=q.get("title", ""),
                revision_id=q.get("revision_id"),
                endorsement=EndorsementFact.from_record(q.get("endorsement")),
                completed_at=_moment(q.get("submitted_at")),
                detail=(
                    f"{q.get('role', '')}, attempt {q.get('number')}: "
                    f"{Decimal(q.get('score_percent') or 0):.0f} % (pass mark {Decimal(q.get('pass_mark_percent') or 0):.0f} %)"
                ),
            )
            for q in trail.get("quizzes") or ()
        ),
        faculty=tuple(
            TrailFaculty(
                name=f.get("name", ""),
                credentials=f.get("credentials", ""),
                roles=tuple(f.get("roles") or ()),
                disclosures=tuple(
                    TrailDisclosure(
                        company=d.get("company", ""),
                        relationship=d.get("relationship", ""),
                        started_on=_day(d.get("started_on")),
                        ended_on=_day(d.get("ended_on")),
                    )
                    for d in f.get("disclosures") or ()
                ),
                confirmed_on=_day(f.get("disclosures_confirmed_on")),
            )
            for f in trail.get("faculty") or ()
        ),
        claim=(
            TrailClaim(
                minutes_spent=int(claim.get("minutes_spent") or 0),
                attested_personally=bool(claim.get("attested_personally")),
                claimed_at=_moment(claim.get("claimed_at")),
                credits=tuple(
                    TrailCredit(
                        credit_type=c.get("credit_type", ""),
                        awarding_body=c.get("awarding_body", ""),
                        designated_max=c.get("designated_max", ""),
                        credits=c.get("credits", ""),
                    )
                    for c in claim.get("credits") or ()
                ),
            )
            if claim
            else None
        ),
    )


def certificate_for_serial(*, serial: str, registration_number: str) -> Certificate | None:
    """The certificate with ``serial`` whose holder has ``registration_number``, else ``None``.

    A serial alone is not enough: serials are sequential, so accepting one would let
    anyone walk through every certificate ever issued.
    """
    serial = normalise_serial(serial)
    key = registration_number_key(registration_number)
    if serial is None or not key:
        return None
    certificate = (
        Certificate.objects.filter(serial=serial, issued_at__isnull=False)
        .exclude(status__in=[CertificateStatus.PENDING, CertificateStatus.FAILED])
        .first()
    )
    if certificate is None or registration_number_key(certificate.registration_number) != key:
        return None
    return certificate


def certificate_for_download(*, user, pk: int) -> Certificate | None:
    """The certificate ``user`` may download, or ``None``.

    Its holder may download it while it is issued (not once revoked or superseded).
    Staff with ``certificates.download_any_certificate`` may download any stored PDF,
    revoked ones included, for the academy's records.
    """
    if not user.is_authenticated:
        return None
    certificate = Certificate.objects.select_related("enrolment").filter(pk=pk).exclude(pdf="").first()
    if certificate is None:
        return None
    if user.has_perm("certificates.download_any_certificate"):
        return certificate
    if certificate.enrolment.learner_id == user.pk and certificate.status == CertificateStatus.ISSUED:
        return certificate
    return None


def learner_certificate_rows(*, user):
    """``user``'s certificates, newest first, without those a reissue superseded (a queryset:
    page it, count it). Revoked ones stay, so the doctor sees that they were revoked and when.
    """
    if not user.is_authenticated:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(enrolment__learner=user)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .select_related("enrolment__run__course")
        .order_by("-requested_at", "-id")
    )


def learner_certificates(*, user) -> list[Certificate]:
    """Every certificate ``user`` holds or held, newest first (one query): :func:`learner_certificate_rows`."""
    return list(learner_certificate_rows(user=user))


def learner_certificate_get(*, user, pk: int) -> Certificate | None:
    """The certificate if it is one of ``user``'s (:func:`learner_certificate_rows`); ``None`` otherwise (answer 404)."""
    return learner_certificate_rows(user=user).filter(pk=pk).first()


def learner_certificate_for_course(*, user, course_id: int) -> Certificate | None:
    """The learner's current certificate for a course (the latest run they completed)."""
    if not user.is_authenticated:
        return None
    return (
        Certificate.objects.filter(enrolment__learner=user, enrolment__run__course_id=course_id)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .order_by("-requested_at")
        .first()
    )


@dataclass(frozen=True)
class RunCertificateProgress:
    run: CourseRun
    completed_enrolments: int
    by_status: dict[str, int]
    without_valid_certificate: int

    @property
    def issued(self) -> int:
        return self.by_status.get(CertificateStatus.ISSUED, 0)

    @property
    def pending(self) -> int:
        return self.by_status.get(CertificateStatus.PENDING, 0)

    @property
    def failed(self) -> int:
        return self.by_status.get(CertificateStatus.FAILED, 0)

    @property
    def is_settled(self) -> bool:
        return self.pending == 0


def run_certificate_progress(*, run: CourseRun) -> RunCertificateProgress:
    """Counts of a run's certificates by status, for the bulk-issue progress page (three queries)."""
    completed_enrolments = run_completed_enrolments(run=run)
    completed = completed_enrolments.count()
    counts = dict(
        Certificate.objects.filter(enrolment__run=run)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    with_valid = (
        Certificate.objects.filter(enrolment__in=completed_enrolments.values("pk"), status__in=VALID_STATUSES)
        .values("enrolment_id")
        .distinct()
        .count()
    )
    return RunCertificateProgress(
        run=run,
        completed_enrolments=completed,
        by_status={status: counts.get(status, 0) for status in CertificateStatus.values},
        without_valid_certificate=completed - with_valid,
    )


def run_issued_certificates(*, run: CourseRun):
    """The run's issued certificates with a stored PDF, in serial order (for the ZIP)."""
    return (
        Certificate.objects.filter(enrolment__run=run, status=CertificateStatus.ISSUED)
        .exclude(pdf="")
        .order_by("id")
        .only("id", "serial", "holder_name", "pdf")
    )


# --- What certificates adds to courses' pages ------------------------------------------------


@dataclass(frozen=True)
class CertificatePanel:
    """The learner's certificate of one enrolment (``certificates/includes/dashboard_certificate.html``)."""

    certificate: Certificate
    course_title: str


def _panel(certificate: Certificate, course_title: str) -> Panel:
    return Panel(
        key="certificate",
        template="certificates/includes/dashboard_certificate.html",
        data=CertificatePanel(certificate=certificate, course_title=course_title),
        order=20,
    )


def course_certificate_panel(overview: CourseOverview, user) -> Panel | None:
    """The certificate of a learner who completed the course, on its page (one query, only for them)."""
    enrolment = overview.enrolment
    if enrolment is None or not enrolment.is_completed:
        return None
    certificate = learner_certificate_for_course(user=user, course_id=overview.course.pk)
    return _panel(certificate, overview.course.title) if certificate is not None else None


def dashboard_certificate_panels(entries: Sequence[DashboardEntry]) -> dict[int, Panel]:
    """The certificate of each completed enrolment on the dashboard, loaded in one query."""
    completed = [entry.enrolment for entry in entries if entry.enrolment.is_completed]
    if not completed:
        return {}
    certificates = certificates_for_enrolments(enrolment.pk for enrolment in completed)
    return {
        enrolment.pk: _panel(certificates[enrolment.pk], enrolment.run.course.title)
        for enrolment in completed
        if enrolment.pk in certificates
    }


# --- Open Badges credentials -----------------------------------------------------------------


def badge_credential_of(*, certificate: Certificate):
    """The certificate's Open Badges credential, or ``None`` (not issued yet, or issued before credentials)."""
    from certificates.models import BadgeCredential

    return BadgeCredential.objects.filter(certificate=certificate).select_related("status_list").first()


def status_list_document(*, purpose: str) -> dict | None:
    """The signed ``BitstringStatusListCredential`` for ``purpose``, or ``None`` before the first credential."""
    from certificates.models import StatusList

    return StatusList.objects.filter(purpose=purpose).values_list("credential", flat=True).first()


@dataclass(frozen=True)
class CredentialCheck:
    """What a verifier's software would conclude from the credential alone, checked now."""

    signature_valid: bool
    signature_message: str
    revoked_in_status_list: bool | None


def credential_check(*, certificate: Certificate) -> CredentialCheck | None:
    """Verify the stored credential's proof against the issuer's DID document and read its status bit."""
    from certificates import credentials
    from certificates.issuer import issuer_did_document

    credential = badge_credential_of(certificate=certificate)
    if credential is None:
        return None
    import json

    try:
        method = credentials.verify(json.loads(credential.document), did_doc=issuer_did_document())
        valid, message = True, f"Signed by the academy's key {method.rsplit('#', 1)[-1]}"
    except (credentials.CredentialError, ValueError) as error:
        valid, message = False, str(error)
    revoked = None
    status = credential.status_list.credential
    if status is not None:
        try:
            credentials.verify(status, did_doc=issuer_did_document())
            bits = credentials.decode_list(status["credentialSubject"]["encodedList"])
            revoked = credentials.bit_is_set(bits, credential.status_index)
        except (credentials.CredentialError, KeyError, OSError):
            revoked = None
    return CredentialCheck(signature_valid=valid, signature_message=message, revoked_in_status_list=revoked)


# --- The transcript -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TranscriptRow:
    """One claim line of the transcript, with the certificate that carries it (if any yet)."""

    entry: TranscriptEntry
    certificate: Certificate | None

    @property
    def counts(self) -> bool:
        """Whether the line counts towards the totals: claimed, and its certificate not revoked."""
        return self.entry.status == "claimed" and (
            self.certificate is None or self.certificate.status != CertificateStatus.REVOKED
        )

    @property
    def status(self) -> str:
        if self.entry.status != "claimed":
            return self.entry.get_status_display()
        if self.certificate is None:
            return "Claimed"
        return self.certificate.get_status_display()


@dataclass(frozen=True)
class CreditTotal:
    """Credit of one type claimed within its renewal window (``starts_on`` ≤ completion < ``ends_before``)."""

    credit_type: str
    awarding_body: str
    cycle_years: int
    starts_on: datetime.date
    ends_before: datetime.date
    credits: Decimal


@dataclass(frozen=True)
class Transcript:
    rows: list[TranscriptRow]
    totals: list[CreditTotal]
    window_start: datetime.date | None  # the start the doctor chose; None for "the cycle ending today"
    external: list[ExternalCredit] = ()  # self-reported, shown apart
    external_totals: list[CreditTotal] = ()
    today: datetime.date | None = None  # the day the windows end on when no start was chosen


def _years_later(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved by whole years (29 February becomes 28), within the calendar's range."""
    year = day.year + years
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def renewal_window(
    *, cycle_years: int, start: datetime.date | None, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """``[starts_on, ends_before)`` of a renewal window: from ``start`` for ``cycle_years``, or
    the ``cycle_years`` ending today."""
    if start is not None:
        return start, _years_later(start, cycle_years)
    ends_before = today + datetime.timedelta(days=1)
    return _years_later(ends_before, -cycle_years), ends_before


def learner_transcript(
    *, user, window_start: datetime.date | None = None, today: datetime.date | None = None
) -> Transcript:
    """Every credit ``user`` claimed, with certificates, and totals per credit type in its window;
    and apart from them, the credit they reported from elsewhere (self-reported), with its totals.

    Three queries whatever the number of claims. A revoked line (or one whose certificate
    was revoked) counts for nothing in the totals.
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    entries = transcript_entries(learner=user)
    certificates = certificates_for_enrolments({entry.claim.enrolment_id for entry in entries})
    rows = [
        TranscriptRow(entry=entry, certificate=certificates.get(entry.claim.enrolment_id))
        for entry in entries
    ]
    totals = _totals(
        [(row.entry.credit_type, row.entry.completed_on, row.entry.credits) for row in rows if row.counts],
        window_start=window_start,
        today=today,
    )
    external = external_credits(learner=user)
    external_totals = _totals(
        [(credit.credit_type, credit.completed_on, credit.credits) for credit in external],
        window_start=window_start,
        today=today,
    )
    return Transcript(
        rows=rows,
        totals=totals,
        window_start=window_start,
        external=external,
        external_totals=external_totals,
        today=today,
    )


def _totals(lines, *, window_start: datetime.date | None, today: datetime.date) -> list[CreditTotal]:
    """``(credit type, completed on, credits)`` lines summed per type within each type's renewal window."""
    by_type: dict[int, list] = {}
    for credit_type, completed_on, credits in lines:
        by_type.setdefault(credit_type.pk, []).append((credit_type, completed_on, credits))
    totals = []
    for group in by_type.values():
        credit_type = group[0][0]
        starts_on, ends_before = renewal_window(
            cycle_years=credit_type.renewal_cycle_years, start=window_start, today=today
        )
        totals.append(
            CreditTotal(
                credit_type=credit_type.name,
                awarding_body=credit_type.awarding_body,
                cycle_years=credit_type.renewal_cycle_years,
                starts_on=starts_on,
                ends_before=ends_before,
                credits=sum(
                    (
                        credits
                        for _, completed_on, credits in group
                        if starts_on <= completed_on < ends_before
                    ),
                    Decimal("0.00"),
                ),
            )
        )
    totals.sort(key=lambda total: total.credit_type)
    return totals


# --- The transcript as a PDF ------------------------------------------------------------------


def _in_window(transcript: Transcript, credit_type, completed_on: datetime.date) -> bool:
    """Whether a line of ``credit_type`` completed on ``completed_on`` falls in the window its total sums."""
    starts_on, ends_before = renewal_window(
        cycle_years=credit_type.renewal_cycle_years, start=transcript.window_start, today=transcript.today
    )
    return starts_on <= completed_on < ends_before


def _total_statement(total: CreditTotal) -> dict:
    return {
        "credit_type": total.credit_type,
        "awarding_body": total.awarding_body,
        "cycle_years": total.cycle_years,
        "starts_on": total.starts_on.isoformat(),
        "ends_before": total.ends_before.isoformat(),
        "last_day": (total.ends_before - datetime.timedelta(days=1)).isoformat(),
        "credits": str(total.credits),
    }


def transcript_statement(*, user, window_start: datetime.date | None, today: datetime.date) -> dict:
    """What a transcript PDF of ``user`` for the window from ``window_start`` states on ``today``.

    Plain JSON (dates ISO, credits as decimal strings, so nothing is rounded through a
    float): the holder as their profile names them, the issue date, each credit type's
    window and total, the claims completed inside those windows (revoked ones shown, not
    counted), and the self-reported credit apart. The same rules and totals as the
    transcript page (:func:`learner_transcript`); four queries.
    """
    from lms.selectors import doctor_profile_for

    profile = doctor_profile_for(user=user)
    transcript = learner_transcript(user=user, window_start=window_start, today=today)
    return {
        "holder_name": profile.full_name.strip() if profile else "",
        "council": profile.council_display if profile else "",
        "registration_number": profile.registration_number if profile else "",
        "issued_on": today.isoformat(),
        "window_start": window_start.isoformat() if window_start else None,
        "totals": [_total_statement(total) for total in transcript.totals],
        "claims": [
            {
                "course_title": row.entry.course_title,
                "provider": row.entry.provider,
                "run_label": row.entry.run_label,
                "completed_on": row.entry.completed_on.isoformat(),
                "credit_type": row.entry.credit_type_name,
                "designated_max": str(row.entry.designated_max),
                "credits": str(row.entry.credits),
                "certificate_serial": (row.certificate.serial or "") if row.certificate else "",
                "status": row.status,
                "counts": row.counts,
            }
            for row in transcript.rows
            if _in_window(transcript, row.entry.credit_type, row.entry.completed_on)
        ],
        "external": [
            {
                "activity": credit.activity,
                "provider": credit.provider,
                "completed_on": credit.completed_on.isoformat(),
                "credit_type": credit.credit_type.name,
                "credits": str(credit.credits),
            }
            for credit in transcript.external
            if _in_window(transcript, credit.credit_type, credit.completed_on)
        ],
        "external_totals": [_total_statement(total) for total in transcript.external_totals],
    }


def transcript_pdf_latest(*, user, window_start: datetime.date | None) -> TranscriptPDF | None:
    """The newest transcript PDF ``user`` asked for with this window (one query), to show its state."""
    if not user.is_authenticated:
        return None
    return (
        TranscriptPDF.objects.filter(learner=user, window_start=window_start)
        .order_by("-requested_at", "-id")
        .first()
    )


def transcript_pdf_for_download(*, user, pk: int) -> TranscriptPDF | None:
    """The issued transcript PDF ``pk`` if ``user`` is the doctor it belongs to; otherwise ``None``.

    A transcript is the doctor's own document: nobody else downloads it (a council
    checks it at its verification page instead).
    """
    if not user.is_authenticated:
        return None
    return TranscriptPDF.objects.filter(pk=pk, learner=user, status=TranscriptPDFStatus.ISSUED).first()


def transcript_pdf_for_verification(*, code: str) -> TranscriptPDF | None:
    """The issued transcript PDF with verification ``code`` (as typed: spaces, dashes, any case)."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return TranscriptPDF.objects.filter(
        verification_code=normalised, status=TranscriptPDFStatus.ISSUED
    ).first()


@dataclass(frozen=True)
class RevokedSinceClaim:
    """A claim a transcript counted whose certificate the academy revoked afterwards."""

    course_title: str
    credit_type: str
    credits: str
    certificate_serial: str
    revoked_on: datetime.date | None
    reason: str


def transcript_revoked_since(*, transcript: TranscriptPDF) -> list[RevokedSinceClaim]:
    """The claims ``transcript`` counted whose certificates have been revoked since it was issued.

    A transcript states what was true on its issue date, and stays genuine; but a council
    checking it later must learn that credit it counts no longer stands. One query.
    """
    counted = {
        claim["certificate_serial"]: claim
        for claim in transcript.statement.get("claims", [])
        if claim.get("counts") and claim.get("certificate_serial")
    }
    if not counted:
        return []
    revoked = Certificate.objects.filter(
        serial__in=counted, enrolment__learner_id=transcript.learner_id, status=CertificateStatus.REVOKED
    ).order_by("serial")
    return [
        RevokedSinceClaim(
            course_title=counted[certificate.serial]["course_title"],
            credit_type=counted[certificate.serial]["credit_type"],
            credits=counted[certificate.serial]["credits"],
            certificate_serial=certificate.serial,
            revoked_on=timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
            reason=certificate.get_revocation_reason_display(),
        )
        for certificate in revoked
    ]


def certificate_being_prepared_for(*, user) -> str | None:
    """The course title of a certificate of ``user``'s still pending (not yet rendered), else ``None``."""
    return (
        Certificate.objects.filter(enrolment__learner=user, status=CertificateStatus.PENDING)
        .values_list("enrolment__run__course__title", flat=True)
        .first()
    )
