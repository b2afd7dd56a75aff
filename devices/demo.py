"""Demo data of the devices app (donors, batches, devices in every state). Idempotent.

Donors are keyed on name, batches on donor + notes, devices on serial number,
so running the seed twice adds nothing. Everything goes through the real
services, so the history reads as if people had done the work.
"""

import datetime

from devices import lifecycle, services
from devices.models import BatchListItem, Device, DonationBatch, Donor
from devices.validators import luhn_is_valid
from kierratys.demo import demo_moment, story_time

DONORS = (
    {
        "name": "Hämeen ammattikorkeakoulu",
        "kind": Donor.Kind.SCHOOL,
        "business_id": "1629284-5",
        "contact_person": "Outi Oksanen",
        "email": "it-palvelut@example.fi",
        "phone": "03 646 4000",
        "address": "Visamäentie 35 A, 13100 Hämeenlinna",
    },
    {
        "name": "Konepaja Virtanen Oy",
        "kind": Donor.Kind.COMPANY,
        "business_id": "2459071-1",
        "contact_person": "Jari Virtanen",
        "email": "jari.virtanen@example.fi",
        "phone": "040 555 0102",
        "address": "Teollisuustie 12, 13430 Hämeenlinna",
    },
    {
        "name": "Hämeenlinnan kaupunki",
        "kind": Donor.Kind.PUBLIC_BODY,
        "business_id": "0139797-8",
        "contact_person": "Satu Lehtonen",
        "email": "ict-hankinnat@example.fi",
        "phone": "03 621 2000",
        "address": "Raatihuoneenkatu 9, 13100 Hämeenlinna",
    },
    {
        "name": "Pekka Nieminen",
        "kind": Donor.Kind.PRIVATE_PERSON,
        "business_id": "",
        "email": "pekka.nieminen@example.fi",
        "phone": "050 555 0177",
        "address": "Kaurialankatu 4 B 7, 13100 Hämeenlinna",
    },
)

# donor, notes (the key), batch fields, target state, days ago registered, days ago received.
# The story: the oldest batches are processed, one is being worked on, two wait for delivery.
BATCHES = (
    (
        "Hämeen ammattikorkeakoulu",
        "Opetustilojen kannettavat, lukukauden vaihto.",
        {"declared_count": 12, "declared_kinds": "10 kannettavaa, 2 tablettia"},
        "processed",
        63,
        60,
    ),
    (
        "Hämeen ammattikorkeakoulu",
        "Kirjaston lainakoneet, nouto ovelta B.",
        {
            "declared_count": 3,
            "declared_kinds": "3 kannettavaa",
            "delivery": DonationBatch.Delivery.PICKUP,
            "pickup_address": "Visamäentie 35 B, 13100 Hämeenlinna",
            "pickup_window": "ensi viikolla, arkisin klo 9–15",
        },
        "registered",
        6,
        None,
    ),
    (
        "Konepaja Virtanen Oy",
        "Toimiston koneet uusittu, vanhat lahjoitukseen.",
        {"declared_count": 6, "declared_kinds": "4 pöytäkonetta, 2 kannettavaa"},
        "processed",
        80,
        75,
    ),
    (
        "Hämeenlinnan kaupunki",
        "Kotihoidon puhelimet ja tabletit.",
        {"declared_count": 12, "declared_kinds": "8 puhelinta, 4 tablettia"},
        "received",
        40,
        35,
    ),
    (
        "Pekka Nieminen",
        "Kotona käyttämättä olleet laitteet.",
        {
            "declared_count": 2,
            "declared_kinds": "kannettava ja tabletti",
            "wants_certificate": False,
        },
        "registered",
        2,
        None,
    ),
)
# Donors were recorded this long ago, before their first batch.
DONORS_DAYS_AGO = 120

