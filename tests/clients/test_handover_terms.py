"""The terms of a handover, checked in the service (clients.handover_rules): gift or loan
has no default, a gift has no due date, and a handover may be recorded up to 30 days
afterwards with a reason, never ahead. A refused handover never uses a receipt number."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients import handover_rules, services
from clients.forms import HandoverCompleteForm
from clients.models import Client, Handover
from clients.retention import client_anonymise
from clients.validators import IDENTITY_CODE_REFUSED
from devices.models import Device
from kierratys.models import YearlySequence
from tests.factories import (
    make_batch,
    make_eligible_client,
    make_ready_device,
    prepare_for_handover,
)
from tests.support import shown_date

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _receipt_numbers_used():
    sequence = YearlySequence.objects.filter(name=services.RECEIPT_SEQUENCE).first()
    return sequence.last_number if sequence else 0


@pytest.fixture
def reserved(coach, donor, technician):
    """A prepared reservation made 40 days ago, so that every back-dating rule can be reached."""
    device = make_ready_device(make_batch(donor, technician), technician)
    client = make_eligible_client(coach)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(handover, coach)
    handover.reserved_at = timezone.now() - datetime.timedelta(days=40)
    handover.save(update_fields=["reserved_at"])
    return handover


def _refusal(reserved, coach, **terms):
    with pytest.raises(services.HandoverError) as refusal:
        services.handover_complete(handover=reserved, actor=coach, **terms)
    return refusal.value


def _unchanged(reserved):
    reserved.refresh_from_db()
    assert reserved.status == Handover.Status.RESERVED
    assert reserved.receipt_number is None
    assert reserved.device.status == Device.Status.RESERVED
    assert _receipt_numbers_used() == 0


# --- gift or loan -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["", None, "lahja"])
def test_no_kind_is_refused_rather_than_taken_for_a_gift(reserved, coach, kind):
    refusal = _refusal(reserved, coach, kind=kind)
    assert refusal.message_dict == {"kind": [str(handover_rules.KIND_MISSING)]}
    _unchanged(reserved)
    assert reserved.client.status == Client.Status.COACHING


def test_the_form_offers_no_default_kind():
    form = HandoverCompleteForm()
    assert form.fields["kind"].initial is None
    assert "checked" not in str(form["kind"])
    posted = HandoverCompleteForm({"handed_over_on": timezone.localdate().isoformat()})
    assert posted.errors["kind"] == [str(handover_rules.KIND_MISSING)]


def test_a_due_date_with_a_gift_is_refused(reserved, coach):
    due = timezone.localdate() + datetime.timedelta(days=14)
    refusal = _refusal(reserved, coach, kind=Handover.Kind.GIFT, due_date=due)
    assert refusal.message_dict == {"due_date": [str(handover_rules.GIFT_HAS_NO_DUE_DATE)]}
    _unchanged(reserved)
    assert reserved.client.status == Client.Status.COACHING


def test_the_check_of_the_confirmation_step_uses_no_receipt_number(reserved, coach):
    services.handover_complete_check(handover=reserved, kind=Handover.Kind.GIFT)
    _unchanged(reserved)
    year = timezone.localdate().year
    done = services.handover_complete(handover=reserved, actor=coach, kind=Handover.Kind.GIFT)
    assert done.receipt_number == f"LK-{year}-00001"


def test_the_check_refuses_what_the_service_refuses(reserved):
    due = timezone.localdate() + datetime.timedelta(days=14)
    with pytest.raises(services.HandoverError) as refusal:
        services.handover_complete_check(handover=reserved, kind=Handover.Kind.GIFT, due_date=due)
    assert refusal.value.message_dict == {"due_date": [str(handover_rules.GIFT_HAS_NO_DUE_DATE)]}


# --- the day of the handover ------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_ago", "reason", "refused_field", "message"),
    [
        (0, "", None, None),
        (1, "Luovutettiin kylätalolla", None, None),
        (30, "Luovutettiin kylätalolla", None, None),
        (31, "Luovutettiin kylätalolla", "handed_over_on", handover_rules.HANDOVER_DATE_TOO_EARLY),
        (-1, "", "handed_over_on", handover_rules.HANDOVER_DATE_IN_FUTURE),
        (1, "", "backdating_reason", handover_rules.BACKDATING_REASON_MISSING),
        (1, "   ", "backdating_reason", handover_rules.BACKDATING_REASON_MISSING),
    ],
)
def test_back_dating_rules(reserved, coach, days_ago, reason, refused_field, message):
    terms = {
        "kind": Handover.Kind.GIFT,
        "handed_over_on": _days_ago(days_ago),
        "backdating_reason": reason,
    }
    if refused_field is None:
        done = services.handover_complete(handover=reserved, actor=coach, **terms)
        assert timezone.localdate(done.handed_over_at) == _days_ago(days_ago)
        assert timezone.localdate(done.recorded_at) == timezone.localdate()
        assert done.backdating_reason == reason
        assert done.backdated is (days_ago != 0)
        return
    refusal = _refusal(reserved, coach, **terms)
    assert list(refusal.message_dict) == [refused_field]
    [shown] = refusal.message_dict[refused_field]
    assert shown.startswith(str(message).split("%")[0])
    _unchanged(reserved)


def test_too_early_names_the_earliest_day(reserved, coach):
    refusal = _refusal(
        reserved,
        coach,
        kind=Handover.Kind.GIFT,
        handed_over_on=_days_ago(31),
        backdating_reason="x",
    )
    earliest = shown_date(_days_ago(handover_rules.BACKDATING_MAX_DAYS))
    assert earliest in refusal.message_dict["handed_over_on"][0]


def test_a_handover_is_not_dated_before_its_reservation(coach, donor, technician):
    device = make_ready_device(make_batch(donor, technician), technician)
    reserved = services.handover_reserve(
        client=make_eligible_client(coach), device=device, actor=coach
    )
    prepare_for_handover(reserved, coach)
    refusal = _refusal(
        reserved,
        coach,
        kind=Handover.Kind.GIFT,
        handed_over_on=_days_ago(2),
        backdating_reason="Luovutettiin kylätalolla",
    )
    assert refusal.message_dict["handed_over_on"] == [
        str(handover_rules.HANDOVER_DATE_BEFORE_RESERVATION)
        % {"reserved": shown_date(timezone.localdate())}
    ]
    _unchanged(reserved)


def test_a_reason_given_for_today_is_not_kept(reserved, coach):
    done = services.handover_complete(
        handover=reserved, actor=coach, kind=Handover.Kind.GIFT, backdating_reason="turha"
    )
    assert done.backdating_reason == "" and not done.backdated


def test_the_reason_refuses_an_identity_code(reserved, coach):
    with pytest.raises(ValidationError) as refusal:
        services.handover_complete(
            handover=reserved,
            actor=coach,
            kind=Handover.Kind.GIFT,
            handed_over_on=_days_ago(3),
            backdating_reason="Asiakas 131052-308T oli poissa",
        )
    assert str(IDENTITY_CODE_REFUSED) in refusal.value.message_dict["backdating_reason"][0]
    _unchanged(reserved)


def test_the_back_dated_day_and_reason_are_in_the_history(reserved, coach):
    services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        handed_over_on=_days_ago(5),
        backdating_reason="Luovutettiin kylätalolla ilman verkkoa",
    )
    latest = reserved.history.order_by("-history_date").first()
    assert latest.history_user == coach
    assert latest.backdating_reason == "Luovutettiin kylätalolla ilman verkkoa"
    assert timezone.localdate(latest.handed_over_at) == _days_ago(5)


def test_a_loan_back_dated_may_come_back_on_its_handover_day_but_not_before(reserved, coach):
    loan = services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        handed_over_on=_days_ago(5),
        backdating_reason="Luovutettiin kylätalolla ilman verkkoa",
    )
    with pytest.raises(services.HandoverError):
        services.handover_return(
            handover=loan, actor=coach, returned_on=_days_ago(6), condition="B"
        )
    returned = services.handover_return(
        handover=loan, actor=coach, returned_on=_days_ago(5), condition="B"
    )
    assert returned.status == Handover.Status.RETURNED


def test_a_back_dated_handover_is_timed_after_its_reservation():
    def at(day, hour):
        return datetime.datetime(2026, 3, day, hour, tzinfo=timezone.get_current_timezone())

    now, reserved_at = at(5, 10), at(1, 23)
    # The reservation's own day: not at 10 o'clock, before the reservation at 23.
    assert (
        handover_rules.handed_over_moment(
            now.date().replace(day=1), reserved_at=reserved_at, now=now
        )
        == reserved_at
    )
    assert handover_rules.handed_over_moment(
        now.date().replace(day=2), reserved_at=reserved_at, now=now
    ) == at(2, 10)
    assert (
        handover_rules.handed_over_moment(timezone.localdate(now), reserved_at=reserved_at, now=now)
        == now
    )


def test_anonymising_the_client_blanks_the_reason_in_the_history_too(reserved, coach):
    services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.GIFT,
        handed_over_on=_days_ago(5),
        backdating_reason="Asiakas oli sairaalassa",
    )
    client_anonymise(client=reserved.client, actor=coach)
    reserved.refresh_from_db()
    assert reserved.backdating_reason == ""
    assert not reserved.history.exclude(backdating_reason="").exists()
    # The day itself is the device trail's and stays.
    assert timezone.localdate(reserved.handed_over_at) == _days_ago(5)


def test_the_client_page_shows_the_back_dated_day_and_reason_with_its_history(
    coach_client, reserved, coach
):
    services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.GIFT,
        handed_over_on=_days_ago(5),
        backdating_reason="Luovutettiin kylätalolla",
    )
    page = coach_client.get(reserved.client.get_absolute_url()).content.decode()
    panel, history = page.split('id="client-history"')
    assert f"luovutettiin {shown_date(_days_ago(5))}" in panel
    assert (
        f"Kirjattu jälkikäteen {shown_date(timezone.localdate())}: Luovutettiin kylätalolla"
        in panel
    )
    assert "Luovutettiin kylätalolla" in history
