"""The API's contract: Pydantic schemas of what it accepts and returns (published in the OpenAPI document).

Schemas read the objects the apps' selectors return (models, dataclasses) by attribute;
a few ``resolve_*`` methods rename or flatten, none decides anything. What a learner
may see of an attempt before review is decided by ``quizzes`` (``PublicQuestion`` has
no key, feedback or explanation; the review exists only when the policy allows): these
schemas cannot leak what those objects do not carry.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StringConstraints

#: Ids are PostgreSQL bigints: a larger number names nothing (404 or 422, never a database error).
MAX_ID = 2**63 - 1

# --- Errors ---------------------------------------------------------------------------------


class FieldProblem(Schema):
    location: str = Field(description="Where in the request: e.g. body.run_id, query.limit.")
    message: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = Field(description="A URI naming the kind of problem, or about:blank.")
    title: str
    status: int
    detail: str = Field(description="What went wrong with this request, for a person to read.")
    instance: str | None = None
    errors: list[FieldProblem] | None = None


# --- Catalogue ------------------------------------------------------------------------------


class RunOut(Schema):
    id: int
    course_id: int
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    enrolment_opens_at: datetime.datetime
    enrolment_closes_at: datetime.datetime
    capacity: int
    seats_taken: int
    seats_left: int
    enrolment_open: bool = Field(description="Whether the enrolment window is open now.")

    @staticmethod
    def resolve_enrolment_open(run) -> bool:
        return run.is_enrolment_open()


class CourseOut(Schema):
    id: int
    title: str
    slug: str
    summary: str
    track: str
    cme_credit_hours: Decimal | None
    estimated_hours: int | None
    module_count: int
    url: str = Field(description="The course's page on the site.")
    runs: list[RunOut] = Field(description="Runs that have not ended, soonest first.")

    @staticmethod
    def resolve_id(card) -> int:
        return card.course.pk

    @staticmethod
    def resolve_title(card) -> str:
        return card.course.title

    @staticmethod
    def resolve_slug(card) -> str:
        return card.course.slug

    @staticmethod
    def resolve_summary(card) -> str:
        return card.course.summary

    @staticmethod
    def resolve_track(card) -> str:
        return card.course.track

    @staticmethod
    def resolve_cme_credit_hours(card):
        return card.course.cme_credit_hours

    @staticmethod
    def resolve_estimated_hours(card):
        return card.course.estimated_hours

    @staticmethod
    def resolve_url(card, context) -> str:
        return card.course.get_full_url(context["request"]) or card.course.url_path


class Paged(Schema):
    count: int = Field(description="How many items match, on every page.")
    limit: int
    offset: int
    next: str | None = Field(description="The next page's address, or null on the last page.")
    previous: str | None


class CoursePageOut(Paged):
    items: list[CourseOut]


# --- Me -------------------------------------------------------------------------------------


class ProfileOut(Schema):
    full_name: str
    council: str
    council_display: str
    registration_number: str
    specialty: str
    institution: str
    city: str
    country: str
    complete: bool

    @staticmethod
    def resolve_country(profile) -> str:
        return str(profile.country)

    @staticmethod
    def resolve_complete(profile) -> bool:
        return profile.is_complete


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    profile: ProfileOut | None


# --- Enrolments -----------------------------------------------------------------------------


class EnrolmentCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    run_id: int = Field(description="The run to enrol in (from the catalogue's runs).", ge=1, le=MAX_ID)


class StepOut(Schema):
    key: str
    label: str
    done: int
    total: int
    required: bool
    met: bool

    @staticmethod
    def resolve_met(step) -> bool:
        return step.is_met


class ProgressOut(Schema):
    percent: int
    done: int
    total: int
    complete: bool
    steps: list[StepOut]
    next_step: StepOut | None = Field(description="The first required step not yet met.")

    @staticmethod
    def resolve_complete(progress) -> bool:
        return progress.is_complete


class ModuleRefOut(Schema):
    id: int
    title: str
    url: str

    @staticmethod
    def resolve_id(row) -> int:
        return row.entry.id

    @staticmethod
    def resolve_title(row) -> str:
        return row.entry.title


class EnrolmentRunOut(Schema):
    id: int
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    course_id: int
    course_title: str

    @staticmethod
    def resolve_course_title(run) -> str:
        return run.course.title


class EnrolmentOut(Schema):
    id: int
    status: Literal["active", "completed", "withdrawn"]
    enrolled_at: datetime.datetime
    completed_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    run: EnrolmentRunOut
    has_access: bool = Field(description="Whether the enrolment opens the course's modules now.")
    can_withdraw: bool
    withdraw_refusal: str | None = Field(description="Why it cannot be withdrawn now, if it cannot.")
    modules_done: int
    modules_total: int
    progress: ProgressOut
    continue_module: ModuleRefOut | None = Field(description="Where to carry on: the next module to study.")

    @staticmethod
    def resolve_id(summary) -> int:
        return summary.enrolment.pk

    @staticmethod
    def resolve_status(summary) -> str:
        return summary.enrolment.status

    @staticmethod
    def resolve_enrolled_at(summary):
        return summary.enrolment.enrolled_at

    @staticmethod
    def resolve_completed_at(summary):
        return summary.enrolment.completed_at

    @staticmethod
    def resolve_withdrawn_at(summary):
        return summary.enrolment.withdrawn_at

    @staticmethod
    def resolve_run(summary):
        return summary.enrolment.run

    @staticmethod
    def resolve_can_withdraw(summary) -> bool:
        return summary.withdraw_refusal is None


class EnrolmentPageOut(Paged):
    items: list[EnrolmentOut]


class AssessmentOut(Schema):
    id: int
    title: str
    role: str
    required_for_completion: bool
    pass_mark_percent: Decimal
    time_limit_minutes: int | None
    module_id: int | None
    passed: bool
    attempts_used: int
    best_score_percent: Decimal | None

    @staticmethod
    def resolve_id(row) -> int:
        return row.quiz.pk

    @staticmethod
    def resolve_title(row) -> str:
        return row.quiz.title

    @staticmethod
    def resolve_role(row) -> str:
        return row.quiz.role

    @staticmethod
    def resolve_required_for_completion(row) -> bool:
        return row.quiz.required_for_completion

    @staticmethod
    def resolve_pass_mark_percent(row):
        return row.quiz.pass_mark_percent

    @staticmethod
    def resolve_time_limit_minutes(row):
        return row.quiz.time_limit_minutes

    @staticmethod
    def resolve_module_id(row):
        return row.quiz.module_id

    @staticmethod
    def resolve_best_score_percent(row):
        return row.best_score


# --- Attempts -------------------------------------------------------------------------------


class ChoiceOut(Schema):
    id: str
    text: str
    selected: bool


class QuestionOut(Schema):
    position: int
    kind: str
    stem: str = Field(description="HTML, as the page shows it.")
    choices: list[ChoiceOut]
    answered: bool


class AttemptOut(Schema):
    id: int
    assessment_id: int
    number: int
    state: str
    started_at: datetime.datetime
    deadline: datetime.datetime | None
    seconds_left: int | None
    submitted_at: datetime.datetime | None
    questions: list[QuestionOut] = Field(
        description="Stems and choices only: no key, feedback or explanation."
    )


POSITION_PATTERN = r"^[1-9][0-9]{0,3}$"
ChoiceId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Position = Annotated[str, StringConstraints(pattern=POSITION_PATTERN)]
# The same rule stated the way JSON Schema tools generate from (patternProperties).
_ANSWERS_SCHEMA = {
    "patternProperties": {
        POSITION_PATTERN: {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 64}}
    },
    "additionalProperties": False,
}


class AnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[Position, list[ChoiceId]] = Field(
        description='Question position → the chosen choice ids, e.g. {"1": ["17"], "2": ["20", "22"]}. '
        "Questions left out keep their saved answer; an empty list clears it.",
        max_length=500,
        json_schema_extra=_ANSWERS_SCHEMA,
    )

    def by_position(self) -> dict[int, list[str]]:
        return {int(position): choices for position, choices in self.answers.items()}


class SubmitIn(AnswersIn):
    answers: dict[Position, list[ChoiceId]] = Field(
        default_factory=dict,
        max_length=500,
        description="Answers to save before grading, as for saving answers ({} for none).",
        json_schema_extra=_ANSWERS_SCHEMA,
    )


class SavedOut(Schema):
    saved: bool
    seconds_left: int | None


class ReviewChoiceOut(Schema):
    id: str
    text: str
    selected: bool
    is_correct: bool
    feedback: str


class ReviewQuestionOut(Schema):
    position: int
    kind: str
    stem: str
    choices: list[ReviewChoiceOut]
    explanation: str
    marks_awarded: str
    marks_available: str
    is_correct: bool


class ResultOut(Schema):
    attempt_id: int
    assessment_id: int
    state: str
    score_percent: Decimal | None
    pass_mark_percent: Decimal
    passed: bool | None
    submitted_at: datetime.datetime | None
    submitted_late: bool
    answered: int
    total: int
    course_completed: bool = Field(default=False, description="Whether this submission completed the course.")
    review: list[ReviewQuestionOut] | None = Field(
        description="Answers, feedback and explanations — only when the assessment's review policy allows."
    )


# --- Certificates ---------------------------------------------------------------------------


class CertificateOut(Schema):
    id: int
    serial: str | None
    status: str
    holder_name: str
    course_title: str
    run_label: str
    cme_credit_hours: Decimal | None
    completed_on: datetime.date | None
    issued_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    verification_url: str | None
    pdf_sha256: str
    pdf_available: bool

    @staticmethod
    def resolve_verification_url(certificate) -> str | None:
        return certificate.verification_url if certificate.issued_at else None

    @staticmethod
    def resolve_pdf_available(certificate) -> bool:
        return bool(certificate.pdf) and certificate.status == "issued"


class CertificatePageOut(Paged):
    items: list[CertificateOut]


class VerificationOut(Schema):
    """What a verifier may see (the same facts as the verification page)."""

    serial: str | None
    status: str
    valid: bool
    holder_name: str
    registration_number: str = Field(description="Masked: the last characters only.")
    course_title: str
    track: str
    run_label: str
    cme_credit_hours: Decimal | None
    completed_on: datetime.date | None
    issued_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    revocation_reason: str
    superseded_by_url: str | None
    verification_url: str

    @staticmethod
    def resolve_valid(certificate) -> bool:
        return certificate.status == "issued"

    @staticmethod
    def resolve_registration_number(certificate) -> str:
        return certificate.masked_registration_number

    @staticmethod
    def resolve_revocation_reason(certificate) -> str:
        return certificate.get_revocation_reason_display() if certificate.revocation_reason else ""

    @staticmethod
    def resolve_superseded_by_url(certificate) -> str | None:
        if certificate.status != "superseded":
            return None
        try:
            return certificate.superseded_by.verification_url
        except ObjectDoesNotExist:
            return None


class TranscriptLineOut(Schema):
    """One credit claimed through the academy, as recorded at the claim."""

    course_title: str
    provider: str
    run_label: str
    completed_on: datetime.date
    credit_type: str
    awarding_body: str
    designated_max: Decimal
    credits: Decimal
    status: str = Field(description="Claimed, or the status of the certificate that carries it.")
    counts: bool = Field(description="Whether it counts towards the totals (not revoked).")
    certificate_serial: str | None
    verification_url: str | None

    @staticmethod
    def resolve_course_title(row) -> str:
        return row.entry.course_title

    @staticmethod
    def resolve_provider(row) -> str:
        return row.entry.provider

    @staticmethod
    def resolve_run_label(row) -> str:
        return row.entry.run_label

    @staticmethod
    def resolve_completed_on(row) -> datetime.date:
        return row.entry.completed_on

    @staticmethod
    def resolve_credit_type(row) -> str:
        return row.entry.credit_type_name

    @staticmethod
    def resolve_awarding_body(row) -> str:
        return row.entry.awarding_body

    @staticmethod
    def resolve_designated_max(row) -> Decimal:
        return row.entry.designated_max

    @staticmethod
    def resolve_credits(row) -> Decimal:
        return row.entry.credits

    @staticmethod
    def resolve_certificate_serial(row) -> str | None:
        return row.certificate.serial if row.certificate is not None else None

    @staticmethod
    def resolve_verification_url(row) -> str | None:
        certificate = row.certificate
        return certificate.verification_url if certificate is not None and certificate.issued_at else None


class CreditTotalOut(Schema):
    """Credit of one type within its renewal window: ``starts_on`` ≤ completion < ``ends_before``."""

    credit_type: str
    awarding_body: str
    cycle_years: int
    starts_on: datetime.date
    ends_before: datetime.date
    credits: Decimal


class ExternalCreditOut(Schema):
    """Credit the doctor reported from another provider: self-reported, shown apart."""

    activity: str
    provider: str
    completed_on: datetime.date
    credit_type: str
    credits: Decimal

    @staticmethod
    def resolve_credit_type(credit) -> str:
        return credit.credit_type.name


class TranscriptOut(Schema):
    window_start: datetime.date | None = Field(
        description="The start asked for; null: each type's cycle ending today."
    )
    lines: list[TranscriptLineOut]
    totals: list[CreditTotalOut]
    external: list[ExternalCreditOut]
    external_totals: list[CreditTotalOut]

    @staticmethod
    def resolve_lines(transcript) -> list:
        return list(transcript.rows)


def _iso_date_only(value):
    """Pydantic would also read a number as a Unix time ("0" → 1970-01-01): only YYYY-MM-DD is a date here."""
    if isinstance(value, str) and not (len(value) == 10 and value[4] == "-" and value[7] == "-"):
        raise ValueError("Give the date as YYYY-MM-DD.")
    if isinstance(value, int | float):
        raise ValueError("Give the date as YYYY-MM-DD.")
    return value


#: A calendar date written YYYY-MM-DD (``format: date`` in the schema), nothing else.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]
