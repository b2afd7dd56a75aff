"""Eligibility is computed: it follows the client's milestones and the catalogue's required set."""

import pytest
from django.urls import reverse

from clients import selectors, services
from clients.models import Client, Milestone
from tests.factories import complete_milestones, make_client, make_milestones, milestone_form_data


def _eligible_codes():
    return set(selectors.eligible_clients().values_list("code", flat=True))


def _state(client):
    """Eligibility as each reader sees it: the single check, the list query, the list annotation."""
    annotated = selectors.with_progress(Client.objects.filter(pk=client.pk)).get()
    return (selectors.is_eligible(client), client.code in _eligible_codes(), annotated.eligible)


@pytest.fixture
def milestones(db):
    return make_milestones()


def test_eligible_only_after_every_required_milestone(coach, milestones):
    client = make_client(coach)
    for done in range(len(milestones)):
        assert _state(client) == (False, False, False), f"{done} of {len(milestones)} done"
        complete_milestones(client, coach, [milestones[done]])
    assert _state(client) == (True, True, True)


def test_removing_a_milestone_makes_client_ineligible_again(coach, milestones):
    client = make_client(coach)
    complete_milestones(client, coach, milestones)
    assert _state(client) == (True, True, True)
    record = client.milestones.get(milestone=milestones[1])
    services.client_milestone_remove(record=record, actor=coach)
    assert _state(client) == (False, False, False)
    assert list(selectors.missing_required_milestones(client)) == [milestones[1]]


def test_new_required_milestone_makes_eligible_client_ineligible(coach, coordinator, milestones):
    client = make_client(coach)
    complete_milestones(client, coach, milestones)
    new = services.milestone_create(
        actor=coordinator,
        code="omakanta",
        name_fi="OmaKanta",
        name_sv="MinaKanta",
        name_en="My Kanta",
        order=10,
        required=True,
    )
    assert _state(client) == (False, False, False)
    complete_milestones(client, coach, [new])
    assert _state(client) == (True, True, True)


def test_new_optional_milestone_does_not_change_eligibility(coach, coordinator, milestones):
    client = make_client(coach)
    complete_milestones(client, coach, milestones)
    services.milestone_create(
        actor=coordinator,
        code="tietoturva",
        name_fi="Tietoturvan perusteet",
        name_sv="Grunderna i informationssäkerhet",
        name_en="Information security basics",
        order=10,
        required=False,
    )
    assert _state(client) == (True, True, True)


@pytest.mark.parametrize("change", [{"active": False}, {"required": False}])
def test_milestone_no_longer_required_makes_client_eligible(coach, coordinator, milestones, change):
    client = make_client(coach)
    complete_milestones(client, coach, milestones[:-1])
    assert _state(client) == (False, False, False)
    services.milestone_update(milestone=milestones[-1], actor=coordinator, **change)
    assert _state(client) == (True, True, True)


def test_closed_client_is_not_eligible(coach, milestones):
    client = make_client(coach)
    complete_milestones(client, coach, milestones)
    services.client_update(client=client, actor=coach, status=Client.Status.CLOSED)
    client.refresh_from_db()
    assert _state(client) == (False, False, False)


def test_catalogue_change_through_the_pages_flips_eligibility(
    coordinator_client, coordinator, coach, milestones
):
    client = make_client(coach)
    complete_milestones(client, coach, milestones)
    data = {
        "code": "palvelusafari",
        "order": 7,
        "required": "on",
        "active": "on",
        "name_fi": "Palvelusafari",
        "name_sv": "Servicesafari",
        "name_en": "Service safari",
    }
    response = coordinator_client.post(reverse("clients:milestone_create"), data)
    # The coordinator is first told whom the change affects; nothing is saved yet.
    assert response.status_code == 200
    assert selectors.is_eligible(client)
    response = coordinator_client.post(reverse("clients:milestone_create"), data | {"confirm": "1"})
    assert response.status_code == 302
    assert not selectors.is_eligible(client)
    detail = coordinator_client.get(client.get_absolute_url()).content.decode()
    assert "Puuttuu vielä:" in detail and "Palvelusafari" in detail

    safari = Milestone.objects.get(code="palvelusafari")
    response = coordinator_client.post(
        reverse("clients:milestone_edit", kwargs={"pk": safari.pk}),
        {
            "code": "palvelusafari",
            "order": 7,
            "name_fi": "Palvelusafari",
            "name_sv": "Servicesafari",
            "name_en": "Service safari",
            "active": "on",
        },  # "required" left unticked
    )
    assert response.status_code == 302
    assert selectors.is_eligible(client)


def test_recording_last_milestone_tells_the_coach(coach_client, coach, milestones):
    client = make_client(coach)
    complete_milestones(client, coach, milestones[:-1])
    response = coach_client.post(
        reverse("clients:milestone_record", kwargs={"code": client.code}),
        milestone_form_data(milestones[-1], note="Tunnistautui pankkitunnuksilla"),
        follow=True,
    )
    content = response.content.decode()
    assert "asiakas voi nyt saada laitteen" in content
    assert "oikeutettu laitteeseen" in content
    # The message follows from the write, not from the page: the milestone is on record.
    assert client.milestones.filter(milestone=milestones[-1]).exists()
