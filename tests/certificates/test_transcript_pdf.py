"""The transcript as a PDF: asked for at /transcript/, rendered by the worker with the
certificates' safe fetcher, downloaded only by its doctor, verified at
/certificates/verify/transcript/<code>/."""

import datetime
import re

import pytest
from django.utils import timezone

from certificates.models import Certificate, TranscriptPDF, TranscriptPDFStatus
from certificates.rendering import SafeURLFetcher, TranscriptDocument, render_transcript_pdf
from certificates.services import (
    TRANSCRIPT_RENDER_TASK,
    certificate_revoke,
    transcript_pdf_render,
    transcript_pdf_request,
)
from certificates.throttling import TRANSCRIPT_LOOKUPS_PER_WINDOW
from courses.models import ExternalCredit
from lms.models import OutboxMessage
from tests.certificates.factories import issued_certificate, pdf_text
from tests.certificates.processes import wait_until
from tests.certificates.test_transcript import claimed
from tests.courses.factories import CreditTypeFactory
from tests.factories import learner
from tests.support.concurrency import race


def squeeze(text: str) -> str:
    return "".join(text.split())


def stored(transcript: TranscriptPDF) -> bytes:
    with transcript.pdf.open("rb") as handle:
        return handle.read()


def doctor_with_claims():
    """A doctor with NMC 5.25 + 2.00 in the window, 9.00 outside it, AMA 1.50, and one self-reported credit."""
    today = timezone.localdate()
    nmc = CreditTypeFactory(
        name="NMC CPD credit hours", awarding_body="National Medical Commission", renewal_cycle_years=5
    )
    ama = CreditTypeFactory(name="AMA PRA Category 1 Credit™", awarding_body="ACCME", renewal_cycle_years=3)
    doctor = learner(full_name="Dr Kavya Raghunathan", registration_number="KMC-77812")
    claimed(doctor, nmc, "5.25", completed_on=today)
    claimed(doctor, nmc, "2.00", completed_on=today - datetime.timedelta(days=4 * 365))
    claimed(doctor, nmc, "9.00", completed_on=today - datetime.timedelta(days=6 * 365))
    claimed(doctor, ama, "1.50", completed_on=today)
    ExternalCredit.objects.create(
        learner=doctor,
        activity="Ultrasound-guided nerve blocks workshop",
        provider="ISA Karnataka",
        completed_on=today - datetime.timedelta(days=30),
        credit_type=nmc,
        credits="3.00",
        evidence="evidence/x.pdf",
        evidence_kind="pdf",
    )
    return doctor


@pytest.mark.django_db
def test_the_pdf_states_the_totals_of_the_window_with_its_verification_code(media_root):
    doctor = doctor_with_claims()
    transcript = transcript_pdf_request(user=doctor).transcript
    fetcher = SafeURLFetcher()
    document = TranscriptDocument(
        statement=transcript.statement,
        verification_code=transcript.verification_code,
        verification_url=transcript.verification_url,
    )
    text = pdf_text(render_transcript_pdf(document, fetcher=fetcher))

    assert "Dr Kavya Raghunathan" in text and "KMC-77812" in text
    assert re.search(r"NMC CPD credit hours\s+National Medical Commission\s+.*\s+7\.25", text)
    assert re.search(r"AMA PRA Category 1 Credit™\s+ACCME\s+.*\s+1\.50", text)
    assert "9.00" not in text  # six years ago: outside the five-year window
    assert "Ultrasound-guided nerve blocks workshop" in text and "self-reported" in text
    assert squeeze(transcript.grouped_code) in squeeze(text)
    assert all(url.startswith(("data:", "lms-static:")) for url in fetcher.requested)
    assert fetcher.requested  # the logo and the QR code went through the safe fetcher


