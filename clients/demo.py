"""Demo data of the clients app (milestones, clients, handovers, support points). Idempotent.

Clients are keyed on name + coach, milestones on code, support points on name +
municipality, so running the seed twice changes nothing.
"""

import datetime

from django.utils import timezone

from clients import selectors, services
from clients.catalogue import catalogue_seed
from clients.models import (
    Client,
    Handover,
    HandoverReadiness,
    Milestone,
    Municipality,
    SupportPoint,
)
from clients.readiness import readiness_record
from devices import services as device_services
from devices.models import Device, DonationBatch, Erasure, RefurbishmentCheck

# code, required, (fi, sv, en) names, (fi, sv, en) descriptions
SUPPORT_POINTS = (
    (
        "Hämeenlinnan pääkirjasto, digituki",
        "Hämeenlinna",
        "Lukiokatu 2, 13100 Hämeenlinna",
        "ti ja to klo 10–13",
        "digituki.hameenlinna@example.fi",
    ),
    (
        "Hattulan kirjasto, digituki",
        "Hattula",
        "Parolantie 56, 13720 Parola",
        "ke klo 12–15",
        "kirjasto.hattula@example.fi",
    ),
    (
        "Janakkalan kirjasto, digitukipiste",
        "Janakkala",
        "Kirjastotie 1, 14200 Turenki",
        "ma klo 13–16",
        "kirjasto.janakkala@example.fi",
    ),
    (
        "Riihimäen kaupunginkirjasto, digituki",
        "Riihimäki",
        "Kauppakatu 22, 11100 Riihimäki",
        "ti klo 9–12 ja to klo 14–17",
        "digituki.riihimaki@example.fi",
    ),
)

# name, coach username, municipality (Finnish name), language, service, device need,
# accessibility needs, required milestones done (in catalogue order), days since the last one
CLIENTS = (
    ("Aino Virtanen", "valmentaja", "Hämeenlinna", "fi", "employment", "laptop", "", 7, 40),
    (
        "Pertti Korhonen",
        "valmentaja",
        "Hämeenlinna",
        "fi",
        "social",
        "tablet",
        "Iso näyttö ja suurennettu teksti",
        7,
        12,
    ),
    ("Raili Nieminen", "valmentaja", "Hattula", "fi", "social", "phone", "", 7, 3),
    ("Eino Mäkelä", "valmentaja", "Hattula", "fi", "employment", "laptop", "", 5, 6),
    (
        "Sirkka Hämäläinen",
        "valmentaja",
        "Hämeenlinna",
        "fi",
        "social",
        "tablet",
        "Yksinkertaistettu aloitusnäkymä, isot kuvakkeet",
        3,
        9,
    ),
    ("Tapio Laine", "valmentaja", "Janakkala", "fi", "employment", "desktop", "", 1, 2),
    ("Helvi Heikkinen", "valmentaja2", "Riihimäki", "fi", "social", "tablet", "", 7, 25),
    ("Jorma Koskinen", "valmentaja2", "Riihimäki", "fi", "employment", "laptop", "", 7, 1),
    (
        "Leena Järvinen",
        "valmentaja2",
        "Janakkala",
        "fi",
        "social",
        "phone",
        "Heikko näkö: ruudunlukija ja suuri fonttikoko",
        6,
        4,
    ),
    ("Birgitta Lindqvist", "valmentaja2", "Riihimäki", "sv", "other", "tablet", "", 4, 15),
    ("Olena Kovalenko", "valmentaja2", "Janakkala", "en", "employment", "laptop", "", 2, 7),
    ("Aulis Lehtonen", "valmentaja", "Hämeenlinna", "fi", "social", "phone", "", 0, 0),
)


def seed(users):
    """Seed the coaching catalogue, support points, clients and their progress."""
    coordinator = users["koordinaattori"]
    catalogue_seed(actor=coordinator)
    seed_support_points(coordinator)
    seed_clients(users)
    # Later steps (reservations, handovers) are appended below this line.
    seed_handovers(users)


def seed_support_points(actor):
    for name, municipality_name, address, hours, contact in SUPPORT_POINTS:
        municipality = Municipality.objects.get(name_fi=municipality_name)
        if SupportPoint.objects.filter(name=name, municipality=municipality).exists():
            continue
        point = SupportPoint(
            name=name,
            municipality=municipality,
            address=address,
            opening_hours=hours,
            contact=contact,
        )
        point._history_user = actor
        point.save()


def seed_clients(users):
    """Clients at every stage: just started, halfway, eligible and waiting for a device."""
    today = timezone.localdate()
    required = list(Milestone.objects.filter(active=True, required=True).order_by("order"))
    for index, row in enumerate(CLIENTS):
        name, coach_name, municipality_name, language, service, need, access, done, ago = row
        coach = users[coach_name]
        client = Client.objects.filter(name=name, coach=coach).first()
        if client is None:
            client = services.client_create(
                actor=coach,
                coach=coach,
                name=name,
                phone=f"050 555 01{index:02d}",
                municipality=Municipality.objects.get(name_fi=municipality_name),
                language=language,
                service=service,
                device_need=need,
                accessibility_needs=access,
                consent_date=today - datetime.timedelta(days=ago + 14 * done + 20),
            )
        recorded = set(client.milestones.values_list("milestone_id", flat=True))
        # One milestone every two weeks, the last one `ago` days ago.
        for step, milestone in enumerate(required[:done]):
            if milestone.pk in recorded:
                continue
            services.client_milestone_record(
                client=client,
                milestone=milestone,
                actor=coach,
                completed_on=today - datetime.timedelta(days=ago + 14 * (done - 1 - step)),
                note="",
            )


