"""Test data made through the real services, as a user's actions would make it."""

import datetime
import itertools

from django.db.models import Q
from django.utils import timezone

from clients import services as client_services
from clients.catalogue import DEFAULT_MILESTONES, catalogue_seed
from clients.models import Client, HandoverReadiness, Municipality
from clients.municipalities import load_municipalities, name_key
from clients.readiness import readiness_record
from devices import services
from devices.demo import demo_imei
from devices.models import Device, Erasure

_serials = itertools.count(1)

# The first four required steps of the real catalogue (clients.catalogue). Tests that
# add a step to the catalogue use the later codes (omakanta, suomifi-viestit,
# tietoturva) as new steps, so they are left out here.
MILESTONES = tuple(entry for entry in DEFAULT_MILESTONES if entry[1])[:4]


def make_batch(donor, actor, *, received=True, declared_count=5, **extra):
    batch = services.batch_register(
        donor=donor, actor=actor, declared_count=declared_count, **extra
    )
    if received:
        batch = services.batch_receive(batch=batch, actor=actor)
    return batch


def make_device(batch, actor, **fields):
    values = {
        "category": Device.Category.LAPTOP,
        "manufacturer": "Lenovo",
        "model": "ThinkPad T480",
        "serial_number": f"PF{next(_serials):08d}",
        "condition_grade": Device.Grade.B,
    }
    values.update(fields)
    # Intake records the storage, and with it the device's one medium (devices.services.media).
    if "storage_type" not in fields:
        mobile = values["category"] in (Device.Category.PHONE, Device.Category.TABLET)
        values["storage_type"] = Device.StorageType.EMMC if mobile else Device.StorageType.NVME
    if values["category"] == Device.Category.PHONE and "imei" not in fields:
        values["imei"] = demo_imei(next(_serials))  # a phone is logged with its IMEI
    return services.device_intake(batch=batch, actor=actor, **values)


def erase(device, actor, *, result=Erasure.Result.PASSED, **fields):
    ended = timezone.now()
    values = {
        "started_at": ended - datetime.timedelta(minutes=40),
        "ended_at": ended,
        "method": Erasure.Method.PURGE,
        "technique": Erasure.Technique.NVME_SANITIZE,
        "tool_name": "nwipe",
        "tool_version": "0.36",
        "verification": Erasure.Verification.FULL,
        "result": result,
    }
    if result == Erasure.Result.FAILED:
        values["failure_reason"] = "Varmennus löysi lukukelvottomia sektoreita"
    values.update(fields)
    return services.erasure_record(device=device, actor=actor, **values)


def refurbish(device, actor, *, complete=True):
    checks = {name: complete for name in services.RefurbishmentCheck.CHECK_FIELDS}
    return services.refurbishment_record(
        device=device, actor=actor, checked_at=timezone.now(), **checks
    )


def make_ready_device(batch, actor, **fields):
    device = make_device(batch, actor, **fields)
    erase(device, actor)
    refurbish(device, actor)
    device.refresh_from_db()
    assert device.status == Device.Status.READY
    return device


def make_milestones(*, actor=None):
    """The required catalogue used by client tests (MILESTONES); returns them in order."""
    return catalogue_seed(actor=actor, milestones=MILESTONES)


def municipality(name):
    """The municipality of the list named `name` (Finnish or Swedish, any case).

    The list is loaded by a data migration; a transactional test (live server, race
    tests) flushes it, so it is loaded again here with the migration's own loader."""
    if not Municipality.objects.exists():
        load_municipalities(Municipality)
    exact = Municipality.objects.filter(Q(name_fi=name) | Q(name_sv=name)).first()
    if exact is not None:
        return exact
    key = name_key(name)
    return next(
        m for m in Municipality.objects.all() if key in {name_key(m.name_fi), name_key(m.name_sv)}
    )


def make_client(coach, *, actor=None, **fields):
    """A client through client_create; `municipality` may be given by name."""
    if isinstance(fields.get("municipality"), str):
        fields["municipality"] = municipality(fields["municipality"])
    values = {
        "name": "Matti Meikäläinen",
        "phone": "040 123 4567",
        "service": Client.Service.EMPLOYMENT,
        "device_need": Device.Category.LAPTOP,
        "consent_date": timezone.localdate(),
    }
    values.update(fields)
    values.setdefault("municipality", municipality("Hämeenlinna"))
    return client_services.client_create(actor=actor or coach, coach=coach, **values)


def complete_milestones(client, actor, milestones, *, on=None):
    for milestone in milestones:
        client_services.client_milestone_record(
            client=client, milestone=milestone, actor=actor, completed_on=on or timezone.localdate()
        )


def milestone_form_data(*milestones, on=None, note=""):
    """What the client page's milestone form posts when these milestones are ticked."""
    day = (on or timezone.localdate()).isoformat()
    data = {}
    for milestone in milestones:
        data |= {
            f"done_{milestone.pk}": "on",
            f"completed_on_{milestone.pk}": day,
            f"note_{milestone.pk}": note,
        }
    return data


def make_eligible_client(coach, **fields):
    client = make_client(coach, **fields)
    complete_milestones(client, coach, make_milestones())
    return client


def prepare_for_handover(handover, actor, **checks):
    """Record a complete readiness checklist (clients.readiness), as the coach does first."""
    values = dict.fromkeys(HandoverReadiness.CHECK_FIELDS, True) | checks
    return readiness_record(handover=handover, actor=actor, **values)