# The donor lists sent with two batches (category, manufacturer, model, serial, asset tag).
LIST_ROWS = {
    "Kirjaston lainakoneet, nouto ovelta B.": (
        ("laptop", "Lenovo", "ThinkPad L14 Gen 1", "PF2KLB01", "HAMK-KIR-001"),
        ("laptop", "Lenovo", "ThinkPad L14 Gen 1", "PF2KLB02", "HAMK-KIR-002"),
        ("laptop", "HP", "ProBook 450 G7", "5CD0KLB03", "HAMK-KIR-003"),
    ),
    "Kotihoidon puhelimet ja tabletit.": tuple(
        ("phone", "Samsung", "Galaxy A52", f"R58R3{n:02d}KH", f"HML-{n:04d}") for n in range(1, 9)
    )
    + tuple(
        ("tablet", "Samsung", "Galaxy Tab A7", f"R52T4{n:02d}KH", f"HML-{100 + n:04d}")
        for n in range(1, 5)
    ),
}

_LAPTOP = {"storage_type": Device.StorageType.NVME, "has_charger": True}

# notes of the batch -> devices: (fields, what happens after intake)
DEVICES = {
    "Opetustilojen kannettavat, lukukauden vaihto.": (
        (
            dict(
                manufacturer="Lenovo",
                model="ThinkPad T480",
                serial_number="PF1HAMK01",
                cpu="Intel Core i5-8250U",
                ram_gb=8,
                storage_gb=256,
                screen_inches="14.0",
                operating_system="Windows 11 Pro",
                condition_grade="B",
                asset_tag="HAMK-0101",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="Lenovo",
                model="ThinkPad T480",
                serial_number="PF1HAMK02",
                cpu="Intel Core i5-8350U",
                ram_gb=16,
                storage_gb=512,
                screen_inches="14.0",
                operating_system="Windows 11 Pro",
                condition_grade="A",
                asset_tag="HAMK-0102",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="Lenovo",
                model="ThinkPad T480",
                serial_number="PF1HAMK03",
                cpu="Intel Core i5-8250U",
                ram_gb=8,
                storage_gb=256,
                screen_inches="14.0",
                operating_system="Windows 11 Pro",
                condition_grade="B",
                asset_tag="HAMK-0103",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="HP",
                model="EliteBook 840 G5",
                serial_number="5CG8HAMK04",
                cpu="Intel Core i5-8350U",
                ram_gb=8,
                storage_gb=256,
                screen_inches="14.0",
                operating_system="Windows 11 Pro",
                condition_grade="B",
                asset_tag="HAMK-0104",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="HP",
                model="EliteBook 840 G5",
                serial_number="5CG8HAMK05",
                cpu="Intel Core i7-8550U",
                ram_gb=16,
                storage_gb=512,
                screen_inches="14.0",
                operating_system="Windows 11 Pro",
                condition_grade="A",
                asset_tag="HAMK-0105",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="HP",
                model="EliteBook 840 G5",
                serial_number="5CG8HAMK06",
                cpu="Intel Core i5-8250U",
                ram_gb=8,
                storage_gb=256,
                screen_inches="14.0",
                operating_system="Windows 10 Pro",
                condition_grade="C",
                asset_tag="HAMK-0106",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="Dell",
                model="Latitude 5490",
                serial_number="HAMK7D1",
                cpu="Intel Core i5-8250U",
                ram_gb=8,
                storage_gb=256,
                screen_inches="14.0",
                operating_system="Windows 10 Pro",
                condition_grade="B",
                asset_tag="HAMK-0107",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="Dell",
                model="Latitude 5490",
                serial_number="HAMK8D2",
                cpu="Intel Core i5-8350U",
                ram_gb=8,
                storage_gb=256,
                screen_inches="14.0",
                operating_system="Windows 10 Pro",
                condition_grade="B",
                asset_tag="HAMK-0108",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="Dell",
                model="Latitude 5490",
                serial_number="HAMK9D3",
                cpu="Intel Core i3-8130U",
                ram_gb=4,
                storage_gb=128,
                screen_inches="14.0",
                operating_system="Windows 10 Pro",
                condition_grade="C",
                asset_tag="HAMK-0109",
                **_LAPTOP,
            ),
            "failed_then_ready",
        ),
        (
            dict(
                manufacturer="Lenovo",
                model="ThinkPad T470",
                serial_number="PF0HAMK10",
                cpu="Intel Core i5-7200U",
                ram_gb=8,
                storage_gb=256,
                storage_type="ssd",
                screen_inches="14.0",
                condition_grade="C",
                asset_tag="HAMK-0110",
                notes="Näytössä halkeama, saranat löysät.",
            ),
            "erased_then_disposed",
        ),
        (
            dict(
                category="tablet",
                manufacturer="Apple",
                model="iPad (7. sukupolvi)",
                serial_number="DMPHAMK11",
                storage_gb=32,
                storage_type="emmc",
                screen_inches="10.2",
                operating_system="iPadOS 18",
                condition_grade="B",
                has_case=True,
                asset_tag="HAMK-0111",
            ),
            "ready",
        ),
        (
            dict(
                category="tablet",
                manufacturer="Apple",
                model="iPad (7. sukupolvi)",
                serial_number="DMPHAMK12",
                storage_gb=32,
                storage_type="emmc",
                screen_inches="10.2",
                operating_system="iPadOS 18",
                condition_grade="A",
                asset_tag="HAMK-0112",
            ),
            "ready",
        ),
    ),
    "Toimiston koneet uusittu, vanhat lahjoitukseen.": (
        (
            dict(
                category="desktop",
                manufacturer="Dell",
                model="OptiPlex 7060",
                serial_number="KVOY7060A",
                cpu="Intel Core i5-8500",
                ram_gb=8,
                storage_gb=256,
                storage_type="ssd",
                operating_system="Windows 11 Pro",
                condition_grade="B",
            ),
            "ready",
        ),
        (
            dict(
                category="desktop",
                manufacturer="Dell",
                model="OptiPlex 7060",
                serial_number="KVOY7060B",
                cpu="Intel Core i5-8500",
                ram_gb=8,
                storage_gb=256,
                storage_type="ssd",
                operating_system="Windows 11 Pro",
                condition_grade="B",
            ),
            "ready",
        ),
        (
            dict(
                category="desktop",
                manufacturer="HP",
                model="EliteDesk 800 G4",
                serial_number="CZC8KVOY03",
                cpu="Intel Core i5-8500",
                ram_gb=16,
                storage_gb=512,
                storage_type="nvme",
                operating_system="Windows 11 Pro",
                condition_grade="A",
            ),
            "ready",
        ),
        (
            dict(
                category="desktop",
                manufacturer="HP",
                model="EliteDesk 800 G3",
                serial_number="CZC7KVOY04",
                cpu="Intel Core i5-6500",
                ram_gb=8,
                storage_gb=500,
                storage_type="hdd",
                condition_grade="C",
            ),
            "destroyed",
        ),
        (
            dict(
                manufacturer="Lenovo",
                model="ThinkPad E590",
                serial_number="PF1KVOY05",
                cpu="Intel Core i5-8265U",
                ram_gb=8,
                storage_gb=256,
                screen_inches="15.6",
                operating_system="Windows 11 Pro",
                condition_grade="B",
                **_LAPTOP,
            ),
            "ready",
        ),
        (
            dict(
                manufacturer="Lenovo",
                model="ThinkPad E590",
                serial_number="PF1KVOY06",
                cpu="Intel Core i5-8265U",
                ram_gb=8,
                storage_gb=256,
                screen_inches="15.6",
                condition_grade="C",
                **_LAPTOP,
            ),
            "erased_then_disposed",
        ),
    ),
    "Kotihoidon puhelimet ja tabletit.": (
        (
            dict(
                category="phone",
                manufacturer="Samsung",
                model="Galaxy A52",
                serial_number="R58R301KH",
                imei_seed=1,
                storage_gb=128,
                storage_type="emmc",
                operating_system="Android 14",
                condition_grade="B",
                has_charger=True,
            ),
            "ready",
        ),
        (
            dict(
                category="phone",
                manufacturer="Samsung",
                model="Galaxy A52",
                serial_number="R58R302KH",
                imei_seed=2,
                storage_gb=128,
                storage_type="emmc",
                operating_system="Android 14",
                condition_grade="A",
                has_charger=True,
            ),
            "ready",
        ),
        (
            dict(
                category="phone",
                manufacturer="Samsung",
                model="Galaxy A52",
                serial_number="R58R303KH",
                imei_seed=3,
                storage_gb=128,
                storage_type="emmc",
                operating_system="Android 14",
                condition_grade="B",
            ),
            "ready",
        ),
        (
            dict(
                category="phone",
                manufacturer="Samsung",
                model="Galaxy A52",
                serial_number="R58R304KH",
                imei_seed=4,
                storage_gb=128,
                storage_type="emmc",
                operating_system="Android 13",
                condition_grade="B",
            ),
            "erased",
        ),
        (
            dict(
                category="phone",
                manufacturer="Samsung",
                model="Galaxy A52",
                serial_number="R58R305KH",
                imei_seed=5,
                storage_gb=128,
                storage_type="emmc",
                condition_grade="C",
            ),
            "failed",
        ),
        (
            dict(
                category="tablet",
                manufacturer="Samsung",
                model="Galaxy Tab A7",
                serial_number="R52T401KH",
                storage_gb=32,
                storage_type="emmc",
                screen_inches="10.4",
                operating_system="Android 12",
                condition_grade="B",
                has_charger=True,
            ),
            "ready",
        ),
        (
            dict(
                category="tablet",
                manufacturer="Samsung",
                model="Galaxy Tab A7",
                serial_number="R52T402KH",
                storage_gb=32,
                storage_type="emmc",
                screen_inches="10.4",
                condition_grade="B",
            ),
            "received",
        ),
    ),
}


