"""The waiting list: eligible clients without an open handover, longest-waiting first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.models import Client
from devices.models import Device
from tests.factories import (
    complete_milestones,
    make_batch,
    make_client,
    make_milestones,
    make_ready_device,
)


def _eligible_on(coach, day, **fields):
    client = make_client(coach, **fields)
    complete_milestones(client, coach, make_milestones(), on=day)
    return client


def _codes(response):
    return [client.code for client in response.context["page"].object_list]


def test_ordered_by_the_date_the_client_became_eligible(coach_client, coach):
    today = timezone.localdate()
    late = _eligible_on(coach, today - datetime.timedelta(days=3))
    early = _eligible_on(coach, today - datetime.timedelta(days=30))
    middle = _eligible_on(coach, today - datetime.timedelta(days=10))
    make_client(coach)  # in coaching, not eligible
    response = coach_client.get(reverse("clients:waiting_list"))
    assert _codes(response) == [early.code, middle.code, late.code]


def test_eligible_since_is_the_last_required_milestone(coach_client, coach):
    today = timezone.localdate()
    milestones = make_milestones()
    client = make_client(coach)
    complete_milestones(client, coach, milestones[:-1], on=today - datetime.timedelta(days=60))
    other = _eligible_on(coach, today - datetime.timedelta(days=20))
    complete_milestones(client, coach, milestones[-1:], on=today - datetime.timedelta(days=5))
    response = coach_client.get(reverse("clients:waiting_list"))
    assert _codes(response) == [other.code, client.code]


def test_shows_device_need(coach_client, coach):
    _eligible_on(coach, timezone.localdate(), device_need="tablet", name="Taina Tabletti")
    content = coach_client.get(reverse("clients:waiting_list")).content.decode()
    assert "Taina Tabletti" in content
    assert f"<td>{Device.Category.TABLET.label}</td>" in content


def test_client_with_open_handover_leaves_the_list(coach_client, coach, technician, donor):
    client = _eligible_on(coach, timezone.localdate())
    device = make_ready_device(make_batch(donor, technician), technician)
    assert _codes(coach_client.get(reverse("clients:waiting_list"))) == [client.code]
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    assert _codes(coach_client.get(reverse("clients:waiting_list"))) == []
    services.handover_cancel(handover=handover, actor=coach)
    assert _codes(coach_client.get(reverse("clients:waiting_list"))) == [client.code]


def test_coach_sees_own_coordinator_sees_all(client, coach, other_coach, coordinator):
    day = timezone.localdate()
    mine = _eligible_on(coach, day - datetime.timedelta(days=2))
    theirs = _eligible_on(other_coach, day - datetime.timedelta(days=4))
    client.force_login(coach)
    assert _codes(client.get(reverse("clients:waiting_list"))) == [mine.code]
    client.force_login(coordinator)
    assert _codes(client.get(reverse("clients:waiting_list"))) == [theirs.code, mine.code]


@pytest.mark.parametrize("who", ["technician", "donor_user"])
def test_not_for_technicians_or_donors(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("clients:waiting_list")).status_code == 403


def test_demo_seed_fills_the_waiting_list_and_is_idempotent(db):
    from clients import demo
    from clients.models import Milestone, SupportPoint
    from clients.selectors import eligible_clients, waiting_list, with_progress
    from kierratys.demo import seed_users

    users = seed_users()
    demo.seed(users)
    counts = (Client.objects.count(), Milestone.objects.count(), SupportPoint.objects.count())
    waiting = list(waiting_list().values_list("name", flat=True))
    demo.seed(users)
    assert (Client.objects.count(), Milestone.objects.count(), SupportPoint.objects.count()) == (
        counts
    )
    assert counts == (12, 8, 4)
    complete = with_progress(Client.objects.all()).filter(done_required=7)
    assert complete.count() == 5
    # Later seed steps may hand devices to some; the rest wait, longest-waiting first.
    assert waiting and set(waiting) <= set(complete.values_list("name", flat=True))
    assert eligible_clients().count() >= len(waiting)
    assert Client.objects.filter(coach=users["valmentaja2"]).count() == 5
