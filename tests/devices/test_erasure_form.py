"""The erasure form per medium: which medium is chosen, what the form is prefilled with
(issue 16: only what fits the device), and a medium recorded with its erasure."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from devices import erasure_coverage
from devices.forms.processing import (
    DEFAULTS_BY_KIND,
    ErasureForm,
    erasure_initial_values,
    fits_device,
)
from devices.models import Device, Erasure, StorageMedium
from devices.models.media import MediumKind
from tests.devices.media_data import DESTROY, LOCAL, S, medium_of
from tests.factories import erase, make_device
from tests.support import messages_of

# The erasure form: which medium, and what it is prefilled with (issue 16)


def erasure_url(device, medium=None):
    url = reverse("devices:erasure_create", kwargs={"code": device.inventory_code})
    return f"{url}?medium={medium.pk}" if medium else url


def test_the_form_offers_each_drive_and_preselects_the_first_not_erased(
    technician_client, laptop, technician
):
    nvme, hdd = medium_of(laptop, MediumKind.NVME), medium_of(laptop, MediumKind.HDD)
    form = technician_client.get(erasure_url(laptop)).context["form"]
    assert [value for value, _ in form.fields["medium"].choices] == [nvme.pk, hdd.pk]
    assert form.initial["medium"] == nvme.pk

    erase(laptop, technician, medium=nvme)
    form = technician_client.get(erasure_url(laptop)).context["form"]
    assert form.initial["medium"] == hdd.pk
    assert form.initial["method"] == Erasure.Method.CLEAR  # an HDD, not the NVMe's Purge


def test_a_drive_asked_for_is_preselected(technician_client, laptop):
    hdd = medium_of(laptop, MediumKind.HDD)
    form = technician_client.get(erasure_url(laptop, hdd)).context["form"]
    assert form.initial["medium"] == hdd.pk
    assert form.initial["technique"] == Erasure.Technique.OVERWRITE


def test_with_several_drives_the_form_needs_one_chosen(technician_client, laptop):
    end = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "method": Erasure.Method.PURGE,
        "technique": Erasure.Technique.NVME_SANITIZE,
        "tool_name": "nvme-cli",
        "tool_version": "2.8",
        "started_at": (end - datetime.timedelta(minutes=5)).strftime(LOCAL),
        "ended_at": end.strftime(LOCAL),
        "verification": Erasure.Verification.FULL,
        "result": Erasure.Result.PASSED,
    }
    response = technician_client.post(erasure_url(laptop), data)
    assert response.status_code == 200
    assert "medium" in response.context["form"].errors
    response = technician_client.post(
        erasure_url(laptop), {**data, "medium": medium_of(laptop, MediumKind.NVME).pk}
    )
    # One of two drives erased: on to the other drive's form, saying what is left.
    assert response["Location"] == erasure_url(laptop)
    assert any("WD Blue (WD-123)" in message for message in messages_of(response))


def test_a_drive_of_another_device_is_not_a_choice(technician_client, laptop, batch, technician):
    other = make_device(batch, technician)
    response = technician_client.post(
        erasure_url(laptop), {"medium": other.media.get().pk, "result": "passed"}
    )
    assert "medium" in response.context["form"].errors
    assert not Erasure.objects.exists()


@pytest.mark.parametrize(
    ("category", "storage_type", "method", "technique"),
    [
        (Device.Category.LAPTOP, Device.StorageType.NVME, "purge", "nvme_sanitize"),
        (Device.Category.LAPTOP, Device.StorageType.SSD, "purge", "ata_secure_erase"),
        (Device.Category.DESKTOP, Device.StorageType.HDD, "clear", "overwrite"),
        (Device.Category.PHONE, Device.StorageType.EMMC, "purge", "factory_reset"),
        (Device.Category.TABLET, Device.StorageType.EMMC, "purge", "factory_reset"),
    ],
)
def test_a_first_erasure_is_prefilled_with_what_fits_the_medium(
    batch, technician, category, storage_type, method, technique
):
    device = make_device(batch, technician, category=category, storage_type=storage_type)
    form = ErasureForm(
        device=device, technician=technician, media=erasure_coverage.media_coverage(device)
    )
    assert (form.initial["method"], form.initial["technique"]) == (method, technique)


def test_a_phones_factory_reset_is_not_prefilled_on_a_laptop(batch, technician):
    phone = make_device(batch, technician, category=Device.Category.PHONE)
    erase(
        phone,
        technician,
        method=Erasure.Method.CLEAR,
        technique=Erasure.Technique.FACTORY_RESET,
        tool_name="Android",
        tool_version="14",
    )
    laptop = make_device(batch, technician)
    form = ErasureForm(
        device=laptop, technician=technician, media=erasure_coverage.media_coverage(laptop)
    )
    assert form.initial["technique"] == Erasure.Technique.NVME_SANITIZE
    assert form.initial["tool_name"] == "nvme-cli"
    # The next phone gets what the technician did to the last one.
    other_phone = make_device(batch, technician, category=Device.Category.PHONE)
    form = ErasureForm(
        device=other_phone,
        technician=technician,
        media=erasure_coverage.media_coverage(other_phone),
    )
    assert (form.initial["method"], form.initial["tool_name"]) == ("clear", "Android")


def test_a_destruction_is_never_prefilled(batch, technician):
    first = make_device(batch, technician)
    erase(first, technician, disposal_reason=Device.DisposalReason.PARTS, **DESTROY)
    second = make_device(batch, technician)
    form = ErasureForm(
        device=second, technician=technician, media=erasure_coverage.media_coverage(second)
    )
    assert form.initial["method"] == Erasure.Method.PURGE


@pytest.mark.parametrize("kind", list(DEFAULTS_BY_KIND))
@pytest.mark.parametrize("category", list(Device.Category))
def test_no_default_is_one_the_model_refuses(batch, technician, kind, category):
    device = make_device(batch, technician, category=category)
    values = erasure_initial_values(device, StorageMedium(device=device, kind=kind), technician)
    assert "technique" in values
    assert fits_device(values, device)


def test_a_drive_not_recorded_at_intake_is_recorded_with_its_erasure(
    technician_client, batch, technician
):
    device = make_device(batch, technician, storage_type="")
    assert not device.media.exists()
    form = technician_client.get(erasure_url(device)).context["form"]
    assert "medium" not in form.fields and "new_medium_kind" in form.fields
    end = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "method": Erasure.Method.CLEAR,
        "technique": Erasure.Technique.OVERWRITE,
        "tool_name": "nwipe",
        "tool_version": "0.36",
        "started_at": (end - datetime.timedelta(minutes=5)).strftime(LOCAL),
        "ended_at": end.strftime(LOCAL),
        "verification": Erasure.Verification.FULL,
        "result": Erasure.Result.FAILED,  # refused without a reason: no medium is left behind
    }
    response = technician_client.post(
        erasure_url(device), {**data, "new_medium_kind": MediumKind.HDD}
    )
    assert "failure_reason" in response.context["form"].errors
    assert not device.media.exists()
    technician_client.post(
        erasure_url(device),
        {**data, "result": "passed", "new_medium_kind": "hdd", "new_medium_serial": "Z1D2"},
    )
    device.refresh_from_db()
    assert device.status == S.ERASED
    assert device.media.get().serial_number == "Z1D2"
