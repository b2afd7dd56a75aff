"""E-mail: the password reset says when no mail is configured or the mail did not go, and
sends one when it can; an invitation through a real SMTP server (aiosmtpd) arrives with
a link that works; the settings read EMAIL_URL."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.mail import MAIL_FAILED
from tests.accounts.invitations import NEW_PASSWORD, invite, link_to, set_password_from
from tests.support import free_port, mail_links

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def coach_with_email(coach):
    coach.email = "veera@example.fi"
    coach.save()
    return coach


def test_the_reset_page_is_the_applications_own(client):
    response = client.get(RESET)
    assert response.status_code == 200
    assert "registration/password_reset_form.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]
    assert 'name="email"' in response.content.decode()


def test_the_login_page_links_to_the_reset(client):
    assert f'href="{RESET}"' in client.get(reverse("login")).content.decode()


def test_without_mail_configured_the_reset_page_says_so_and_sends_nothing(
    client, settings, mailoutbox, coach_with_email
):
    settings.MAIL_CONFIGURED = False
    page = client.get(RESET).content.decode()
    assert "sähköpostia ei ole määritetty" in page
    assert 'name="email"' not in page
    response = client.post(RESET, {"email": "veera@example.fi"})
    assert response.status_code == 503
    assert "Viestiä ei lähetetty" in response.content.decode()
    assert mailoutbox == []


def test_with_mail_configured_the_reset_sends_one_mail_whose_link_sets_a_password(
    client, mailoutbox, coach_with_email
):
    response = client.post(RESET, {"email": "VEERA@example.fi"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["veera@example.fi"]
    assert "valmentaja" in mail.body  # the username, which a user may have forgotten too
    response = set_password_from(link_to(mail_links(mail), "/reset/"), client)
    assert response["Location"] == reverse("password_reset_complete")
    coach_with_email.refresh_from_db()
    assert coach_with_email.check_password(NEW_PASSWORD)
    done = client.get(response["Location"])
    assert "registration/password_reset_complete.html" in [t.name for t in done.templates]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mailoutbox):
    response = client.post(RESET, {"email": "ei.ketaan@example.fi"})
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_deactivated_user_gets_no_reset_mail(client, mailoutbox, coach_with_email):
    coach_with_email.is_active = False
    coach_with_email.save()
    client.post(RESET, {"email": "veera@example.fi"})
    assert mailoutbox == []


def test_a_failed_reset_mail_is_reported_and_logged(client, settings, caplog, coach_with_email):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    with caplog.at_level(logging.ERROR, logger="accounts.mail"):
        response = client.post(RESET, {"email": "veera@example.fi"})
    assert response.status_code == 503
    assert str(MAIL_FAILED) in response.content.decode()
    [record] = [record for record in caplog.records if record.name == "accounts.mail"]
    assert record.getMessage() == "Sending registration/password_reset to veera@example.fi failed"
    assert isinstance(record.exc_info[1], ConnectionRefusedError)


def test_a_reset_mail_the_server_refuses_is_reported(client, smtp_server, coach_with_email):
    smtp_server.refuse = True
    response = client.post(RESET, {"email": "veera@example.fi"})
    assert response.status_code == 503
    assert str(MAIL_FAILED) in response.content.decode()
    assert smtp_server.messages == []


def test_an_invitation_through_a_real_smtp_server_arrives_with_a_working_link(
    coordinator, client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(coordinator, username="smtp.valmentaja", first_name="Sami")
    [message] = smtp_server.messages
    assert message["To"] == "smtp.valmentaja@example.fi"
    assert message["Subject"] == "Kutsu Digikierrättämöön"
    assert "Hei Sami Uusi," in message.get_content()
    link = link_to(mail_links(message), "/invitation/")
    assert link.startswith("http://127.0.0.1:8000/accounts/invitation/")  # SITE_URL
    assert set_password_from(link, client)["Location"] == reverse("login")
    assert get_user_model().objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_a_reset_through_a_real_smtp_server_arrives(client, smtp_server, coach_with_email):
    client.post(RESET, {"email": "veera@example.fi"})
    [message] = smtp_server.messages
    assert message["Subject"] == "Digikierrättämö: uusi salasana"
    assert link_to(mail_links(message), "/reset/").startswith("http://testserver/accounts/reset/")


def _settings_in(env_overrides):
    """The mail settings a fresh process reads from these environment variables."""
    env = {**os.environ, **env_overrides}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = (
        "from kierratys import settings as s;"
        "print(s.EMAIL_BACKEND, getattr(s, 'EMAIL_HOST', ''), getattr(s, 'EMAIL_PORT', ''),"
        " getattr(s, 'EMAIL_USE_TLS', ''), s.MAIL_CONFIGURED, s.DEFAULT_FROM_EMAIL, s.SITE_URL,"
        " sep='|')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().split("|")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"EMAIL_URL": ""},
            ["django.core.mail.backends.console.EmailBackend", "True"],
        ),
        (
            {"EMAIL_URL": "", "DJANGO_ENV": "production", "SECRET_KEY": "x" * 50,
             "ALLOWED_HOSTS": "kierratys.example.fi"},
            ["django.core.mail.backends.dummy.EmailBackend", "False"],
        ),
        (
            {"EMAIL_URL": "smtp+tls://kierratys:salainen@smtp.example.fi:587",
             "DEFAULT_FROM_EMAIL": "Digikierrättämö <kierratys@example.fi>"},
            ["django.core.mail.backends.smtp.EmailBackend", "True"],
        ),
    ],
    ids=["development", "production without EMAIL_URL", "EMAIL_URL"],
)  # fmt: skip
def test_the_settings_read_email_url(env, expected):
    backend, host, port, tls, configured, sender, site = _settings_in(env)
    assert [backend, configured] == expected
    if "EMAIL_URL" in env and env["EMAIL_URL"]:
        assert (host, port, tls) == ("smtp.example.fi", "587", "True")
        assert sender == "Digikierrättämö <kierratys@example.fi>"
    if env.get("DJANGO_ENV") == "production":
        assert site == "https://kierratys.example.fi"