@pytest.mark.django_db
def test_asking_twice_makes_one_transcript_and_one_render_message(client, media_root):
    doctor = doctor_with_claims()
    client.force_login(doctor)

    first = client.post("/transcript/pdf/", {"start": ""})
    second = client.post("/transcript/pdf/", {"start": ""})

    assert first.status_code == second.status_code == 302
    assert TranscriptPDF.objects.filter(learner=doctor).count() == 1
    assert OutboxMessage.objects.filter(task=TRANSCRIPT_RENDER_TASK).count() == 1
    page = client.get("/transcript/").content.decode()
    assert "being prepared" in page and "Download the transcript PDF" not in page

    transcript = TranscriptPDF.objects.get(learner=doctor)
    transcript_pdf_render(transcript_id=transcript.pk)
    transcript_pdf_render(transcript_id=transcript.pk)  # a duplicate message: nothing happens
    transcript.refresh_from_db()
    assert transcript.status == TranscriptPDFStatus.ISSUED and transcript.render_attempts == 1
    assert len(list(media_root.rglob("*.pdf"))) == 1

    page = client.get("/transcript/").content.decode()
    assert f"/transcript/pdf/{transcript.pk}/download/" in page
    response = client.get(f"/transcript/pdf/{transcript.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "7.25" in pdf_text(b"".join(response.streaming_content))

    # A claim added since: a new statement, so a new transcript (the old one stays valid for what it stated).
    claimed(doctor, CreditTypeFactory(name="State council CPD"), "2.00")
    client.post("/transcript/pdf/", {"start": ""})
    assert TranscriptPDF.objects.filter(learner=doctor).count() == 2


@pytest.mark.django_db
def test_a_chosen_window_is_its_own_transcript(client, media_root):
    doctor = doctor_with_claims()
    client.force_login(doctor)
    start = timezone.localdate() - datetime.timedelta(days=7 * 365)
    response = client.post("/transcript/pdf/", {"start": start.isoformat()})
    assert response.status_code == 302 and f"start={start.isoformat()}" in response["Location"]
    transcript = TranscriptPDF.objects.get(learner=doctor)
    assert transcript.window_start == start
    totals = {total["credit_type"]: total["credits"] for total in transcript.statement["totals"]}
    assert totals["NMC CPD credit hours"] == "11.00"  # six and four years ago, not today


@pytest.mark.django_db
def test_bad_input_and_an_incomplete_profile_write_nothing(client, media_root):
    doctor = doctor_with_claims()
    client.force_login(doctor)
    response = client.post("/transcript/pdf/", {"start": "31/02/2026"}, follow=True)
    assert "Choose a valid date" in response.content.decode()
    assert client.get("/transcript/pdf/").status_code == 405

    doctor.doctor_profile.registration_number = ""
    doctor.doctor_profile.save()
    response = client.post("/transcript/pdf/", {"start": ""}, follow=True)
    assert "Complete your profile" in response.content.decode()
    assert not TranscriptPDF.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_only_its_doctor_downloads_it_and_anyone_can_verify_what_it_states(client, media_root):
    doctor = doctor_with_claims()
    transcript = transcript_pdf_request(user=doctor).transcript
    transcript_pdf_render(transcript_id=transcript.pk)
    download = f"/transcript/pdf/{transcript.pk}/download/"

    assert client.get(download).status_code == 302  # signed out: to the log-in page
    client.force_login(learner())
    assert client.get(download).status_code == 404
    staff = learner()
    staff.is_superuser = staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(download).status_code == 404  # a transcript is the doctor's own document

    client.logout()
    page = client.get(transcript.verification_path)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Genuine transcript" in body and "Dr Kavya Raghunathan" in body
    assert 'data-verified-total="NMC CPD credit hours">7.25<' in body
    assert 'data-verified-total="AMA PRA Category 1 Credit™">1.50<' in body
    assert "KMC-77812" not in body and "812" in body
    assert timezone.localdate().strftime("%-d %B %Y") in body
    assert "3.00 NMC CPD credit hours" in body  # self-reported, apart
    # typed as people type it: in groups, lower case
    assert (
        client.get(f"/certificates/verify/transcript/{transcript.grouped_code.lower()}/").status_code == 200
    )
    assert client.get("/certificates/verify/transcript/" + "A" * 32 + "/").status_code == 404
    assert client.get("/certificates/verify/transcript/../etc/passwd/").status_code == 404
    # a pending one is not verifiable yet
    pending = transcript_pdf_request(user=doctor, window_start=datetime.date(2020, 1, 1)).transcript
    assert client.get(pending.verification_path).status_code == 404


@pytest.mark.django_db
def test_transcript_lookups_are_rate_limited(client):
    for _ in range(TRANSCRIPT_LOOKUPS_PER_WINDOW):
        assert client.get("/certificates/verify/transcript/" + "B" * 32 + "/").status_code == 404
    blocked = client.get("/certificates/verify/transcript/" + "B" * 32 + "/")
    assert blocked.status_code == 429
    assert client.get("/certificates/verify/").status_code == 200  # certificates' own page is not blocked


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_the_transcript_once_when_asked_twice_at_once(start_worker, media_root, client):
    start_worker()
    doctor = doctor_with_claims()

    outcomes = race(
        [lambda: transcript_pdf_request(user=doctor), lambda: transcript_pdf_request(user=doctor)]
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert sorted(result.created for _, result in outcomes) == [False, True]

    transcript = wait_until(
        lambda: TranscriptPDF.objects.filter(learner=doctor, status=TranscriptPDFStatus.ISSUED).first(),
        timeout=60,
        message="the transcript PDF to be rendered",
    )
    assert TranscriptPDF.objects.filter(learner=doctor).count() == 1
    text = pdf_text(stored(transcript))
    assert "Dr Kavya Raghunathan" in text
    assert "7.25" in text and "1.50" in text and "9.00" not in text
    assert squeeze(transcript.grouped_code) in squeeze(text)
    assert transcript.render_attempts == 1 and len(list(media_root.rglob("*.pdf"))) == 1

    client.force_login(doctor)
    response = client.get(f"/transcript/pdf/{transcript.pk}/download/")
    assert response.status_code == 200
    assert "7.25" in pdf_text(b"".join(response.streaming_content))


@pytest.mark.django_db
def test_its_verification_page_says_which_counted_credit_was_revoked_since(client, media_root):
    doctor = doctor_with_claims()
    transcript = transcript_pdf_request(user=doctor).transcript
    transcript_pdf_render(transcript_id=transcript.pk)
    counted = [claim for claim in transcript.statement["claims"] if claim["counts"]]
    withdrawn = Certificate.objects.get(serial=counted[0]["certificate_serial"])
    other = learner()  # another doctor's revoked certificate is nobody's business here
    other_certificate = issued_certificate(other)
    staff = learner()

    page = client.get(transcript.verification_path).content.decode()
    assert "Credit that no longer counts" not in page

    certificate_revoke(certificate=other_certificate, by=staff, category="issued_in_error")
    certificate_revoke(certificate=withdrawn, by=staff, category="academic_misconduct")
    page = client.get(transcript.verification_path).content.decode()
    assert "Genuine transcript" in page and "Credit that no longer counts" in page
    assert f'data-revoked-since="{withdrawn.serial}"' in page
    assert f"{counted[0]['credits']} {counted[0]['credit_type']}" in page
    assert "Academic misconduct" in page
    assert other_certificate.serial not in page
    assert page.count("data-revoked-since=") == 1
