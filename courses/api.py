"""The public surface of ``courses``: everything other apps may use, and nothing else.

``quizzes``, ``certificates`` (and the REST API, issue 13) import from this module only;
import-linter keeps it so (``make lint``). They never query, lock or write ``courses``'
models themselves: they call what is named here, which keeps the rules (access,
completion, capacity) in one place. Inside ``courses`` the code lives in
``selectors`` (reads), ``services`` (writes), ``completion`` and ``panels``.

Reads
    :func:`enrolment_giving_access` — the learner's enrolment that opens a course's
    modules; :func:`enrolment_opens_modules` / :func:`enrolments_opening_modules` — the
    access rule itself (for an enrolment in hand, and as a ``Q``); :func:`module_access`;
    :func:`enrolment_get`, :func:`enrolment_of`, :func:`run_completed_enrolments`,
    :func:`course_run_get`, :func:`course_module_by_slug`, :func:`runs_for_choice`, :func:`course_runs`, :func:`runs_enrolment_ids`, :func:`courses_for_choice` — the
    enrolments and runs an administrator's screen works on. For the REST API:
    :func:`live_courses`, :func:`live_course_get` and :func:`course_cards` (the
    catalogue), :func:`learner_enrolments`, :func:`learner_enrolment_get` (``None`` for
    someone else's: answer 404) and :func:`enrolment_summaries` (progress and where to
    continue, flat in the number of enrolments), :func:`enrolment_withdraw_refusal`.
    Models may be *received*
    (type them with ``TYPE_CHECKING`` imports) and their attributes read; ``Track`` is
    the list of tracks other apps classify by.

Credit (the accredited sequence, issue 10)
    :func:`enrolment_claim_entries` — the transcript lines of an enrolment's credit claim
    (what its certificate prints); :func:`transcript_entries` — every line of a doctor's
    transcript; :func:`external_credits` — the credit they reported from elsewhere;
    :func:`course_evaluation_page` — a course's live evaluation form. Claims are written
    only by ``courses`` (the claim completes the enrolment), when a learner's own action
    calls :func:`module_complete`, :func:`evaluation_submit`, :func:`credit_claim_submit`
    or :func:`external_credit_add` (the demo learner's study in ``seed_demo`` does; they
    raise :class:`ModuleAccessError`, :class:`EvaluationError`, :class:`CreditClaimError`
    and :class:`ExternalCreditError`).

Writes
    :func:`enrolment_lock` — the first lock of any path that changes an enrolment or what
    belongs to it (the lock order: enrolment, then the caller's own rows);
    :func:`enrolment_evaluate_completion` — after something that may complete an
    enrolment (a passed assessment; ``already_locked=True`` with the object
    :func:`enrolment_lock` returned in the same transaction);
    :func:`enrolment_mark_completed` — an administrator's decision;
    :func:`enrolment_create` and :func:`enrolment_withdraw` — a learner enrolling and
    withdrawing (the REST API; they raise :class:`EnrolmentError` with the reason).

The signal
    :data:`enrolment_completed` (``sender=Enrolment``, ``enrolment=<Enrolment>``) is sent
    exactly once per completion — by the completion rule or an administrator's decision —
    *inside* the transaction that marks the enrolment complete. A receiver may write its
    own rows in that transaction (so the completion and what follows from it commit or
    roll back together) and sends slow work after commit (:mod:`lms.dispatch`).
    ``certificates`` is its receiver.

Extension points (register in your ``AppConfig.ready()``)
    :func:`register_completion_step` — a :class:`CompletionStep` of the completion
    sequence (``quizzes``: "assessments"; issue 10 adds pre-test, evaluation, claim).
    Its ``statuses(enrolments, reads)`` returns ``{enrolment id: StepStatus}`` in a
    constant number of queries, sharing reads through the :class:`ReadCache`.

    :func:`register_course_panel`, :func:`register_module_panel`,
    :func:`register_dashboard_panel` — a provider returning :class:`Panel` data (a
    template the providing app owns, and what it renders) for the course page, the
    module page, or the dashboard's entries. ``courses`` renders those templates inside
    its pages; no other app returns HTML to it. Providers receive the page's
    :class:`CourseOverview`, :class:`ModuleContext` or :class:`DashboardEntry` objects.

    :func:`register_run_report` — a :class:`RunReportProvider` for the administrators'
    run dashboard (:mod:`courses.reports`): for a :class:`ReportScope`, its
    :class:`ReportFigures` — one :class:`ReportTable` (its rows grouped by enrolment, its
    activity) and SQL conditions over its columns (its completion steps met, a failure,
    :class:`ReportStage` stages after the sequence) — :class:`LearnerFacts` for the learners on screen,
    and :class:`Panel` sections.

    :func:`spreadsheet_safe` — a cell for a CSV an admin screen writes (formulas escaped);
    :func:`csv_download` — such a CSV as a download, every cell escaped so;
    :func:`register_calendar_events` — ``provider(enrolments)`` returning
    :class:`CalendarEvent` events for a doctor's private calendar feed
    (:mod:`courses.calendars`), with UIDs from :func:`calendar_uid` (``quizzes``: the
    assessment deadlines).

    :func:`register_reminder_kind` — a :class:`ReminderKind` the reminder sweep sends
    (:mod:`courses.reminders`): a ``due(now)`` condition on enrolments, a subject and a
    template, and optional ``context``/``claim``/``release`` hooks (``certificates``:
    "your certificate is ready", claimed on the certificate so its own e-mail and the
    reminder never both go).

    :func:`register_export_kind` — an :class:`ExportKind` of the administrators' exports
    (:mod:`courses.exports`): a header and ``rows(scope)``, the rows of the
    :class:`ExportScope`'s enrolments (filter by ``enrolment__in=scope.enrolments``).

Endorsements
    :class:`EndorsementFact` — what an endorsement record says (revision, when, by
    whom); :func:`endorsements_for_revisions` — the endorsements of any revisions (pages,
    questions, quizzes), in one query; :func:`course_endorsement_at` — the endorsement of
    the course page's revision live at a moment (the certificate verification page);
    :func:`enrolment_trail` — what an enrolment's completion rests on (the revisions of
    the modules studied and their endorsements, the course's endorsement, the faculty's
    disclosures, the claim), as JSON-ready data for a certificate's snapshot.
    Endorsements are recorded by the workflow's finish action for whatever it publishes,
    so other apps only read them; :func:`endorsement_start_or_resume` is the last step of
    submitting anything (a question, a quiz) for endorsement, after the caller's own checks.

Errors
    :class:`EnrolmentError` and its subclasses, raised by the services above;
    :class:`EndorsementError`, the refusal other apps raise when content they submit for
    endorsement, or approve, breaks a rule.
"""

