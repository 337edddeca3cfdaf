"""Rate limits behind the load balancer: one trusted-proxy setting, honoured by every limiter.

The site runs behind a TLS-terminating proxy (REMOTE_ADDR is always the proxy); the
proxy appends the client's address to X-Forwarded-For. With
``DJANGO_TRUSTED_PROXY_COUNT=1`` each client is its own bucket, failed log-ins lock the
account rather than the network, and a forged header buys nothing.
"""

import re

import pytest
from django.core import mail

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the load balancer, as gunicorn sees it
ATTACKER = "203.0.113.66"
COLLEAGUE = "198.51.100.14"


@pytest.fixture
def behind_one_proxy(settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _via_proxy(client_address: str, forged: str = "") -> dict:
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def _log_in(client, email, password, **meta):
    return client.post("/accounts/login/", {"login": email, "password": password}, **meta)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_for_one_account_do_not_stop_another_logging_in(client, behind_one_proxy):
    doctor_a, doctor_b = UserFactory(), UserFactory()
    statuses = [
        _log_in(client, doctor_a.email, "wrong", **_via_proxy(ATTACKER)).status_code for _ in range(20)
    ]
    assert statuses[:5] == [200] * 5  # "wrong password", shown on the form
    assert statuses[5:] == [429] * 15  # then the account is paused

    # Doctor B signs in, from another address behind the same proxy...
    assert _log_in(client, doctor_b.email, PASSWORD, **_via_proxy(COLLEAGUE)).status_code == 302
    assert _signed_in(client)
    client.logout()
    # ...and even from the attacker's own address (the lock-out is the account's, not the network's).
    assert _log_in(client, doctor_b.email, PASSWORD, **_via_proxy(ATTACKER)).status_code == 302
    assert _signed_in(client)


def test_hammering_one_account_does_not_use_up_its_networks_budget(client, behind_one_proxy):
    """Guesses at a paused account are refused before they count against the address."""
    doctor_a, doctor_b = UserFactory(), UserFactory()
    for _ in range(40):  # more than the address's 30 failures per 15 minutes
        _log_in(client, doctor_a.email, "wrong", **_via_proxy(ATTACKER))
    assert _log_in(client, doctor_b.email, PASSWORD, **_via_proxy(ATTACKER)).status_code == 302


def test_a_paused_account_answers_429_with_the_academys_explanation_even_with_the_right_password(
    client, behind_one_proxy
):
    doctor = UserFactory()
    for _ in range(5):
        _log_in(client, doctor.email, "wrong", **_via_proxy(ATTACKER))
    paused = _log_in(client, doctor.email, PASSWORD, **_via_proxy(COLLEAGUE))
    assert paused.status_code == 429
    page = paused.content.decode()
    assert "Sign-in to this account is paused" in page
    assert "for 5 minutes" in page and "Reset my password" in page
    assert not _signed_in(client)


def test_a_password_reset_lifts_the_pause_as_the_429_page_promises(client, behind_one_proxy):
    doctor = UserFactory()
    for _ in range(5):
        _log_in(client, doctor.email, "wrong", **_via_proxy(ATTACKER))
    assert _log_in(client, doctor.email, PASSWORD, **_via_proxy(COLLEAGUE)).status_code == 429

    client.post("/accounts/password/reset/", {"email": doctor.email}, **_via_proxy(COLLEAGUE))
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True, **_via_proxy(COLLEAGUE))
    new_password = "Radiofrequency-Ablation-9"
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
        **_via_proxy(COLLEAGUE),
    )
    assert done.status_code == 302
    assert _log_in(client, doctor.email, new_password, **_via_proxy(COLLEAGUE)).status_code == 302
    assert _signed_in(client)


