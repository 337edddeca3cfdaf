"""What ``quizzes`` adds to the administrators' run dashboard (``courses.reports``).

Registered with :func:`courses.api.register_run_report` in ``QuizzesConfig.ready``. For
the enrolments of a run it gives, in two queries whatever their number (the live
quizzes and the attempt facts are shared with the "assessments" completion step through
the :class:`~courses.api.ReadCache`, plus one aggregate for the latest attempt):

* per learner: the best score on the course's last required assessment (the post-test,
  in course order), whether they failed a required assessment they have not passed
  since, and when they last started an attempt (their last activity, with the modules');
* per required assessment: how many learners sat it, how many passed (the pass rate is
  of those who sat it), and the distribution of each learner's best score in ten-point
  bands — drawn by :mod:`quizzes.charts` with a table alternative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Max

from courses.api import LearnerFacts, Panel, ReadCache, ReportSection
from quizzes.charts import DistributionChart, distribution_chart
from quizzes.models import Attempt, Quiz
from quizzes.selectors import attempt_facts, live_quizzes
from quizzes.statistics import AttemptScores, QuizSummary, quiz_summary

if TYPE_CHECKING:
    from courses.models import Enrolment


@dataclass(frozen=True)
class AssessmentResults:
    """One required assessment across the report's learners (each counted once, by their best attempt)."""

    quiz: Quiz
    course_title: str
    learners_sat: int
    learners_passed: int
    summary: QuizSummary
    chart: DistributionChart

    @property
    def pass_rate_percent(self) -> int | None:
        return round(100 * self.learners_passed / self.learners_sat) if self.learners_sat else None


def _best(scores: list[Decimal]) -> Decimal | None:
    return max(scores) if scores else None


def run_assessments_report(enrolments: Sequence[Enrolment], reads: ReadCache) -> ReportSection:
    courses = {e.run.course_id: e.run.course for e in enrolments}
    required = [quiz for quiz in live_quizzes(set(courses), reads) if quiz.required_for_completion]
    ids = [e.pk for e in enrolments]
    latest = dict(
        Attempt.objects.filter(enrolment__in=ids)
        .values("enrolment_id")
        .annotate(latest=Max("started_at"))
        .values_list("enrolment_id", "latest")
    )
    facts_by_pair: dict[tuple[int, int], list] = defaultdict(list)
    if required:
        for fact in attempt_facts(ids, reads):
            facts_by_pair[(fact.enrolment_id, fact.quiz_id)].append(fact)
    by_course: dict[int, list[Quiz]] = defaultdict(list)
    for quiz in required:
        by_course[quiz.course_id].append(quiz)

    facts = {}
    for enrolment in enrolments:
        quizzes = by_course.get(enrolment.run.course_id, [])
        failed = False
        for quiz in quizzes:
            graded = [f for f in facts_by_pair.get((enrolment.pk, quiz.pk), ()) if f.passed is not None]
            if graded and not any(f.passed for f in graded):
                failed = True
        score = label = None
        if quizzes:
            final = quizzes[-1]
            score = _best(
                [
                    f.score_percent
                    for f in facts_by_pair.get((enrolment.pk, final.pk), ())
                    if f.score_percent is not None
                ]
            )
            label = final.title
        facts[enrolment.pk] = LearnerFacts(
            score_percent=score,
            score_label=label or "",
            failed=failed,
            last_activity_at=latest.get(enrolment.pk),
        )

    results = []
    for quiz in required:
        scores = []
        for enrolment in enrolments:
            if enrolment.run.course_id != quiz.course_id:
                continue
            graded = [f for f in facts_by_pair.get((enrolment.pk, quiz.pk), ()) if f.passed is not None]
            if graded:
                best = max(float(f.score_percent) for f in graded)
                passed = any(f.passed for f in graded)
                scores.append(AttemptScores(enrolment.pk, best, passed, {}))
        summary = quiz_summary(scores)
        results.append(
            AssessmentResults(
                quiz=quiz,
                course_title=courses[quiz.course_id].title,
                learners_sat=len(scores),
                learners_passed=sum(1 for s in scores if s.passed),
                summary=summary,
                chart=distribution_chart(summary.distribution, pass_mark_percent=quiz.pass_mark_percent),
            )
        )
    panels = (
        [
            Panel(
                key="assessments",
                template="quizzes/admin/includes/run_assessments.html",
                data=results,
                order=20,
            )
        ]
        if results
        else []
    )
    return ReportSection(facts=facts, panels=panels)
