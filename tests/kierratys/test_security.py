"""Findings of the security probe (issue 12): login throttling per client address (D3)
and no browser caching of pages for a logged-in user (D8)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from clients import services as client_services
from clients.models import Handover
from kierratys.login_throttle import client_ip_address
from tests.factories import (
    make_batch,
    make_eligible_client,
    make_ready_device,
    prepare_for_handover,
)

pytestmark = pytest.mark.django_db

PASSWORD = "test-pass-1234"  # tests/conftest.py make_user
CLIENT_ADDRESS = "203.0.113.5"
OTHER_ADDRESS = "198.51.100.7"
PROXY_ADDRESS = "127.0.0.1"  # the test client's REMOTE_ADDR: nginx on the same host


def log_in(client, username, password, *, address=PROXY_ADDRESS, real_ip=None):
    """A login form post from `address`, with the X-Real-IP header if `real_ip` is given."""
    headers = {"X-Real-IP": real_ip} if real_ip is not None else {}
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        headers=headers,
        REMOTE_ADDR=address,
    )


def attempt_addresses():
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


# D3: login throttling by the client's address


@pytest.mark.parametrize(
    ("behind_proxy", "real_ip", "expected"),
    [
        (True, CLIENT_ADDRESS, CLIENT_ADDRESS),
        (True, " 2001:DB8::1 ", "2001:db8::1"),
        (True, None, PROXY_ADDRESS),  # not through the proxy: the connection's own address
        (True, "not-an-address", PROXY_ADDRESS),
        (False, CLIENT_ADDRESS, PROXY_ADDRESS),  # a forged header counts for nothing
        (False, None, PROXY_ADDRESS),
    ],
)
def test_client_address_is_read_from_x_real_ip_only_behind_the_proxy(
    settings, behind_proxy, real_ip, expected
):
    settings.BEHIND_PROXY = behind_proxy
    headers = {"X-Real-IP": real_ip} if real_ip is not None else {}
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=PROXY_ADDRESS, headers=headers)
    assert client_ip_address(request) == expected


def test_behind_the_proxy_a_lockout_is_per_client_address(client, settings, coordinator):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        log_in(client, "koordinaattori", "väärä", real_ip=CLIENT_ADDRESS)

    locked = log_in(client, "koordinaattori", PASSWORD, real_ip=CLIENT_ADDRESS)
    assert locked.status_code == 429
    assert attempt_addresses() == {CLIENT_ADDRESS}

    elsewhere = log_in(client, "koordinaattori", PASSWORD, real_ip=OTHER_ADDRESS)
    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == reverse("home")
    # The lockout of the first address stands: the success elsewhere reset only its own row.
    assert attempt_addresses() == {CLIENT_ADDRESS}


def test_without_the_proxy_setting_a_forged_x_real_ip_changes_nothing(
    client, settings, coordinator
):
    settings.BEHIND_PROXY = False
    for n in range(5):
        log_in(client, "koordinaattori", "väärä", real_ip=f"203.0.113.{n + 1}")

    response = log_in(client, "koordinaattori", PASSWORD, real_ip=OTHER_ADDRESS)
    assert response.status_code == 429
    assert attempt_addresses() == {PROXY_ADDRESS}


@pytest.fixture
def staff(django_user_model):
    names = ["anna", "bertta", "cecilia", "daniel", "eero"]
    return [django_user_model.objects.create_user(name, password=PASSWORD) for name in names]


def test_a_password_spray_across_usernames_locks_the_address(client, staff):
    sprayed, untouched = staff[:4], staff[4]
    # 16 guesses, 4 per username: each one stays under the per-user limit of 5.
    for guess in range(4):
        for user in sprayed:
            log_in(client, user.username, f"Kesä2025!{guess}", address=CLIENT_ADDRESS)
    assert AccessAttempt.objects.filter(ip_address=CLIENT_ADDRESS).count() == 4

    for user in (sprayed[0], untouched):
        response = log_in(client, user.username, PASSWORD, address=CLIENT_ADDRESS)
        assert response.status_code == 429

    elsewhere = log_in(client, untouched.username, PASSWORD, address=OTHER_ADDRESS)
    assert elsewhere.status_code == 302


def test_one_user_mistyping_locks_that_user_at_that_address_only(client, staff):
    mistyper, colleague = staff[0], staff[1]
    for _ in range(5):
        log_in(client, mistyper.username, "väärä", address=CLIENT_ADDRESS)

    assert log_in(client, mistyper.username, PASSWORD, address=CLIENT_ADDRESS).status_code == 429
    # The office's shared address is not locked for the colleague, nor the user elsewhere.
    assert log_in(client, colleague.username, PASSWORD, address=CLIENT_ADDRESS).status_code == 302
    client.logout()
    assert log_in(client, mistyper.username, PASSWORD, address=OTHER_ADDRESS).status_code == 302


def test_failures_followed_by_the_same_users_success_do_not_add_up_to_an_address_lock(
    client, staff
):
    # A busy office behind one address: everyone mistypes a few times, then gets in.
    for _round in range(2):
        for user in staff:
            for _ in range(2):
                log_in(client, user.username, "väärä", address=CLIENT_ADDRESS)
            assert (
                log_in(client, user.username, PASSWORD, address=CLIENT_ADDRESS).status_code == 302
            )
            client.logout()
    assert not AccessAttempt.objects.exists()


# D8: no browser caching of pages for a logged-in user


def assert_never_stored(response):
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


@pytest.fixture
def handover(coach, technician, donor):
    device = make_ready_device(make_batch(donor, technician), technician)
    client = make_eligible_client(coach)
    reserved = client_services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(reserved, coach)
    return client_services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("clients:client_detail", lambda h: {"code": h.client.code}),
        ("clients:handover_receipt", lambda h: {"pk": h.pk}),
        ("clients:subject_access", lambda h: {"code": h.client.code}),
        ("clients:client_list", lambda h: {}),
        ("reports:handovers_csv", lambda h: {}),
    ],
)
def test_pages_with_personal_data_are_never_stored(coordinator_client, handover, name, kwargs):
    response = coordinator_client.get(reverse(name, kwargs=kwargs(handover)))
    assert_never_stored(response)


@pytest.mark.parametrize(
    "logged_in", ["coordinator_client", "technician_client", "coach_client", "donor_client"]
)
def test_the_start_page_is_never_stored_for_any_role(request, logged_in):
    assert_never_stored(request.getfixturevalue(logged_in).get(reverse("home")))


def test_anonymous_responses_are_left_to_their_views(client):
    # The middleware marks only responses for a logged-in user; Django's login view
    # is never_cache by itself, and an anonymous redirect carries no personal data.
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    redirect = client.get(reverse("home"))
    assert redirect.status_code == 302
    assert "Cache-Control" not in redirect