def demo_imei(seed):
    """A Luhn-valid IMEI with a test-range TAC, different for each seed."""
    body = f"35209900{seed:06d}"
    for digit in "0123456789":
        if luhn_is_valid(body + digit):
            return body + digit
    raise AssertionError("unreachable: one check digit always fits")


def seed(users):
    """Seed donors, batches in every state and devices in every pre-handover state.

    Each step happens at its moment in the story (kierratys.demo.story_time): a batch is
    registered, received and its devices logged, erased, checked and the batch processed,
    in that order, weeks before today.
    """
    technician = users["teknikko"]
    donors = {}
    with story_time(demo_moment(DONORS_DAYS_AGO)):
        for values in DONORS:
            donor, _created = Donor.objects.get_or_create(name=values["name"], defaults=values)
            donors[donor.name] = donor
    donors["Hämeen ammattikorkeakoulu"].users.add(users["lahjoittaja"])

    for donor_name, notes, fields, target, registered_ago, received_ago in BATCHES:
        donor = donors[donor_name]
        batch = DonationBatch.objects.filter(donor=donor, notes=notes).first()
        if batch is None:
            actor = users["lahjoittaja"] if donor_name.startswith("Hämeen amm") else technician
            rows = [
                dict(
                    zip(
                        ("category", "manufacturer", "model", "serial_number", "asset_tag"),
                        row,
                        strict=True,
                    )
                )
                for row in LIST_ROWS.get(notes, ())
            ]
            with story_time(demo_moment(registered_ago, 14)):
                batch = services.batch_register(
                    donor=donor, actor=actor, notes=notes, list_rows=rows, **fields
                )
        if target != "registered" and batch.status == DonationBatch.Status.REGISTERED:
            with story_time(demo_moment(received_ago, 9)):
                batch = services.batch_receive(batch=batch, actor=technician)
        for index, (device_fields, outcome) in enumerate(DEVICES.get(notes, ())):
            _seed_device(batch, technician, dict(device_fields), outcome, received_ago, index)
        if target == "processed" and batch.status == DonationBatch.Status.RECEIVED:
            with story_time(demo_moment(received_ago - PROCESSED_DAYS_AFTER, 15)):
                services.batch_mark_processed(batch=batch, actor=technician)


