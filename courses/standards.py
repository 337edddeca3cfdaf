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
        problems.append("Add at least one learning objective.")
    words = body_word_count(body_blocks)
    if words < MIN_BODY_WORDS:
        problems.append(
            f"The body has {words} words of teaching text; a module needs at least {MIN_BODY_WORDS} "
            "(paragraphs, key points, clinical cases or tables)."
        )
    if references < 1:
        problems.append("Add a References block with at least one reference.")
    if not estimated_minutes:
        problems.append("Give an estimated duration in minutes.")
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
        problems.append("Choose the course's track.")
    if not cme_credit_hours and not designations:
        problems.append("Give the CME credit hours.")
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
