"""Retention: closed clients' personal data leaves every table, live and history; figures stay."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from clients import retention, services
from clients import services as client_services
from clients.access_log import access_log_record
from clients.models import AccessLog, Client, ClientMilestone, Handover
from devices.models import Device
from reports import selectors as reports
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Zacharias Ylönen-Testinen"
OLD_PHONE = "040 987 6543"
NEW_PHONE = "050 111 2222"
SECRETS = (
    "Zacharias",
    "Ylönen",
    OLD_PHONE,
    NEW_PHONE,
    "isot näppäimet",
    "puoliso auttaa",
    "pelkää pankkitunnuksia",
    "Zachariaksen tytär",
)


def long_ago(months=30):
    return retention.retention_cutoff(months=months)


@pytest.fixture
def closed_client(coach, coordinator, technician, donor):
    """A client whose personal data is spread over every table that can hold it."""
    milestones = factories.make_milestones()
    client = factories.make_client(
        coach, name=NAME, phone=OLD_PHONE, accessibility_needs="isot näppäimet"
    )
    client = client_services.client_update(
        client=client, actor=coach, phone=NEW_PHONE, notes="puoliso auttaa"
    )
    for milestone in milestones:
        client_services.client_milestone_record(
            client=client,
            milestone=milestone,
            actor=coach,
            completed_on=timezone.localdate(),
            note=f"{NAME} pelkää pankkitunnuksia",
        )
    mistaken = ClientMilestone.objects.filter(client=client).first()
    client_services.client_milestone_remove(record=mistaken, actor=coach)
    client_services.client_milestone_record(
        client=client, milestone=mistaken.milestone, actor=coach, completed_on=timezone.localdate()
    )
    device = factories.make_ready_device(factories.make_batch(donor, technician), technician)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    # The checklist note is free text too: it must go with the rest.
    factories.prepare_for_handover(handover, coach, note="Zachariaksen tytär auttoi tunnuksissa")
    handover = services.handover_complete(
        handover=handover,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    services.handover_return(
        handover=handover,
        actor=coach,
        returned_on=timezone.localdate(),
        condition=Device.Grade.B,
        note="Zachariaksen tytär toi laitteen",
    )
    access_log_record(client=client, user=coordinator, action=AccessLog.Action.VIEW)
    return client_services.client_update(
        client=client, actor=coordinator, status=Client.Status.CLOSED, closed_on=long_ago()
    )


@pytest.fixture
def recent_client(coach, coordinator):
    client = factories.make_client(coach, name="Tuore Suljettu", phone="044 555 0000")
    return client_services.client_update(
        client=client, actor=coordinator, status=Client.Status.CLOSED, closed_on=long_ago(6)
    )


@pytest.fixture
def active_client(coach):
    return factories.make_client(coach, name="Aktiivi Asiakas", notes="jatkuu")


def dump():
    """The whole database (every app, history tables included) as text."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    # Re-encode without \u escapes so "Ylönen" is searchable as written.
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


def test_fixture_spreads_the_name_over_live_and_history_tables(closed_client):
    data = dump()
    for secret in SECRETS:
        assert secret in data, secret


def test_anonymisation_removes_personal_data_from_every_table(
    closed_client, recent_client, active_client
):
    out = io.StringIO()
    call_command("anonymise_clients", stdout=out)
    data = dump()
    for secret in SECRETS:
        assert secret not in data, f"{secret!r} still in the database"
    assert closed_client.code in out.getvalue()
    assert "Anonymisoitu 1 asiakasta" in out.getvalue()

    closed_client.refresh_from_db()
    assert closed_client.name == retention.ANONYMISED_NAME
    assert (closed_client.phone, closed_client.accessibility_needs, closed_client.notes) == (
        "",
        "",
        "",
    )
    assert closed_client.anonymised_at is not None
    # The others are untouched.
    assert "Tuore Suljettu" in data and "044 555 0000" in data
    assert "Aktiivi Asiakas" in data and "jatkuu" in data


def test_code_device_trail_and_figures_stay(closed_client):
    before = reports.dashboard_figures()
    handover = Handover.objects.get(client=closed_client)
    milestones_before = ClientMilestone.objects.filter(client=closed_client).count()
    device_history_before = handover.device.history.count()

    retention.anonymise_closed_clients()

    after = reports.dashboard_figures()
    assert Client.objects.filter(code=closed_client.code).exists()
    handover.refresh_from_db()
    assert handover.status == Handover.Status.RETURNED
    assert handover.receipt_number and handover.device.inventory_code
    assert ClientMilestone.objects.filter(client=closed_client).count() == milestones_before
    # Anonymising a client neither drops nor adds a row of the device's own trail.
    assert handover.device.history.count() == device_history_before
    assert after.by_municipality == before.by_municipality
    assert after.client_stages == before.client_stages
    assert after.median_days == before.median_days


def test_anonymisation_is_recorded_in_history_without_personal_data(closed_client):
    retention.anonymise_closed_clients()
    latest = Client.history.filter(id=closed_client.pk).latest()
    assert latest.history_change_reason == retention.CHANGE_REASON
    assert latest.name == retention.ANONYMISED_NAME
    assert latest.anonymised_at is not None
    assert (
        not Client.history.filter(id=closed_client.pk)
        .exclude(name=retention.ANONYMISED_NAME)
        .exists()
    )


def test_dry_run_changes_nothing_and_lists_what_would(closed_client, recent_client):
    before = dump()
    out = io.StringIO()
    call_command("anonymise_clients", "--dry-run", stdout=out)
    assert dump() == before
    text = out.getvalue()
    assert closed_client.code in text
    assert recent_client.code not in text
    assert "Kuivaharjoitus, mitään ei muutettu. Anonymisoitaisiin 1 asiakasta" in text
    result = retention.anonymise_closed_clients(dry_run=True)
    (changes,) = result.clients
    assert changes.milestone_notes == 3  # four recorded, one removed, its re-record has no note
    assert changes.milestone_history_rows >= 5
    assert changes.handover_notes == 1
    assert changes.client_history_rows >= 3


def test_second_run_finds_nothing(closed_client):
    retention.anonymise_closed_clients()
    assert retention.anonymise_closed_clients().clients == []


@pytest.mark.parametrize(
    ("today", "months", "cutoff"),
    [
        (datetime.date(2026, 5, 15), 24, datetime.date(2024, 5, 15)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 10), 1, datetime.date(2025, 12, 10)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2023, 2, 28)),
    ],
)
def test_cutoff(today, months, cutoff):
    assert retention.retention_cutoff(today, months) == cutoff


def test_closed_exactly_at_the_cutoff_is_kept_one_more_day(coach, coordinator, settings):
    settings.CLIENT_RETENTION_MONTHS = 24
    today = timezone.localdate()
    client = factories.make_client(coach)
    client_services.client_update(
        client=client,
        actor=coordinator,
        status=Client.Status.CLOSED,
        closed_on=retention.retention_cutoff(today),
    )
    assert list(retention.clients_due(today)) == []
    assert list(retention.clients_due(today + datetime.timedelta(days=1))) == [client]
