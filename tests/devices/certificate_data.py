"""Batches for the certificate tests, made through the real services: a laptop with two
drives (one nwipe log as evidence for both), a phone still pending, a device returned to
its donor unerased."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile

from devices import lifecycle, services
from devices.models import Device, Erasure, EvidenceFile, StorageMedium
from kierratys import roles
from tests.conftest import make_user
from tests.factories import erase, make_batch, make_device

NWIPE_LOG = b"[2026/03/02 10:00:00] notice: nwipe 0.36 ... Erasing /dev/sda ... Verified.\n"


def second_technician(django_user_model):
    return make_user(
        django_user_model,
        "teknikko2",
        roles.TECHNICIAN,
        first_name="Tuula",
        last_name="Tarkastaja",
    )


def evidence_file(actor, *, name="nwipe_2026-03-02.log", content=NWIPE_LOG):
    """An nwipe log kept as the wipe tool wrote it, with its SHA-256."""
    evidence = EvidenceFile(
        original_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        kind=EvidenceFile.Kind.NWIPE_LOG,
        uploaded_by=actor,
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence._history_user = actor
    evidence.save()
    return evidence


@dataclass
class ThreeDevices:
    batch: object
    laptop: Device
    phone: Device
    returned: Device
    hdd: StorageMedium
    nvme: StorageMedium
    evidence: EvidenceFile
    erasures: list


def three_device_batch(donor, technician):
    """Laptop with an HDD and an NVMe drive, both erased with nwipe; a phone not yet erased;
    an old desktop returned to the donor without erasure."""
    batch = make_batch(donor, technician, declared_count=3)
    laptop = make_device(
        batch,
        technician,
        manufacturer="Dell",
        model="Latitude 5490",
        serial_number="SN-LAPTOP-1",
        # Intake says nothing of its drives; the technician records both.
        storage_type=Device.StorageType.NONE,
    )
    hdd = services.medium_add(
        device=laptop,
        actor=technician,
        kind=StorageMedium.Kind.HDD,
        model="ST500LM030",
        serial_number="WD-HDD-SERIAL-77",
        capacity_gb=500,
    )
    nvme = services.medium_add(
        device=laptop,
        actor=technician,
        kind=StorageMedium.Kind.NVME,
        model="PM981a",
        serial_number="S4EWNX0R123456",
        capacity_gb=256,
    )
    evidence = evidence_file(technician)
    erasures = [
        erase(
            laptop,
            technician,
            medium=hdd,
            method=Erasure.Method.CLEAR,
            technique=Erasure.Technique.OVERWRITE,
            tool_name="nwipe",
            tool_version="0.36",
            evidence=evidence,
        ),
        erase(laptop, technician, medium=nvme, evidence=evidence),
    ]
    phone = make_device(
        batch,
        technician,
        category=Device.Category.PHONE,
        manufacturer="Samsung",
        model="Galaxy A52",
        serial_number="SN-PHONE-2",
    )
    returned = make_device(
        batch,
        technician,
        category=Device.Category.DESKTOP,
        manufacturer="HP",
        model="EliteDesk 800",
        serial_number="SN-RETURNED-3",
        storage_type=Device.StorageType.SSD,
    )
    returned = lifecycle.device_dispose(
        device=returned, actor=technician, disposal_reason=Device.DisposalReason.RETURNED
    )
    laptop.refresh_from_db()
    return ThreeDevices(batch, laptop, phone, returned, hdd, nvme, evidence, erasures)
