"""An invited coach's path with two-factor login required (issue 15).

A coordinator (enrolled, so she gives her code too) invites a coach through the user pages;
the invitation goes through a real SMTP server; the coach sets a password from its link,
sets up the authenticator app, sees the recovery codes, and logs in again with the password
and the app's next code.
"""

import re
import time
from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP

from tests.accounts.test_two_factor import enrol, login_code
from tests.browser.conftest import PASSWORD
from tests.support import mail_links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect

NEW_PASSWORD = "Kierrätys-Kevät-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def totp_code(key, *, steps_ahead=0):
    totp = TOTP(key)
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def password_login(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")


def wait_for_mail(server, count, timeout=10):
    deadline = time.monotonic() + timeout
    while len(server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.messages


def test_an_invited_coach_sets_a_password_enrols_and_logs_in_with_the_code(
    page, shot, chromium, live_server, settings, smtp_server, coordinator
):
    settings.REQUIRE_2FA = True
    enrol(coordinator)

    # The coordinator: password, then the code page, then the start page.
    password_login(page, coordinator.username, PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    expect(page.locator("h1")).to_have_text("Anna tunnistautumiskoodi")
    shot("coordinator code page")
    page.fill("#id_code", login_code(coordinator))
    page.get_by_role("button", name="Jatka").click()
    expect(page.locator("h2", has_text="Koordinaattorin työt")).to_be_visible()
    shot("coordinator start page")

    # The invitation, through the user pages.
    page.locator(".main-nav").get_by_role("link", name="Käyttäjät").click()
    expect(page.locator("h1")).to_have_text("Käyttäjät")
    shot("user list")
    page.get_by_role("link", name="Kutsu käyttäjä").click()
    page.fill("#id_username", "veera.valmentaja")
    page.fill("#id_first_name", "Veera")
    page.fill("#id_last_name", "Valmentaja")
    page.fill("#id_email", "veera@example.fi")
    page.select_option("#id_role", label="Työvalmentaja")
    shot("invitation form")
    page.get_by_role("button", name="Lisää ja lähetä kutsu").click()
    expect(page.locator(".messages")).to_contain_text(
        "kutsu lähetetty osoitteeseen veera@example.fi"
    )
    expect(page.locator("h1")).to_contain_text("Veera Valmentaja")
    shot("invited user page")

    # The mail, as the real SMTP server received it.
    messages = wait_for_mail(smtp_server, 1)
    assert len(messages) == 1
    mail = messages[0]
    assert mail["To"] == "veera@example.fi"
    assert "veera.valmentaja" in mail.get_content()
    links = [link for link in mail_links(mail) if "/accounts/invitation/" in link]
    assert len(links) == 1, mail_links(mail)
    assert links[0].startswith(settings.SITE_URL)
    invitation_path = urlsplit(links[0]).path

    # The coach, in a browser of her own.
    context = chromium.new_context(base_url=live_server.url, viewport=DESKTOP, locale="fi-FI")
    context.set_default_timeout(10_000)
    try:
        coach_page = context.new_page()
        shot.page = coach_page

        # With two-factor login required, the pages before any login stay open.
        response = coach_page.goto("/accounts/password_reset/")
        assert response.status == 200
        assert "/two-factor/" not in coach_page.url
        expect(coach_page.locator("#id_email")).to_be_visible()
        shot("password reset page anonymous")

        response = coach_page.goto(invitation_path)
        assert response.status == 200
        assert "/two-factor/" not in coach_page.url
        expect(coach_page.locator("h1")).to_have_text("Tervetuloa Digikierrättämöön")
        shot("invitation page")
        coach_page.fill("#id_new_password1", NEW_PASSWORD)
        coach_page.fill("#id_new_password2", NEW_PASSWORD)
        coach_page.get_by_role("button", name="Aseta salasana").click()
        coach_page.wait_for_url(re.compile(r"/accounts/login/"))
        expect(coach_page.locator(".messages")).to_contain_text("Salasana on asetettu")
        shot("password set")

        # The first login: straight to enrolment.
        password_login(coach_page, "veera.valmentaja", NEW_PASSWORD)
        coach_page.wait_for_url(re.compile(r"/accounts/two-factor/enrol/"))
        expect(coach_page.locator("h1")).to_have_text(
            "Ota kaksivaiheinen tunnistautuminen käyttöön"
        )
        expect(coach_page.locator(".two-factor-qr svg")).to_be_visible()
        # No menu while the step is owed: its links would only lead back here.
        expect(coach_page.locator(".main-nav")).to_have_count(0)
        expect(coach_page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
        shot("enrolment")
        coach_page.set_viewport_size(PHONE)
        shot("enrolment phone")
        coach_page.set_viewport_size(DESKTOP)

        key = b32decode(coach_page.locator("#totp-secret").inner_text().strip())
        coach_page.fill("#id_code", totp_code(key))
        coach_page.get_by_role("button", name="Vahvista").click()
        expect(coach_page.locator("h1")).to_have_text("Varakoodit")
        expect(coach_page.locator(".recovery-codes li")).to_have_count(10)
        shot("recovery codes")
        coach_page.get_by_role("link", name="Olen tallentanut koodit, jatka").click()
        expect(coach_page.locator("h2", has_text="Työvalmentajan työt")).to_be_visible()
        shot("coach start page after enrolment")

        coach_page.get_by_role("button", name="Kirjaudu ulos").click()
        coach_page.wait_for_load_state()
        shot("logged out")

        # The next login: the password, then the app's next code (enrolment used this one).
        password_login(coach_page, "veera.valmentaja", NEW_PASSWORD)
        coach_page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
        expect(coach_page.locator(".main-nav")).to_have_count(0)
        shot("coach code page")
        coach_page.fill("#id_code", totp_code(key, steps_ahead=1))
        coach_page.get_by_role("button", name="Jatka").click()
        coach_page.wait_for_url(re.compile(r"/$"))
        expect(coach_page.locator("h2", has_text="Työvalmentajan työt")).to_be_visible()
        expect(coach_page.locator(".main-nav")).to_contain_text("Asiakkaat")
        shot("coach start page")
    finally:
        context.close()

    # Back on the coordinator's user page: the coach's app can now be removed from there.
    shot.page = page
    page.reload()
    expect(page.locator("h1")).to_contain_text("Veera Valmentaja")
    expect(page.get_by_role("button", name="Poista todennussovellus")).to_be_visible()
    shot("user page with the app")
