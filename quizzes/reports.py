"""What ``quizzes`` adds to the administrators' run dashboard (``courses.reports``).

Registered with :func:`courses.api.register_run_report` in ``QuizzesConfig.ready``:

* one grouped pass over the scope's attempts (:class:`courses.api.ReportTable`), and
  conditions over it: the "assessments" step — every required live quiz of the course
  passed (the rule of :func:`quizzes.selectors.assessments_step_statuses`, as SQL); an
  attempt started is activity; a required assessment failed and not passed since is a
  failure;
* for the learners on screen: the best score on the course's last required assessment
  (the post-test, in course order) and when they last started an attempt;
* per required assessment: how many learners sat it, how many passed (the pass rate is
  of those who sat it), and the distribution of each learner's best score in ten-point
  bands (one aggregate query for all of them), drawn by :mod:`quizzes.charts` with a
  table alternative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Max, Q

from courses.api import (
    LearnerFacts,
    Panel,
    ReadCache,
    ReportFigures,
    ReportScope,
    ReportTable,
    RunReportProvider,
)
from quizzes.charts import DistributionChart, distribution_chart
from quizzes.models import Attempt, AttemptState, Quiz
from quizzes.selectors import attempt_facts, live_quizzes
from quizzes.statistics import SCORE_BIN_LABELS

if TYPE_CHECKING:
    from courses.models import Enrolment


def _required_by_course(course_ids, reads: ReadCache) -> dict[int, list[Quiz]]:
    by_course: dict[int, list[Quiz]] = defaultdict(list)
    for quiz in live_quizzes(course_ids, reads):
        if quiz.required_for_completion:
            by_course[quiz.course_id].append(quiz)
    return by_course


def assessment_figures(scope: ReportScope) -> ReportFigures:
    """Each enrolment's attempts in one grouped pass: the latest start (activity), the required
    assessments passed (the "assessments" step) and those failed and not passed since."""
    required = _required_by_course(scope.course_ids, scope.reads)
    ids = sorted(quiz.pk for quizzes in required.values() for quiz in quizzes)
    passed = Q(quiz_id__in=ids, passed=True)
    failed = Q(quiz_id__in=ids, state=AttemptState.GRADED, passed=False)
    # With one required assessment (most courses: a post-test), counting attempts says as
    # much as counting assessments, without the sort a DISTINCT count costs.
    several = len(ids) > 1
    columns = {"latest_start": Max("started_at")}
    if ids:
        columns["required_passed"] = Count("quiz", filter=passed, distinct=several)
        # Assessments passed or failed: more of them than passed means one failed, not passed since.
        columns["required_tried"] = Count("quiz", filter=passed | failed, distinct=several)
    table = ReportTable(
        key="attempts",
        rows=Attempt.objects.filter(enrolment__in=scope.enrolments),
        columns=columns,
        activity="latest_start",
    )
    if not ids:
        return ReportFigures(table=table)
    passed_count, tried = table.column("required_passed"), table.column("required_tried")
    met = []
    for course_id in sorted(scope.course_ids):
        quizzes = required.get(course_id, [])
        if quizzes:
            met.append(f"(e.course_id = {int(course_id)} AND {passed_count} >= {len(quizzes)})")
        else:
            met.append(f"e.course_id = {int(course_id)}")
    failed_sql = f"{tried} > {passed_count}" if several else f"{tried} > 0 AND {passed_count} = 0"
    return ReportFigures(table=table, steps={"assessments": " OR ".join(met)}, failed=failed_sql)


def learner_scores(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, LearnerFacts]:
    required = _required_by_course({e.run.course_id for e in enrolments}, reads)
    ids = [e.pk for e in enrolments]
    latest = dict(
        Attempt.objects.filter(enrolment__in=ids)
        .values("enrolment_id")
        .annotate(latest=Max("started_at"))
        .values_list("enrolment_id", "latest")
    )
    best: dict[tuple[int, int], object] = {}
    if required:
        for fact in attempt_facts(ids, reads):
            if fact.score_percent is not None:
                key = (fact.enrolment_id, fact.quiz_id)
                best[key] = max(best.get(key, fact.score_percent), fact.score_percent)
    facts = {}
    for enrolment in enrolments:
        quizzes = required.get(enrolment.run.course_id)
        final = quizzes[-1] if quizzes else None
        facts[enrolment.pk] = LearnerFacts(
            score_percent=best.get((enrolment.pk, final.pk)) if final else None,
            score_label=final.title if final else "",
            last_activity_at=latest.get(enrolment.pk),
        )
    return facts


@dataclass(frozen=True)
class AssessmentResults:
    """One required assessment across the report's learners (each counted once, by their best attempt)."""

    quiz: Quiz
    learners_sat: int
    learners_passed: int
    distribution: list[tuple[str, int]]
    chart: DistributionChart

    @property
    def pass_rate_percent(self) -> int | None:
        return round(100 * self.learners_passed / self.learners_sat) if self.learners_sat else None


_BANDS_SQL = """
SELECT quiz_id, LEAST(FLOOR(best / 10), 9)::int AS band, COUNT(*), COUNT(*) FILTER (WHERE passed)
FROM (
    SELECT quiz_id, enrolment_id, MAX(score_percent) AS best, BOOL_OR(passed) AS passed
    FROM quizzes_attempt
    WHERE state = %s AND quiz_id = ANY(%s) AND enrolment_id IN ({enrolments})
    GROUP BY quiz_id, enrolment_id
) AS learners
GROUP BY quiz_id, band
"""


def assessments_panel(scope: ReportScope) -> list[Panel]:
    required = [
        quiz for quizzes in _required_by_course(scope.course_ids, scope.reads).values() for quiz in quizzes
    ]
    if not required:
        return []
    enrolments_sql, enrolments_params = scope.enrolments.query.sql_with_params()
    bands: dict[int, list[int]] = {quiz.pk: [0] * len(SCORE_BIN_LABELS) for quiz in required}
    passed: dict[int, int] = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(
            _BANDS_SQL.format(enrolments=enrolments_sql),
            [AttemptState.GRADED, [quiz.pk for quiz in required], *enrolments_params],
        )
        for quiz_id, band, learners, passing in cursor.fetchall():
            bands[quiz_id][band] = learners
            passed[quiz_id] += passing
    results = []
    for quiz in required:
        distribution = list(zip(SCORE_BIN_LABELS, bands[quiz.pk], strict=True))
        results.append(
            AssessmentResults(
                quiz=quiz,
                learners_sat=sum(bands[quiz.pk]),
                learners_passed=passed[quiz.pk],
                distribution=distribution,
                chart=distribution_chart(distribution, pass_mark_percent=quiz.pass_mark_percent),
            )
        )
    return [
        Panel(
            key="assessments", template="quizzes/admin/includes/run_assessments.html", data=results, order=20
        )
    ]


RUN_REPORT = RunReportProvider(
    key="assessments",
    figures=assessment_figures,
    facts=learner_scores,
    panels=assessments_panel,
)
