"""Certificates of completion and the people who sign them.

A ``Certificate`` is one document for one enrolment. It is created *pending* in the
transaction that completes the enrolment, becomes *issued* once a worker has rendered
and stored its PDF, and may later be *revoked* or *superseded* (by a reissue). At most
one certificate per enrolment is *valid* (pending, issued or failed): a partial unique
constraint holds that, whatever races.

An issued certificate never changes: its PDF is stored once with its SHA-256, and the
``holder_name``…``signatories`` fields record what that PDF printed, so later edits to the
template, the course or the doctor's profile change nothing already issued. A reissue
makes a new certificate from current data.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from certificates.codes import (  # noqa: F401 - new_verification_code is the field default migrations name
    VERIFICATION_CODE_BYTES,
    VERIFICATION_CODE_LENGTH,
    new_verification_code,
    verification_code_grouped,
)
from lms.registration import registration_number_masked

# A certificate's footer holds this many signatures beside the verification block at the
# longest names and titles the form allows (certificates/rendering.py sets them; the
# layout tests render that case). More would squeeze every signature to illegibility.
SIGNATORIES_MAX = 3


def format_serial(*, year: int, number: int) -> str:
    """``PA-2027-000123``: the academy's prefix, the year of issue and a number unique for ever."""
    return f"{settings.CERTIFICATES_SERIAL_PREFIX}-{year}-{number:06d}"


def certificate_upload_to(certificate: Certificate, filename: str) -> str:
    # The name is decided by the certificate alone, so a retried render replaces the
    # file an interrupted one may have left instead of adding a second.
    return f"certificates/{certificate.requested_at:%Y}/{certificate.serial}-{certificate.verification_code[:8]}.pdf"


class CertificateStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    ISSUED = "issued", "Issued"
    FAILED = "failed", "Failed to render"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Superseded"


# The statuses in which a certificate counts as *the* certificate of its enrolment.
VALID_STATUSES = (CertificateStatus.PENDING, CertificateStatus.ISSUED, CertificateStatus.FAILED)


class RevocationReason(models.TextChoices):
    ISSUED_IN_ERROR = "issued_in_error", "Issued in error"
    REQUIREMENTS_NOT_MET = "requirements_not_met", "Completion requirements not met"
    ACADEMIC_MISCONDUCT = "academic_misconduct", "Academic misconduct"
    REGISTRATION_INVALID = "registration_invalid", "Medical registration not valid"
    HOLDER_REQUEST = "holder_request", "At the holder's request"


