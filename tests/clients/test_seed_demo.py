"""`make run`'s demo tells one story in time: what happened first is dated first, and
nothing is dated in the future."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from clients.models import Client, Handover
from devices.documents import certificate_rows
from devices.models import Device, DonationBatch, Erasure, RefurbishmentCheck


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def _in_order(*moments):
    present = [moment for moment in moments if moment is not None]
    return present == sorted(present)


def test_every_device_is_received_erased_checked_reserved_and_handed_over_in_that_order(demo):
    checked = 0
    for device in Device.objects.select_related("batch"):
        erasures = list(Erasure.objects.filter(device=device).order_by("pk"))
        checks = list(RefurbishmentCheck.objects.filter(device=device).order_by("pk"))
        handovers = list(Handover.objects.filter(device=device).order_by("pk"))
        moments = [device.batch.registered_at, device.batch.received_at, device.logged_at]
        for erasure in erasures:
            moments += [erasure.started_at, erasure.ended_at]
        moments += [check.checked_at for check in checks]
        for handover in handovers:
            moments += [handover.reserved_at, handover.handed_over_at]
        assert _in_order(*moments), (device.serial_number, moments)
        checked += bool(erasures and checks and handovers)
    assert checked >= 3  # the gift and the two loans went through every step


def test_handovers_follow_reservation_and_eligibility_and_loans_fall_due_after(demo):
    handovers = list(Handover.objects.select_related("client"))
    assert {h.status for h in handovers} == {"reserved", "handed_over"}
    overdue = 0
    for handover in handovers:
        last_milestone = max(handover.client.milestones.values_list("completed_on", flat=True))
        assert handover.client.consent_date <= last_milestone
        assert last_milestone <= timezone.localdate(handover.reserved_at)
        if handover.handed_over_at is not None:
            assert handover.reserved_at <= handover.handed_over_at
        if handover.kind == Handover.Kind.LOAN:
            assert handover.due_date > timezone.localdate(handover.handed_over_at)
            overdue += handover.due_date < timezone.localdate()
    assert overdue == 1


def test_each_records_history_is_dated_in_the_order_it_was_written(demo):
    """The timelines show history dates: the order of events must be the order of dates."""
    for model in (Device, DonationBatch, Client, Handover, Erasure):
        by_object = {}
        for record in model.history.order_by("history_id"):
            by_object.setdefault(record.id, []).append(record.history_date)
        for dates in by_object.values():
            assert dates == sorted(dates), model


def test_nothing_is_dated_in_the_future(demo):
    now, today = timezone.now(), timezone.localdate()
    for model in apps.get_models():
        if model._meta.app_label not in ("devices", "clients"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                limit = now
            elif isinstance(field, models.DateField) and field.name != "due_date":
                limit = today
            else:
                continue
            ahead = model._default_manager.filter(**{f"{field.name}__gt": limit})
            assert not ahead.exists(), f"{model._meta.label}.{field.name}"


def test_a_donors_certificate_accounts_for_every_device_of_a_processed_batch(demo):
    processed = DonationBatch.objects.filter(
        status=DonationBatch.Status.PROCESSED, wants_certificate=True
    )
    assert processed.filter(donor__name="Hämeen ammattikorkeakoulu").exists()
    for batch in processed:
        rows = certificate_rows(batch)
        assert rows.total == batch.devices.count() > 0
        assert rows.pending == []
        for device in batch.devices.all():
            passed = device.erasures.filter(result=Erasure.Result.PASSED).exists()
            assert passed or device.disposal_reason, device.serial_number
            assert device.erasures.filter(started_at__lt=batch.received_at).count() == 0


def test_the_stored_figures_and_eligibility_match_the_demos_dated_story(demo):
    """The story clock dates records in the past after the services counted them today:
    the demo counts again, so the dashboard and the waiting list tell the same story."""
    call_command("check_figures", stdout=io.StringIO())  # raises CommandError on any drift
