"""The academy's content standard: what a module or a course must contain before the
Faculty of Pain Medicine can be asked to endorse it, and who must have confirmed their
disclosures. Pure functions over plain values; the admin forms call them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import strip_tags

from courses.credits import credits_supported, is_on_step, minutes_label

MIN_BODY_WORDS = 200
DISCLOSURE_VALID_DAYS = 365
TEACHING_BLOCKS = {"paragraph", "key_points", "clinical_case", "table"}
TEACHING_TEXT = "paragraphs, key points, clinical cases or tables"


class Problem(str):
    """One thing the standard finds missing: its message, and the editor field it concerns
    (``None`` when it concerns the page as a whole), so the editor can show it beside that
    field. A ``str``, so a list of problems reads as a list of messages everywhere else."""

    field: str | None

    def __new__(cls, message: str, field: str | None = None):
        problem = super().__new__(cls, message)
        problem.field = field
        return problem


_FOR_ENDORSEMENT = "Needed before the Faculty can endorse it: "
_DISCLOSURES = (
    f"each one's disclosure of financial relationships confirmed within the last {DISCLOSURE_VALID_DAYS} days"
)

#: The standard's rules for each field of the module editor, shown as the field's help text.
MODULE_FIELD_RULES = {
    "estimated_minutes": _FOR_ENDORSEMENT + "the estimated study time in minutes. The course's study time, "
    "and so the credit it may designate, is the sum of its published modules' minutes.",
    "objectives": _FOR_ENDORSEMENT + "at least one learning objective.",
    "body": _FOR_ENDORSEMENT + f"at least {MIN_BODY_WORDS} words of teaching text ({TEACHING_TEXT}) "
    "and a References block with at least one reference.",
    "module_authors": f"Before it can be sent for endorsement: {_DISCLOSURES}.",
}

#: The standard's rules for each field of the course editor, shown as the field's help text.
COURSE_FIELD_RULES = {
    "track": _FOR_ENDORSEMENT + "the course's track.",
    "cme_credit_hours": _FOR_ENDORSEMENT + "the CME credit hours, unless the course designates credit "
    "of a credit type below.",
    "faculty_links": _FOR_ENDORSEMENT + f"at least one faculty member, {_DISCLOSURES}. "
    "The course also needs at least one published module.",
    "designated_credits": "The most credit a learner may claim, per credit type, in whole steps of the "
    "type and no more than the published modules' estimated study time supports. Set before the first "
    "run opens: it cannot change once a run has opened for enrolment. Leave empty for a course without "
    "accredited credit.",
}


def _words(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dict):
        return sum(_words(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_words(v) for v in value)
    source = getattr(value, "source", None)  # RichText
    text = source if source is not None else str(value)
    return len(strip_tags(text).split())


def body_word_count(body_blocks: Iterable[tuple[str, object]]) -> int:
    """Words of teaching text in a module body (paragraphs, key points, cases, tables)."""
    return sum(_words(value) for block_type, value in body_blocks if block_type in TEACHING_BLOCKS)


def module_problems(
    *, objectives: int, body_blocks: list[tuple[str, object]], references: int, estimated_minutes: int | None
) -> list[str]:
    problems = []
    if objectives < 1:
        problems.append(Problem("Add at least one learning objective.", "objectives"))
    words = body_word_count(body_blocks)
    if words < MIN_BODY_WORDS:
        problems.append(
            Problem(
                f"The body has {words} words of teaching text; a module needs at least {MIN_BODY_WORDS} "
                f"({TEACHING_TEXT}).",
                "body",
            )
        )
    if references < 1:
        problems.append(Problem("Add a References block with at least one reference.", "body"))
    if not estimated_minutes:
        problems.append(Problem("Give an estimated duration in minutes.", "estimated_minutes"))
    return problems


@dataclass(frozen=True)
class Designation:
    """Credit of one type a course designates, with the type's unit (plain values)."""

    credit_type: str
    max_credits: Decimal
    minutes_per_credit: int
    step: Decimal


def designation_problems(designations: Iterable[Designation], *, study_minutes: int) -> list[str]:
    """Designated credit the course's study time cannot support, or off the type's step.

    ``study_minutes`` is the sum of the published modules' estimated minutes: the same
    number the course page shows as its study time, so the two can never disagree.
    """
    problems = []
    for d in designations:
        if not is_on_step(d.max_credits, d.step):
            problems.append(
                f"Designate {d.credit_type} in whole steps of {d.step}: {d.max_credits} is not one."
            )
        supported = credits_supported(minutes=study_minutes, minutes_per_credit=d.minutes_per_credit)
        if d.max_credits > supported:
            problems.append(
                f"The course designates {d.max_credits} {d.credit_type}, but its published modules' estimated "
                f"study time ({minutes_label(study_minutes)}) supports at most "
                f"{supported.quantize(Decimal('0.01'))}. Lower the designation or add study time to the modules."
            )
    return problems


def course_problems(
    *,
    track: str,
    cme_credit_hours,
    faculty: int,
    published_modules: int,
    designations: Iterable[Designation] = (),
    study_minutes: int = 0,
) -> list[str]:
    problems = []
    designations = list(designations)
    if not track:
        problems.append(Problem("Choose the course's track.", "track"))
    if not cme_credit_hours and not designations:
        problems.append(Problem("Give the CME credit hours.", "cme_credit_hours"))
    if faculty < 1:
        problems.append("Add at least one faculty member.")
    if published_modules < 1:
        problems.append("Publish at least one module of the course first: a course cannot be endorsed empty.")
    problems += designation_problems(designations, study_minutes=study_minutes)
    return problems


@dataclass(frozen=True)
class DisclosureState:
    name: str
    confirmed_on: datetime.date | None


def disclosure_is_stale(confirmed_on: datetime.date | None, today: datetime.date) -> bool:
    return confirmed_on is None or (today - confirmed_on).days > DISCLOSURE_VALID_DAYS


def stale_disclosure_problems(people: Iterable[DisclosureState], today: datetime.date) -> list[str]:
    problems = []
    for person in people:
        if disclosure_is_stale(person.confirmed_on, today):
            when = (
                f"last confirmed on {person.confirmed_on:%d %b %Y}"
                if person.confirmed_on
                else "never confirmed"
            )
            problems.append(
                f"{person.name}'s disclosure of financial relationships was {when}. It must be confirmed "
                f"within the last 12 months before this can be submitted for endorsement "
                "(Academy › Faculty › Confirm disclosures)."
            )
    return problems