from courses.calendars import CalendarEvent, calendar_uid, register_calendar_events
from courses.completion import (
    CompletionStep,
    EnrolmentProgress,
    ReadCache,
    StepStatus,
    enrolments_progress,
    register_completion_step,
)
from courses.exceptions import (
    CreditClaimError,
    EndorsementError,
    EnrolmentError,
    EvaluationError,
    ExternalCreditError,
    ModuleAccessError,
    ProfileIncompleteError,
)
from courses.exports import ExportKind, ExportScope, csv_download, register_export_kind, spreadsheet_safe
from courses.models import EnrolmentStatus, Track
from courses.panels import Panel, register_course_panel, register_dashboard_panel, register_module_panel
from courses.reminders import ReminderKind, register_reminder_kind
from courses.reports import (
    LearnerFacts,
    ReportFigures,
    ReportScope,
    ReportStage,
    ReportTable,
    RunReportProvider,
    register_run_report,
)
from courses.selectors import (
    CourseCard,
    CourseOverview,
    DashboardEntry,
    EndorsementFact,
    EnrolmentSummary,
    ModuleAccess,
    ModuleContext,
    course_cards,
    course_endorsement_at,
    course_evaluation_page,
    course_module_by_slug,
    course_run_get,
    course_runs,
    courses_for_choice,
    endorsements_for_revisions,
    enrolment_claim_entries,
    enrolment_get,
    enrolment_giving_access,
    enrolment_of,
    enrolment_opens_modules,
    enrolment_summaries,
    enrolment_trail,
    enrolment_withdraw_refusal,
    enrolments_opening_modules,
    external_credits,
    learner_enrolment_get,
    learner_enrolments,
    live_course_get,
    live_courses,
    module_access,
    run_completed_enrolments,
    runs_enrolment_ids,
    runs_for_choice,
    transcript_entries,
)
from courses.services import (
    credit_claim_submit,
    endorsement_start_or_resume,
    enrolment_create,
    enrolment_evaluate_completion,
    enrolment_lock,
    enrolment_mark_completed,
    enrolment_withdraw,
    evaluation_submit,
    external_credit_add,
    module_complete,
)
from courses.signals import enrolment_completed

__all__ = [
    "CalendarEvent",
    "CompletionStep",
    "CourseCard",
    "CourseOverview",
    "CreditClaimError",
    "DashboardEntry",
    "EndorsementError",
    "EndorsementFact",
    "EnrolmentError",
    "EnrolmentProgress",
    "EnrolmentStatus",
    "EnrolmentSummary",
    "EvaluationError",
    "ExportKind",
    "ExportScope",
    "ExternalCreditError",
    "LearnerFacts",
    "ModuleAccess",
    "ModuleAccessError",
    "ModuleContext",
    "Panel",
    "ProfileIncompleteError",
    "ReadCache",
    "ReminderKind",
    "ReportFigures",
    "ReportScope",
    "ReportStage",
    "ReportTable",
    "RunReportProvider",
    "StepStatus",
    "Track",
    "calendar_uid",
    "course_cards",
    "course_endorsement_at",
    "course_evaluation_page",
    "course_module_by_slug",
    "course_run_get",
    "csv_download",
    "course_runs",
    "courses_for_choice",
    "credit_claim_submit",
    "endorsement_start_or_resume",
    "endorsements_for_revisions",
    "enrolment_claim_entries",
    "enrolment_trail",
    "external_credits",
    "enrolment_completed",
    "enrolment_create",
    "enrolment_evaluate_completion",
    "enrolment_get",
    "enrolment_giving_access",
    "enrolment_lock",
    "enrolment_mark_completed",
    "enrolment_of",
    "enrolment_opens_modules",
    "enrolment_summaries",
    "enrolment_withdraw",
    "enrolment_withdraw_refusal",
    "enrolments_opening_modules",
    "enrolments_progress",
    "evaluation_submit",
    "external_credit_add",
    "learner_enrolment_get",
    "learner_enrolments",
    "live_course_get",
    "live_courses",
    "module_access",
    "module_complete",
    "register_calendar_events",
    "register_completion_step",
    "register_course_panel",
    "register_dashboard_panel",
    "register_export_kind",
    "register_module_panel",
    "register_reminder_kind",
    "register_run_report",
    "run_completed_enrolments",
    "runs_enrolment_ids",
    "runs_for_choice",
    "spreadsheet_safe",
    "transcript_entries",
]
