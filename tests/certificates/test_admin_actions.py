"""The certificate actions offered in the admin are exactly those that apply.

For a certificate in each state, the inspect view's Actions menu, the listing's row menu,
the action's screen and its POST all give the same answer — the one
``certificate_action_refusal`` gives — and only people with the permission are offered
anything (issue 14: reissue was offered for a revoked certificate, then refused after
the form was filled in).
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateStatus
from certificates.selectors import CERTIFICATE_ACTIONS, certificate_action_refusal
from certificates.services import certificate_reissue, certificate_revoke
from lms.roles import ADMINISTRATORS
from tests.certificates.factories import complete, course_to_complete, issued_certificate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SNIPPET = "wagtailsnippets_certificates_certificate"
ACTION_LABELS = {"reissue": "Reissue", "revoke": "Revoke", "retry": "Retry rendering"}


def url(name: str, *args) -> str:
    return reverse(f"{SNIPPET}:{name}", args=args)


def pending() -> Certificate:
    return complete(*course_to_complete())


def failed() -> Certificate:
    certificate = pending()
    Certificate.objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.FAILED, failed_at=timezone.now(), last_error="No doctor's profile"
    )
    return Certificate.objects.get(pk=certificate.pk)


def revoked() -> Certificate:
    return certificate_revoke(certificate=issued_certificate(), by=None, category="issued_in_error")


def superseded() -> Certificate:
    old = issued_certificate()
    certificate_reissue(certificate=old, by=None, reason="Name corrected")
    return Certificate.objects.get(pk=old.pk)


STATES = {
    "pending": (pending, {"revoke"}),
    "issued": (issued_certificate, {"revoke", "reissue"}),
    "failed": (failed, {"revoke", "retry"}),
    "revoked": (revoked, set()),
    "superseded": (superseded, set()),
}


@pytest.fixture(scope="module")
def made_in_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """One certificate in each state, made once for the module: (media root, {state: pk}).

    Issuing renders a PDF (seconds each); the parametrized tests below need one
    certificate per state, twenty-five times over. The certificates stay in an open transaction
    for the module (as ``seeded_demo`` does): each test runs in a savepoint inside it, so
    what a test's POST changes rolls back and the next test finds the certificate in its
    state again.
    """
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("certificate-states-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        made = {state: make().pk for state, (make, _) in STATES.items()}
        yield media, made
        transaction.set_rollback(True)


@pytest.fixture
def in_state(made_in_module, settings):
    """``in_state(state)``: the module's certificate in that state, as the database has it now."""
    media, made = made_in_module
    settings.MEDIA_ROOT = str(media)
    return lambda state: Certificate.objects.get(pk=made[state])


@pytest.fixture
def administrator():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATORS))
    return user


