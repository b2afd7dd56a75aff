"""A client's path to its end: served -> closed on schedule (or by the coach), closed ->
anonymised; no device for a closed client, no closing with a device out (issue 12, D1, D7)."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clients import retention, services
from clients.models import Client, Handover
from devices.models import Device
from reports import selectors as reports
from tests import factories

NAME = "Xaverius Qvistbäck"
PHONE = "045 918 2736"
SECRETS = (
    "Xaverius",
    "Qvistbäck",
    PHONE,
    "050 777 1199",
    "hyvin isot kirjaimet",
    "naapuri Greta auttaa",
    "osaa jo avata Kanta-sovelluksen",
)


def _months_later(day, months):
    """The same day `months` months after `day` (end of month clamped)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


def _served_gift_client(coach, technician, donor):
    """A client with personal data in every field that holds it, who got a gift."""
    milestones = factories.make_milestones()
    client = factories.make_client(
        coach, name=NAME, phone="050 777 1199", accessibility_needs="hyvin isot kirjaimet"
    )
    client = services.client_update(
        client=client, actor=coach, phone=PHONE, notes="naapuri Greta auttaa"
    )
    for milestone in milestones:
        services.client_milestone_record(
            client=client,
            milestone=milestone,
            actor=coach,
            completed_on=timezone.localdate(),
            note="osaa jo avata Kanta-sovelluksen",
        )
    device = factories.make_ready_device(factories.make_batch(donor, technician), technician)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    factories.prepare_for_handover(handover, coach)
    handover = services.handover_complete(handover=handover, actor=coach, kind=Handover.Kind.GIFT)
    client.refresh_from_db()
    assert client.status == Client.Status.SERVED
    return client, handover


def _full_dump():
    """Every row of every table as the database itself writes it out."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed: the PostgreSQL dump cannot be taken")
    params = connection.get_connection_params()
    command = ["pg_dump", "--data-only", "--no-owner", "-d", params["dbname"]]
    for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
        if params.get(key):
            command += [flag, str(params[key])]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.mark.django_db(transaction=True)
def test_gift_client_is_closed_after_the_gift_then_anonymised_leaving_no_trace(
    coach, technician, donor, settings
):
    settings.SERVED_CLIENT_CLOSE_MONTHS = 6
    settings.CLIENT_RETENTION_MONTHS = 24
    client, handover = _served_gift_client(coach, technician, donor)
    before = _full_dump()
    for secret in SECRETS:
        assert secret in before, secret

    today = timezone.localdate()
    # Five months after the gift the record stays open; at seven it is closed.
    assert retention.close_served_clients(today=_months_later(today, 5)) == []
    closing_day = _months_later(today, 7)
    assert retention.close_served_clients(today=closing_day) == [client.code]
    client.refresh_from_db()
    assert (client.status, client.closed_on) == (Client.Status.CLOSED, closing_day)

    # Within the retention period nothing is anonymised; after it, everything.
    assert retention.anonymise_closed_clients(today=_months_later(closing_day, 23)).clients == []
    result = retention.anonymise_closed_clients(today=_months_later(closing_day, 25))
    assert [changes.code for changes in result.clients] == [client.code]

    after = _full_dump()
    for secret in SECRETS:
        assert after.count(secret) == 0, f"{secret!r} still in the database dump"
    # The device trail and the figures still add up, under the client code only.
    handover.refresh_from_db()
    assert handover.status == Handover.Status.HANDED_OVER
    assert handover.receipt_number and handover.receipt_number in after
    assert Device.objects.get(pk=handover.device_id).status == Device.Status.HANDED_OVER
    assert client.code in after
    figures = reports.dashboard_figures()
    handed = {row.key: row.count for row in figures.status_counts}.get(Device.Status.HANDED_OVER)
    assert handed == 1


@pytest.mark.django_db
def test_daily_job_closes_served_clients_and_says_so(coach, technician, donor, settings):
    settings.SERVED_CLIENT_CLOSE_MONTHS = 0
    client, _handover = _served_gift_client(coach, technician, donor)
    # With zero months the gift must still be from an earlier day than today.
    assert retention.served_clients_due().count() == 0
    settings.SERVED_CLIENT_CLOSE_MONTHS = 6
    out = io.StringIO()
    call_command("anonymise_clients", "--dry-run", stdout=out)
    assert "Päätettäisiin 0 asiakkuutta" in out.getvalue()
    tomorrow_in_seven_months = _months_later(timezone.localdate(), 7)
    assert [c.code for c in retention.served_clients_due(tomorrow_in_seven_months)] == [client.code]


@pytest.mark.django_db
def test_coach_closes_a_served_client_early_from_the_edit_form(
    coach_client, coach, technician, donor
):
    client, _handover = _served_gift_client(coach, technician, donor)
    url = reverse("clients:client_edit", kwargs={"code": client.code})
    form = coach_client.get(url).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == [
        Client.Status.SERVED,
        Client.Status.CLOSED,
    ]
    data = {name: form[name].value() or "" for name in form.fields}
    data["status"] = Client.Status.CLOSED
    response = coach_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    client.refresh_from_db()
    assert (client.status, client.closed_on) == (Client.Status.CLOSED, timezone.localdate())


@pytest.mark.django_db
def test_nobody_makes_a_client_served_by_hand(coach):
    client = factories.make_client(coach)
    with pytest.raises(services.ClientError):
        services.client_update(client=client, actor=coach, status=Client.Status.SERVED)
    client.refresh_from_db()
    assert client.status == Client.Status.COACHING


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["reserved", "loan"])
def test_closing_is_refused_while_a_device_is_reserved_or_lent(coach, technician, donor, kind):
    client = factories.make_eligible_client(coach)
    device = factories.make_ready_device(factories.make_batch(donor, technician), technician)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    if kind == "loan":
        factories.prepare_for_handover(handover, coach)
        services.handover_complete(
            handover=handover,
            actor=coach,
            kind=Handover.Kind.LOAN,
            due_date=timezone.localdate() + datetime.timedelta(days=14),
        )
    for close in (
        lambda: services.client_update(client=client, actor=coach, status=Client.Status.CLOSED),
        lambda: services.client_close(client=client, actor=coach),
    ):
        with pytest.raises(services.ClientError) as refusal:
            close()
        assert device.inventory_code in refusal.value.messages[0]
    client.refresh_from_db()
    assert (client.status, client.closed_on) == (Client.Status.COACHING, None)


@pytest.mark.django_db
def test_a_closed_client_is_given_no_device(coach, technician, donor):
    client = factories.make_eligible_client(coach)
    device = factories.make_ready_device(factories.make_batch(donor, technician), technician)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    # A record closed before this rule existed (closing now refuses an open reservation):
    # written past the service on purpose, as old data would be.
    Client.objects.filter(pk=client.pk).update(
        status=Client.Status.CLOSED, closed_on=timezone.localdate()
    )
    with pytest.raises(services.HandoverError) as refusal:
        services.handover_complete(handover=handover, actor=coach, kind=Handover.Kind.GIFT)
    assert "päättynyt" in refusal.value.messages[0]
    handover.refresh_from_db()
    client.refresh_from_db()
    assert handover.status == Handover.Status.RESERVED and not handover.receipt_number
    assert client.status == Client.Status.CLOSED
    assert Device.objects.get(pk=device.pk).status == Device.Status.RESERVED

    # And a closed client cannot reserve one either.
    other = factories.make_ready_device(factories.make_batch(donor, technician), technician)
    with pytest.raises(services.HandoverError):
        services.handover_reserve(client=client, device=other, actor=coach)
