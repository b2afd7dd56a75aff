"""Two-factor login: forced enrolment for coordinators and coaches, the code after the
password, single-use recovery codes, throttled wrong codes, and removal rules."""

import datetime
import re
import time
from base64 import b32decode
from html import unescape
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor

PASSWORD = "test-pass-1234"  # tests/conftest.py make_user
SECRET = re.compile(r'<code id="totp-secret"[^>]*>([A-Z2-7=]+)</code>')
CODES = re.compile(r'<ul class="recovery-codes">(.*?)</ul>', re.S)


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def totp_code(key, *, steps_ahead=0):
    """The app's code for a binary key, `steps_ahead` 30-second steps from now."""
    totp = TOTP(key)
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def enrol(user):
    """Enrol through the services, as the enrolment page does; returns the recovery codes."""
    device = two_factor.totp_device_for_enrolment(user=user, verified=False)
    _, codes = two_factor.totp_device_confirm(
        user=user, device=device, code=totp_code(device.bin_key)
    )
    return codes


def login_code(user):
    """A code the next login accepts: the enrolment used this step's code up."""
    return totp_code(two_factor.confirmed_totp_device(user).bin_key, steps_ahead=1)


def password_login(client, user, **extra):
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 302, "the password was not accepted"
    return response


def verify_url(next_url):
    return f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': next_url})}"


def enrol_url(next_url):
    return f"{reverse('accounts:two_factor_enrol')}?{urlencode({'next': next_url})}"


def is_verified(client):
    return client.get(reverse("home")).wsgi_request.user.is_verified()


def unthrottle(user):
    """Let the throttling delay after a wrong code pass (it grows 1 s, 2 s, 4 s, ...)."""
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    for device in (two_factor.confirmed_totp_device(user), two_factor.recovery_device(user)):
        device.throttling_failure_timestamp = long_ago
        device.save(update_fields=["throttling_failure_timestamp"])


# Who is forced to enrol.


@pytest.mark.parametrize("role", ["coach", "coordinator"])
@pytest.mark.parametrize(
    "page",
    [
        reverse("home"),
        reverse("clients:client_list"),
        reverse("devices:device_list"),
        reverse("accounts:two_factor_manage"),
        reverse("accounts:two_factor_verify"),
        reverse("admin:index"),
        "/no-such-page/",
    ],
)
def test_with_require_2fa_a_coach_without_device_is_sent_to_enrolment_from_any_page(
    request, require_2fa, client, role, page
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == enrol_url(page)


def test_the_enrolment_page_logout_and_language_stay_open(require_2fa, coach_client):
    assert coach_client.get(reverse("accounts:two_factor_enrol")).status_code == 200
    response = coach_client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert response["Location"] == "/"
    assert coach_client.post(reverse("logout"))["Location"] == reverse("login")


@pytest.mark.parametrize("role", ["technician", "donor_user"])
def test_with_require_2fa_technicians_and_donors_are_not_forced(request, require_2fa, client, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("home")).status_code == 200
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("role", ["coach", "coordinator", "technician"])
def test_without_require_2fa_nobody_is_forced(request, settings, client, role):
    settings.REQUIRE_2FA = False
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("home")).status_code == 200


# Enrolment.


def test_the_enrolment_page_shows_a_qr_code_and_the_secret(require_2fa, coach, coach_client):
    response = coach_client.get(reverse("accounts:two_factor_enrol"))
    body = response.content.decode()
    device = TOTPDevice.objects.get(user=coach, confirmed=False)
    assert SECRET.search(body).group(1) == two_factor.totp_secret(device)
    # Inline SVG markup: the CSP allows neither inline styles nor an image from elsewhere.
    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    assert "style=" not in svg and "<image" not in svg
    assert device.config_url.startswith(
        "otpauth://totp/Digikierr%C3%A4tt%C3%A4m%C3%B6%3Avalmentaja?"
    )
    assert "issuer=Digikierr%C3%A4tt%C3%A4m%C3%B6" in device.config_url
    # A reload shows the same key: the app scanned a moment ago must keep working.
    again = coach_client.get(reverse("accounts:two_factor_enrol")).content.decode()
    assert SECRET.search(again).group(1) == SECRET.search(body).group(1)