# Whose device is in which state in the demo: client name, what happens, days since the handover.
DEMO_HANDOVERS = (
    ("Aino Virtanen", "gift", 20),
    ("Pertti Korhonen", "overdue_loan", 45),
    ("Helvi Heikkinen", "loan", 10),
    ("Raili Nieminen", "reserved", 0),
)


def seed_handovers(users):
    """A reservation, a gift, a loan and an overdue loan, made through the handover services."""
    if Handover.objects.exists():
        return
    waiting = list(selectors.waiting_list())
    for name, outcome, days_ago in DEMO_HANDOVERS:
        client = next((c for c in waiting if c.name == name), None)
        if client is None:
            continue
        device = selectors.matching_devices(client).first() or _demo_ready_device(
            users, client.device_need
        )
        if device is None:
            continue
        coach = client.coach
        handover = services.handover_reserve(client=client, device=device, actor=coach)
        if outcome == "reserved":
            continue
        loan = outcome != "gift"
        due_date = timezone.localdate() + datetime.timedelta(days=60) if loan else None
        readiness_record(
            handover=handover, actor=coach, **dict.fromkeys(HandoverReadiness.CHECK_FIELDS, True)
        )
        handover = services.handover_complete(
            handover=handover,
            actor=coach,
            kind=Handover.Kind.LOAN if loan else Handover.Kind.GIFT,
            due_date=due_date,
        )
        # Demo only: move the handover back in time so that one loan is already overdue.
        handover.handed_over_at = timezone.now() - datetime.timedelta(days=days_ago)
        if loan:
            handover.due_date = timezone.localdate(handover.handed_over_at) + datetime.timedelta(
                days=30
            )
        handover._history_user = coach
        handover._change_reason = "demo data: handed over earlier"
        handover.save(update_fields=["handed_over_at", "due_date"])
        _backdate_device(device, handover.handed_over_at, users["teknikko"])


# Demo only: a handed-over device's intake, erasure and check, this long before the handover.
DEMO_INTAKE_DAYS_BEFORE_HANDOVER = 14
DEMO_ERASED_DAYS_BEFORE_HANDOVER = 10
DEMO_CHECKED_DAYS_BEFORE_HANDOVER = 9


def _backdate_device(device, handed_over_at, technician):
    """Move the device's intake, erasures and checks before its (backdated) handover.

    Saved one by one with the technician as the history user, so the timeline and
    the reports (days from intake to handover) read in order.
    """
    device = Device.objects.get(pk=device.pk)
    device.logged_at = handed_over_at - datetime.timedelta(days=DEMO_INTAKE_DAYS_BEFORE_HANDOVER)
    device._history_user = technician
    device._change_reason = "demo data: taken in earlier"
    device.save(update_fields=["logged_at"])
    erased = handed_over_at - datetime.timedelta(days=DEMO_ERASED_DAYS_BEFORE_HANDOVER)
    for erasure in Erasure.objects.filter(device=device):
        duration = erasure.ended_at - erasure.started_at
        erasure.ended_at = erased
        erasure.started_at = erased - duration
        erasure._history_user = technician
        erasure.save(update_fields=["started_at", "ended_at"])
    checked = handed_over_at - datetime.timedelta(days=DEMO_CHECKED_DAYS_BEFORE_HANDOVER)
    for check in RefurbishmentCheck.objects.filter(device=device):
        check.checked_at = checked
        check._history_user = technician
        check.save(update_fields=["checked_at"])


def _demo_ready_device(users, category):
    """A ready device of the category through the devices services, when the demo has none."""
    technician = users["teknikko"]
    batch = DonationBatch.objects.filter(status=DonationBatch.Status.RECEIVED).first()
    if batch is None:
        return None
    device = device_services.device_intake(
        batch=batch,
        actor=technician,
        category=category,
        manufacturer="Lenovo",
        model="ThinkPad T14",
        serial_number=f"DEMO-HO-{category}-{batch.devices.count() + 1}",
        condition_grade="B",
    )
    ended = timezone.now()
    device_services.erasure_record(
        device=device,
        actor=technician,
        started_at=ended - datetime.timedelta(minutes=40),
        ended_at=ended,
        method="clear",
        technique="overwrite",
        tool_name="nwipe",
        tool_version="0.37",
        verification="full",
        result="passed",
    )
    checks = {name: True for name in RefurbishmentCheck.CHECK_FIELDS}
    device_services.refurbishment_record(
        device=device, actor=technician, checked_at=timezone.now(), **checks
    )
    device.refresh_from_db()
    return device
