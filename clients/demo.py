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
from kierratys.demo import demo_moment, story_time

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
        50,
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
    """Seed the coaching catalogue, support points, clients and their progress.

    Each step happens at its moment in the story (kierratys.demo.story_time): a client
    gives consent, reaches milestones every two weeks, becomes eligible, and only then
    is a device reserved and handed over.
    """
    coordinator = users["koordinaattori"]
    with story_time(demo_moment(CATALOGUE_DAYS_AGO)):
        catalogue_seed(actor=coordinator)
        seed_support_points(coordinator)
    seed_clients(users)
    seed_handovers(users)


# The coaching catalogue and support points were set up before the first client.
CATALOGUE_DAYS_AGO = 200


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
    required = list(Milestone.objects.filter(active=True, required=True).order_by("order"))
    for index, row in enumerate(CLIENTS):
        name, coach_name, municipality_name, language, service, need, access, done, ago = row
        coach = users[coach_name]
        client = Client.objects.filter(name=name, coach=coach).first()
        if client is None:
            # Consent at the first meeting, 20 days before the first milestone.
            consent_ago = ago + 14 * max(done - 1, 0) + 20
            with story_time(demo_moment(consent_ago, 13)):
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
                    consent_date=timezone.localdate() - datetime.timedelta(days=consent_ago),
                )
        recorded = set(client.milestones.values_list("milestone_id", flat=True))
        # One milestone every two weeks, the last one `ago` days ago, recorded that afternoon.
        for step, milestone in enumerate(required[:done]):
            if milestone.pk in recorded:
                continue
            days_ago = ago + 14 * (done - 1 - step)
            with story_time(demo_moment(days_ago, 15)):
                services.client_milestone_record(
                    client=client,
                    milestone=milestone,
                    actor=coach,
                    completed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
                    note="",
                )


# Whose device is in which state in the demo: client name, what happens, days since the
# handover (for a reservation: since it was made). Each client's last milestone is earlier.
DEMO_HANDOVERS = (
    ("Aino Virtanen", "gift", 20),
    ("Pertti Korhonen", "overdue_loan", 45),
    ("Helvi Heikkinen", "loan", 10),
    ("Raili Nieminen", "reserved", 1),
)
# A device is reserved two days before the handover, the readiness checked the day before.
RESERVED_DAYS_BEFORE_HANDOVER = 2
READY_DAYS_BEFORE_HANDOVER = 1
LOAN_DAYS = 30


def seed_handovers(users):
    """A reservation, a gift, a loan and an overdue loan, made through the handover services."""
    if Handover.objects.exists():
        return
    waiting = list(selectors.waiting_list())
    # Oldest first, so that receipt numbers run in the order of the handovers.
    for name, outcome, days_ago in sorted(DEMO_HANDOVERS, key=lambda row: -row[2]):
        client = next((c for c in waiting if c.name == name), None)
        if client is None:
            continue
        reserved_ago = days_ago
        if outcome != "reserved":
            reserved_ago += RESERVED_DAYS_BEFORE_HANDOVER
        reserved_at = demo_moment(reserved_ago, 11)
        # Only a device that was ready by then: the story never reserves a device before
        # its erasure and check.
        device = (
            selectors.matching_devices(client).filter(status_changed_at__lt=reserved_at).first()
        )
        if device is None:
            continue
        coach = client.coach
        with story_time(reserved_at):
            handover = services.handover_reserve(client=client, device=device, actor=coach)
        if outcome == "reserved":
            continue
        loan = outcome != "gift"
        with story_time(demo_moment(days_ago + READY_DAYS_BEFORE_HANDOVER, 14)):
            readiness_record(
                handover=handover,
                actor=coach,
                **dict.fromkeys(HandoverReadiness.CHECK_FIELDS, True),
            )
        handed_over_at = demo_moment(days_ago, 10)
        due_date = timezone.localdate() + datetime.timedelta(days=LOAN_DAYS) if loan else None
        with story_time(handed_over_at):
            handover = services.handover_complete(
                handover=handover,
                actor=coach,
                kind=Handover.Kind.LOAN if loan else Handover.Kind.GIFT,
                # The service accepts only a future due date; the story's is set below.
                due_date=due_date,
                coach_phone=DEMO_COACH_PHONE,
            )
        if loan:
            _set_story_due_date(handover, timezone.localdate(handed_over_at))


# The receipt prints the coach's phone; a number reserved for drama use, never a real one.
DEMO_COACH_PHONE = "050 555 0123"


def _set_story_due_date(handover, handed_over_on):
    """Demo only: the loan is due LOAN_DAYS after its (past) handover, so one is overdue.

    Like kierratys.demo.story_time, this changes when, not what: the record and its
    history say the same due date, and no history row is added for it.
    """
    due_date = handed_over_on + datetime.timedelta(days=LOAN_DAYS)
    Handover.objects.filter(pk=handover.pk).update(due_date=due_date)
    handover.history.filter(due_date__isnull=False).update(due_date=due_date)