class Certificate(models.Model):
    """One certificate of completion for one enrolment (see the module docstring)."""

    enrolment = models.ForeignKey("courses.Enrolment", on_delete=models.PROTECT, related_name="certificates")
    serial = models.CharField(max_length=24, unique=True, null=True, blank=True, editable=False)
    verification_code = models.CharField(
        max_length=VERIFICATION_CODE_LENGTH, unique=True, default=new_verification_code, editable=False
    )
    status = models.CharField(
        max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.PENDING
    )

    # What the PDF printed, recorded when it was rendered.
    holder_name = models.CharField(max_length=150, blank=True)
    council = models.CharField("medical council", max_length=150, blank=True)
    registration_number = models.CharField(max_length=40, blank=True)
    course_title = models.CharField(max_length=255, blank=True)
    track = models.CharField(max_length=60, blank=True)
    run_label = models.CharField("run", max_length=60, blank=True)
    cme_credit_hours = models.DecimalField(
        "CME credit hours", max_digits=4, decimal_places=1, null=True, blank=True
    )
    completed_on = models.DateField(null=True, blank=True)
    claimed_credits = models.JSONField(
        default=list,
        blank=True,
        help_text="For an accredited course: the credit claimed per type, with the awarding body and statement printed.",
    )
    signatories = models.JSONField(
        default=list,
        blank=True,
        help_text="Names and titles of those who signed, with the SHA-256 of each signature image printed.",
    )
    traceability = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "What the certificate was earned on, recorded when it was issued: the revision of each module "
            "studied and its endorsement, the course's endorsement, the versions of the quizzes passed, the "
            "faculty's disclosures as shown, and the credit claim. Empty for certificates issued before it "
            "was recorded."
        ),
    )

    pdf = models.FileField(upload_to=certificate_upload_to, blank=True, max_length=255)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    render_ms = models.PositiveIntegerField("render time (ms)", null=True, blank=True)
    last_error = models.TextField(blank=True)

    requested_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now, help_text="When a render was last queued.")
    issued_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The administrator who issued or reissued it; empty when issued on completion.",
    )
    request_reason = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(max_length=24, choices=RevocationReason.choices, blank=True)
    revocation_note = models.TextField(blank=True)

    # Certificates are not content that other content uses; indexing their references
    # would add writes to every completion.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # The rule the whole app rests on: one valid certificate per enrolment. A
            # racing second request fails here, whatever the application believed.
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status__in=["pending", "issued", "failed"]),
                name="one_valid_certificate_per_enrolment",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | (Q(issued_at__isnull=False) & ~Q(pdf="") & ~Q(pdf_sha256="")),
                name="issued_certificate_has_pdf",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="revoked_certificate_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]
        permissions = [
            ("download_any_certificate", "Can download any learner's certificate"),
            ("issue_certificate", "Can issue, reissue and bulk-issue certificates"),
            ("revoke_certificate", "Can revoke certificates"),
        ]

    def __str__(self) -> str:
        return self.serial or f"Certificate #{self.pk} (being prepared)"

    @property
    def is_issued(self) -> bool:
        return self.status == CertificateStatus.ISSUED

    @property
    def is_valid(self) -> bool:
        return self.status in VALID_STATUSES

    @property
    def grouped_code(self) -> str:
        """The verification code in groups of four characters, easier to read out and type."""
        return verification_code_grouped(self.verification_code)

    @property
    def masked_registration_number(self) -> str:
        """The printed registration number with all but its last three characters hidden."""
        return registration_number_masked(self.registration_number)

    @property
    def verification_path(self) -> str:
        return f"/certificates/verify/{self.verification_code}/"

    @property
    def verification_url(self) -> str:
        return f"{settings.LMS_BASE_URL}{self.verification_path}"


class Signatory(models.Model):
    """Someone whose name, title and signature appear on new certificates."""

    name = models.CharField(max_length=150, help_text="As printed, e.g. “Dr Meera Iyer”.")
    title = models.CharField(max_length=200, help_text="e.g. “Dean, Faculty of Pain Medicine”.")
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "A scan of the signature on a white or transparent background (PNG or JPEG), in the "
            "“Certificate signatures” collection, which only academy administrators can change."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers print further left.")
    active = models.BooleanField(
        default=True,
        help_text=f"Only active signatories sign new certificates; at most {SIGNATORIES_MAX} can be active.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("signature"),
        FieldPanel("sort_order"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name_plural = "signatories"

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"

    def clean(self):
        """Refuse a signatory beyond what the certificate's footer holds.

        Checked when an administrator saves one (Wagtail's forms call this). Two
        administrators activating the last free place at the same instant could still
        make four; the certificate lays out any number without overlap (narrower
        columns), so that race costs looks, never a broken certificate.
        """
        super().clean()
        if not self.active:
            return
        others = Signatory.objects.filter(active=True).exclude(pk=self.pk).count()
        if others >= SIGNATORIES_MAX:
            raise ValidationError(
                {
                    "active": (
                        f"A certificate has room for {SIGNATORIES_MAX} signatories and {others} are already "
                        "active. Deactivate one of them first, or save this one as inactive."
                    )
                }
            )


class StatusList(models.Model):
    """A Bitstring Status List of the academy's Open Badges credentials (one per purpose).

    ``bits`` is the list itself (bit *i* set = credential *i* revoked, counting from the
    most significant bit of the first byte); ``credential`` is the signed
    ``BitstringStatusListCredential`` served at its stable address, re-signed whenever a
    bit changes. Only :mod:`certificates.services` writes it, holding its row lock.
    """

    purpose = models.CharField(max_length=20, unique=True, default="revocation")
    size = models.PositiveIntegerField(default=131_072)
    bits = models.BinaryField()
    credential = models.JSONField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "credential status list"

    def __str__(self) -> str:
        return f"{self.purpose} status list"


class BadgeCredential(models.Model):
    """The Open Badges 3.0 credential issued beside a certificate's PDF; never changed once written.

    ``document`` is the signed JSON exactly as issued (served byte for byte) and
    ``sha256`` its hash; ``status_index`` is its random place in the status list (unique
    there), where revoking the certificate sets its bit. A reissued certificate gets a
    credential (and an index) of its own.
    """

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="badge_credential")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="credentials")
    status_index = models.PositiveIntegerField()
    document = models.TextField(editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    verification_method = models.CharField(max_length=255, editable=False)
    issued_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_status_index"
            )
        ]

    def __str__(self) -> str:
        return f"Open Badges credential of {self.certificate}"


