import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from kierratys import roles

BASE_DIR = Path(__file__).resolve().parents[2]


def test_login_page_is_finnish_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="fi"' in response.content.decode()
    assert "Kirjaudu sisään" in response.content.decode()


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", "Logga in"), ("en", "Log in"), ("fi", "Kirjaudu sisään")],
)
def test_language_switch_changes_the_interface(client, db, language, expected):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.get(reverse("login"))
    assert expected in response.content.decode()


DEMO_PASSWORD = "demo1234"
# Each demo user, the role's group, and the start-page section that role sees.
DEMO_USERS = [
    ("koordinaattori", roles.COORDINATOR, "show_coordinator"),
    ("teknikko", roles.TECHNICIAN, "show_technician"),
    ("valmentaja", roles.COACH, "show_coach"),
    ("lahjoittaja", roles.DONOR, "show_donor"),
]


def test_seed_demo_creates_one_user_per_role_and_is_repeatable(db, client):
    call_command("seed_demo")
    call_command("seed_demo")

    users = get_user_model().objects
    for username, role, start_section in DEMO_USERS:
        user = users.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        response = client.post(
            reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.redirect_chain == [(reverse("home"), 302)]
        assert client.session["_auth_user_id"] == str(user.pk)
        assert response.context["user"] == user
        assert response.context[start_section] is True
        client.logout()
    assert users.filter(username="lahjoittaja").count() == 1


def test_a_wrong_password_does_not_log_in(client, coordinator):
    # The counterpart of the demo login above: the same checks, a password one key off.
    response = client.post(
        reverse("login"),
        {"username": coordinator.username, "password": "test-pass-12345"},
        follow=True,
    )
    assert response.redirect_chain == []
    assert "_auth_user_id" not in client.session
    assert not response.context["user"].is_authenticated
    assert response.context["form"].non_field_errors()
    assert client.get(reverse("home")).status_code == 302


def test_login_is_throttled_after_repeated_failures(client, db, django_user_model):
    django_user_model.objects.create_user(username="kalle", password="oikea-salasana-1")
    for _ in range(5):
        client.post(reverse("login"), {"username": "kalle", "password": "väärä"})
    response = client.post(reverse("login"), {"username": "kalle", "password": "oikea-salasana-1"})
    assert response.status_code == 429
    assert "Liian monta epäonnistunutta kirjautumista" in response.content.decode()


def test_security_headers_are_sent(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_production_mode_passes_check_deploy():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 20 + "a-real-looking-secret-key-for-the-check-1234567890",
        "ALLOWED_HOSTS": "kierratys.example.fi",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_an_english_browser_still_gets_finnish_until_the_user_switches(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Kirjaudu sisään" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Log in" in response.content.decode()
