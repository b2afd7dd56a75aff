"""Audit: every change leaves a history row naming who made it; timelines read as a story."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from clients import retention, services
from clients import services as client_services
from clients.models import AccessLog, Client, ClientMilestone, Handover, Milestone, Municipality
from clients.timelines import client_timeline
from devices import lifecycle
from devices import services as device_services
from devices.models import (
    BatchListItem,
    Device,
    DonationBatch,
    Erasure,
    PendingImport,
    RefurbishmentCheck,
)
from devices.timelines import batch_timeline, device_timeline
from tests import factories

pytestmark = pytest.mark.django_db

# The access log is itself the record of reads: append-only, no history of its own.
# A pending import is an upload kept between its preview and its confirmation, then
# thrown away: transient working data; the devices and list items it leads to keep theirs.
# Municipalities are reference data from Statistics Finland, loaded by migrations from a
# file in the repository (clients/data): the file's history is theirs.
UNTRACKED = {AccessLog, Municipality, PendingImport}


DOMAIN_MODELS = [
    model
    for name in ("devices", "clients")
    for model in apps.get_app_config(name).get_models()
    if model not in UNTRACKED and not model.__name__.startswith("Historical")
]


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_every_domain_model_keeps_history(model):
    assert hasattr(model, "history"), f"{model._meta.label} has no HistoricalRecords"


def latest(model, **lookup):
    return model.history.filter(**lookup).order_by("-history_date", "-history_id").first()


@pytest.fixture
def world(donor, technician, coach, coordinator):
    milestones = factories.make_milestones()
    batch = factories.make_batch(donor, technician)
    client = factories.make_eligible_client(coach)
    return {"batch": batch, "client": client, "milestones": milestones}


def change_batch_register(world, users):
    batch = device_services.batch_register(
        donor=world["batch"].donor,
        actor=users["donor_user"],
        declared_count=2,
        list_rows=[{"category": "laptop", "manufacturer": "HP", "model": "EliteBook"}],
    )
    return [
        (DonationBatch, {"id": batch.pk}, "+", users["donor_user"], None),
        (BatchListItem, {"batch_id": batch.pk}, "+", users["donor_user"], None),
    ]


def change_batch_receive(world, users):
    batch = factories.make_batch(world["batch"].donor, users["technician"], received=False)
    device_services.batch_receive(batch=batch, actor=users["coordinator"])
    return [(DonationBatch, {"id": batch.pk}, "~", users["coordinator"], "batch received")]


def change_device_intake(world, users):
    device = factories.make_device(world["batch"], users["technician"])
    return [(Device, {"id": device.pk}, "+", users["technician"], "intake")]


def change_erasure_passed(world, users):
    device = factories.make_device(world["batch"], users["technician"])
    erasure = factories.erase(device, users["coordinator"])
    return [
        (Erasure, {"id": erasure.pk}, "+", users["coordinator"], None),
        (Device, {"id": device.pk}, "~", users["coordinator"], "erasure passed"),
    ]


def change_refurbishment(world, users):
    device = factories.make_device(world["batch"], users["technician"])
    factories.erase(device, users["technician"])
    check = factories.refurbish(device, users["coordinator"])
    return [
        (RefurbishmentCheck, {"id": check.pk}, "+", users["coordinator"], None),
        (Device, {"id": device.pk}, "~", users["coordinator"], "refurbishment complete"),
    ]


def change_dispose(world, users):
    device = factories.make_device(world["batch"], users["technician"])
    factories.erase(device, users["technician"])  # e-waste leaves only erased
    lifecycle.device_dispose(
        device=device, actor=users["technician"], disposal_reason=Device.DisposalReason.EWASTE
    )
    return [(Device, {"id": device.pk}, "~", users["technician"], "disposed: ewaste")]


def change_client_create_and_update(world, users):
    client = factories.make_client(users["coach"])
    client_services.client_update(client=client, actor=users["coordinator"], phone="050 1")
    return [(Client, {"id": client.pk}, "~", users["coordinator"], None)]


def change_milestone_record_and_remove(world, users):
    client = factories.make_client(users["coach"])
    record = client_services.client_milestone_record(
        client=client,
        milestone=world["milestones"][0],
        actor=users["coach"],
        completed_on=timezone.localdate(),
    )
    record_id = record.pk
    client_services.client_milestone_remove(record=record, actor=users["coordinator"])
    return [
        (ClientMilestone, {"id": record_id}, "-", users["coordinator"], "milestone removed"),
    ]


def change_catalogue(world, users):
    milestone = client_services.milestone_create(
        actor=users["coordinator"], code="omakanta", name_fi="OmaKanta", name_sv="x", name_en="y"
    )
    client_services.milestone_update(milestone=milestone, actor=users["coordinator"], order=9)
    return [(Milestone, {"id": milestone.pk}, "~", users["coordinator"], None)]


def change_reserve_and_cancel(world, users):
    device = factories.make_ready_device(world["batch"], users["technician"])
    handover = services.handover_reserve(
        client=world["client"], device=device, actor=users["coach"]
    )
    services.handover_cancel(handover=handover, actor=users["coordinator"])
    return [
        (Handover, {"id": handover.pk}, "~", users["coordinator"], "reservation cancelled"),
        (Device, {"id": device.pk}, "~", users["coordinator"], "reservation cancelled"),
    ]


def change_loan_and_return(world, users):
    device = factories.make_ready_device(world["batch"], users["technician"])
    handover = services.handover_reserve(
        client=world["client"], device=device, actor=users["coach"]
    )
    factories.prepare_for_handover(handover, users["coach"])
    handover = services.handover_complete(
        handover=handover,
        actor=users["coach"],
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    services.handover_return(
        handover=handover,
        actor=users["coordinator"],
        returned_on=timezone.localdate(),
        condition=Device.Grade.C,
    )
    return [
        (Handover, {"id": handover.pk}, "~", users["coordinator"], "loan returned"),
        (Device, {"id": device.pk}, "~", users["coordinator"], "loan returned"),
    ]


def change_gift(world, users):
    device = factories.make_ready_device(world["batch"], users["technician"])
    handover = services.handover_reserve(
        client=world["client"], device=device, actor=users["coach"]
    )
    factories.prepare_for_handover(handover, users["coach"])
    services.handover_complete(handover=handover, actor=users["coach"], kind=Handover.Kind.GIFT)
    return [
        (Handover, {"id": handover.pk}, "~", users["coach"], "gift"),
        (Client, {"id": world["client"].pk}, "~", users["coach"], "device handed over as a gift"),
    ]


def change_bulk_create(world, users):
    new = [
        Milestone(code=f"bulk{n}", name_fi=f"Bulk {n}", name_sv="s", name_en="e", order=20 + n)
        for n in range(3)
    ]
    bulk_create_with_history(new, Milestone, default_user=users["coordinator"])
    return [(Milestone, {"code": f"bulk{n}"}, "+", users["coordinator"], None) for n in range(3)]


def change_bulk_update(world, users):
    made = [factories.make_device(world["batch"], users["technician"]) for _ in range(3)]
    # Fresh instances: an instance's own _history_user (left by the intake service)
    # would win over default_user.
    devices = list(Device.objects.filter(pk__in=[device.pk for device in made]))
    for device in devices:
        device.notes = "tarkastettu inventaariossa"
    bulk_update_with_history(
        devices,
        Device,
        ["notes"],
        default_user=users["coordinator"],
        default_change_reason="inventory",
    )
    return [
        (Device, {"id": device.pk}, "~", users["coordinator"], "inventory") for device in devices
    ]


def change_retention(world, users):
    client = factories.make_client(users["coach"])
    client_services.client_update(
        client=client,
        actor=users["coach"],
        status=Client.Status.CLOSED,
        closed_on=retention.retention_cutoff(months=30),
    )
    retention.anonymise_closed_clients(actor=users["coordinator"])
    return [(Client, {"id": client.pk}, "~", users["coordinator"], retention.CHANGE_REASON)]


CHANGES = [
    change_batch_register,
    change_batch_receive,
    change_device_intake,
    change_erasure_passed,
    change_refurbishment,
    change_dispose,
    change_client_create_and_update,
    change_milestone_record_and_remove,
    change_catalogue,
    change_reserve_and_cancel,
    change_loan_and_return,
    change_gift,
    change_bulk_create,
    change_bulk_update,
    change_retention,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__[7:])
def test_change_leaves_history_with_the_acting_user(
    change, world, donor_user, technician, coach, coordinator
):
    users = {
        "donor_user": donor_user,
        "technician": technician,
        "coach": coach,
        "coordinator": coordinator,
    }
    for model, lookup, history_type, user, reason in change(world, users):
        record = latest(model, **lookup)
        assert record is not None, f"no history for {model.__name__} {lookup}"
        assert record.history_type == history_type
        assert record.history_user == user
        if reason is not None:
            assert record.history_change_reason == reason


# --- Timelines -----------------------------------------------------------------------------


def story(entries):
    return [str(entry) for entry in entries]


def test_device_timeline_reads_as_a_story_from_intake_to_handover(known):
    device = known["devices"][1]  # failed once, passed, refurbished, lent
    lines = story(device_timeline(device))
    assert lines[0] == "10.1.2025 Teemu: Laite kirjattu (vastaanottokirjaus)"
    assert (
        "12.1.2025 Teemu: Tietojen tyhjennys kirjattu: epäonnistui (NVMe Sanitize, nwipe 0.36)"
        in lines
    )
    assert (
        "13.1.2025 Teemu: Tietojen tyhjennys kirjattu: onnistui (NVMe Sanitize, nwipe 0.36)"
        in lines
    )
    assert (
        "13.1.2025 Teemu: tila vastaanotettu → tyhjennetty (tietojen tyhjennys onnistui)" in lines
    )
    assert "1.3.2025 Veera: tila valmis luovutettavaksi → varattu (varattu asiakkaalle)" in lines
    assert lines[-1] == "3.3.2025 Veera: tila varattu → lainassa (luovutettu lainaksi)"


def test_batch_timeline(known):
    batch = known["batches"][0]
    lines = story(batch_timeline(batch))
    assert lines[0] == "10.1.2025 Teemu: Lahjoituserä kirjattu"
    assert lines[1].startswith("10.1.2025 Teemu: tila ilmoitettu → vastaanotettu;")
    assert lines[1].endswith("(erä vastaanotettu)")
    assert lines.count("10.1.2025 Teemu: Laite kirjattu (vastaanottokirjaus)") == 4
    intake = batch_timeline(batch)[2]
    shown = {change.field: change.new for change in intake.changes}
    assert shown["manufacturer"] == "Lenovo" and shown["model"] == "ThinkPad T480"


def test_client_timeline_with_field_level_diffs(known, coach, coordinator):
    client = known["clients"][1]
    client_services.client_update(client=client, actor=coordinator, phone="050 999 8888")
    entries = client_timeline(client)
    lines = story(entries)
    assert lines[0] == "15.1.2025 Veera: Asiakas kirjattu"
    assert "15.1.2025 Veera: Asiakkaan välitavoite kirjattu: Sähköposti" in lines
    assert any(
        line.startswith("1.3.2025 Veera: Luovutus kirjattu: ")
        and known["devices"][1].inventory_code in line
        for line in lines
    )
    handed = next(line for line in lines if line.startswith("3.3.2025"))
    assert "tila varattu → luovutettu" in handed and "(luovutettu lainaksi)" in handed
    edit = entries[-1]
    assert edit.user == "Kaisa"
    assert [(c.label, c.old, c.new) for c in edit.changes] == [
        ("puhelin", "040 123 4567", "050 999 8888")
    ]


def test_timeline_partials_render(known, rf):
    from django.template.loader import render_to_string

    html = render_to_string(
        "devices/_batch_timeline.html", {"batch_timeline": batch_timeline(known["batches"][0])}
    )
    assert "Erän historia" in html and "Lahjoituserä kirjattu" in html
    html = render_to_string(
        "clients/_client_timeline.html", {"client_timeline": client_timeline(known["clients"][0])}
    )
    assert "Asiakkaan historia" in html and "luovutettu lahjaksi" in html


def test_batch_page_shows_its_story_to_staff_not_to_the_donor(known, technician_client, donor_user):
    batch = known["batches"][0]
    html = technician_client.get(batch.get_absolute_url()).content.decode()
    assert "Erän historia" in html and "Lahjoituserä kirjattu" in html
    technician_client.force_login(donor_user)
    response = technician_client.get(batch.get_absolute_url())
    assert response.status_code == 200
    assert "Erän historia" not in response.content.decode()


def test_client_page_shows_its_story(known, coach_client):
    client = known["clients"][0]
    html = coach_client.get(client.get_absolute_url()).content.decode()
    assert "Asiakkaan historia" in html
    assert "Asiakkaan välitavoite kirjattu: Sähköposti" in html
    assert "luovutettu lahjaksi" in html


def test_a_timeline_shows_its_values_in_the_language_it_is_read_in(known):
    """Labels, choices and yes or no are looked up once per timeline for the reader's
    language: a story read in English after one in Finnish is in English throughout."""
    device = known["devices"][1]

    def recorded(language):
        with translation.override(language):
            first = device_timeline(device)[0]
        return [str(change) for change in first.changes]

    finnish = recorded("fi")
    english = recorded("en")
    assert "laturi mukana: ei" in finnish
    assert "kuntoluokka: B – käytön jälkiä" in finnish
    assert "charger included: no" in english
    assert "condition grade: B – signs of use" in english
    assert not any("kyllä" in line for line in english)
    assert recorded("fi") == finnish
