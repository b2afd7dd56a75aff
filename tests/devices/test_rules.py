"""The devices rules hold on every path: called straight, without a form in front, the
services refuse what the forms refuse, with the same message, and change nothing."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from devices import imports, lifecycle, services, spreadsheets
from devices.models import Device, DonationBatch, Erasure
from devices.models.device import (
    IMEI_ALREADY_IN_INVENTORY,
    IMEI_REQUIRED_FOR_PHONE,
    SERIAL_ALREADY_IN_INVENTORY,
)
from devices.models.processing import (
    ENDS_BEFORE_START,
    ENDS_IN_FUTURE,
    FACTORY_RESET_ONLY_MOBILE,
    TECHNIQUES_BY_METHOD,
)
from tests.devices.test_lifecycle import EXPECTED_ALLOWED, device_in
from tests.factories import make_batch, make_device

M, T, S = Erasure.Method, Erasure.Technique, Device.Status

# NIST SP 800-88 Rev. 1, table A: which technique is which category, written out
# independently of devices.models.processing.
NIST_PAIRS = {
    (M.CLEAR, T.OVERWRITE),
    (M.CLEAR, T.FACTORY_RESET),
    (M.PURGE, T.ATA_SECURE_ERASE),
    (M.PURGE, T.NVME_SANITIZE),
    (M.PURGE, T.CRYPTO_ERASE),
    (M.PURGE, T.FACTORY_RESET),
    (M.DESTROY, T.PHYSICAL_DESTRUCTION),
}
WRONG_PAIRS = sorted(set(itertools.product(M, T)) - NIST_PAIRS)

IMEI = "490154203237518"
OTHER_IMEI = "352099001761481"


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician)


@pytest.fixture
def laptop(batch, technician):
    return make_device(batch, technician, serial_number="5CG8123XYZ")


@pytest.fixture
def phone(batch, technician):
    return make_device(
        batch, technician, category=Device.Category.PHONE, serial_number="PHN-1", imei=IMEI
    )


def record_erasure(device, actor, **overrides):
    ended = timezone.now()
    values = {
        "started_at": ended - datetime.timedelta(minutes=30),
        "ended_at": ended,
        "method": M.PURGE,
        "technique": T.NVME_SANITIZE,
        "tool_name": "nvme-cli",
        "tool_version": "2.8",
        "verification": Erasure.Verification.FULL,
        "result": Erasure.Result.PASSED,
    }
    values.update(overrides)
    return services.erasure_record(device=device, actor=actor, **values)


def refused_erasure(device, actor, **overrides):
    """The refusal's messages by field; asserts that nothing was written."""
    with pytest.raises(services.ProcessingError) as refusal:
        record_erasure(device, actor, **overrides)
    assert not Erasure.objects.filter(device=device).exists()
    status = device.status
    device.refresh_from_db()
    assert device.status == status
    return refusal.value.message_dict


def test_the_nist_table_is_the_models():
    assert {(m, t) for m, techniques in TECHNIQUES_BY_METHOD.items() for t in techniques} == (
        NIST_PAIRS
    )


@pytest.mark.parametrize(("method", "technique"), WRONG_PAIRS)
def test_a_technique_outside_its_category_is_refused(phone, technician, method, technique):
    # A phone, so that a factory reset is refused for its category alone; a destroyed
    # device gives its reason, so that the technique is the only thing wrong.
    reason = Device.DisposalReason.EWASTE if method == M.DESTROY else ""
    errors = refused_erasure(
        phone, technician, method=method, technique=technique, disposal_reason=reason
    )
    assert list(errors) == ["technique"]
    expected = f"Tekniikka ”{T(technique).label}” ei kuulu menetelmään ”{M(method).label}”."
    assert errors["technique"][0].startswith(expected)


@pytest.mark.parametrize(
    ("method", "technique"), sorted(NIST_PAIRS - {(M.DESTROY, T.PHYSICAL_DESTRUCTION)})
)
def test_every_nist_pair_is_accepted_for_a_phone(phone, technician, method, technique):
    record_erasure(phone, technician, method=method, technique=technique)
    phone.refresh_from_db()
    assert phone.status == S.ERASED


def test_a_factory_reset_of_a_laptop_is_refused(laptop, technician):
    errors = refused_erasure(laptop, technician, method=M.CLEAR, technique=T.FACTORY_RESET)
    assert errors == {
        "technique": [FACTORY_RESET_ONLY_MOBILE % {"category": "kannettava tietokone"}]
    }


