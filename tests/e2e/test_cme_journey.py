"""The accredited (CME) sequence on the demo catalogue, in a real browser, with a real worker.

``seed_demo`` loads the demo (credit types, designated credit, pre- and post-tests, the
course evaluation). A doctor then takes "Acute Pain Management" step by step: the
pre-test, the modules, the post-test (failed, then passed), the evaluation, and the
attestation of 5 h 10 min against 6 designated credits, which claims 5.25. The Celery
worker renders the certificate; its PDF, read back, prints the claimed credit, the
awarding body and the accreditation statement. A second course, "Foundations of Pain
Medicine", is evaluated and claimed on a 390 px phone: 7 h spent claims the 6.00
designated. The transcript totals both claims per credit type; its PDF, rendered by the
worker, holds the same totals and a code its own verification page confirms; the
certificate's verification page shows the Faculty's endorsement and the credit. axe-core finds nothing on the
evaluation, claim and transcript pages, on the desktop and on the phone.
"""

import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from certificates.models import Certificate, CertificateStatus
from courses.models import CoursePage, CourseRun, CreditClaim, ModulePage, TranscriptEntry
from courses.services import enrolment_create, module_complete
from quizzes.models import AttemptQuestion, Quiz, QuizRole
from quizzes.services import attempt_start, attempt_submit
from tests.certificates.conftest import broker, media_root, private_redis, start_worker  # noqa: F401 - fixtures
from tests.certificates.processes import wait_until
from tests.factories import learner
from tests.support.accessibility import assert_no_axe_violations
from tests.support.processes import session_key_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STATE = "State Medical Council CPD credit hours"
INTERNATIONAL = "International CME Category 1 credit"
PHONE = {"width": 390, "height": 844}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def signed_in(browser, live_server, user, *, phone=False):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE if phone else {"width": 1280, "height": 900},
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(20_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key_for(user), "url": live_server.url}]
    )
    return context.new_page()


def _question(page, number: int):
    return page.get_by_role("group", name=re.compile(rf"^Question {number} of"))


def answer_every_question_right(page, quiz, doctor) -> None:
    """Pick the keyed choices of the attempt in progress, waiting for each autosave."""
    attempt = quiz.attempts.get(learner=doctor, state="in_progress")
    for row in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        role = "checkbox" if row.snapshot["kind"] == "multiple" else "radio"
        for choice in row.snapshot["choices"]:
            if not choice["is_correct"]:
                continue
            with page.expect_response(lambda r: r.url.endswith("/answers/") and r.request.method == "POST"):
                _question(page, row.position).get_by_role(role, name=choice["text"], exact=True).check()


def submit_unanswered(page) -> None:
    page.get_by_role("button", name="Submit for grading").click()
    page.get_by_role("dialog").get_by_role("button", name="Submit anyway").click()


def evaluate(page, *, relevance="Agree") -> None:
    for label, choice in [
        ("The course was relevant to my practice", relevance),
        ("The course met its stated learning objectives", "Agree"),
        ("I intend to change my practice as a result of this course", "Strongly agree"),
        ("The content was balanced and free of commercial bias", "Strongly agree"),
    ]:
        page.get_by_role("group", name=label).get_by_label(choice, exact=True).check()
    page.get_by_label("What will you change in your practice?").fill("Use the sedation score before opioids.")
    page.get_by_role("button", name="Submit the evaluation").click()


def claim(page, *, hours: int, minutes: int) -> None:
    page.get_by_label("Hours").fill(str(hours))
    page.get_by_label("Minutes").fill(str(minutes))
    page.get_by_label(re.compile("I confirm that I took part in this activity personally")).check()
    page.get_by_role("button", name="Claim my credit").click()


