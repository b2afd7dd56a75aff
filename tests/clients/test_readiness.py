"""The readiness checklist of a reserved device (clients.readiness) and its rule on handover."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients import readiness, services
from clients.documents import handover_receipt_pdf
from clients.models import Handover, HandoverReadiness
from clients.validators import IDENTITY_CODE_REFUSED
from devices.models import Device
from tests.factories import (
    make_batch,
    make_eligible_client,
    make_ready_device,
    prepare_for_handover,
)
from tests.support import messages_of, one_line, pdf_text, shown_date

pytestmark = pytest.mark.django_db

LABELS = {
    name: str(HandoverReadiness._meta.get_field(name).verbose_name)
    for name in HandoverReadiness.CHECK_FIELDS
}


@pytest.fixture
def reserved(coach, technician, donor):
    device = make_ready_device(make_batch(donor, technician), technician, has_charger=True)
    client = make_eligible_client(coach)
    return services.handover_reserve(client=client, device=device, actor=coach)


def _gift(handover, actor):
    return services.handover_complete(handover=handover, actor=actor, kind=Handover.Kind.GIFT)


def test_a_handover_without_a_checklist_is_refused_naming_every_item(reserved, coach):
    with pytest.raises(services.HandoverError) as refusal:
        _gift(reserved, coach)
    message = refusal.value.messages[0]
    assert message.startswith("Laite ei ole valmis luovutettavaksi: puuttuu ")
    for label in LABELS.values():
        assert label in message
    reserved.refresh_from_db()
    reserved.device.refresh_from_db()
    assert reserved.status == Handover.Status.RESERVED
    assert reserved.receipt_number is None
    assert reserved.device.status == Device.Status.RESERVED


@pytest.mark.parametrize("left_out", HandoverReadiness.CHECK_FIELDS)
def test_the_refusal_names_exactly_the_missing_item(reserved, coach, left_out):
    prepare_for_handover(reserved, coach, **{left_out: False})
    with pytest.raises(services.HandoverError) as refusal:
        _gift(reserved, coach)
    expected = readiness.READINESS_INCOMPLETE % {"missing": LABELS[left_out]}
    assert refusal.value.messages == [expected]


def test_a_complete_checklist_allows_the_handover(reserved, coach):
    prepare_for_handover(reserved, coach)
    done = _gift(reserved, coach)
    assert done.status == Handover.Status.HANDED_OVER
    assert done.receipt_number


def test_the_charger_is_not_needed_when_the_device_has_none(coach, technician, donor):
    device = make_ready_device(make_batch(donor, technician), technician, has_charger=False)
    client = make_eligible_client(coach)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(handover, coach, charger_included=False)
    assert _gift(handover, coach).status == Handover.Status.HANDED_OVER


def test_the_checklist_is_recorded_only_while_reserved(reserved, coach):
    prepare_for_handover(reserved, coach)
    _gift(reserved, coach)
    with pytest.raises(readiness.ReadinessError) as refusal:
        prepare_for_handover(reserved, coach)
    assert refusal.value.code == "not_reserved"


def test_a_cancelled_reservation_takes_no_checklist(reserved, coach):
    services.handover_cancel(handover=reserved, actor=coach)
    with pytest.raises(readiness.ReadinessError):
        prepare_for_handover(reserved, coach)
    assert not HandoverReadiness.objects.exists()


def test_only_the_clients_coach_or_a_coordinator_records_it(reserved, other_coach, coordinator):
    with pytest.raises(readiness.ReadinessError) as refusal:
        prepare_for_handover(reserved, other_coach)
    assert refusal.value.messages == [str(readiness.READINESS_NOT_YOUR_CLIENT)]
    recorded = prepare_for_handover(reserved, coordinator)
    assert recorded.checked_by == coordinator


def test_history_keeps_each_change_with_the_acting_user(reserved, coach, coordinator):
    first = prepare_for_handover(reserved, coach, updates_installed=False)
    prepare_for_handover(reserved, coordinator)
    rows = list(first.history.order_by("history_date"))
    assert [(row.history_type, row.history_user) for row in rows] == [
        ("+", coach),
        ("~", coordinator),
    ]
    assert [row.updates_installed for row in rows] == [False, True]
    assert rows[-1].history_change_reason == "readiness complete"
    assert HandoverReadiness.objects.get().checked_by == coordinator


def test_the_note_refuses_an_identity_code(reserved, coach):
    with pytest.raises(ValidationError) as refusal:
        prepare_for_handover(reserved, coach, note="hetu 131052-308T")
    assert str(IDENTITY_CODE_REFUSED) in refusal.value.messages
    assert not HandoverReadiness.objects.exists()


def test_the_receipt_shows_the_checklist_who_prepared_it_and_when(reserved, coach):
    prepare_for_handover(reserved, coach)
    text = one_line(pdf_text(handover_receipt_pdf(_gift(reserved, coach))))
    assert "Laite on valmisteltu sinulle" in text
    for label in LABELS.values():
        assert label[0].upper() + label[1:] in text
    assert f"Valmistellut Veera {shown_date(timezone.localdate())}." in text


# --- views -----------------------------------------------------------------------------------


def test_the_client_page_shows_what_is_missing_before_the_handover_button(coach_client, reserved):
    page = coach_client.get(reserved.client.get_absolute_url()).content.decode()
    assert "Tallenna valmistelu" in page
    assert page.index(LABELS["previous_owner_removed"]) < page.index("Tarkista ja vahvista")
    assert "Valmistelusta puuttuu" in page


def test_the_coach_records_the_checklist_and_then_hands_over(coach_client, reserved):
    url = reverse("clients:handover_readiness", kwargs={"pk": reserved.pk})
    partial = dict.fromkeys(HandoverReadiness.CHECK_FIELDS, "on")
    del partial["accounts_prepared"]
    response = coach_client.post(url, partial)
    assert response.status_code == 302
    assert LABELS["accounts_prepared"] in " ".join(messages_of(response))

    complete = reverse("clients:handover_complete", kwargs={"pk": reserved.pk})
    terms = {"kind": "gift", "handed_over_on": timezone.localdate().isoformat()}
    response = coach_client.post(complete, terms)
    # Refused already at the confirmation step, on the handover form shown again.
    expected = readiness.READINESS_INCOMPLETE % {"missing": LABELS["accounts_prepared"]}
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [str(expected)]

    coach_client.post(url, dict.fromkeys(HandoverReadiness.CHECK_FIELDS, "on"))
    coach_client.post(complete, {**terms, "step": "confirm"})
    reserved.refresh_from_db()
    assert reserved.status == Handover.Status.HANDED_OVER
    assert reserved.readiness.checked_by.username == "valmentaja"


def test_another_coach_gets_404_and_changes_nothing(client, other_coach, reserved):
    client.force_login(other_coach)
    url = reverse("clients:handover_readiness", kwargs={"pk": reserved.pk})
    assert client.post(url, {"language_set": "on"}).status_code == 404
    assert client.get(url).status_code in (404, 405)
    assert not HandoverReadiness.objects.exists()


def test_a_technician_is_refused(technician_client, reserved):
    url = reverse("clients:handover_readiness", kwargs={"pk": reserved.pk})
    assert technician_client.post(url, {"language_set": "on"}).status_code == 403
    assert not HandoverReadiness.objects.exists()


def test_a_swedish_receipt_shows_the_checklist_in_swedish(coach, technician, donor):
    device = make_ready_device(make_batch(donor, technician), technician, has_charger=False)
    client = make_eligible_client(coach, language="sv")
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(handover, coach, charger_included=False)
    text = one_line(pdf_text(handover_receipt_pdf(_gift(handover, coach))))
    assert "Enheten har förberetts för dig" in text
    assert "Tidigare ägarens konton, aktiveringslås och Hitta min enhet borttagna" in text
    assert "enheten har ingen laddare" in text
