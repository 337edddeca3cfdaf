"""Credentials issued at once on PostgreSQL (issue 11): distinct status-list indexes, and no lock on the list.

Issuing takes a random index of the status list; the unique constraint on (list, index)
decides which one is free, so two workers sign and commit their credentials at the same
time, and neither waits for a revocation re-signing the list.
"""

import json
import threading

import pytest
from django.db import connection, transaction

from certificates import credentials
from certificates.issuer import issuer_did_document
from certificates.models import BadgeCredential, Certificate, CertificateStatus
from certificates.services import _status_list_locked, certificate_render
from tests.certificates.factories import complete, course_to_complete, issued_certificate
from tests.support.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _pending(count: int) -> list[Certificate]:
    certificates = []
    for _ in range(count):
        enrolment, pages = course_to_complete()
        certificates.append(complete(enrolment, pages))
    return certificates


def test_renders_at_once_take_distinct_indexes_and_each_credential_verifies(media_root):
    pending = _pending(6)

    outcomes = race([lambda pk=c.pk: certificate_render(certificate_id=pk).status for c in pending])

    assert outcomes == [("ok", CertificateStatus.ISSUED)] * len(pending), outcomes
    stored = list(BadgeCredential.objects.filter(certificate__in=pending))
    assert len(stored) == len(pending)
    assert len({c.status_index for c in stored}) == len(pending)
    did_doc = issuer_did_document()
    for credential in stored:
        document = json.loads(credential.document)
        assert document["credentialStatus"]["statusListIndex"] == str(credential.status_index)
        credentials.verify(document, did_doc=did_doc)


def test_a_render_does_not_wait_for_the_status_list_lock_a_revocation_holds(media_root):
    issued_certificate()  # the list exists and is signed
    (certificate,) = _pending(1)
    locked, release = threading.Event(), threading.Event()

    def revocation_holding_the_list():
        try:
            with transaction.atomic():
                _status_list_locked()
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=revocation_holding_the_list)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # waiting for the list's lock would fail here
        try:
            issued = certificate_render(certificate_id=certificate.pk)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        holder.join(timeout=30)
    assert issued.status == CertificateStatus.ISSUED
    assert BadgeCredential.objects.filter(certificate=certificate).exists()
