"""Reads for quizzes: what a learner may see of a quiz and an attempt, and statistics.

What reaches a template before review is built here from the attempt's snapshot and
carries only stems and choice texts: never which choice is correct, per-choice
feedback or explanations (``PublicQuestion``). ``ReviewQuestion`` carries those, and
is only built when the attempt's review policy allows it.

Also here: the "assessments" completion step and the panels ``quizzes`` adds to the
course and module pages (registered with :mod:`courses.api` in ``QuizzesConfig.ready``),
and :func:`attempts_allowed`, the one attempt-limit rule.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from courses.api import (
    CourseOverview,
    EndorsementFact,
    ModuleContext,
    Panel,
    ReadCache,
    StepStatus,
    course_runs,
    endorsements_for_revisions,
    enrolment_giving_access,
    runs_enrolment_ids,
)
from quizzes.deadlines import attempt_is_past_grace
from quizzes.knowledge_gain import KnowledgeGainReport, PairedAttempts, knowledge_gain_report
from quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    ExtraAttemptGrant,
    Question,
    QuestionTag,
    Quiz,
    QuizRole,
)
from quizzes.statistics import (
    AttemptScores,
    ChoicePick,
    ItemStatistics,
    QuizSummary,
    VersionStatistics,
    item_statistics,
    item_version_statistics,
    quiz_summary,
)

if TYPE_CHECKING:
    from courses.models import CourseRun, Enrolment


def attempts_allowed(*, quiz: Quiz, enrolment: Enrolment | None) -> int | None:
    """The learner's attempt limit for ``quiz``, granted extras included; ``None`` = unlimited.

    Without an enrolment (a visitor reading the rules) it is the quiz's own limit.
    """
    if not quiz.attempts_allowed:
        return None
    if enrolment is None:
        return quiz.attempts_allowed
    extra = ExtraAttemptGrant.objects.filter(quiz=quiz, enrolment=enrolment).aggregate(
        n=Sum("extra_attempts")
    )
    return quiz.attempts_allowed + (extra["n"] or 0)


def extra_attempt_refusal(*, quiz: Quiz) -> str | None:
    """Why no extra attempt can be granted at ``quiz``, or ``None`` when one can: a quiz
    with unlimited attempts has no limit to raise. The rule the admin's button and screen
    and :func:`quizzes.services.attempt_grant_extra` share (no query)."""
    if not quiz.attempts_allowed:
        return f"“{quiz.title}” allows unlimited attempts: there is no limit to raise."
    return None


def live_quizzes(course_ids: Iterable[int], reads: ReadCache | None = None) -> list[Quiz]:
    """Live quizzes of the given courses, in display order (one query, shared through ``reads``)."""
    course_ids = frozenset(course_ids)
    if reads is not None:
        return reads.get(("live_quizzes", course_ids), lambda: live_quizzes(course_ids))
    if not course_ids:
        return []
    return list(
        Quiz.objects.filter(course_id__in=course_ids, live=True)
        .select_related("module")
        .order_by(F("module__path").asc(nulls_last=True), "role", "title")
    )


@dataclass(frozen=True)
class AttemptFact:
    enrolment_id: int
    quiz_id: int
    passed: bool | None
    score_percent: Decimal | None


def attempt_facts(enrolment_ids: Iterable[int], reads: ReadCache | None = None) -> list[AttemptFact]:
    """Every attempt of these enrolments, reduced to what progress and standings need (one query)."""
    enrolment_ids = frozenset(enrolment_ids)
    if reads is not None:
        return reads.get(("attempt_facts", enrolment_ids), lambda: attempt_facts(enrolment_ids))
    if not enrolment_ids:
        return []
    return [
        AttemptFact(*row)
        for row in Attempt.objects.filter(enrolment__in=enrolment_ids).values_list(
            "enrolment_id", "quiz_id", "passed", "score_percent"
        )
    ]


def _quiz_step_statuses(
    enrolments: Sequence[Enrolment],
    reads: ReadCache,
    *,
    key: str,
    label: str,
    counts: Callable[[Quiz], bool],
    done: Callable[[AttemptFact], bool],
) -> dict[int, StepStatus]:
    """A step over the live quizzes ``counts`` picks: how many of them each enrolment has ``done``."""
    quizzes: dict[int, set[int]] = defaultdict(set)
    for quiz in live_quizzes({e.run.course_id for e in enrolments}, reads):
        if counts(quiz):
            quizzes[quiz.course_id].add(quiz.pk)
    finished: dict[int, set[int]] = defaultdict(set)
    if any(quizzes.values()):
        for fact in attempt_facts([e.pk for e in enrolments], reads):
            if done(fact):
                finished[fact.enrolment_id].add(fact.quiz_id)
    return {
        e.pk: StepStatus(
            key=key,
            label=label,
            done=len(quizzes[e.run.course_id] & finished[e.pk]),
            total=len(quizzes[e.run.course_id]),
        )
        for e in enrolments
    }


def assessments_step_statuses(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, StepStatus]:
    """The "assessments" completion step, registered by ``quizzes``: every required live quiz passed.
    Its ``url`` is the first required quiz (in the course's order) not passed yet.

    A pre-test never gates, whatever its "required" box says: it measures what a doctor
    knew before the course (knowledge gain), so failing it must cost nothing.
    """
    required: dict[int, list[int]] = defaultdict(list)
    for quiz in live_quizzes({e.run.course_id for e in enrolments}, reads):
        if quiz.required_for_completion and quiz.role != QuizRole.PRE_TEST:
            required[quiz.course_id].append(quiz.pk)
    passed: dict[int, set[int]] = defaultdict(set)
    if any(required.values()):
        for fact in attempt_facts([e.pk for e in enrolments], reads):
            if fact.passed:
                passed[fact.enrolment_id].add(fact.quiz_id)
    result = {}
    for e in enrolments:
        quiz_ids = required[e.run.course_id]
        next_quiz = next((pk for pk in quiz_ids if pk not in passed[e.pk]), None)
        result[e.pk] = StepStatus(
            key="assessments",
            label="Required assessments passed",
            done=len(set(quiz_ids) & passed[e.pk]),
            total=len(quiz_ids),
            url=reverse("quiz_detail", args=[next_quiz]) if next_quiz is not None else None,
        )
    return result


def pre_test_step_statuses(enrolments: Sequence[Enrolment], reads: ReadCache) -> dict[int, StepStatus]:
    """The optional "pre-test" step (registered ``required=False``): live pre-tests sat, passed or not."""
    return _quiz_step_statuses(
        enrolments,
        reads,
        key="pre_test",
        label="Pre-test (optional)",
        counts=lambda quiz: quiz.role == QuizRole.PRE_TEST,
        done=lambda fact: fact.passed is not None,
    )


# --- A quiz, for a learner ----------------------------------------------------------------


@dataclass
class QuizStatus:
    quiz: Quiz
    enrolment: Enrolment | None
    attempts: list[Attempt]
    open_attempt: Attempt | None
    limit: int | None
    passed: bool
    question_count: int

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def can_start(self) -> bool:
        return (
            self.enrolment is not None
            and not self.passed
            and self.open_attempt is None
            and self.remaining != 0
        )

    @property
    def exhausted(self) -> bool:
        return not self.passed and self.open_attempt is None and self.remaining == 0

    @property
    def best_score(self) -> Decimal | None:
        scores = [a.score_percent for a in self.attempts if a.score_percent is not None]
        return max(scores) if scores else None


def quiz_status(*, quiz: Quiz, user) -> QuizStatus:
    """The learner's standing at ``quiz``: their enrolment, attempts, limit and open attempt."""
    enrolment = enrolment_giving_access(user=user, course_id=quiz.course_id)
    attempts: list[Attempt] = []
    if enrolment is not None:
        attempts = list(Attempt.objects.filter(quiz=quiz, enrolment=enrolment).order_by("number"))
    limit = attempts_allowed(quiz=quiz, enrolment=enrolment)
    now = timezone.now()
    open_attempt = next(
        (a for a in attempts if a.state == AttemptState.IN_PROGRESS and not attempt_is_past_grace(a, now)),
        None,
    )
    question_count = quiz.draw_count or 0 if quiz.selection == "random" else quiz.quiz_questions.count()
    return QuizStatus(
        quiz=quiz,
        enrolment=enrolment,
        attempts=attempts,
        open_attempt=open_attempt,
        limit=limit,
        passed=any(a.passed for a in attempts),
        question_count=question_count,
    )


@dataclass(frozen=True)
class CourseQuizRow:
    quiz: Quiz
    passed: bool
    attempts_used: int
    best_score: Decimal | None


def quizzes_for_course(
    *, course_id: int, enrolment: Enrolment | None, reads: ReadCache | None = None
) -> list[CourseQuizRow]:
    """The course's live quizzes with the learner's standing (reads shared with progress)."""
    quizzes = live_quizzes([course_id], reads)
    facts = attempt_facts([enrolment.pk], reads) if enrolment is not None and quizzes else []
    rows = []
    for quiz in quizzes:
        mine = [f for f in facts if f.quiz_id == quiz.pk]
        scores = [f.score_percent for f in mine if f.score_percent is not None]
        rows.append(
            CourseQuizRow(
                quiz=quiz,
                passed=any(f.passed for f in mine),
                attempts_used=len(mine),
                best_score=max(scores) if scores else None,
            )
        )
    return rows


# --- An attempt -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicChoice:
    id: str
    text: str
    selected: bool


@dataclass(frozen=True)
class PublicQuestion:
    """A question as a learner may see it while answering: no key, no feedback."""

    position: int
    kind: str
    stem: str
    choices: tuple[PublicChoice, ...]
    answered: bool

    @property
    def multiple(self) -> bool:
        return self.kind == "multiple"


def attempt_public_questions(attempt: Attempt) -> list[PublicQuestion]:
    result = []
    for question in attempt.questions.all():
        selected = set(question.selected)
        result.append(
            PublicQuestion(
                position=question.position,
                kind=question.snapshot["kind"],
                stem=question.snapshot["stem"],
                choices=tuple(
                    PublicChoice(id=c["id"], text=c["text"], selected=c["id"] in selected)
                    for c in question.snapshot["choices"]
                ),
                answered=bool(selected),
            )
        )
    return result


@dataclass(frozen=True)
class ReviewChoice:
    id: str
    text: str
    selected: bool
    is_correct: bool
    feedback: str


@dataclass(frozen=True)
class ReviewQuestion:
    position: int
    kind: str
    stem: str
    choices: tuple[ReviewChoice, ...]
    explanation: str
    marks_awarded: str
    marks_available: str
    is_correct: bool


@dataclass
class AttemptOutcome:
    attempt: Attempt
    review: list[ReviewQuestion] | None
    answered: int
    total: int


def attempt_outcome(attempt: Attempt) -> AttemptOutcome:
    """The graded attempt, with the per-question review only when the policy allows it."""
    questions = list(attempt.questions.all())
    answered = sum(1 for q in questions if q.selected)
    review = None
    if attempt.review_allowed:
        by_key = {q["question_id"]: q for q in (attempt.result or {}).get("questions", [])}
        review = []
        for question in questions:
            graded = by_key.get(question.key_id, {})
            selected = set(question.selected)
            review.append(
                ReviewQuestion(
                    position=question.position,
                    kind=question.snapshot["kind"],
                    stem=question.snapshot["stem"],
                    choices=tuple(
                        ReviewChoice(
                            id=c["id"],
                            text=c["text"],
                            selected=c["id"] in selected,
                            is_correct=c["is_correct"],
                            feedback=c.get("feedback", ""),
                        )
                        for c in question.snapshot["choices"]
                    ),
                    explanation=question.snapshot.get("explanation", ""),
                    marks_awarded=graded.get("marks_awarded", "0"),
                    marks_available=graded.get("marks_available", question.snapshot["marks"]),
                    is_correct=bool(graded.get("is_correct")),
                )
            )
    return AttemptOutcome(attempt=attempt, review=review, answered=answered, total=len(questions))


# --- Item analysis ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionVersion:
    """One version (revision) of a question as attempts met it, with its statistics."""

    stats: VersionStatistics
    endorsement: EndorsementFact | None

    @property
    def label(self) -> str:
        return version_label(self.stats.version, self.endorsement)


def version_label(revision_id: int | None, endorsement: EndorsementFact | None) -> str:
    """How a version of a question or quiz is named on staff screens and in exports."""
    if revision_id is None:
        return "Original (before versions were recorded)"
    if endorsement is None:
        return f"Revision {revision_id} (not endorsed)"
    return f"Revision {revision_id}, endorsed {timezone.localtime(endorsement.approved_at):%d %b %Y}"


@dataclass
class QuestionAnalysis:
    stats: ItemStatistics
    question: Question | None
    label: str
    choices: list[tuple[str, str, bool, int]]  # (id, text, is_correct, picks)
    versions: list[QuestionVersion] = field(default_factory=list)


@dataclass
class QuizAnalysis:
    quiz: Quiz
    summary: QuizSummary
    items: list[QuestionAnalysis]


def quiz_item_analysis(*, quiz: Quiz) -> QuizAnalysis:
    """Statistics of every graded attempt at ``quiz``, in a constant number of queries.

    One query reads the graded results (each holds per-question fractions and picks);
    one more reads which version (revision) of each question every attempt showed, and
    one the endorsements of those versions; two more label the questions and their
    choices (as they are now, live). Statistics are per question across its versions,
    with a breakdown by version. The arithmetic is :mod:`quizzes.statistics`.
    """
    attempts: list[AttemptScores] = []
    picks: list[ChoicePick] = []
    for attempt_id, percent, passed, result in (
        Attempt.objects.filter(quiz=quiz, state=AttemptState.GRADED)
        .values_list("id", "score_percent", "passed", "result")
        .iterator(chunk_size=2000)
    ):
        fractions = {}
        for q in result["questions"]:
            fractions[q["question_id"]] = float(q["fraction"])
            for choice_id in q["selected_ids"]:
                picks.append(ChoicePick(question_id=q["question_id"], choice_id=choice_id))
        attempts.append(
            AttemptScores(
                attempt_id=attempt_id, total_percent=float(percent), passed=passed, item_fractions=fractions
            )
        )
    versions = attempt_question_versions(quiz=quiz)
    by_question = item_version_statistics(attempts, versions)
    endorsements = endorsements_for_revisions(revision_ids={v for v in versions.values() if v is not None})
    question_ids = {int(qid) for a in attempts for qid in a.item_fractions}
    questions = {q.pk: q for q in Question.objects.filter(pk__in=question_ids).prefetch_related("choices")}
    choice_ids_by_question = {str(pk): [str(c.pk) for c in q.choices.all()] for pk, q in questions.items()}
    items = []
    for stats in item_statistics(attempts, picks, choice_ids_by_question):
        question = questions.get(int(stats.question_id))
        items.append(
            QuestionAnalysis(
                stats=stats,
                question=question,
                label=str(question) if question else f"Deleted question {stats.question_id}",
                choices=[
                    (str(c.pk), c.text, c.is_correct, stats.choice_counts.get(str(c.pk), 0))
                    for c in (question.choices.all() if question else [])
                ],
                versions=[
                    QuestionVersion(stats=v, endorsement=endorsements.get(v.version))
                    for v in by_question.get(stats.question_id, [])
                ],
            )
        )
    return QuizAnalysis(quiz=quiz, summary=quiz_summary(attempts), items=items)


def attempt_question_versions(*, quiz: Quiz) -> dict[tuple[int, str], int | None]:
    """``(attempt id, question id) → revision id`` of the question each graded attempt showed (one query)."""
    return {
        (attempt_id, str(question_id)): revision_id
        for attempt_id, question_id, revision_id in AttemptQuestion.objects.filter(
            attempt__quiz=quiz, attempt__state=AttemptState.GRADED
        )
        .values_list("attempt_id", "snapshot__question_id", "snapshot__revision_id")
        .iterator(chunk_size=5000)
    }


@dataclass(frozen=True)
class AttemptVersionRow:
    """One question of one graded attempt, with the versions it came from (for the export)."""

    attempt_id: int
    number: int
    submitted_at: datetime.datetime | None
    score_percent: Decimal | None
    quiz_revision_id: int | None
    position: int
    question_id: int
    question_revision_id: int | None
    question_version: str


def quiz_attempt_versions(*, quiz: Quiz) -> list[AttemptVersionRow]:
    """Which version of the quiz and of each question every graded attempt used (two queries)."""
    rows = list(
        AttemptQuestion.objects.filter(attempt__quiz=quiz, attempt__state=AttemptState.GRADED)
        .order_by("attempt__submitted_at", "attempt_id", "position")
        .values_list(
            "attempt_id",
            "attempt__number",
            "attempt__submitted_at",
            "attempt__score_percent",
            "attempt__quiz_revision_id",
            "position",
            "snapshot__question_id",
            "snapshot__revision_id",
        )
    )
    endorsements = endorsements_for_revisions(revision_ids={row[7] for row in rows})
    return [
        AttemptVersionRow(*row, question_version=version_label(row[7], endorsements.get(row[7])))
        for row in rows
    ]


def enrolment_passed_attempts_trail(*, enrolment_id: int) -> list[dict]:
    """The passed attempts of an enrolment, each with the quiz version sat and its endorsement.

    JSON-ready data for a certificate's snapshot (:mod:`certificates.services`): the quiz,
    its role, the attempt's number, score, pass mark and submission time, the quiz revision
    frozen when the attempt started and the endorsement that revision carried (copied, so
    later edits and endorsements of the quiz change nothing recorded). Two queries.
    """
    attempts = list(
        Attempt.objects.filter(enrolment_id=enrolment_id, passed=True)
        .select_related("quiz")
        .order_by("submitted_at", "id")
    )
    endorsements = endorsements_for_revisions(revision_ids=[a.quiz_revision_id for a in attempts])
    trail = []
    for attempt in attempts:
        endorsement = endorsements.get(attempt.quiz_revision_id)
        trail.append(
            {
                "quiz_id": attempt.quiz_id,
                "title": attempt.quiz.title,
                "role": attempt.quiz.get_role_display(),
                "attempt_id": attempt.pk,
                "number": attempt.number,
                "score_percent": str(attempt.score_percent),
                "pass_mark_percent": str(attempt.pass_mark_percent),
                "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
                "revision_id": attempt.quiz_revision_id,
                "endorsement": endorsement.as_record() if endorsement else None,
            }
        )
    return trail


def attempt_for_learner(*, attempt_id: int, user) -> Attempt | None:
    """The attempt if it belongs to ``user``; ``None`` otherwise (the view answers 404)."""
    if not user.is_authenticated:
        return None
    return (
        Attempt.objects.select_related("quiz", "enrolment", "enrolment__run")
        .filter(pk=attempt_id, learner=user)
        .first()
    )


def live_quiz_get(*, quiz_id: int) -> Quiz | None:
    """The published quiz with this id (course and module loaded), or ``None``."""
    return Quiz.objects.filter(live=True).select_related("course", "module").filter(pk=quiz_id).first()


def module_quizzes(*, module_id: int, course_id: int, reads: ReadCache | None = None) -> list[Quiz]:
    """The live module checks that follow a module."""
    return [
        quiz
        for quiz in live_quizzes([course_id], reads)
        if quiz.module_id == module_id and quiz.role == QuizRole.MODULE_CHECK
    ]


# --- What quizzes adds to courses' pages ---------------------------------------------------


@dataclass(frozen=True)
class CourseQuizzesPanel:
    """The course page's "Assessments" section (``quizzes/includes/course_quizzes.html``)."""

    rows: list[CourseQuizRow]
    has_access: bool  # enrolled in a current run: the quizzes are links
    # The certificate also waits for the course evaluation and the credit claim.
    accredited: bool = False

    @property
    def required_count(self) -> int:
        return sum(1 for row in self.rows if row.quiz.required_for_completion)


@dataclass(frozen=True)
class ModuleQuizzesPanel:
    """The module page's "Check your understanding" card (``quizzes/includes/module_quizzes.html``)."""

    quizzes: list[Quiz]


def course_quizzes_panel(overview: CourseOverview, user) -> Panel | None:
    """The assessments of the course — pass mark, attempts, time limit, whether completion
    requires them — for every visitor, before enrolment too; with the learner's standing
    once enrolled."""
    rows = quizzes_for_course(
        course_id=overview.course.pk, enrolment=overview.enrolment, reads=overview.reads
    )
    if not rows:
        return None
    return Panel(
        key="assessments",
        template="quizzes/includes/course_quizzes.html",
        data=CourseQuizzesPanel(
            rows=rows,
            has_access=overview.has_access and not overview.as_staff,
            accredited=(
                overview.enrolment.accredited
                if overview.enrolment is not None
                else bool(getattr(overview.course, "designates_credit_annotated", False))
            ),
        ),
        order=10,
    )


def module_quizzes_panel(module_context: ModuleContext) -> Panel | None:
    quizzes = module_quizzes(
        module_id=module_context.module_id, course_id=module_context.course.pk, reads=module_context.reads
    )
    if not quizzes:
        return None
    return Panel(
        key="module-quizzes",
        template="quizzes/includes/module_quizzes.html",
        data=ModuleQuizzesPanel(quizzes=quizzes),
    )


# --- Knowledge gain ---------------------------------------------------------------------------


def knowledge_gain_refusal(*, quiz: Quiz) -> str | None:
    """Why ``quiz`` has no knowledge-gain report (it is not a pre-test), or ``None``."""
    if quiz.role != QuizRole.PRE_TEST:
        return (
            "Knowledge gain compares a pre-test with the course's post-test; this quiz is a "
            f"{quiz.get_role_display().lower()}. Open the report from the course's pre-test."
        )
    return None


@dataclass(frozen=True)
class RunKnowledgeGain:
    run: CourseRun
    report: KnowledgeGainReport


@dataclass(frozen=True)
class KnowledgeGainAnalysis:
    """A pre-test against its course's post-test: every run together, and each run (newest first)."""

    pre_test: Quiz
    post_test: Quiz | None
    overall: KnowledgeGainReport
    runs: list[RunKnowledgeGain]


def _marks(result: dict) -> dict[str, tuple[float, float]]:
    return {
        q["question_id"]: (float(q["marks_awarded"]), float(q["marks_available"]))
        for q in result["questions"]
    }


def knowledge_gain_analysis(*, pre_test: Quiz) -> KnowledgeGainAnalysis:
    """Knowledge gain from ``pre_test`` to the course's post-test, per run and for every run, per tag.

    Each learner's **first** graded attempt at each test counts — the post-test before
    any retake, so the figure measures the course rather than practice at the test — and
    only learners (non-withdrawn enrolments) who sat both count. Objectives are the
    questions' current tags in the bank. The post-test is the course's last live
    post-test in course order. Five queries, whatever the number of runs and learners;
    the arithmetic is :func:`quizzes.knowledge_gain.knowledge_gain_report`.
    """
    finals = [quiz for quiz in live_quizzes([pre_test.course_id]) if quiz.role == QuizRole.FINAL]
    post_test = finals[-1] if finals else None
    runs = course_runs(course_id=pre_test.course_id)
    empty = knowledge_gain_report([], {})
    if post_test is None or not runs:
        return KnowledgeGainAnalysis(
            pre_test=pre_test,
            post_test=post_test,
            overall=empty,
            runs=[RunKnowledgeGain(run=run, report=empty) for run in runs],
        )
    enrolments = runs_enrolment_ids(run_ids=[run.pk for run in runs])
    run_of = dict(enrolments)
    first: dict[tuple[int, int], tuple[float, dict]] = {}
    for enrolment_id, quiz_id, percent, result in (
        Attempt.objects.filter(
            quiz_id__in=[pre_test.pk, post_test.pk],
            state=AttemptState.GRADED,
            enrolment__in=enrolments.values("pk"),
        )
        .order_by("enrolment_id", "quiz_id", "number")
        .values_list("enrolment_id", "quiz_id", "score_percent", "result")
        .iterator(chunk_size=2000)
    ):
        first.setdefault((enrolment_id, quiz_id), (float(percent), _marks(result)))
    pairs_by_run: dict[int, list[PairedAttempts]] = defaultdict(list)
    question_ids: set[str] = set()
    for (enrolment_id, quiz_id), (pre_percent, pre_items) in first.items():
        if quiz_id != pre_test.pk or (enrolment_id, post_test.pk) not in first:
            continue
        post_percent, post_items = first[(enrolment_id, post_test.pk)]
        question_ids.update(pre_items, post_items)
        pairs_by_run[run_of[enrolment_id]].append(
            PairedAttempts(enrolment_id, pre_percent, post_percent, pre_items, post_items)
        )
    tags: dict[str, set[str]] = defaultdict(set)
    numeric_ids = [int(qid) for qid in question_ids if qid.isdigit()]
    for question_id, tag in QuestionTag.objects.filter(content_object_id__in=numeric_ids).values_list(
        "content_object_id", "tag__name"
    ):
        tags[str(question_id)].add(tag)
    every_pair = [pair for pairs in pairs_by_run.values() for pair in pairs]
    return KnowledgeGainAnalysis(
        pre_test=pre_test,
        post_test=post_test,
        overall=knowledge_gain_report(every_pair, tags),
        runs=[
            RunKnowledgeGain(run=run, report=knowledge_gain_report(pairs_by_run[run.pk], tags))
            for run in runs
        ],
    )
