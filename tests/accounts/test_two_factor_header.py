"""The header while a second factor is owed: no menu or account links, logout stays."""

from django.urls import reverse

from tests.accounts.test_two_factor import enrol, login_code, password_login


def test_the_code_page_shows_no_menu_until_the_code_is_given(coach, client):
    enrol(coach)
    password_login(client, coach)
    html = client.get(reverse("accounts:two_factor_verify")).content.decode()
    assert 'class="main-nav"' not in html
    assert reverse("password_change") not in html
    assert f'action="{reverse("logout")}"' in html

    client.post(reverse("accounts:two_factor_verify"), {"code": login_code(coach)})
    html = client.get(reverse("home")).content.decode()
    assert 'class="main-nav"' in html
    assert reverse("password_change") in html


def test_the_enrolment_page_shows_no_menu_when_enrolment_is_owed(settings, coach_client):
    settings.REQUIRE_2FA = True
    html = coach_client.get(reverse("accounts:two_factor_enrol")).content.decode()
    assert 'class="main-nav"' not in html
    assert f'action="{reverse("logout")}"' in html


def test_an_optional_enrolment_keeps_the_menu(technician_client):
    html = technician_client.get(reverse("accounts:two_factor_enrol")).content.decode()
    assert 'class="main-nav"' in html
