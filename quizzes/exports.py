"""The "attempts" export (registered with :func:`courses.api.register_export_kind` in ``QuizzesConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from courses.api import ExportKind, ExportScope
from quizzes.models import Attempt, AttemptState

HEADER = (
    "Attempt",
    "Enrolment",
    "E-mail",
    "Assessment",
    "Number",
    "State",
    "Started at",
    "Submitted at",
    "Score (%)",
    "Passed",
    "Pass mark (%)",
)


def _attempts(scope: ExportScope):
    return Attempt.objects.filter(enrolment__in=scope.enrolments)


def attempt_rows(scope: ExportScope) -> Iterator[Sequence]:
    states = dict(AttemptState.choices)
    rows = (
        _attempts(scope)
        .order_by("enrolment_id", "quiz_id", "number")
        .values_list(
            "id",
            "enrolment_id",
            "learner__email",
            "quiz__title",
            "number",
            "state",
            "started_at",
            "submitted_at",
            "score_percent",
            "passed",
            "pass_mark_percent",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        row = list(row)
        row[5] = states.get(row[5], row[5])
        yield row


EXPORT = ExportKind(
    key="attempts",
    label="Assessment attempts",
    header=HEADER,
    rows=attempt_rows,
    count=lambda scope: _attempts(scope).count(),
    order=30,
)