@pytest.fixture
def reader():
    """Staff who may list and inspect certificates, and nothing more."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_certificate")
    )
    return user


def offered(html: str, certificate: Certificate) -> set[str]:
    return {action for action in ACTION_LABELS if url(action, certificate.pk) in html}


@pytest.mark.parametrize("state", STATES)
def test_the_predicate_says_which_actions_apply_in_each_state(in_state, state):
    _, applicable = STATES[state]
    certificate = in_state(state)
    assert certificate.status == state
    assert {
        a for a in ACTION_LABELS if certificate_action_refusal(certificate=certificate, action=a) is None
    } == (applicable)
    assert (certificate_action_refusal(certificate=certificate, action="download") is None) is bool(
        certificate.pdf
    )
    with pytest.raises(ValueError, match="Unknown certificate action"):
        certificate_action_refusal(certificate=certificate, action="delete")
    assert set(CERTIFICATE_ACTIONS) == {*ACTION_LABELS, "download"}


@pytest.mark.parametrize("state", STATES)
def test_inspect_and_listing_offer_only_the_actions_that_apply(in_state, client, administrator, state):
    _, applicable = STATES[state]
    certificate = in_state(state)
    client.force_login(administrator)

    inspect = client.get(url("inspect", certificate.pk)).content.decode()
    listing = client.get(url("list")).content.decode()

    assert offered(inspect, certificate) == applicable
    assert offered(listing, certificate) == applicable
    download = reverse("certificate_download", args=[certificate.pk])
    assert (download in inspect) is bool(certificate.pdf)
    # The failure notice's own "Retry rendering" form is the same rule.
    assert ('method="POST"' in inspect and url("retry", certificate.pk) in inspect) is (state == "failed")


@pytest.mark.parametrize("action", ACTION_LABELS)
@pytest.mark.parametrize("state", STATES)
def test_each_screen_asks_the_same_rule_as_its_button(in_state, client, administrator, state, action):
    _, applicable = STATES[state]
    certificate = in_state(state)
    client.force_login(administrator)
    data = {"revoke": {"category": "issued_in_error"}, "reissue": {"reason": "Name corrected"}, "retry": {}}[
        action
    ]
    entries = ModelLogEntry.objects.count()

    screen = client.get(url(action, certificate.pk)).content.decode()
    response = client.post(url(action, certificate.pk), data)

    certificate.refresh_from_db()
    if action in applicable:
        assert "<form" in screen and ACTION_LABELS[action].split()[0] in screen
        assert response.status_code == 302
        assert ModelLogEntry.objects.count() > entries
        assert certificate.status != state
    else:
        reason = certificate_action_refusal(certificate=certificate, action=action)
        for page in (screen, response.content.decode()):
            assert reason.replace("'", "&#x27;") in page
            assert f'action="{url(action, certificate.pk)}"' not in page  # no form to fill in
        assert response.status_code == 200
        assert ModelLogEntry.objects.count() == entries and certificate.status == state


def test_a_revoked_certificate_is_refused_reissue_with_what_to_do_instead(media_root, client, administrator):
    certificate = revoked()
    client.force_login(administrator)
    page = client.get(url("reissue", certificate.pk)).content.decode()
    assert "a revoked certificate is not reissued; issue a new certificate by hand" in page
    assert (
        "Reissue" not in client.get(url("inspect", certificate.pk)).content.decode().split("Audit trail")[0]
    )


def test_staff_who_may_only_read_are_offered_no_action(media_root, client, reader):
    issued, broken = issued_certificate(), failed()
    client.force_login(reader)

    listing = client.get(url("list")).content.decode()
    assert url("issue") not in listing and url("bulk_issue") not in listing
    for certificate in (issued, broken):
        inspect = client.get(url("inspect", certificate.pk)).content.decode()
        assert offered(inspect, certificate) == set() and offered(listing, certificate) == set()
        assert reverse("certificate_download", args=[certificate.pk]) not in inspect
    progress = client.get(url("run_progress", issued.enrolment.run_id)).content.decode()
    assert '<td data-status="issued">1</td>' in progress
    assert url("run_zip", issued.enrolment.run_id) not in progress  # they may not download the PDFs


def test_an_administrator_is_offered_issuing_and_the_runs_pdfs(media_root, client, administrator):
    certificate = issued_certificate()
    client.force_login(administrator)
    listing = client.get(url("list")).content.decode()
    assert url("issue") in listing and url("bulk_issue") in listing
    progress = client.get(url("run_progress", certificate.enrolment.run_id)).content.decode()
    assert url("run_zip", certificate.enrolment.run_id) in progress


def test_a_row_action_returns_to_the_listing_it_was_chosen_from(media_root, client, administrator):
    certificate = issued_certificate()
    client.force_login(administrator)
    listing_url = f"{url('list')}?status=issued"
    listing = client.get(listing_url).content.decode()
    assert (
        f"{url('revoke', certificate.pk)}?next=%2Fadmin%2Fsnippets%2Fcertificates%2Fcertificate%2F%3Fstatus%3Dissued"
        in listing
    )

    response = client.post(
        f"{url('revoke', certificate.pk)}?next={listing_url}", {"category": "issued_in_error"}
    )
    assert response["Location"] == listing_url
    response = client.post(
        f"{url('reissue', issued_certificate().pk)}?next=https://elsewhere.example.org/", {"reason": "Typo"}
    )
    assert response["Location"].startswith(f"{url('list')}inspect/")  # an outside "next" is ignored


def test_the_listing_asks_the_rule_of_every_row_without_a_query_each(media_root, client, administrator):
    """Row menus for 3 certificates and for a full page of 20 cost the same queries."""
    offered_on = complete(*course_to_complete())
    Certificate.objects.filter(pk=offered_on.pk).update(
        requested_at=timezone.now() + datetime.timedelta(days=1)
    )

    def add_revoked(n: int) -> None:
        Certificate.objects.bulk_create(
            Certificate(
                enrolment=course_to_complete()[0], status=CertificateStatus.REVOKED, revoked_at=timezone.now()
            )
            for _ in range(n)
        )

    def queries_for_listing() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url("list")).content.decode()
        assert url("revoke", offered_on.pk) in page
        return len(queries)

    client.force_login(administrator)
    add_revoked(2)
    client.get(url("list"))  # per-process caches (content types, permissions) filled
    with_three = queries_for_listing()
    add_revoked(17)
    assert queries_for_listing() == with_three
