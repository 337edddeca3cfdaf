"""The whole flow, with every part real, in one test.

A doctor who has studied every module submits, over HTTP, the last attempt the course
requires; the completion commits with a pending certificate; a real Celery worker (a
separate process, on a private Redis) renders the PDF with WeasyPrint and stores it; the
stored PDF's text is read back; the e-mail the worker sent is read from its file-based
e-mail backend; the learner downloads the very same bytes from the dashboard's link; a
verifier opens the verification page. No sleeps and no clocks: the test waits on the
worker's own log lines and on the database's state.
"""

from __future__ import annotations

import email
import hashlib
import re

import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateStatus
from courses.models import EnrolmentStatus
from courses.services import module_complete
from quizzes.models import Attempt, AttemptState
from tests.certificates.factories import course_to_complete, pdf_text, stored_pdf, stored_pdf_files
from tests.certificates.fault_injection import file_email_env
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RENDERED = r"Task certificates\.render_certificate\[[^\]]+\] succeeded"


def _answers_form(html: str, questions_by_stem: dict[str, list[str]]) -> dict[str, list[str]]:
    """The attempt page's form, filled with the right answers (by question stem)."""
    form: dict[str, list[str]] = {}
    for fieldset in re.findall(r"<fieldset.*?</fieldset>", html, flags=re.DOTALL):
        name = re.search(r'name="(q\d+)"', fieldset).group(1)
        stem = next(stem for stem in questions_by_stem if stem in fieldset)
        form[name] = questions_by_stem[stem]
    return form


def test_the_last_required_attempt_over_http_ends_in_a_stored_pdf_and_an_email(
    start_worker, media_root, tmp_path, client
):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    worker = start_worker(**file_email_env(outbox))

    doctor = learner(full_name="Dr Meenakshi Sundaram", registration_number="TNMC-55120")
    enrolment, pages = course_to_complete(doctor, modules=2)
    course = enrolment.run.course
    questions = [
        make_question(stem="First-line drug for painful diabetic neuropathy?"),
        make_question(
            stem="Red flag for cauda equina syndrome?",
            choices=(("Saddle anaesthesia", True), ("Morning stiffness", False)),
        ),
    ]
    quiz = make_quiz(course, questions=questions, title="Final assessment")
    for page in pages:
        module_complete(learner=doctor, module=page)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE  # the assessment is still required
    assert not Certificate.objects.exists()

    client.force_login(doctor)
    started = client.post(reverse("quiz_start", args=[quiz.pk]))
    assert started.status_code == 302
    take_url = started["Location"]
    page = client.get(take_url)
    assert page.status_code == 200
    by_stem = {q.stem.removeprefix("<p>").removesuffix("</p>"): correct_ids(q) for q in questions}
    submitted = client.post(take_url, {**_answers_form(page.content.decode(), by_stem), "submit": "1"})

    # The learner's request completed the course and left a pending certificate, committed.
    attempt = Attempt.objects.get(learner=doctor)
    assert submitted.status_code == 302 and submitted["Location"] == reverse(
        "attempt_result", args=[attempt.pk]
    )
    assert attempt.state == AttemptState.GRADED and attempt.passed
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == CertificateStatus.PENDING
    result = client.get(submitted["Location"]).content.decode()
    assert "You have completed the course" in result

    # The worker renders, stores, issues and e-mails, all in its one task.
    worker.wait_for_log(RENDERED)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED and certificate.emailed_at is not None

    data = stored_pdf(certificate)
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    assert [path.name for path in stored_pdf_files(media_root)] == [certificate.pdf.name.rsplit("/", 1)[-1]]
    text = pdf_text(data)
    for printed in (
        "Dr Meenakshi Sundaram",
        "TNMC-55120",
        course.title,
        enrolment.run.label,
        certificate.serial,
        certificate.verification_url,
    ):
        assert printed in text, printed

    sent = sorted(outbox.iterdir())
    assert len(sent) == 1, sent
    message = email.message_from_string(sent[0].read_text())
    body = message.get_payload(decode=True).decode()
    assert message["To"] == doctor.email
    assert course.title in message["Subject"]
    assert certificate.verification_url in body and "/dashboard/" in body

    # The dashboard links to the stored PDF, and the download is those very bytes.
    dashboard = client.get(reverse("dashboard")).content.decode()
    download_url = reverse("certificate_download", args=[certificate.pk])
    assert download_url in dashboard
    download = client.get(download_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == data

    # Anyone can verify it.
    client.logout()
    verification = client.get(certificate.verification_path).content.decode()
    assert "Valid certificate" in verification and "Dr Meenakshi Sundaram" in verification
    assert "TNMC-55120" not in verification