def test_credential_stuffing_from_one_address_is_stopped_without_stopping_the_hospital_next_door(
    client, behind_one_proxy
):
    accounts = [UserFactory() for _ in range(31)]
    # One wrong guess at each of 30 accounts (each account far from its own lock-out)...
    for account in accounts[:30]:
        assert _log_in(client, account.email, "Password123", **_via_proxy(ATTACKER)).status_code == 200
    # ...and the address is out of guesses, whatever account it tries next.
    stopped = _log_in(client, accounts[30].email, "Password123", **_via_proxy(ATTACKER))
    assert stopped.status_code == 429
    assert "Too many unsuccessful sign-ins from your network" in stopped.content.decode()
    # A doctor elsewhere is unaffected (the limit is per client, not per proxy).
    assert _log_in(client, accounts[30].email, PASSWORD, **_via_proxy(COLLEAGUE)).status_code == 302


def test_a_forged_x_forwarded_for_does_not_buy_a_fresh_bucket(client, behind_one_proxy):
    accounts = [UserFactory() for _ in range(31)]
    for i, account in enumerate(accounts[:30]):
        # The client writes whatever it likes on the left; the proxy appends the truth.
        _log_in(client, account.email, "Password123", **_via_proxy(ATTACKER, forged=f"192.0.2.{i}"))
    stopped = _log_in(client, accounts[30].email, "Password123", **_via_proxy(ATTACKER, forged="192.0.2.200"))
    assert stopped.status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(client, settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    accounts = [UserFactory() for _ in range(31)]
    for i, account in enumerate(accounts[:30]):
        _log_in(
            client, account.email, "Password123", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"
        )
    stopped = _log_in(
        client, accounts[30].email, "Password123", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert stopped.status_code == 429


def test_a_request_that_bypassed_the_proxy_is_served_not_refused(client, behind_one_proxy):
    """Fewer X-Forwarded-For entries than proxies: keyed on REMOTE_ADDR, never a 500."""
    doctor = UserFactory()
    response = _log_in(client, doctor.email, PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302 and _signed_in(client)


def test_a_flood_of_sign_ups_gets_the_academys_429_page(client, behind_one_proxy):
    for i in range(20):
        client.post("/accounts/signup/", {"email": f"x{i}@example.org"}, **_via_proxy(ATTACKER))
    throttled = client.post("/accounts/signup/", {"email": "x@example.org"}, **_via_proxy(ATTACKER))
    assert throttled.status_code == 429
    page = throttled.content.decode()
    assert "Too many requests from your connection" in page and "IPSC Pain Academy" in page
    # Another client behind the same proxy can still sign up.
    assert client.get("/accounts/signup/", **_via_proxy(COLLEAGUE)).status_code == 200
    assert (
        client.post("/accounts/signup/", {"email": "y@example.org"}, **_via_proxy(COLLEAGUE)).status_code
        == 200
    )


def _serial_lookup(client, registration_number, address):
    return client.get(
        "/certificates/verify/",
        {"serial": "PA-2027-000001", "registration_number": registration_number},
        **_via_proxy(address),
    )


def test_serial_look_ups_are_counted_per_client_behind_the_proxy(client, behind_one_proxy):
    for attempt in range(20):
        assert _serial_lookup(client, f"KMC-{attempt}", ATTACKER).status_code == 200
    assert _serial_lookup(client, "KMC-99", ATTACKER).status_code == 429
    forged = client.get(
        "/certificates/verify/",
        {"serial": "PA-2027-000001", "registration_number": "KMC-98"},
        **_via_proxy(ATTACKER, forged="192.0.2.1"),
    )
    assert forged.status_code == 429
    # An employer checking a certificate from elsewhere is not blocked by the guesser.
    assert _serial_lookup(client, "KMC-40012", COLLEAGUE).status_code == 200


def test_ipv6_clients_are_counted_per_64_network(client, behind_one_proxy):
    for i in range(20):
        assert _serial_lookup(client, f"KMC-{i}", f"2001:db8:1:2::{i + 1:x}").status_code == 200
    assert _serial_lookup(client, "KMC-99", "2001:db8:1:2::ffff").status_code == 429
    assert _serial_lookup(client, "KMC-99", "2001:db8:1:3::1").status_code == 200
