"""A run with many learners spread over every step, for the dashboard and export tests and benches.

Rows are written in bulk (thousands of learners in seconds), with the same columns the
services would write; each learner ``i`` lands on a step decided by ``i``:

=========  ====================================================================
i % 10     where the learner is
=========  ====================================================================
0          enrolled, never started
1          started module 1, no activity for 20 days (stuck)
2          every module done, the final assessment failed once (failed)
3          every module done, not yet sat the final assessment
4–9        every module done, final passed, completed; 4–7 certified (issued)
=========  ====================================================================
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from courses.models import CourseRun, Enrolment, EnrolmentStatus, ModuleCompletion, ModulePage
from lms.models import DoctorProfile, MedicalCouncil, Specialty
from quizzes.models import Attempt, AttemptState, Quiz


@dataclass(frozen=True)
class Population:
    enrolled: int
    started: int
    modules_done: int
    passed: int
    certified: int
    failed: int
    not_started: int
    stuck: int


def expected(n: int) -> Population:
    """What :func:`populate_run` with ``n`` learners gives (``n`` a multiple of 10)."""
    tenth = n // 10
    return Population(
        enrolled=n,
        started=9 * tenth,
        modules_done=8 * tenth,
        passed=6 * tenth,
        certified=4 * tenth,
        failed=tenth,
        not_started=tenth,
        stuck=tenth,
    )


def populate_run(
    run: CourseRun, n: int, *, modules: list[ModulePage], quiz: Quiz, prefix: str = "doc"
) -> list[Enrolment]:
    now = timezone.now()
    User = get_user_model()
    tag = f"{prefix}{run.pk}"
    users = User.objects.bulk_create(
        [
            User(
                username=f"{tag}-{i}",
                email=f"{tag}-{i}@hospital.example.org",
                first_name="Doctor",
                last_name=str(i),
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    DoctorProfile.objects.bulk_create(
        [
            DoctorProfile(
                user=user,
                full_name=f"Dr Kavya Rao {tag}-{i}",
                council=MedicalCouncil.KARNATAKA,
                registration_number=f"KMC-{run.pk}-{i:05d}",
                specialty=Specialty.ANAESTHESIOLOGY,
                institution="IPSC Pain and Spine Hospital",
                city="Bengaluru",
                country="IN",
            )
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    enrolments = []
    for i, user in enumerate(users):
        step = i % 10
        enrolled_at = now - datetime.timedelta(days=30)
        completed = step >= 4
        activity = None if step == 0 else now - datetime.timedelta(days=20 if step == 1 else 1)
        enrolments.append(
            Enrolment(
                learner=user,
                run=run,
                status=EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.ACTIVE,
                enrolled_at=enrolled_at,
                completed_at=enrolled_at + datetime.timedelta(days=step) if completed else None,
                last_activity_at=activity,
            )
        )
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    CourseRun.objects.filter(pk=run.pk).update(capacity=max(run.capacity, n + 10), seats_taken=n)
    completions, attempts, certificates = [], [], []
    for i, enrolment in enumerate(enrolments):
        step = i % 10
        done = modules[:1] if step == 1 else modules if step >= 2 else []
        completed_at = now - datetime.timedelta(days=20 if step == 1 else 2)
        completions += [
            ModuleCompletion(enrolment=enrolment, module=module, completed_at=completed_at) for module in done
        ]
        if step == 2 or step >= 4:
            score = Decimal("40") if step == 2 else Decimal(50 + 5 * step)
            attempts.append(
                Attempt(
                    quiz=quiz,
                    enrolment=enrolment,
                    learner_id=enrolment.learner_id,
                    number=1,
                    state=AttemptState.GRADED,
                    submitted_at=now - datetime.timedelta(days=1),
                    pass_mark_percent=quiz.pass_mark_percent,
                    review_policy=quiz.review_policy,
                    multiple_response_scoring=quiz.multiple_response_scoring,
                    score_percent=score,
                    passed=score >= quiz.pass_mark_percent,
                )
            )
        if 4 <= step <= 7:
            certificates.append(
                Certificate(
                    enrolment=enrolment,
                    serial=f"PA-{run.pk}-{i:06d}",
                    status=CertificateStatus.ISSUED,
                    holder_name=f"Dr Kavya Rao {tag}-{i}",
                    registration_number=f"KMC-{run.pk}-{i:05d}",
                    course_title=run.course.title,
                    run_label=run.label,
                    issued_at=now,
                    # A name only: these tests read certificate records, never their PDFs.
                    pdf=f"certificates/bulk/PA-{run.pk}-{i:06d}.pdf",
                    pdf_sha256="0" * 64,
                )
            )
    ModuleCompletion.objects.bulk_create(completions, batch_size=5000)
    Attempt.objects.bulk_create(attempts, batch_size=5000)
    Certificate.objects.bulk_create(certificates, batch_size=5000)
    return enrolments
