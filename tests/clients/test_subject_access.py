"""Subject access: a coordinator's JSON export of everything about one client, access-logged."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients import services as client_services
from clients.access_log import access_log_record
from clients.models import AccessLog, Handover
from devices.models import Device
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def served_client(coach, coordinator, technician, donor):
    milestones = factories.make_milestones()
    client = factories.make_client(
        coach, name="Saara Selvitys", phone="040 222 3333", accessibility_needs="iso näyttö"
    )
    client = client_services.client_update(client=client, actor=coach, notes="soita aamulla")
    for milestone in milestones:
        client_services.client_milestone_record(
            client=client,
            milestone=milestone,
            actor=coach,
            completed_on=timezone.localdate(),
            note=f"harjoiteltu: {milestone.code}",
        )
    batch = factories.make_batch(donor, technician)
    loaned = factories.make_ready_device(batch, technician)
    handover = services.handover_reserve(client=client, device=loaned, actor=coach)
    factories.prepare_for_handover(handover, coach)
    handover = services.handover_complete(
        handover=handover,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=14),
    )
    services.handover_return(
        handover=handover,
        actor=coach,
        returned_on=timezone.localdate(),
        condition=Device.Grade.A,
        note="palautui siistinä",
    )
    gift = factories.make_ready_device(batch, technician)
    handover = services.handover_reserve(client=client, device=gift, actor=coach)
    factories.prepare_for_handover(handover, coach)
    services.handover_complete(handover=handover, actor=coach, kind=Handover.Kind.GIFT)
    access_log_record(client=client, user=coach, action=AccessLog.Action.VIEW)
    client.refresh_from_db()
    return client, loaned, gift


def export(client_, code):
    response = client_.get(reverse("clients:subject_access", kwargs={"code": code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert f'filename="{code}-tiedot.json"' in response["Content-Disposition"]
    return json.loads(response.content.decode("utf-8"))


def test_export_has_every_section(served_client, coordinator_client, coordinator):
    client, loaned, gift = served_client
    data = export(coordinator_client, client.code)
    assert set(data) == {
        "export",
        "client",
        "municipalities",
        "milestones",
        "handovers",
        "history",
        "access_log",
    }
    assert data["export"]["exported_by"] == coordinator.username
    # The municipality by its code in the classification, named in both languages.
    code = data["client"]["municipality"]
    assert data["municipalities"] == {
        code: {"name_fi": client.municipality.name_fi, "name_sv": client.municipality.name_sv}
    }
    assert data["client"]["code"] == client.code
    assert data["client"]["name"] == "Saara Selvitys"
    assert data["client"]["phone"] == "040 222 3333"
    assert data["client"]["accessibility_needs"] == "iso näyttö"
    assert data["client"]["notes"] == "soita aamulla"
    assert data["client"]["coach"] == "valmentaja"
    assert data["client"]["status"] == "served"


def test_export_includes_milestone_notes(served_client, coordinator_client):
    client, *_ = served_client
    data = export(coordinator_client, client.code)
    notes = {row["milestone_code"]: row["note"] for row in data["milestones"]}
    assert notes == {code: f"harjoiteltu: {code}" for code in notes}
    assert len(notes) == len(factories.MILESTONES)
    assert all(row["recorded_by"] == "valmentaja" for row in data["milestones"])


def test_export_includes_handovers_with_device_codes(served_client, coordinator_client):
    client, loaned, gift = served_client
    data = export(coordinator_client, client.code)
    by_device = {row["device"]["inventory_code"]: row for row in data["handovers"]}
    assert set(by_device) == {loaned.inventory_code, gift.inventory_code}
    assert by_device[loaned.inventory_code]["kind"] == "loan"
    assert by_device[loaned.inventory_code]["status"] == "returned"
    assert by_device[loaned.inventory_code]["return_note"] == "palautui siistinä"
    assert by_device[gift.inventory_code]["kind"] == "gift"
    assert by_device[gift.inventory_code]["receipt_number"].startswith("LK-")
    assert by_device[gift.inventory_code]["handed_over_by"] == "valmentaja"


def test_export_includes_history_rows(served_client, coordinator_client):
    client, *_ = served_client
    data = export(coordinator_client, client.code)
    history = data["history"]
    # created, notes edited, status served by the gift
    assert [row["history_type"] for row in history["client"]] == ["created", "changed", "changed"]
    assert history["client"][0]["notes"] == ""
    assert history["client"][1]["notes"] == "soita aamulla"
    assert history["client"][-1]["history_change_reason"] == "device handed over as a gift"
    assert all(row["history_user"] == "valmentaja" for row in history["client"])
    assert len(history["milestones"]) == len(factories.MILESTONES)
    # loan: reserved, handed over, returned; gift: reserved, handed over
    assert len(history["handovers"]) == 5
    assert {row["history_change_reason"] for row in history["handovers"]} >= {
        "loan",
        "gift",
        "loan returned",
    }


def test_export_includes_access_log_and_logs_itself(served_client, coordinator_client, coordinator):
    client, *_ = served_client
    before = AccessLog.objects.filter(client=client).count()
    data = export(coordinator_client, client.code)
    assert AccessLog.objects.filter(client=client).count() == before + 1
    latest = AccessLog.objects.filter(client=client).latest("at")
    assert (latest.user, latest.action) == (coordinator, AccessLog.Action.EXPORT)
    actions = [(row["user"], row["action"]) for row in data["access_log"]]
    assert ("valmentaja", "view") in actions
    assert actions[-1] == (coordinator.username, "export")


@pytest.mark.parametrize("user", ["coach", "technician", "donor_user"])
def test_only_coordinators_export(served_client, client, request, user):
    code = served_client[0].code
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("clients:subject_access", kwargs={"code": code}))
    assert response.status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_unknown_client_is_404(coordinator_client, served_client):
    code = served_client[0].code
    unknown = code[:-1] + ("9" if code[-1] != "9" else "8")
    response = coordinator_client.get(reverse("clients:subject_access", kwargs={"code": unknown}))
    assert response.status_code == 404


def test_client_page_links_the_export_for_coordinators_only(
    served_client, coordinator_client, coach
):
    client = served_client[0]
    url = reverse("clients:subject_access", kwargs={"code": client.code})
    assert url in coordinator_client.get(client.get_absolute_url()).content.decode()
    coordinator_client.force_login(coach)
    assert url not in coordinator_client.get(client.get_absolute_url()).content.decode()