def test_an_erasure_ending_tomorrow_is_refused(laptop, technician):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    errors = refused_erasure(
        laptop,
        technician,
        started_at=tomorrow - datetime.timedelta(minutes=30),
        ended_at=tomorrow,
    )
    assert errors == {"ended_at": [str(ENDS_IN_FUTURE)]}


def test_an_erasure_ending_within_the_clock_skew_is_accepted(laptop, technician):
    record_erasure(laptop, technician, ended_at=timezone.now() + datetime.timedelta(minutes=2))
    assert laptop.erasures.count() == 1


def test_an_erasure_ending_before_it_started_is_refused(laptop, technician):
    now = timezone.now()
    errors = refused_erasure(
        laptop,
        technician,
        started_at=now - datetime.timedelta(minutes=10),
        ended_at=now - datetime.timedelta(minutes=20),
    )
    assert errors == {"ended_at": [str(ENDS_BEFORE_START)]}


def test_a_disposal_reason_without_destruction_is_refused(laptop, technician):
    errors = refused_erasure(laptop, technician, disposal_reason=Device.DisposalReason.PARTS)
    assert errors == {"disposal_reason": [str(services.DISPOSAL_ONLY_WHEN_DESTROYED)]}


def test_a_destruction_without_a_disposal_reason_is_refused(laptop, technician):
    errors = refused_erasure(laptop, technician, method=M.DESTROY, technique=T.PHYSICAL_DESTRUCTION)
    assert errors == {"disposal_reason": [str(services.DESTRUCTION_NEEDS_REASON)]}


# Intake


def refused_intake(batch, actor, **fields):
    before = Device.objects.count()
    values = {
        "category": Device.Category.LAPTOP,
        "manufacturer": "HP",
        "model": "EliteBook 840",
        "condition_grade": Device.Grade.B,
    }
    values.update(fields)
    with pytest.raises(services.IntakeError) as refusal:
        services.device_intake(batch=batch, actor=actor, **values)
    assert Device.objects.count() == before
    return refusal.value.message_dict


@pytest.mark.parametrize("serial", ["5CG8123XYZ", "5cg8123xyz", "5Cg8123xYz"])
def test_a_serial_already_in_the_inventory_is_refused_in_any_case(
    batch, technician, laptop, serial
):
    errors = refused_intake(batch, technician, serial_number=serial)
    assert errors == {
        "serial_number": [
            SERIAL_ALREADY_IN_INVENTORY % {"serial": serial, "code": laptop.inventory_code}
        ]
    }


def test_an_imei_already_in_the_inventory_is_refused(batch, technician, phone):
    errors = refused_intake(
        batch, technician, category=Device.Category.PHONE, serial_number="NEW-1", imei=IMEI
    )
    assert errors == {
        "imei": [IMEI_ALREADY_IN_INVENTORY % {"imei": IMEI, "code": phone.inventory_code}]
    }


def test_a_phone_without_imei_is_refused(batch, technician):
    errors = refused_intake(batch, technician, category=Device.Category.PHONE, imei="")
    assert errors == {"imei": [str(IMEI_REQUIRED_FOR_PHONE)]}


def test_a_phone_with_a_new_imei_is_logged(batch, technician, phone):
    device = make_device(batch, technician, category=Device.Category.PHONE, imei=OTHER_IMEI)
    assert device.imei == OTHER_IMEI


def raw_device(batch, actor, **fields):
    """A device saved past the service and every validation, as a script might."""
    now = timezone.now()
    return Device(
        batch=batch,
        inventory_code=f"RAW{Device.objects.count()}",
        category=Device.Category.LAPTOP,
        manufacturer="HP",
        model="ProBook",
        condition_grade=Device.Grade.B,
        status_changed_at=now,
        received_at=now,
        logged_by=actor,
        logged_at=now,
        **fields,
    )