def test_enrolment_with_the_right_code_confirms_the_device_and_shows_recovery_codes(
    require_2fa, coach, coach_client
):
    page = coach_client.get(enrol_url("/clients/")).content.decode()
    key = b32decode(SECRET.search(page).group(1))  # what a user types into the app

    response = coach_client.post(
        reverse("accounts:two_factor_enrol"), {"code": totp_code(key), "next": "/clients/"}
    )

    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]+)</code>", CODES.search(response.content.decode())[1])
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=coach).values_list("token", flat=True)
    )
    assert "Tulosta" in response.content.decode()
    assert 'href="/clients/"' in response.content.decode()
    assert TOTPDevice.objects.get(user=coach).confirmed
    # The session is verified by the enrolment: the coach is let in straight away.
    assert coach_client.get(reverse("clients:client_list")).status_code == 200
    assert is_verified(coach_client)


def test_enrolment_with_a_wrong_code_is_refused(require_2fa, coach, coach_client):
    coach_client.get(reverse("accounts:two_factor_enrol"))
    response = coach_client.post(reverse("accounts:two_factor_enrol"), {"code": "000000"})
    assert response.status_code == 400
    assert str(two_factor.CODE_REFUSED) in unescape(response.content.decode())
    assert not TOTPDevice.objects.filter(user=coach, confirmed=True).exists()
    assert coach_client.get(reverse("home"))["Location"] == enrol_url(reverse("home"))


def test_an_enrolled_users_unverified_session_cannot_set_up_another_app(technician):
    enrol(technician)
    with pytest.raises(two_factor.TwoFactorError) as refused:
        two_factor.totp_device_for_enrolment(user=technician, verified=False)
    assert refused.value.message == two_factor.ENROL_VERIFY_FIRST


def test_a_verified_user_can_replace_the_app(technician, client):
    enrol(technician)
    old = two_factor.confirmed_totp_device(technician)
    password_login(client, technician)
    client.post(reverse("accounts:two_factor_verify"), {"code": login_code(technician)})
    page = client.get(reverse("accounts:two_factor_enrol")).content.decode()
    key = b32decode(SECRET.search(page).group(1))

    response = client.post(reverse("accounts:two_factor_enrol"), {"code": totp_code(key)})

    assert response.status_code == 200
    assert list(TOTPDevice.objects.filter(user=technician)) == [
        two_factor.confirmed_totp_device(technician)
    ]
    assert two_factor.confirmed_totp_device(technician).pk != old.pk
    assert is_verified(client)


# The code at login.


@pytest.mark.parametrize("require", [True, False])
def test_after_the_password_an_enrolled_user_is_asked_for_the_code(
    settings, coach, client, require
):
    settings.REQUIRE_2FA = require
    enrol(coach)
    response = password_login(client, coach, next="/clients/")
    assert response["Location"] == "/clients/"
    # Whatever page comes next, the code comes first.
    for page in ("/clients/", reverse("home"), reverse("accounts:two_factor_enrol")):
        assert client.get(page)["Location"] == verify_url(page)
    assert not is_verified(client)


def test_a_wrong_code_is_refused_with_a_clear_message(coach, client):
    enrol(coach)
    password_login(client, coach)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert response.status_code == 400
    assert str(two_factor.CODE_REFUSED) in unescape(response.content.decode())
    assert not is_verified(client)


def test_the_right_code_logs_in_verified_and_goes_on_to_next(coach, client):
    enrol(coach)
    password_login(client, coach)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": login_code(coach), "next": "/clients/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/clients/"
    assert client.get("/clients/").status_code == 200
    assert is_verified(client)


def test_wrong_codes_are_throttled(coach, client):
    enrol(coach)
    password_login(client, coach)
    client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})

    # Right after a wrong code even the right one waits: guessing cannot go fast.
    response = client.post(reverse("accounts:two_factor_verify"), {"code": login_code(coach)})
    assert response.status_code == 400
    assert str(two_factor.CODE_THROTTLED) in unescape(response.content.decode())
    assert not is_verified(client)

    unthrottle(coach)
    client.post(reverse("accounts:two_factor_verify"), {"code": login_code(coach)})
    assert is_verified(client)


def test_a_code_from_another_site_is_not_followed(coach, client):
    enrol(coach)
    password_login(client, coach)
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"code": login_code(coach), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_a_recovery_code_works_once_only(coach, client):
    codes = enrol(coach)
    password_login(client, coach)
    client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert is_verified(client)
    client.post(reverse("logout"))

    password_login(client, coach)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 400
    assert str(two_factor.CODE_REFUSED) in unescape(response.content.decode())
    assert not is_verified(client)

    unthrottle(coach)
    # Typed as printed or not: spaces and capitals do not matter.
    client.post(
        reverse("accounts:two_factor_verify"), {"code": f" {codes[1].upper()[:4]} {codes[1][4:]}"}
    )
    assert is_verified(client)
    assert two_factor.recovery_codes_left(coach) == two_factor.RECOVERY_CODE_COUNT - 2


