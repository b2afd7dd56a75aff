"""send_loan_reminders: one count-only mail per coach, delivered to a real SMTP server."""

import io
import re
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from clients import loans
from clients.management.commands import send_loan_reminders as command
from kierratys import roles
from tests.clients.loan_factories import make_loan, move_calendar
from tests.conftest import make_user
from tests.factories import make_batch, make_ready_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def coaches(django_user_model, coach, other_coach):
    coach.email = "veera@example.fi"
    coach.save(update_fields=["email"])
    other_coach.email = "ville@example.fi"
    other_coach.save(update_fields=["email"])
    no_mail = make_user(django_user_model, "valmentaja3", roles.COACH, first_name="Vilja")
    quiet = make_user(
        django_user_model, "valmentaja4", roles.COACH, first_name="Vappu", email="vappu@example.fi"
    )
    return SimpleNamespace(coach=coach, other=other_coach, no_mail=no_mail, quiet=quiet)


@pytest.fixture
def reminder_loans(donor, technician, coaches, monkeypatch):
    """Loans made today, then the calendar moved two days on."""
    batch = make_batch(donor, technician, declared_count=10)

    def loan(coach, due_in, name, phone):
        device = make_ready_device(batch, technician)
        return make_loan(coach, device, due_in=due_in, name=name, phone=phone)

    made = [
        loan(coaches.coach, 1, "Aino Myöhäinen", "040 111 2222"),  # overdue by one day
        loan(coaches.coach, 3, "Bertta Pian", "040 333 4444"),  # due tomorrow
        loan(coaches.coach, 12, "Cecilia Myöhemmin", "040 555 6666"),  # due in ten days
        loan(coaches.other, 6, "Daniel Toinen", "050 777 8888"),  # due in four days
        loan(coaches.no_mail, 2, "Eero Osoitteeton", "050 999 0000"),  # due today
        loan(coaches.quiet, 30, "Fanni Rauhallinen", "044 123 9876"),  # nothing due
    ]
    move_calendar(monkeypatch, 2)
    return made


def _body(message):
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def test_counts_per_coach(coaches, reminder_loans):
    counts = {r.coach.username: (r.due_soon, r.overdue) for r in loans.loan_reminder_counts()}
    assert counts == {"valmentaja": (1, 1), "valmentaja2": (1, 0), "valmentaja3": (1, 0)}


def test_one_mail_per_coach_with_the_counts_and_a_link(smtp_server, coaches, reminder_loans):
    out = io.StringIO()
    call_command("send_loan_reminders", stdout=out)

    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert len(smtp_server.messages) == 2
    assert set(by_recipient) == {"veera@example.fi", "ville@example.fi"}
    mine = _body(by_recipient["veera@example.fi"])
    assert "seuraavan 7 päivän aikana: 1\n" in mine
    assert "jo myöhässä: 1\n" in mine
    theirs = _body(by_recipient["ville@example.fi"])
    assert "seuraavan 7 päivän aikana: 1\n" in theirs
    assert "jo myöhässä: 0\n" in theirs
    link = "http://testserver.example" + reverse("clients:overdue_loans")
    assert link in mine and link in theirs
    assert by_recipient["veera@example.fi"]["Subject"].strip() == str(loans.REMINDER_SUBJECT)

    report = out.getvalue()
    assert command.SKIPPED_NO_EMAIL % {"coach": "valmentaja3"} in report
    assert "valmentaja4" not in report
    assert command.SUMMARY % {"sent": 2, "skipped": 1, "failed": 0} in report


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver.example"


def test_mails_carry_no_personal_data(smtp_server, coaches, reminder_loans):
    call_command("send_loan_reminders", stdout=io.StringIO())
    assert len(smtp_server.messages) == 2
    forbidden = []
    for handover in reminder_loans:
        client = handover.client
        forbidden += [client.name, *client.name.split(), client.phone, client.code]
        forbidden += [handover.receipt_number, handover.device.inventory_code]
    for message in smtp_server.messages:
        # Both the decoded text and the bytes on the wire (in case of an encoding).
        texts = [_body(message), message["Subject"], message.as_bytes().decode("utf-8", "replace")]
        for text in texts:
            for value in forbidden:
                assert value not in text, f"{value!r} in the reminder mail"


def test_dry_run_sends_nothing_and_prints_the_mails(smtp_server, coaches, reminder_loans):
    out = io.StringIO()
    call_command("send_loan_reminders", "--dry-run", stdout=out)
    assert smtp_server.messages == []
    report = out.getvalue()
    for username, email_address, due_soon, overdue in (
        ("valmentaja", "veera@example.fi", 1, 1),
        ("valmentaja2", "ville@example.fi", 1, 0),
    ):
        counts = command.COUNTS % {"due_soon": due_soon, "overdue": overdue}
        line = command.WOULD_SEND % {"coach": username, "email": email_address, "counts": counts}
        assert line in report
    assert "jo myöhässä: 1" in report
    assert command.SKIPPED_NO_EMAIL % {"coach": "valmentaja3"} in report
    assert command.DRY_RUN_SUMMARY % {"count": 2} in report


def test_nothing_due_sends_nothing(smtp_server, coaches):
    out = io.StringIO()
    call_command("send_loan_reminders", stdout=out)
    assert smtp_server.messages == []
    assert command.SUMMARY % {"sent": 0, "skipped": 0, "failed": 0} in out.getvalue()


def test_refuses_to_run_without_mail_configured(settings, coaches, reminder_loans):
    settings.MAIL_CONFIGURED = False
    with pytest.raises(CommandError, match=re.escape(str(command.MAIL_NOT_CONFIGURED))):
        call_command("send_loan_reminders", stdout=io.StringIO())


def test_a_refused_mail_is_reported_and_fails_the_run(smtp_server, coaches, reminder_loans):
    smtp_server.refuse = True
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=re.escape(str(command.SOME_FAILED))):
        call_command("send_loan_reminders", stdout=out, stderr=err)
    assert smtp_server.messages == []
    assert "valmentaja: " in err.getvalue() and "valmentaja2: " in err.getvalue()
    assert command.SUMMARY % {"sent": 0, "skipped": 1, "failed": 2} in out.getvalue()