def test_the_accredited_sequence_on_the_demo_from_pre_test_to_verified_certificate(
    browser,
    live_server,
    start_worker,  # noqa: F811 - a fixture, imported above
):
    start_worker(LMS_BASE_URL=live_server.url)
    call_command("seed_demo", stdout=io.StringIO())
    acute = CoursePage.objects.get(slug="acute-pain-management")
    foundations = CoursePage.objects.get(slug="foundations-of-pain-medicine")
    this_month = CourseRun.objects.filter(course=acute).order_by("starts_on").first()
    doctor = learner(full_name="Dr Anjali Deshpande")
    page = signed_in(browser, live_server, doctor)

    # --- Before enrolment: the course says how it is assessed and credited ---------------
    page.goto(acute.url)
    credit = page.get_by_role("region", name="Accredited credit")
    expect(credit).to_contain_text(f"Up to 6.00 {STATE}")
    expect(credit).to_contain_text("awarded by Karnataka Medical Council")
    expect(credit).to_contain_text("Study time: 6 h")
    page.get_by_role("button", name=f"Enrol in the {this_month.label} run").click()

    # --- Pre-test: never gates; submitted with nothing answered ---------------------------
    assessments = page.get_by_role("region", name="Assessments")
    assessments.get_by_role("link", name="Pre-test: Acute Pain Management").click()
    page.get_by_role("button", name="Start attempt 1").click()
    submit_unanswered(page)
    expect(page.get_by_role("heading", name="Your score")).to_be_visible()

    # --- Modules ------------------------------------------------------------------------
    for module in ModulePage.objects.child_of(acute).live().order_by("path"):
        page.goto(module.url)
        page.get_by_role("button", name="Mark as complete").click()
        expect(page.get_by_role("status").filter(has_text="marked as complete")).to_be_visible()

    # --- Post-test: failed, then passed -------------------------------------------------
    final = Quiz.objects.get(course=acute, role=QuizRole.FINAL)
    page.goto(acute.url)
    page.get_by_role("region", name="Assessments").get_by_role("link", name=final.title).click()
    page.get_by_role("button", name="Start attempt 1").click()
    submit_unanswered(page)
    expect(page.get_by_text("Not passed")).to_be_visible()
    page.get_by_role("link", name="Back to the assessment").click()
    page.get_by_role("button", name="Start attempt 2").click()
    answer_every_question_right(page, final, doctor)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()

    # --- Evaluation (axe first), then the attestation and claim (axe first) ---------------
    page.goto(acute.url)
    page.get_by_role("link", name="Evaluate the course").first.click()
    expect(page.get_by_role("heading", name="Course evaluation", level=1)).to_be_visible()
    assert_no_axe_violations(page, "course evaluation, desktop")
    page.get_by_role("button", name="Submit the evaluation").click()  # nothing chosen: refused
    expect(page.get_by_role("group", name="The course was relevant to my practice")).to_contain_text(
        "This field is required"
    )
    evaluate(page)
    expect(page.get_by_role("heading", name="Attestation and credit claim")).to_be_visible()
    expect(page.get_by_text(f"Up to 6.00 {STATE}")).to_be_visible()
    assert_no_axe_violations(page, "credit claim, desktop")
    claim(page, hours=5, minutes=10)

    # The transcript: 5.25 of each type (rounded to the quarter hour, under the 6 designated).
    expect(page.get_by_role("heading", name=re.compile("transcript", re.I), level=1)).to_be_visible()
    expect(page.locator(f'[data-credit-total="{STATE}"]')).to_have_text("5.25")
    expect(page.locator(f'[data-credit-total="{INTERNATIONAL}"]')).to_have_text("5.25")

    # --- The certificate, rendered by the worker ----------------------------------------
    certificate = wait_until(
        lambda: Certificate.objects.filter(
            enrolment__learner=doctor, status=CertificateStatus.ISSUED
        ).first(),
        timeout=90,
        message="the certificate of the claimed course",
    )
    page.goto("/dashboard/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download certificate (PDF) for {acute.title}").click()
    with open(download_info.value.path(), "rb") as handle:
        pdf = handle.read()
    text = squeeze(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert "Dr Anjali Deshpande" in text
    assert f"5.25 {STATE}" in text and f"5.25 {INTERNATIONAL}" in text, text
    assert (
        "Karnataka Medical Council" in text and "Asia-Pacific Council for Continuing Pain Education" in text
    )
    assert (
        squeeze(
            "This activity has been accredited by the Karnataka Medical Council for a maximum of the CPD credit "
            "hours shown."
        )
        in text
    ), text

    # --- A second course, evaluated and claimed on a phone: 7 h claims the 6.00 designated -
    enrolment = enrolment_create(
        learner=doctor, run=CourseRun.objects.filter(course=foundations).order_by("starts_on").first()
    )
    for module in ModulePage.objects.child_of(foundations).live():
        module_complete(learner=doctor, module=module)
    for quiz in Quiz.objects.filter(course=foundations, live=True, required_for_completion=True):
        attempt = attempt_start(learner=doctor, quiz=quiz)
        attempt_submit(
            attempt=attempt,
            learner=doctor,
            answers={
                row.position: [str(c["id"]) for c in row.snapshot["choices"] if c["is_correct"]]
                for row in attempt.questions.all()
            },
        )
    phone = signed_in(browser, live_server, doctor, phone=True)
    phone.goto(foundations.url)
    phone.get_by_role("link", name="Evaluate the course").first.click()
    assert_no_axe_violations(phone, "course evaluation, phone")
    evaluate(phone, relevance="Strongly agree")
    assert_no_axe_violations(phone, "credit claim, phone")
    claim(phone, hours=7, minutes=0)
    expect(phone.locator(f'[data-credit-total="{STATE}"]')).to_have_text("11.25")
    assert_no_axe_violations(phone, "transcript, phone")
    assert sorted(
        TranscriptEntry.objects.filter(claim__enrolment=enrolment).values_list("credit_type_name", "credits")
    ) == [(INTERNATIONAL, Decimal("6.00")), (STATE, Decimal("6.00"))]

    # --- The transcript on the desktop: both claims, totals per type ---------------------
    page.goto("/transcript/")
    expect(page.locator(f'[data-credit-total="{STATE}"]')).to_have_text("11.25")
    expect(page.locator(f'[data-credit-total="{INTERNATIONAL}"]')).to_have_text("11.25")
    claims = page.get_by_role("table", name="Every credit claim, newest first")
    for course, credits in [(acute.title, "5.25"), (foundations.title, "6.00")]:
        row = claims.get_by_role("row").filter(has_text=course).filter(has_text=STATE)
        expect(row).to_contain_text(credits)
        expect(row).to_contain_text("6.00")  # the designated maximum
    expect(claims).to_contain_text(certificate.serial)
    assert_no_axe_violations(page, "transcript, desktop")
    assert CreditClaim.objects.filter(enrolment__learner=doctor).count() == 2

    # --- The transcript PDF, rendered by the worker, with its own verification code -------
    page.get_by_role("button", name="Prepare a PDF of this transcript").click()
    download_link = page.get_by_role("link", name=re.compile("^Download the transcript PDF"))
    wait_until(
        lambda: page.reload() and download_link.count() == 1,
        timeout=90,
        interval=1,
        message="the transcript PDF rendered by the worker",
    )
    with page.expect_download() as download_info:
        download_link.click()
    with open(download_info.value.path(), "rb") as handle:
        transcript_text = squeeze(
            " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(handle.read())).pages)
        )
    assert "Dr Anjali Deshpande" in transcript_text
    for expected in (STATE, INTERNATIONAL, "11.25", acute.title.split(":")[0], certificate.serial):
        assert expected in transcript_text, (expected, transcript_text)
    page.locator("#transcript-pdf").get_by_role("link", name="its verification page").click()
    expect(page.locator(f'[data-verified-total="{STATE}"]')).to_have_text("11.25")
    expect(page.locator(f'[data-verified-total="{INTERNATIONAL}"]')).to_have_text("11.25")

    # --- The verifier: valid, endorsed by the Faculty, with the credit claimed ------------
    verifier = browser.new_context(base_url=live_server.url).new_page()
    verifier.goto(f"/certificates/verify/{certificate.verification_code}/")
    endorsement = verifier.locator(".endorsement-line")
    expect(endorsement).to_contain_text(
        re.compile(r"Endorsed by the Faculty of Pain Medicine on \d{1,2} [A-Z][a-z]+ \d{4}")
    )
    expect(verifier.get_by_role("main")).to_contain_text("5.25")
    expect(verifier.get_by_role("main")).to_contain_text(STATE)
