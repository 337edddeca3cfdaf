"""The demo learner's accredited study for ``seed_demo``: claims on her transcript, external credit.

``learner.yaml`` beside this module says which demo courses the learner has completed
and how (see its header). :func:`seed_learner` takes her through each one with the
services her own clicks call — enrol, sit the pre-test, complete the modules, fail and
pass the final, evaluate the course, attest and claim — so the claim's transcript lines
and the pending certificate are written exactly as for a real doctor. (The quizzes app
does this because the assessments are its part and it sits above ``courses``; the
certificates app's hook, which runs next, renders the pending certificates.) Her
external credit is reported with its evidence file through
:func:`courses.api.external_credit_add`, which checks the file by its content.

Idempotent: a course in which she has any enrolment is left as it is (she, or an
earlier seed, has been there), and an external credit is found by its activity.
Problems raise :class:`lms.demo_data.DemoDataError` naming the file.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.utils import timezone

from courses.api import (
    CreditClaimError,
    EnrolmentError,
    EvaluationError,
    ExternalCreditError,
    course_evaluation_page,
    course_module_by_slug,
    credit_claim_submit,
    enrolment_create,
    evaluation_submit,
    external_credit_add,
    external_credits,
    learner_enrolments,
    module_complete,
)
from lms.demo_data import DemoDataError, Fields, display_path, fail, read_yaml
from quizzes.demo.bank import DEMO_DIR, LEARNER_FILE
from quizzes.models import QuizRole
from quizzes.selectors import live_quizzes
from quizzes.services import attempt_start, attempt_submit

TIME_SPENT = re.compile(r"(?:(\d+) h)?\s*(?:(\d+) min)?")


def _minutes(spec: Fields, key: str) -> int:
    text = spec.text(key)
    match = TIME_SPENT.fullmatch(text)
    if not match or not any(match.groups()):
        raise spec.error(key, f"{text!r} is not a time such as “4 h 40 min”")
    hours, minutes = (int(group or 0) for group in match.groups())
    return hours * 60 + minutes


def load_learner(folder: Path = DEMO_DIR) -> dict:
    """Read and check ``learner.yaml`` (no database); raises :class:`DemoDataError`."""
    path = Path(folder) / LEARNER_FILE
    top = Fields(read_yaml(path), path=path)
    record = {"learner": top.text("learner"), "courses": [], "external_credits": []}
    for spec in top.mappings("courses"):
        answers = spec.mapping("evaluation")
        record["courses"].append(
            {
                "course": spec.text("course"),
                "pre_test_right": spec.integer("pre_test_right", minimum=0),
                "failed_final_first": spec.boolean("failed_final_first"),
                "minutes_spent": _minutes(spec, "time_spent"),
                "evaluation": {str(label): answers.text(label) for label in answers.value},
                "line": spec.line,
            }
        )
        spec.done()
    for spec in top.mappings("external_credits", required=False):
        evidence = Path(folder) / spec.text("evidence")
        if not evidence.is_file():
            raise spec.error("evidence", f"there is no file {spec.text('evidence')} beside {path.name}")
        record["external_credits"].append(
            {
                "activity": spec.text("activity"),
                "provider": spec.text("provider"),
                "months_ago": spec.integer("months_ago", minimum=0),
                "credit_type": spec.text("credit_type"),
                "credits": spec.decimal("credits"),
                "evidence": evidence,
                "line": spec.line,
            }
        )
        spec.done()
    top.done()
    record["path"] = path
    return record


def _answers(attempt, *, right: int) -> dict[int, list[str]]:
    """The first ``right`` questions answered correctly, the others with a wrong choice."""
    answers = {}
    for index, question in enumerate(attempt.questions.order_by("position")):
        choices = question.snapshot["choices"]
        correct = [str(c["id"]) for c in choices if c["is_correct"]]
        wrong = [str(c["id"]) for c in choices if not c["is_correct"]][:1]
        answers[question.position] = correct if index < right else wrong
    return answers


def _sit(learner, quiz, *, right: int | None) -> None:
    """Start and submit one attempt at ``quiz``: all right when ``right`` is None."""
    attempt = attempt_start(learner=learner, quiz=quiz)
    total = attempt.questions.count()
    answers = _answers(attempt, right=total if right is None else right)
    attempt_submit(attempt=attempt, learner=learner, answers=answers)


def _months_back(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, min(today.day, 28))


def _study(seeder, learner, spec: dict, path: Path) -> None:
    """One course, from enrolment to the issued certificate."""
    where = f"{display_path(path)}:{spec['line']}: {spec['course']}"
    course = seeder.courses.get(spec["course"])
    if course is None:
        raise DemoDataError(f"{where}: no such course in courses/demo/catalogue.md")
    if any(e.run.course_id == course.pk for e in learner_enrolments(user=learner)):
        seeder.tally("accredited completions", False)
        return
    run = seeder.current_runs[course.slug]
    course_spec = next(c for c in seeder.catalogue["courses"] if c["slug"] == spec["course"])
    quizzes = live_quizzes([course.pk])
    pre_tests = [q for q in quizzes if q.role == QuizRole.PRE_TEST]
    # What the certificate waits for: the post-test, and any module check a course requires.
    required = [q for q in quizzes if q.required_for_completion and q.role != QuizRole.PRE_TEST]
    try:
        enrolment = enrolment_create(learner=learner, run=run)
        for quiz in pre_tests:
            _sit(learner, quiz, right=spec["pre_test_right"])
        for module_spec in course_spec["modules"]:
            module = course_module_by_slug(course=course, slug=module_spec["slug"])
            module_complete(learner=learner, module=module)
        for quiz in required:
            if spec["failed_final_first"] and quiz.role == QuizRole.FINAL:
                _sit(learner, quiz, right=0)
            _sit(learner, quiz, right=None)
        page = course_evaluation_page(course=course)
        if page is None:
            raise DemoDataError(f"{where}: the course has no course evaluation (does it designate credit?)")
        data = {_field_name(page, label, where): answer for label, answer in spec["evaluation"].items()}
        form = page.get_form(data, page=page, user=learner)
        if not form.is_valid():
            raise DemoDataError(f"{where}: evaluation: {form.errors.as_text()}")
        evaluation_submit(learner=learner, page=page, form_data=form.cleaned_data)
        credit_claim_submit(
            learner=learner, enrolment=enrolment, minutes_spent=spec["minutes_spent"], attested=True
        )
    except (EnrolmentError, EvaluationError, CreditClaimError) as error:
        raise DemoDataError(f"{where}: {error.message}") from None
    seeder.tally("accredited completions", True)


def _field_name(page, label: str, where: str) -> str:
    for field in page.get_form_fields():
        if field.label == label:
            return field.clean_name
    raise DemoDataError(f"{where}: evaluation: the course evaluation has no question {label!r}")


def seed_learner(*, seeder) -> None:
    """Take the demo learner through the accredited courses ``learner.yaml`` lists."""
    folder = seeder.folder_for("quizzes", DEMO_DIR)
    record = load_learner(folder)
    path = record["path"]
    learner = seeder.users.get(record["learner"])
    if learner is None:
        raise fail(
            path, None, "learner", f"{record['learner']!r} is not a role in courses/demo/accounts.yaml"
        )
    for spec in record["courses"]:
        _study(seeder, learner, spec, path)
    reported = {credit.activity for credit in external_credits(learner=learner)}
    for spec in record["external_credits"]:
        if spec["activity"] in reported:
            seeder.tally("external credits", False)
            continue
        credit_type = seeder.credit_types.get(spec["credit_type"])
        if credit_type is None:
            raise fail(
                path,
                spec["line"],
                "credit_type",
                f"{spec['credit_type']!r} is not in courses/demo/credit-types.yaml",
            )
        with open(spec["evidence"], "rb") as fh:
            try:
                external_credit_add(
                    learner=learner,
                    activity=spec["activity"],
                    provider=spec["provider"],
                    completed_on=_months_back(timezone.localdate(), spec["months_ago"]),
                    credit_type=credit_type,
                    credits=Decimal(spec["credits"]),
                    evidence=File(fh, name=spec["evidence"].name),
                )
            except ExternalCreditError as error:
                raise fail(path, spec["line"], "external_credits", error.message) from None
        seeder.tally("external credits", True)