# --- Transcript PDFs ------------------------------------------------------------------------


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


def transcript_pdf_upload_to(transcript: TranscriptPDF, filename: str) -> str:
    # Fixed by the row, so a retried render replaces an interrupted one's file.
    return f"transcripts/{transcript.requested_at:%Y}/{transcript.pk}-{transcript.verification_code[:8]}.pdf"


STATEMENT_DATE_KEYS = frozenset({"completed_on", "starts_on", "ends_before", "last_day"})


def statement_line_with_dates(line: dict) -> dict:
    """A statement line with its ISO dates parsed, for templates' ``date`` filter."""
    return {
        key: datetime.date.fromisoformat(value) if key in STATEMENT_DATE_KEYS and value else value
        for key, value in line.items()
    }


class TranscriptPDFStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    ISSUED = "issued", "Ready"
    FAILED = "failed", "Could not be prepared"


class TranscriptPDF(models.Model):
    """A doctor's transcript as a PDF, for one renewal window, on one day: what it states is fixed.

    ``statement`` is the snapshot the PDF prints (holder, window, totals per credit type,
    claims and self-reported credit), taken in the request's transaction;
    ``fingerprint`` is its SHA-256, so asking twice for the same transcript on the same
    day finds the row already there (a partial unique constraint holds that against
    races) instead of rendering a second one. A worker renders only a *pending* row.
    The verification code lets a council check what the PDF states at
    ``/certificates/verify/transcript/<code>/``. Kept with the learner (``PROTECT``):
    a participation record.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transcript_pdfs"
    )
    window_start = models.DateField(
        null=True, blank=True, help_text="Empty: each cycle ending on the issue date."
    )
    issued_on = models.DateField(help_text="The date the transcript is stated on.")
    statement = models.JSONField(editable=False)
    fingerprint = models.CharField(max_length=64, editable=False)
    verification_code = models.CharField(
        max_length=VERIFICATION_CODE_LENGTH, unique=True, default=new_verification_code, editable=False
    )
    status = models.CharField(
        max_length=8, choices=TranscriptPDFStatus.choices, default=TranscriptPDFStatus.PENDING
    )
    pdf = models.FileField(
        storage=_private_storage, upload_to=transcript_pdf_upload_to, blank=True, max_length=255
    )
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    render_ms = models.PositiveIntegerField("render time (ms)", null=True, blank=True)
    last_error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "transcript PDF"
        constraints = [
            # Clicking twice (or two tabs at once) makes one transcript and one render.
            models.UniqueConstraint(
                fields=["learner", "fingerprint"],
                condition=Q(status__in=["pending", "issued"]),
                name="one_transcript_pdf_per_statement",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | (Q(issued_at__isnull=False) & ~Q(pdf="") & ~Q(pdf_sha256="")),
                name="issued_transcript_pdf_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Transcript of {self.statement.get('holder_name', '')} on {self.issued_on:%d %b %Y}"

    @property
    def is_issued(self) -> bool:
        return self.status == TranscriptPDFStatus.ISSUED

    @property
    def grouped_code(self) -> str:
        return verification_code_grouped(self.verification_code)

    @property
    def masked_registration_number(self) -> str:
        return registration_number_masked(self.statement.get("registration_number", ""))

    @property
    def totals(self) -> list[dict]:
        """The statement's totals per credit type, with their dates as dates (for the verification page)."""
        return [statement_line_with_dates(total) for total in self.statement.get("totals", [])]

    @property
    def external_totals(self) -> list[dict]:
        return [statement_line_with_dates(total) for total in self.statement.get("external_totals", [])]

    @property
    def verification_path(self) -> str:
        return f"/certificates/verify/transcript/{self.verification_code}/"

    @property
    def verification_url(self) -> str:
        return f"{settings.LMS_BASE_URL}{self.verification_path}"