# The story of a device, in days after its batch was received: logged the same day,
# erased two days later (a failed attempt retried the day after), checked or disposed
# four days later, and the batch processed on the fifth day.
ERASED_DAYS_AFTER = 2
RETRIED_DAYS_AFTER = 3
CHECKED_DAYS_AFTER = 4
PROCESSED_DAYS_AFTER = 5
ERASURE_MINUTES = 40


def _erasure_fields(fields):
    nvme = fields.get("storage_type") == "nvme"
    erasure = {
        # NIST SP 800-88: an overwrite is Clear, an NVMe Sanitize is Purge.
        "method": "purge" if nvme else "clear",
        "technique": "nvme_sanitize" if nvme else "overwrite",
        "tool_name": "nwipe",
        "tool_version": "0.37",
        "verification": "full",
        "result": "passed",
    }
    if fields["category"] in (Device.Category.PHONE, Device.Category.TABLET):
        # An encrypted phone's or tablet's factory reset destroys its key: NIST counts it Purge.
        apple = fields.get("manufacturer") == "Apple"
        erasure.update(
            method="purge",
            technique="factory_reset",
            tool_name="iPadOS: Tyhjennä kaikki sisältö" if apple else "Android: tehdasasetukset",
            tool_version="17.5" if apple else "13",
        )
    return erasure