def test_any_way_in_asks_for_the_code(coach, client):
    # The admin's login, an invitation's first login: whatever logged the user in.
    enrol(coach)
    client.force_login(coach)
    assert client.get(reverse("admin:index"))["Location"] == verify_url(reverse("admin:index"))


def test_the_verify_page_without_a_device_goes_on(technician_client):
    response = technician_client.get(verify_url("/devices/"))
    assert response["Location"] == "/devices/"


# Recovery codes and removal.


def test_new_recovery_codes_replace_the_old(technician, client):
    old = enrol(technician)
    password_login(client, technician)
    client.post(reverse("accounts:two_factor_verify"), {"code": old[0]})

    response = client.post(reverse("accounts:two_factor_recovery_codes"))

    assert response.status_code == 200
    new = re.findall(r"<code>([a-z2-7]+)</code>", CODES.search(response.content.decode())[1])
    assert len(new) == 10 and not set(new) & set(old)
    # The session verified with a recovery code stays verified.
    assert is_verified(client)
    assert two_factor.recovery_codes_left(technician) == 10


def test_recovery_codes_need_an_enrolled_user(technician_client):
    response = technician_client.post(reverse("accounts:two_factor_recovery_codes"))
    assert response["Location"] == reverse("accounts:two_factor_manage")
    assert not StaticToken.objects.exists()


def test_a_technician_may_enrol_and_remove_their_own_device(require_2fa, technician, client):
    enrol(technician)
    password_login(client, technician)
    client.post(reverse("accounts:two_factor_verify"), {"code": login_code(technician)})

    response = client.post(reverse("accounts:two_factor_remove"))

    assert response["Location"] == reverse("accounts:two_factor_manage")
    assert not TOTPDevice.objects.filter(user=technician).exists()
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    password_login(client, technician)
    assert client.get(reverse("home")).status_code == 200


def test_a_coach_may_not_remove_a_required_device(require_2fa, coach, client):
    enrol(coach)
    password_login(client, coach)
    client.post(reverse("accounts:two_factor_verify"), {"code": login_code(coach)})

    response = client.post(reverse("accounts:two_factor_remove"), follow=True)

    assert str(two_factor.REMOVE_REFUSED) in unescape(response.content.decode())
    assert two_factor.confirmed_totp_device(coach) is not None


def test_a_coordinator_may_remove_anyones_device(require_2fa, coach, coordinator, client):
    # A lost phone: the coordinator removes it and the coach enrols a new one.
    enrol(coach)
    enrol(coordinator)
    password_login(client, coordinator)
    client.post(reverse("accounts:two_factor_verify"), {"code": login_code(coordinator)})

    client.post(reverse("accounts:two_factor_remove_for_user", args=[coach.pk]))

    assert not TOTPDevice.objects.filter(user=coach).exists()
    assert not StaticToken.objects.filter(device__user=coach).exists()
    client.post(reverse("logout"))
    password_login(client, coach)
    assert client.get(reverse("home"))["Location"] == enrol_url(reverse("home"))


def test_a_removed_device_ends_the_verified_session(coach, client, coordinator):
    enrol(coach)
    password_login(client, coach)
    client.post(reverse("accounts:two_factor_verify"), {"code": login_code(coach)})
    two_factor.two_factor_remove(user=coach, actor=coordinator)
    # The session is no longer verified by anything; nothing is asked without a device.
    assert client.get(reverse("home"))["Location"] == verify_url(reverse("home"))
    assert client.get(verify_url(reverse("home")))["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_the_header_links_to_the_users_own_two_factor_page(technician_client):
    body = technician_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accounts:two_factor_manage")}"' in body
    page = technician_client.get(reverse("accounts:two_factor_manage")).content.decode()
    assert reverse("accounts:two_factor_enrol") in page


def test_a_user_without_two_factor_login_costs_no_query_for_it(technician_client):
    # Noted in the session at login: the check is free on every page after that.
    with CaptureQueriesContext(connection) as captured:
        assert technician_client.get(reverse("home")).status_code == 200
    assert not [query for query in captured if "otp_" in query["sql"]]


def test_the_code_page_speaks_swedish_too(coach, client):
    enrol(coach)
    password_login(client, coach)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    body = client.get(reverse("accounts:two_factor_verify")).content.decode()
    assert "Ange verifieringskoden" in body


def test_enrolment_in_another_session_sends_this_one_to_the_code(require_2fa, coach, client):
    client.force_login(coach)
    assert client.get(reverse("home"))["Location"] == enrol_url(reverse("home"))
    enrol(coach)  # on another computer, say

    response = client.get(enrol_url(reverse("home")), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"code": login_code(coach)})
    assert is_verified(client)
