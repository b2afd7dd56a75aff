"""The handover in two steps on the pages: the terms, then what will be printed. Only the
confirming post takes a receipt number; a refused post shows the form again with what the
coach typed, never a redirect that would lose it (the "palautuspäivä" trap)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import handover_rules, services
from clients.models import Handover
from tests.factories import (
    make_batch,
    make_eligible_client,
    make_ready_device,
    prepare_for_handover,
)
from tests.support import messages_of, shown_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserved(coach, donor, technician):
    device = make_ready_device(make_batch(donor, technician), technician, model="ThinkPad T490")
    client = make_eligible_client(coach)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(handover, coach)
    return handover


def _url(handover):
    return reverse("clients:handover_complete", kwargs={"pk": handover.pk})


def _due():
    return timezone.localdate() + datetime.timedelta(days=21)


def _loan_terms(**extra):
    return {
        "kind": "loan",
        "due_date": _due().isoformat(),
        "handed_over_on": timezone.localdate().isoformat(),
        "coach_phone": "040 765 4321",
        **extra,
    }


def _still_reserved(handover):
    handover.refresh_from_db()
    assert handover.status == Handover.Status.RESERVED
    assert handover.receipt_number is None


def _checked_kind(html):
    return re.findall(r'<input[^>]*name="kind"[^>]*value="(\w+)"[^>]*checked', html)


def test_the_client_page_form_has_no_kind_ticked(coach_client, reserved):
    page = coach_client.get(reserved.client.get_absolute_url()).content.decode()
    assert 'name="kind"' in page
    assert _checked_kind(page) == []


def test_the_first_post_shows_what_will_be_printed_and_takes_no_number(coach_client, reserved):
    response = coach_client.post(_url(reserved), _loan_terms())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vahvista luovutus" in page and "Takaisin" in page
    assert reserved.client.code in page
    assert reserved.device.inventory_code in page and "ThinkPad T490" in page
    assert "laina" in page
    assert shown_date(_due()) in page and shown_date(timezone.localdate()) in page
    assert "040 765 4321" in page
    _still_reserved(reserved)


def test_confirming_hands_over_with_the_terms_shown(coach_client, reserved):
    response = coach_client.post(_url(reserved), _loan_terms(step="confirm"))
    assert response.status_code == 302
    reserved.refresh_from_db()
    assert reserved.status == Handover.Status.HANDED_OVER
    assert (reserved.kind, reserved.due_date) == (Handover.Kind.LOAN, _due())
    assert reserved.coach_phone == "040 765 4321"
    assert reserved.receipt_number in " ".join(messages_of(response))


def test_back_shows_the_terms_again_as_typed(coach_client, reserved):
    response = coach_client.post(_url(reserved), _loan_terms(step="back"))
    assert response.status_code == 200
    page = response.content.decode()
    assert _checked_kind(page) == ["loan"]
    assert f'value="{_due().isoformat()}"' in page
    assert "Tarkista ja vahvista" in page
    _still_reserved(reserved)


def test_a_due_date_with_a_gift_is_refused_on_the_form_keeping_the_input(coach_client, reserved):
    response = coach_client.post(_url(reserved), _loan_terms(kind="gift"))
    assert response.status_code == 400
    assert response.context["form"].errors["due_date"] == [str(handover_rules.GIFT_HAS_NO_DUE_DATE)]
    page = response.content.decode()
    assert _checked_kind(page) == ["gift"]
    assert f'value="{_due().isoformat()}"' in page
    assert "Virhe" in page.split("</title>")[0]
    _still_reserved(reserved)


def test_a_loan_without_due_date_keeps_loan_ticked(coach_client, reserved):
    response = coach_client.post(_url(reserved), _loan_terms(due_date=""))
    assert response.status_code == 400
    assert response.context["form"].errors["due_date"] == [str(handover_rules.LOAN_NEEDS_DUE_DATE)]
    assert _checked_kind(response.content.decode()) == ["loan"]
    _still_reserved(reserved)


def test_no_kind_is_asked_not_assumed(coach_client, reserved):
    terms = _loan_terms(step="confirm")
    del terms["kind"]
    response = coach_client.post(_url(reserved), terms)
    assert response.status_code == 400
    assert response.context["form"].errors["kind"] == [str(handover_rules.KIND_MISSING)]
    _still_reserved(reserved)


def test_a_day_before_the_reservation_is_refused_on_the_form(coach_client, reserved):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = coach_client.post(
        _url(reserved), _loan_terms(handed_over_on=yesterday.isoformat(), step="confirm")
    )
    assert response.status_code == 400
    # Reserved today: yesterday is before the reservation.
    assert response.context["form"].errors["handed_over_on"] == [
        str(handover_rules.HANDOVER_DATE_BEFORE_RESERVATION)
        % {"reserved": shown_date(timezone.localdate())}
    ]
    _still_reserved(reserved)


def test_the_phone_is_offered_from_the_coachs_last_receipt(
    coach_client, coach, donor, technician, reserved
):
    coach_client.post(_url(reserved), _loan_terms(step="confirm"))
    device = make_ready_device(make_batch(donor, technician), technician)
    second = services.handover_reserve(
        client=make_eligible_client(coach, name="Toinen Asiakas"), device=device, actor=coach
    )
    page = coach_client.get(second.client.get_absolute_url()).content.decode()
    assert 'value="040 765 4321"' in page


def test_a_second_confirmation_goes_back_to_the_client_page(coach_client, reserved):
    coach_client.post(_url(reserved), _loan_terms(step="confirm"))
    reserved.refresh_from_db()
    number = reserved.receipt_number
    response = coach_client.post(_url(reserved), _loan_terms(step="confirm"))
    assert response.status_code == 302
    assert response["Location"] == reserved.client.get_absolute_url()
    assert "luovutettu" in " ".join(messages_of(response))
    reserved.refresh_from_db()
    assert reserved.receipt_number == number