def _erase(device, technician, erasure, days_ago, index, **extra):
    """One erasure attempt `days_ago`, started at the device's turn in the day's queue."""
    started = demo_moment(days_ago, 8) + datetime.timedelta(minutes=45 * index)
    ended = started + datetime.timedelta(minutes=ERASURE_MINUTES)
    with story_time(ended):
        services.erasure_record(
            device=device,
            actor=technician,
            started_at=started,
            ended_at=ended,
            **{**erasure, **extra},
        )


def _seed_device(batch, technician, fields, outcome, received_ago, index):
    if Device.objects.filter(serial_number=fields["serial_number"]).exists():
        return
    fields.setdefault("category", Device.Category.LAPTOP)
    if "imei_seed" in fields:
        fields["imei"] = demo_imei(fields.pop("imei_seed"))
    item = BatchListItem.objects.filter(
        batch=batch, serial_number=fields["serial_number"], device__isnull=True
    ).first()
    logged = demo_moment(received_ago, 9, 30) + datetime.timedelta(minutes=10 * index)
    with story_time(logged):
        device = services.device_intake(batch=batch, actor=technician, list_item=item, **fields)
    if outcome == "received":
        return
    erasure = _erasure_fields(fields)
    erased_ago = received_ago - ERASED_DAYS_AFTER
    checked = demo_moment(received_ago - CHECKED_DAYS_AFTER, 9) + datetime.timedelta(
        minutes=20 * index
    )
    phone = fields["category"] in (Device.Category.PHONE, Device.Category.TABLET)
    if outcome in ("failed", "failed_then_ready"):
        _erase(
            device,
            technician,
            erasure,
            erased_ago,
            index,
            result="failed",
            failure_reason="Tehdasasetusten palautus keskeytyi."
            if phone
            else "nwipe: lukuvirheitä levyllä (I/O error).",
            notes="Uusi yritys seuraavana päivänä."
            if phone
            else "Uusi yritys kaapelin vaihdon jälkeen.",
        )
        if outcome == "failed":
            return
        erased_ago = received_ago - RETRIED_DAYS_AFTER
    if outcome == "destroyed":
        _erase(
            device,
            technician,
            erasure,
            erased_ago,
            index,
            method="destroy",
            technique="physical_destruction",
            tool_name="levyn lävistys",
            tool_version="-",
            disposal_reason=Device.DisposalReason.EWASTE,
            notes="Kiintolevy rikki; levy lävistetty ja kone kierrätetty.",
        )
        return
    _erase(device, technician, erasure, erased_ago, index)
    if outcome == "erased_then_disposed":
        # Erased first, so that no donor data leaves with the parts.
        with story_time(checked):
            lifecycle.device_dispose(
                device=device, actor=technician, disposal_reason=Device.DisposalReason.PARTS
            )
    elif outcome in ("ready", "failed_then_ready"):
        checks = {name: True for name in services.RefurbishmentCheck.CHECK_FIELDS}
        with story_time(checked):
            services.refurbishment_record(
                device=device, actor=technician, checked_at=checked, **checks
            )
