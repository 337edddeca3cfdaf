"""A revocation racing completions on PostgreSQL: the completions commit and the revocation stands (issue 11).

Before, a completion whose certificate insert met the valid certificate an instant before
it was revoked raised inside the completion's transaction (rolling the learner's
completion back), and a completion that came an instant after the revocation requested a
brand-new certificate, undoing the administrator's decision.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus, RevocationReason
from certificates.services import certificate_request, certificate_revoke
from courses.api import enrolment_lock
from courses.models import Enrolment, EnrolmentStatus, ModuleCompletion
from courses.services import module_complete
from tests.certificates.factories import course_to_complete
from tests.factories import UserFactory
from tests.support.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_completions_racing_a_revocation_all_commit_and_the_revocation_stands(media_root):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(5):
        enrolment, pages = course_to_complete(modules=2)
        module_complete(learner=enrolment.learner, module=pages[0])
        Enrolment.objects.filter(pk=enrolment.pk).update(
            status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
        )
        enrolment.refresh_from_db()
        first = certificate_request(enrolment=enrolment).certificate

        def completion(enrolment=enrolment, module=pages[1]):
            # What a completion's transaction does: the enrolment's lock, the learner's
            # own write, then the certificate request (courses' signal).
            with transaction.atomic():
                locked = enrolment_lock(enrolment_id=enrolment.pk)
                ModuleCompletion.objects.get_or_create(enrolment=locked, module_id=module.pk)
                return certificate_request(enrolment=locked).certificate.pk

        def revocation(certificate=first):
            return certificate_revoke(
                certificate=certificate, by=admin, category=RevocationReason.ISSUED_IN_ERROR, note="race"
            ).status

        outcomes = race([completion] * 8 + [revocation])

        assert all(kind == "ok" for kind, _ in outcomes), outcomes
        assert outcomes[-1] == ("ok", CertificateStatus.REVOKED)
        assert {value for _, value in outcomes[:-1]} == {first.pk}  # nobody got a new certificate
        assert list(Certificate.objects.filter(enrolment=enrolment).values_list("pk", "status")) == [
            (first.pk, CertificateStatus.REVOKED)
        ]
        assert ModuleCompletion.objects.filter(enrolment=enrolment, module_id=pages[1].pk).count() == 1


def test_a_completion_after_a_revocation_keeps_it_but_an_administrator_may_issue_again(media_root):
    from certificates.services import certificate_issue_manually

    admin = UserFactory(is_staff=True, is_superuser=True)
    enrolment, pages = course_to_complete()
    module_complete(learner=enrolment.learner, module=pages[0])
    first = Certificate.objects.get(enrolment=enrolment)
    certificate_revoke(certificate=first, by=admin, category=RevocationReason.ISSUED_IN_ERROR)

    enrolment.refresh_from_db()
    request = certificate_request(enrolment=enrolment)
    assert request.certificate.pk == first.pk and not request.created

    second = certificate_issue_manually(enrolment=enrolment, by=admin, reason="Revoked in error")
    assert second.pk != first.pk and second.status == CertificateStatus.PENDING
