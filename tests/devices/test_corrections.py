"""Corrections with history and a reason: a technician corrects a device's intake data (never
its status); a donor changes or cancels a batch until it is received; a coordinator cancels
a batch registered by mistake. Cancelled batches wait for no one and cannot be received."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from devices import imports, selectors, services, spreadsheets
from devices.models import LIFECYCLE_FIELDS, Device, DonationBatch
from devices.models.device import IMEI_REQUIRED_FOR_PHONE, SERIAL_ALREADY_IN_INVENTORY
from devices.timelines import batch_timeline, device_timeline
from reports.selectors.donors import donor_year_report
from tests.factories import make_batch, make_device, make_ready_device

REASON = "Sarjanumerossa kirjoitusvirhe"


def _messages(error):
    return error.value.messages


# --- device corrections: services ----------------------------------------------------------


def test_a_correction_changes_the_intake_data_and_keeps_the_reason_and_the_user(technician, donor):
    device = make_device(make_batch(donor, technician), technician, model="T480")
    corrected = services.device_correct(
        device=device, actor=technician, reason=REASON, model="ThinkPad T480s", serial_number="X1"
    )
    device.refresh_from_db()
    assert (device.model, device.serial_number) == ("ThinkPad T480s", "X1")
    assert corrected.model == "ThinkPad T480s"
    record = device.history.latest()
    assert record.history_user == technician
    assert record.history_change_reason == f"correction: {REASON}"


def test_the_timeline_shows_the_correction_with_the_typed_reason(technician, donor):
    device = make_device(make_batch(donor, technician), technician, model="T480")
    services.device_correct(device=device, actor=technician, reason=REASON, model="T480s")
    entry = device_timeline(device)[-1]
    assert entry.reason == f"korjaus: {REASON}"
    assert entry.text == "malli T480 → T480s"
    assert entry.user == technician.first_name


def test_a_correction_leaves_the_status_and_its_time_alone(technician, donor):
    device = make_ready_device(make_batch(donor, technician), technician)
    before = Device.objects.values(*LIFECYCLE_FIELDS).get(pk=device.pk)
    services.device_correct(device=device, actor=technician, reason=REASON, cpu="i5-8350U")
    assert Device.objects.values(*LIFECYCLE_FIELDS).get(pk=device.pk) == before
    assert Device.objects.get(pk=device.pk).status == Device.Status.READY


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", Device.Status.READY),
        ("status_changed_at", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)),
        ("received_at", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)),
        ("disposal_reason", Device.DisposalReason.EWASTE),
        ("inventory_code", "ABC123"),
        ("logged_at", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)),
    ],
)
def test_the_status_and_the_trail_cannot_be_corrected(technician, field, value, donor):
    device = make_device(make_batch(donor, technician), technician)
    with pytest.raises(services.CorrectionError) as error:
        services.device_correct(device=device, actor=technician, reason=REASON, **{field: value})
    assert field in _messages(error)[0]
    assert Device.objects.get(pk=device.pk).status == Device.Status.RECEIVED
    assert device.history.count() == 1


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", services.CORRECTION_NEEDS_REASON),
        ("   ", services.CORRECTION_NEEDS_REASON),
        ("x" * 81, services.REASON_TOO_LONG % {"max": services.REASON_MAX_LENGTH}),
    ],
)
def test_a_correction_needs_a_short_reason(technician, reason, message, donor):
    device = make_device(make_batch(donor, technician), technician)
    with pytest.raises(services.CorrectionError) as error:
        services.device_correct(device=device, actor=technician, reason=reason, model="Other")
    assert error.value.message_dict["reason"] == [str(message)]
    assert Device.objects.get(pk=device.pk).model == "ThinkPad T480"


def test_a_correction_that_changes_nothing_is_refused(technician, donor):
    device = make_device(make_batch(donor, technician), technician)
    with pytest.raises(services.CorrectionError) as error:
        services.device_correct(device=device, actor=technician, reason=REASON, model=device.model)
    assert _messages(error) == [str(services.CORRECTION_CHANGES_NOTHING)]


def test_a_correction_meets_the_devices_own_rules(technician, donor):
    batch = make_batch(donor, technician)
    first = make_device(batch, technician, serial_number="5CG8123XYZ")
    second = make_device(batch, technician)
    with pytest.raises(services.CorrectionError) as error:
        services.device_correct(
            device=second, actor=technician, reason=REASON, serial_number="5cg 8123xyz"
        )
    expected = SERIAL_ALREADY_IN_INVENTORY % {"serial": "5cg 8123xyz", "code": first.inventory_code}
    assert error.value.message_dict["serial_number"] == [expected]
    with pytest.raises(services.CorrectionError) as error:
        services.device_correct(
            device=second, actor=technician, reason=REASON, category=Device.Category.PHONE
        )
    assert error.value.message_dict["imei"] == [str(IMEI_REQUIRED_FOR_PHONE)]


# --- device corrections: pages -------------------------------------------------------------


def test_the_device_page_links_to_the_correction_form(technician_client, technician, donor):
    device = make_device(make_batch(donor, technician), technician)
    page = technician_client.get(device.get_absolute_url()).content.decode()
    assert reverse("devices:device_correct", args=[device.inventory_code]) in page


def _correction_data(device, **changes):
    data = {
        name: getattr(device, name)
        for name in services.CORRECTABLE_FIELDS
        if getattr(device, name) not in (None, False)
    }
    return {**data, **changes}


def test_a_technician_corrects_a_device_and_its_page_shows_why(
    technician_client, technician, donor
):
    device = make_device(make_batch(donor, technician), technician)
    url = reverse("devices:device_correct", args=[device.inventory_code])
    form = technician_client.get(url)
    assert 'name="reason"' in form.content.decode()
    response = technician_client.post(
        url, _correction_data(device, model="ThinkPad T490", reason=REASON)
    )
    assert response["Location"] == device.get_absolute_url()
    page = technician_client.get(device.get_absolute_url()).content.decode()
    assert "ThinkPad T480 → ThinkPad T490" in page
    assert f"korjaus: {REASON}" in page


def test_the_correction_form_shows_the_reason_rule(technician_client, technician, donor):
    device = make_device(make_batch(donor, technician), technician)
    url = reverse("devices:device_correct", args=[device.inventory_code])
    response = technician_client.post(url, _correction_data(device, model="T490", reason=""))
    assert response.status_code == 200
    assert str(services.CORRECTION_NEEDS_REASON) in response.content.decode()
    assert Device.objects.get(pk=device.pk).model == "ThinkPad T480"


def test_the_correction_form_has_no_status_field(technician_client, technician, donor):
    device = make_device(make_batch(donor, technician), technician)
    url = reverse("devices:device_correct", args=[device.inventory_code])
    technician_client.post(
        url, _correction_data(device, model="T490", reason=REASON, status=Device.Status.READY)
    )
    device.refresh_from_db()
    assert (device.model, device.status) == ("T490", Device.Status.RECEIVED)


# --- batch changes -------------------------------------------------------------------------


def _edit_data(batch, **changes):
    data = {
        "declared_count": batch.declared_count,
        "declared_kinds": batch.declared_kinds,
        "delivery": batch.delivery,
        "pickup_address": batch.pickup_address,
        "pickup_window": batch.pickup_window,
        "notes": batch.notes,
    }
    if batch.wants_certificate:
        data["wants_certificate"] = "on"
    return {**data, **changes}


def test_a_donor_changes_its_own_registered_batch(donor_client, donor, donor_user):
    batch = make_batch(donor, donor_user, received=False)
    url = reverse("devices:batch_edit", args=[batch.reference])
    assert donor_client.get(url).status_code == 200
    response = donor_client.post(url, _edit_data(batch, declared_count=12, notes="Myös laturit"))
    assert response["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert (batch.declared_count, batch.notes) == (12, "Myös laturit")
    record = batch.history.latest()
    assert record.history_user == donor_user
    assert record.history_change_reason == "batch updated"


def test_the_batch_form_shows_its_rules(donor_client, donor, donor_user):
    batch = make_batch(donor, donor_user, received=False)
    url = reverse("devices:batch_edit", args=[batch.reference])
    response = donor_client.post(url, _edit_data(batch, delivery="pickup", pickup_address=""))
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.delivery == DonationBatch.Delivery.DELIVERY


def test_a_batch_cannot_be_changed_once_received(donor_client, donor, donor_user, technician):
    batch = make_batch(donor, donor_user, received=True)
    with pytest.raises(services.BatchChangeError) as error:
        services.batch_update(batch=batch, actor=donor_user, declared_count=3)
    params = {"reference": batch.reference, "status": "vastaanotettu"}
    assert _messages(error) == [services.BATCH_NOT_EDITABLE % params]
    url = reverse("devices:batch_edit", args=[batch.reference])
    response = donor_client.post(url, _edit_data(batch, declared_count=3), follow=True)
    assert services.BATCH_NOT_EDITABLE % params in response.content.decode()
    batch.refresh_from_db()
    assert batch.declared_count == 5


def test_another_donors_batch_is_not_found(donor_client, other_donor, technician):
    batch = make_batch(other_donor, technician, received=False)
    edit = reverse("devices:batch_edit", args=[batch.reference])
    cancel = reverse("devices:batch_cancel", args=[batch.reference])
    assert donor_client.get(edit).status_code == 404
    assert donor_client.post(edit, _edit_data(batch, declared_count=1)).status_code == 404
    assert donor_client.post(cancel, {"reason": "ei meidän"}).status_code == 404
    batch.refresh_from_db()
    assert (batch.declared_count, batch.status) == (5, DonationBatch.Status.REGISTERED)


def test_the_batch_services_refuse_users_who_do_not_act_for_the_donor(
    other_donor_user, coach, technician, donor
):
    batch = make_batch(donor, technician, received=False)
    for user in (other_donor_user, coach):
        with pytest.raises(services.BatchChangeError):
            services.batch_update(batch=batch, actor=user, declared_count=1)
        with pytest.raises(services.BatchChangeError):
            services.batch_cancel(batch=batch, actor=user, reason="ei")
    # Technicians change batch details but do not cancel a donor's batch.
    services.batch_update(batch=batch, actor=technician, declared_kinds="10 kannettavaa")
    with pytest.raises(services.BatchChangeError) as error:
        services.batch_cancel(batch=batch, actor=technician, reason="ei")
    assert _messages(error) == [services.BATCH_CANCEL_NOT_ALLOWED % {"reference": batch.reference}]


def test_a_batch_change_touches_only_what_was_declared(donor_user, donor):
    batch = make_batch(donor, donor_user, received=False)
    with pytest.raises(services.BatchChangeError):
        services.batch_update(batch=batch, actor=donor_user, status=DonationBatch.Status.RECEIVED)
    with pytest.raises(services.BatchChangeError):
        services.batch_update(batch=batch, actor=donor_user, donor=None)


# --- batch cancellation --------------------------------------------------------------------


def test_a_donor_cancels_its_own_registered_batch_and_sees_it_cancelled(
    donor_client, donor, donor_user
):
    batch = make_batch(donor, donor_user, received=False)
    url = reverse("devices:batch_cancel", args=[batch.reference])
    response = donor_client.post(url, {"reason": "Laitteet menivät muualle"})
    assert response["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert batch.status == DonationBatch.Status.CANCELLED
    assert (batch.cancelled_by, batch.cancel_reason) == (donor_user, "Laitteet menivät muualle")
    record = batch.history.latest()
    assert record.history_user == donor_user
    assert record.history_change_reason == "batch cancelled: Laitteet menivät muualle"
    page = donor_client.get(batch.get_absolute_url()).content.decode()
    assert "batch-cancelled" in page and "Laitteet menivät muualle" in page
    assert reverse("devices:batch_edit", args=[batch.reference]) not in page
    listing = donor_client.get(reverse("devices:batch_list")).content.decode()
    assert "badge batch-cancelled" in listing and "peruttu" in listing


def test_a_coordinator_cancels_a_batch_registered_by_mistake(
    coordinator_client, coordinator, donor
):
    batch = make_batch(donor, coordinator, received=False)
    page = coordinator_client.get(batch.get_absolute_url()).content.decode()
    url = reverse("devices:batch_cancel", args=[batch.reference])
    assert f'action="{url}"' in page
    coordinator_client.post(url, {"reason": "Ilmoitettu kahdesti"})
    batch.refresh_from_db()
    assert batch.status == DonationBatch.Status.CANCELLED
    entry = batch_timeline(batch)[-1]
    assert entry.reason == "erä peruttu: Ilmoitettu kahdesti"
    assert entry.user == coordinator.first_name


def test_a_cancellation_needs_a_reason(donor_client, donor, donor_user):
    batch = make_batch(donor, donor_user, received=False)
    url = reverse("devices:batch_cancel", args=[batch.reference])
    response = donor_client.post(url, {"reason": " "}, follow=True)
    assert str(services.CANCEL_NEEDS_REASON) in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == DonationBatch.Status.REGISTERED


@pytest.mark.parametrize("processed", [False, True])
def test_a_received_batch_cannot_be_cancelled(coordinator, technician, donor, processed):
    batch = make_batch(donor, technician)
    if processed:
        make_ready_device(batch, technician)
        batch = services.batch_mark_processed(batch=batch, actor=technician)
    with pytest.raises(services.BatchChangeError) as error:
        services.batch_cancel(batch=batch, actor=coordinator, reason="vahinko")
    params = {"reference": batch.reference, "status": batch.get_status_display()}
    assert _messages(error) == [services.BATCH_NOT_CANCELLABLE % params]
    assert DonationBatch.objects.get(pk=batch.pk).status == batch.status


def test_a_cancelled_batch_waits_for_no_one_and_cannot_be_received(
    technician_client, technician, donor_user, donor
):
    batch = make_batch(donor, donor_user, received=False)
    services.batch_cancel(batch=batch, actor=donor_user, reason="Ei tulekaan")
    assert batch not in selectors.batches_waiting_receipt()
    home = technician_client.get(reverse("home")).content.decode()
    assert batch.reference not in home
    page = technician_client.get(batch.get_absolute_url()).content.decode()
    assert reverse("devices:batch_receive", args=[batch.reference]) not in page
    with pytest.raises(services.IntakeError) as error:
        services.batch_receive(batch=batch, actor=technician)
    assert _messages(error) == [
        services.BATCH_CANCELLED_NOT_RECEIVABLE % {"reference": batch.reference}
    ]
    response = technician_client.post(reverse("devices:batch_receive", args=[batch.reference]))
    assert response.status_code == 302
    assert DonationBatch.objects.get(pk=batch.pk).status == DonationBatch.Status.CANCELLED
    with pytest.raises(services.BatchChangeError):
        services.batch_cancel(batch=batch, actor=donor_user, reason="uudestaan")
    with pytest.raises(services.BatchChangeError):
        services.batch_update(batch=batch, actor=donor_user, declared_count=1)


def test_a_cancelled_batch_takes_no_device_list(donor_user, donor):
    batch = make_batch(donor, donor_user, received=False)
    csv = "laji;valmistaja;malli;sarjanumero\nkannettava;Lenovo;ThinkPad T480;PF0CANCEL1\n"
    plan = imports.plan_donor_list(table=spreadsheets.read_table("lista.csv", csv.encode()))
    services.batch_cancel(batch=batch, actor=donor_user, reason="Ei tulekaan")
    with pytest.raises(imports.ImportRejected):
        imports.donor_list_confirm(batch=batch, actor=donor_user, plan=plan)
    assert not batch.list_items.exists()


def test_a_cancelled_batch_is_not_in_the_donors_yearly_report(donor, donor_user):
    kept = make_batch(donor, donor_user, received=False)
    cancelled = make_batch(donor, donor_user, received=False)
    services.batch_cancel(batch=cancelled, actor=donor_user, reason="Ei tulekaan")
    report = donor_year_report(donor, timezone.localdate().year)
    assert report.batches == [kept]
