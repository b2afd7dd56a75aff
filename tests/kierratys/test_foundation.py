import os
import subprocess
import sys
from pathlib import Path

import pytest
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


def test_seed_demo_creates_one_user_per_role_and_is_repeatable(db, client):
    call_command("seed_demo")
    call_command("seed_demo")
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for username, role in [
        ("koordinaattori", roles.COORDINATOR),
        ("teknikko", roles.TECHNICIAN),
        ("valmentaja", roles.COACH),
        ("lahjoittaja", roles.DONOR),
    ]:
        user = users.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        response = client.post(
            reverse("login"), {"username": username, "password": "demo1234"}, follow=True
        )
        assert response.status_code == 200
        client.logout()
    assert users.filter(username="lahjoittaja").count() == 1


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