@pytest.mark.parametrize(
    "fields", [{"serial_number": "5CG8123XYZ"}, {"serial_number": "5cg8123xyz"}]
)
def test_the_database_refuses_a_known_serial_in_any_case(batch, technician, laptop, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_device(batch, technician, **fields).save()
    assert Device.objects.count() == 1


def test_the_database_refuses_a_known_imei(batch, technician, phone):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_device(batch, technician, serial_number="RAW-IMEI", imei=IMEI).save()
    assert Device.objects.count() == 1


def test_devices_without_serial_may_be_many(batch, technician):
    raw_device(batch, technician).save()
    raw_device(batch, technician).save()
    assert Device.objects.filter(serial_number="").count() == 2


def test_the_admin_path_meets_the_rules(batch, technician, laptop, phone):
    """Model validation (what the admin's form runs) gives the same messages."""
    phone.serial_number = laptop.serial_number.lower()
    phone.imei = ""
    with pytest.raises(ValidationError) as refusal:
        phone.full_clean()
    assert set(refusal.value.message_dict) == {"serial_number", "imei"}


# Import: a refusal by the service, after every row passed the form, names its row.


def test_a_serial_logged_meanwhile_is_reported_with_its_row(batch, technician, monkeypatch):
    content = (
        b"laji,valmistaja,malli,sarjanumero\n"
        b"kannettava,Lenovo,T480,IMP-1\n"
        b"kannettava,Lenovo,T480,IMP-2\n"
    )
    real_plan = imports.plan_batch_import

    def plan_then_someone_logs_imp2(*args, **kwargs):
        result = real_plan(*args, **kwargs)
        make_device(batch, technician, serial_number="imp-2")
        return result

    monkeypatch.setattr(imports, "plan_batch_import", plan_then_someone_logs_imp2)
    upload = SimpleUploadedFile("laitteet.csv", content)
    with pytest.raises(spreadsheets.ImportRejected) as refusal:
        imports.batch_import_devices(
            batch=batch, actor=technician, uploaded_file=upload, condition_grade="B"
        )
    [error] = refusal.value.row_errors
    assert error.row == 3
    assert "Sarjanumero IMP-2 on jo inventaariossa" in error.message
    assert list(Device.objects.values_list("serial_number", flat=True)) == ["imp-2"]


def test_serials_differing_in_case_in_one_file_are_refused_with_the_row(batch, technician):
    content = (
        b"laji,valmistaja,malli,sarjanumero\n"
        b"kannettava,Lenovo,T480,IMP-1\n"
        b"kannettava,Lenovo,T480,imp-1\n"
    )
    upload = SimpleUploadedFile("laitteet.csv", content)
    with pytest.raises(spreadsheets.ImportRejected) as refusal:
        imports.batch_import_devices(
            batch=batch, actor=technician, uploaded_file=upload, condition_grade="B"
        )
    [error] = refusal.value.row_errors
    assert error.row == 3
    assert "on tiedostossa jo rivillä 2" in error.message
    assert not Device.objects.exists()


# The lifecycle's answers: what a device may do next


@pytest.mark.parametrize("status", S)
def test_allowed_moves_are_the_transition_table(batch, technician, status):
    device = device_in(status, batch, technician)
    moves = lifecycle.allowed_moves(device)
    assert moves == lifecycle.ALLOWED_TRANSITIONS[status]
    assert moves == {to for (frm, to) in EXPECTED_ALLOWED if frm == status}


# What the device page offers, by state, written out from the design.
EXPECTED_ACTIONS = {
    S.RECEIVED: {"erasure", "disposal"},
    S.ERASED: {"refurbishment", "disposal"},
    S.READY: set(),
    S.RESERVED: set(),
    S.HANDED_OVER: set(),
    S.ON_LOAN: set(),
    S.DISPOSED: set(),
}


@pytest.mark.parametrize("status", S)
def test_the_device_page_shows_exactly_the_allowed_actions(
    technician_client, batch, technician, status
):
    device = device_in(status, batch, technician)
    assert lifecycle.allowed_actions(device) == EXPECTED_ACTIONS[status]
    html = technician_client.get(device.get_absolute_url()).content.decode()
    code = {"code": device.inventory_code}
    links = {
        "erasure": reverse("devices:erasure_create", kwargs=code),
        "refurbishment": reverse("devices:refurbishment_create", kwargs=code),
        "disposal": reverse("devices:device_dispose", kwargs=code),
    }
    shown = {action for action, url in links.items() if url in html}
    assert shown == EXPECTED_ACTIONS[status]


def test_a_reserved_device_cannot_be_erased_by_calling_the_service(batch, technician):
    device = device_in(S.RESERVED, batch, technician)
    with pytest.raises(services.ProcessingError):
        record_erasure(device, technician)
    device.refresh_from_db()
    assert device.status == S.RESERVED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"declared_count": 3, "delivery": "pickup", "pickup_address": "  "},
            "pickup_address",
            "Kerro nouto-osoite",
        ),
        ({"declared_count": 0}, "declared_count", "vähintään yksi laite"),
    ],
)
def test_batch_registration_rules_hold_outside_the_form(donor, technician, fields, field, message):
    with pytest.raises(ValidationError) as refusal:
        services.batch_register(donor=donor, actor=technician, **fields)
    assert message in " ".join(refusal.value.message_dict[field])
    assert not DonationBatch.objects.exists()
