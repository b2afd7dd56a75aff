"""Reserving, cancelling and handing over devices; returns; the client page's device panel."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.models import Client, Handover, HandoverReadiness
from devices.models import Device
from tests.factories import (
    complete_milestones,
    erase,
    make_batch,
    make_client,
    make_device,
    make_eligible_client,
    make_milestones,
    make_ready_device,
    prepare_for_handover,
    refurbish,
)
from tests.support import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician, declared_count=20)


@pytest.fixture
def device(batch, technician):
    return make_ready_device(batch, technician)


def test_reserving_moves_the_device_to_reserved_and_records_who(coach, device):
    client = make_eligible_client(coach)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    device.refresh_from_db()
    assert device.status == Device.Status.RESERVED
    assert handover.status == Handover.Status.RESERVED
    assert handover.reserved_by == coach
    assert handover.history.first().history_user == coach


def test_a_client_who_is_not_eligible_is_refused_with_the_missing_milestones(coach, device):
    milestones = make_milestones()
    client = make_client(coach)
    complete_milestones(client, coach, milestones[:2])
    with pytest.raises(services.HandoverError) as refusal:
        services.handover_reserve(client=client, device=device, actor=coach)
    message = refusal.value.messages[0]
    assert "Puuttuvat välitavoitteet" in message
    assert milestones[2].name_fi in message
    assert milestones[3].name_fi in message
    assert milestones[0].name_fi not in message
    device.refresh_from_db()
    assert device.status == Device.Status.READY
    assert not Handover.objects.exists()


def test_the_same_device_cannot_be_reserved_for_two_clients(coach, other_coach, device):
    first = make_eligible_client(coach)
    second = make_eligible_client(other_coach, name="Maija Meikäläinen")
    services.handover_reserve(client=first, device=device, actor=coach)
    with pytest.raises(services.HandoverError) as refusal:
        services.handover_reserve(client=second, device=device, actor=other_coach)
    assert refusal.value.messages[0] == services.DEVICE_TAKEN % {"code": device.inventory_code}
    assert Handover.objects.filter(device=device).count() == 1


def test_the_database_allows_one_open_handover_per_device(coach, device):
    first = make_eligible_client(coach)
    second = make_eligible_client(coach, name="Maija Meikäläinen")
    services.handover_reserve(client=first, device=device, actor=coach)
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.create(
            device=device, client=second, reserved_by=coach, reserved_at=timezone.now()
        )


def test_a_client_gets_one_device_at_a_time(coach, batch, technician, device):
    client = make_eligible_client(coach)
    services.handover_reserve(client=client, device=device, actor=coach)
    other = make_ready_device(batch, technician)
    with pytest.raises(services.HandoverError, match=device.inventory_code):
        services.handover_reserve(client=client, device=other, actor=coach)


def test_a_device_that_is_not_ready_is_refused(coach, batch, technician):
    client = make_eligible_client(coach)
    received = make_device(batch, technician)
    with pytest.raises(services.HandoverError, match="ei ole valmis luovutettavaksi"):
        services.handover_reserve(client=client, device=received, actor=coach)


def test_cancelling_a_reservation_frees_the_device(coach, device):
    client = make_eligible_client(coach)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    services.handover_cancel(handover=handover, actor=coach)
    device.refresh_from_db()
    handover.refresh_from_db()
    assert device.status == Device.Status.READY
    assert handover.status == Handover.Status.CANCELLED
    assert handover.cancelled_at is not None
    # The device can be reserved again, for someone else too.
    other = make_eligible_client(coach, name="Maija Meikäläinen")
    services.handover_reserve(client=other, device=device, actor=coach)


def test_gift_and_loan_handovers_get_gap_free_receipt_numbers(coach, batch, technician):
    year = timezone.localdate().year
    numbers = []
    for kind, due in (
        (Handover.Kind.GIFT, None),
        (Handover.Kind.LOAN, timezone.localdate() + datetime.timedelta(days=30)),
        (Handover.Kind.GIFT, None),
    ):
        client = make_eligible_client(coach)
        device = make_ready_device(batch, technician)
        reserved = services.handover_reserve(client=client, device=device, actor=coach)
        prepare_for_handover(reserved, coach)
        done = services.handover_complete(handover=reserved, actor=coach, kind=kind, due_date=due)
        numbers.append(done.receipt_number)
    assert numbers == [f"LK-{year}-00001", f"LK-{year}-00002", f"LK-{year}-00003"]


def test_a_refused_handover_uses_no_receipt_number(coach, batch, technician):
    year = timezone.localdate().year
    client = make_eligible_client(coach)
    reserved = services.handover_reserve(
        client=client, device=make_ready_device(batch, technician), actor=coach
    )
    with pytest.raises(services.HandoverError):
        services.handover_complete(handover=reserved, actor=coach, kind=Handover.Kind.LOAN)
    prepare_for_handover(reserved, coach)
    done = services.handover_complete(handover=reserved, actor=coach, kind=Handover.Kind.GIFT)
    assert done.receipt_number == f"LK-{year}-00001"


def test_a_gift_serves_the_client_and_the_device_is_handed_over(coach, device):
    client = make_eligible_client(coach)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(reserved, coach)
    done = services.handover_complete(handover=reserved, actor=coach, kind=Handover.Kind.GIFT)
    device.refresh_from_db()
    client.refresh_from_db()
    assert device.status == Device.Status.HANDED_OVER
    assert client.status == Client.Status.SERVED
    assert done.handed_over_by == coach
    assert done.handed_over_at is not None
    assert done.due_date is None


def test_a_loan_needs_a_future_due_date(coach, device):
    client = make_eligible_client(coach)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    with pytest.raises(services.HandoverError) as refusal:
        services.handover_complete(handover=reserved, actor=coach, kind=Handover.Kind.LOAN)
    assert refusal.value.messages[0] == str(services.LOAN_NEEDS_DUE_DATE)
    with pytest.raises(services.HandoverError):
        services.handover_complete(
            handover=reserved,
            actor=coach,
            kind=Handover.Kind.LOAN,
            due_date=timezone.localdate(),
        )
    device.refresh_from_db()
    assert device.status == Device.Status.RESERVED


def test_a_loan_keeps_the_client_in_coaching_and_the_device_on_loan(coach, device):
    client = make_eligible_client(coach)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    due = timezone.localdate() + datetime.timedelta(days=14)
    prepare_for_handover(reserved, coach)
    done = services.handover_complete(
        handover=reserved, actor=coach, kind=Handover.Kind.LOAN, due_date=due
    )
    device.refresh_from_db()
    client.refresh_from_db()
    assert device.status == Device.Status.ON_LOAN
    assert client.status == Client.Status.COACHING
    assert done.due_date == due


def _on_loan(coach, device, *, due_in_days=14):
    client = make_eligible_client(coach)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(reserved, coach)
    return services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=due_in_days),
    )


def test_a_returned_loan_goes_back_to_received_and_needs_a_new_erasure(coach, technician, device):
    loan = _on_loan(coach, device)
    returned = services.handover_return(
        handover=loan,
        actor=coach,
        returned_on=timezone.localdate(),
        condition=Device.Grade.C,
        note="Näytössä naarmu.",
    )
    device.refresh_from_db()
    assert returned.status == Handover.Status.RETURNED
    assert returned.return_condition == Device.Grade.C
    assert device.status == Device.Status.RECEIVED
    # The old erasure no longer counts: the device cannot be reserved ...
    client = make_eligible_client(coach, name="Maija Meikäläinen")
    with pytest.raises(services.HandoverError):
        services.handover_reserve(client=client, device=device, actor=coach)
    # ... until it has been erased and refurbished again.
    erase(device, technician)
    refurbish(device, technician)
    device.refresh_from_db()
    assert device.status == Device.Status.READY
    services.handover_reserve(client=client, device=device, actor=coach)


def test_a_gift_cannot_be_returned(coach, device):
    client = make_eligible_client(coach)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(reserved, coach)
    gift = services.handover_complete(handover=reserved, actor=coach, kind=Handover.Kind.GIFT)
    with pytest.raises(services.HandoverError, match="Vain lainassa"):
        services.handover_return(
            handover=gift, actor=coach, returned_on=timezone.localdate(), condition="B"
        )


def test_a_return_date_in_the_future_is_refused(coach, device):
    loan = _on_loan(coach, device)
    with pytest.raises(services.HandoverError):
        services.handover_return(
            handover=loan,
            actor=coach,
            returned_on=timezone.localdate() + datetime.timedelta(days=1),
            condition="B",
        )


# --- views -----------------------------------------------------------------------------------


def test_coach_reserves_hands_over_and_takes_back_through_the_client_page(
    coach_client, coach, device
):
    client = make_eligible_client(coach)
    page = coach_client.get(client.get_absolute_url())
    assert page.status_code == 200
    assert device.inventory_code in page.content.decode()
    assert "Varaa" in page.content.decode()

    response = coach_client.post(
        reverse("clients:handover_reserve", kwargs={"code": client.code}),
        {"device": device.inventory_code},
    )
    assert response.status_code == 302
    handover = Handover.objects.get(client=client)
    assert handover.status == Handover.Status.RESERVED
    page = coach_client.get(client.get_absolute_url()).content.decode()
    assert "Tarkista ja vahvista" in page and "Peru varaus" in page
    assert "Tallenna valmistelu" in page

    coach_client.post(
        reverse("clients:handover_readiness", kwargs={"pk": handover.pk}),
        dict.fromkeys(HandoverReadiness.CHECK_FIELDS, "on"),
    )
    due = timezone.localdate() + datetime.timedelta(days=20)
    terms = {
        "kind": "loan",
        "due_date": due.isoformat(),
        "handed_over_on": timezone.localdate().isoformat(),
    }
    complete = reverse("clients:handover_complete", kwargs={"pk": handover.pk})
    # The first post shows what will be printed; the confirming one hands the device over.
    assert "Vahvista luovutus" in coach_client.post(complete, terms).content.decode()
    response = coach_client.post(complete, {**terms, "step": "confirm"})
    handover.refresh_from_db()
    assert handover.status == Handover.Status.HANDED_OVER
    assert handover.receipt_number in " ".join(messages_of(response))
    page = coach_client.get(client.get_absolute_url()).content.decode()
    assert reverse("clients:handover_receipt", kwargs={"pk": handover.pk}) in page
    assert "Kirjaa palautus" in page

    coach_client.post(
        reverse("clients:handover_return", kwargs={"pk": handover.pk}),
        {"returned_on": timezone.localdate().isoformat(), "condition": "B", "note": ""},
    )
    device.refresh_from_db()
    assert device.status == Device.Status.RECEIVED


def test_reserving_a_device_taken_a_moment_earlier_shows_a_clear_message(
    client, coach, other_coach, device
):
    first = make_eligible_client(coach)
    second = make_eligible_client(other_coach, name="Maija Meikäläinen")
    services.handover_reserve(client=first, device=device, actor=coach)
    client.force_login(other_coach)
    response = client.post(
        reverse("clients:handover_reserve", kwargs={"code": second.code}),
        {"device": device.inventory_code},
    )
    assert response.status_code == 302
    assert messages_of(response) == [services.DEVICE_TAKEN % {"code": device.inventory_code}]


def test_client_page_lists_the_missing_milestones_instead_of_devices(coach_client, coach, device):
    milestones = make_milestones()
    client = make_client(coach)
    complete_milestones(client, coach, milestones[:3])
    page = coach_client.get(client.get_absolute_url()).content.decode()
    assert milestones[3].name_fi in page
    assert device.inventory_code not in page


def test_a_loan_without_due_date_is_refused_in_the_view(coach_client, coach, device):
    client = make_eligible_client(coach)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    response = coach_client.post(
        reverse("clients:handover_complete", kwargs={"pk": handover.pk}),
        {"kind": "loan", "handed_over_on": timezone.localdate().isoformat(), "step": "confirm"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["due_date"] == [str(services.LOAN_NEEDS_DUE_DATE)]
    handover.refresh_from_db()
    assert handover.status == Handover.Status.RESERVED


def test_coach_of_another_client_gets_404(client, coach, other_coach, device):
    mine = make_eligible_client(coach)
    handover = services.handover_reserve(client=mine, device=device, actor=coach)
    client.force_login(other_coach)
    for name in ("handover_cancel", "handover_complete", "handover_return"):
        response = client.post(reverse(f"clients:{name}", kwargs={"pk": handover.pk}), {})
        assert response.status_code == 404, name
    response = client.post(
        reverse("clients:handover_reserve", kwargs={"code": mine.code}),
        {"device": device.inventory_code},
    )
    assert response.status_code == 404
    handover.refresh_from_db()
    assert handover.status == Handover.Status.RESERVED


def test_technicians_and_donors_cannot_reserve(client, technician, donor_user, coach, device):
    target = make_eligible_client(coach)
    url = reverse("clients:handover_reserve", kwargs={"code": target.code})
    for user in (technician, donor_user):
        client.force_login(user)
        assert client.post(url, {"device": device.inventory_code}).status_code == 403
    assert not Handover.objects.exists()
    device.refresh_from_db()
    assert device.status == Device.Status.READY


def test_transitions_are_post_only(coach_client, coach, device):
    client = make_eligible_client(coach)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    response = coach_client.get(reverse("clients:handover_cancel", kwargs={"pk": handover.pk}))
    assert response.status_code == 405
