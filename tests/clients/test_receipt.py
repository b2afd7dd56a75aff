"""The handover receipt (luovutuskuitti): content, language, access rules and access log."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.documents import handover_receipt_pdf
from clients.models import AccessLog, Handover, SupportPoint
from devices.models import Erasure
from tests.factories import (
    erase,
    make_batch,
    make_device,
    make_eligible_client,
    municipality,
    prepare_for_handover,
    refurbish,
)
from tests.support import one_line, pdf_barcodes, pdf_text, shown_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_points(db):
    return [
        SupportPoint.objects.create(
            name="Kirjaston digitori",
            municipality=municipality("Hämeenlinna"),
            address="Lukiokatu 2, 13100 Hämeenlinna",
            opening_hours="ti ja to 10–14",
            contact="03 621 2000",
        ),
        SupportPoint.objects.create(
            name="Verkkaisen palvelupiste",
            municipality=municipality("Hämeenlinna"),
            address="Rauhankatu 5",
            opening_hours="ma 9–12",
        ),
        SupportPoint.objects.create(
            name="Vanha suljettu piste",
            municipality=municipality("Hämeenlinna"),
            address="Jokin katu 1",
            opening_hours="ei auki",
            active=False,
        ),
        SupportPoint.objects.create(
            name="Tampereen digituki",
            municipality=municipality("Tampere"),
            address="Hämeenkatu 1",
            opening_hours="ma–pe 9–16",
        ),
    ]


def handed_over(coach, technician, donor, *, kind=Handover.Kind.GIFT, language="fi"):
    batch = make_batch(donor, technician)
    device = make_device(
        batch,
        technician,
        manufacturer="Lenovo",
        model="ThinkPad T480",
        serial_number="PF1A2B3C",
        has_charger=True,
    )
    erase(
        device,
        technician,
        method=Erasure.Method.PURGE,
        technique=Erasure.Technique.NVME_SANITIZE,
    )
    refurbish(device, technician)
    client = make_eligible_client(coach, name="Matti Meikäläinen", language=language)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    due = timezone.localdate() + datetime.timedelta(days=30) if kind == Handover.Kind.LOAN else None
    prepare_for_handover(reserved, coach)
    return services.handover_complete(handover=reserved, actor=coach, kind=kind, due_date=due)


def test_finnish_receipt_holds_the_device_the_erasure_and_local_support(
    coach_client, coach, technician, donor, support_points
):
    handover = handed_over(coach, technician, donor)
    response = coach_client.get(reverse("clients:handover_receipt", kwargs={"pk": handover.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = one_line(pdf_text(response.content))

    assert "Luovutuskuitti" in text
    assert handover.receipt_number in text
    assert handover.client.code in text and "Matti Meikäläinen" in text
    assert "PF1A2B3C" in text and "ThinkPad T480" in text and "Lenovo" in text
    erased_on = shown_date(timezone.localdate())
    assert f"Laitteen aiemmat tiedot on poistettu {erased_on}." in text
    assert "NVMe Sanitize" in text
    assert "Laite on lahja" in text
    assert "Kirjaston digitori" in text and "Lukiokatu 2, 13100 Hämeenlinna" in text
    assert "ti ja to 10–14" in text
    assert "Verkkaisen palvelupiste" in text
    assert "Tampereen digituki" not in text
    assert "Vanha suljettu piste" not in text
    assert "Asiakkaan allekirjoitus" in text and "Työvalmentajan allekirjoitus" in text


def test_loan_receipt_states_the_due_date(coach, technician, donor, support_points):
    handover = handed_over(coach, technician, donor, kind=Handover.Kind.LOAN)
    text = one_line(pdf_text(handover_receipt_pdf(handover)))
    assert "Laite on laina" in text
    assert f"Palauta laite viimeistään {shown_date(handover.due_date)}." in text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_receipt_in_the_clients_language_keeps_the_facts(
    coach, technician, donor, support_points, language
):
    # Only language-independent content is asserted: the translations come in a later pass.
    handover = handed_over(coach, technician, donor, language=language)
    text = one_line(pdf_text(handover_receipt_pdf(handover)))
    assert handover.receipt_number in text
    assert "PF1A2B3C" in text
    assert "Kirjaston digitori" in text
    assert "Tampereen digituki" not in text


def test_receipt_prints_the_inventory_code_as_a_readable_code128_barcode(
    coach, technician, donor, tmp_path
):
    handover = handed_over(coach, technician, donor)
    decoded = pdf_barcodes(handover_receipt_pdf(handover), tmp_path)
    assert decoded == [handover.device.inventory_code]


def test_opening_the_receipt_is_written_to_the_access_log(coach_client, coach, technician, donor):
    handover = handed_over(coach, technician, donor)
    coach_client.get(reverse("clients:handover_receipt", kwargs={"pk": handover.pk}))
    entry = AccessLog.objects.get(action=AccessLog.Action.RECEIPT)
    assert entry.client == handover.client
    assert entry.user == coach


def test_coordinator_may_open_any_receipt(client, coordinator, coach, technician, donor):
    handover = handed_over(coach, technician, donor)
    client.force_login(coordinator)
    response = client.get(reverse("clients:handover_receipt", kwargs={"pk": handover.pk}))
    assert response.status_code == 200


def test_coach_of_another_client_gets_404_and_nothing_is_logged(
    client, other_coach, coach, technician, donor
):
    handover = handed_over(coach, technician, donor)
    client.force_login(other_coach)
    response = client.get(reverse("clients:handover_receipt", kwargs={"pk": handover.pk}))
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.RECEIPT).exists()


def test_technician_and_donor_may_not_open_receipts(client, technician, donor_user, coach, donor):
    handover = handed_over(coach, technician, donor)
    for user in (technician, donor_user):
        client.force_login(user)
        url = reverse("clients:handover_receipt", kwargs={"pk": handover.pk})
        assert client.get(url).status_code == 403


def test_a_reprint_after_the_loan_came_back_still_names_the_erasure_before_the_handover(
    coach, technician, donor, support_points
):
    handover = handed_over(coach, technician, donor, kind=Handover.Kind.LOAN)
    services.handover_return(
        handover=handover,
        actor=coach,
        returned_on=timezone.localdate(),
        condition=handover.device.condition_grade,
    )
    handover.refresh_from_db()
    text = one_line(pdf_text(handover_receipt_pdf(handover)))
    erased_on = shown_date(timezone.localdate())
    assert f"Laitteen aiemmat tiedot on poistettu {erased_on}." in text
    assert "NVMe Sanitize" in text
