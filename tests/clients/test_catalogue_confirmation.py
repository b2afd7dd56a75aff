"""A catalogue change that takes eligibility away says whom it affects and waits for a yes."""

import pytest
from django.urls import reverse

from clients import selectors, services
from clients.models import Client, Milestone
from tests.factories import complete_milestones, make_client, make_milestones

NEW_STEP = {
    "code": "palvelusafari",
    "order": 9,
    "required": "on",
    "active": "on",
    "name_fi": "Palvelusafari",
    "name_sv": "Servicesafari",
    "name_en": "Service safari",
}


@pytest.fixture
def milestones(db):
    return make_milestones()


@pytest.fixture
def eligible_three(coach, other_coach, milestones):
    """Two eligible clients in coaching, one closed, one still coaching without every step."""
    eligible = [make_client(coach), make_client(other_coach)]
    for client in eligible:
        complete_milestones(client, coach, milestones)
    closed = make_client(coach)
    complete_milestones(closed, coach, milestones)
    services.client_update(client=closed, actor=coach, status=Client.Status.CLOSED)
    complete_milestones(make_client(coach), coach, milestones[:1])
    return eligible


def _edit_data(milestone, **changes):
    data = {
        "code": milestone.code,
        "order": milestone.order,
        "name_fi": milestone.name_fi,
        "name_sv": milestone.name_sv,
        "name_en": milestone.name_en,
    }
    data |= {flag: "on" for flag in ("required", "active") if getattr(milestone, flag)}
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def _optional(milestone, coordinator):
    return services.milestone_update(milestone=milestone, actor=coordinator, required=False)


# --- the selector -------------------------------------------------------------------------


def test_a_new_required_step_affects_every_eligible_client_in_coaching(eligible_three):
    affected = selectors.clients_losing_eligibility(required=True, active=True)
    assert set(affected) == set(eligible_three)


@pytest.mark.parametrize(("required", "active"), [(False, True), (True, False), (False, False)])
def test_an_optional_or_inactive_step_affects_nobody(eligible_three, required, active):
    assert not selectors.clients_losing_eligibility(required=required, active=active).exists()


def test_making_a_step_required_spares_those_who_reached_it(
    eligible_three, coach, coordinator, milestones
):
    extra = services.milestone_create(actor=coordinator, **_new_step_fields(required=False))
    complete_milestones(eligible_three[0], coach, [extra])
    affected = selectors.clients_losing_eligibility(required=True, active=True, milestone=extra)
    assert list(affected) == [eligible_three[1]]


def test_a_step_already_required_affects_nobody(eligible_three, milestones):
    affected = selectors.clients_losing_eligibility(
        required=True, active=True, milestone=milestones[0]
    )
    assert not affected.exists()


def test_the_count_reads_the_stored_step_not_the_form_values(
    eligible_three, coordinator, milestones
):
    step = _optional(milestones[-1], coordinator)
    step.required = True  # what a validated ModelForm writes on its instance
    affected = selectors.clients_losing_eligibility(required=True, active=True, milestone=step)
    # Every eligible client has reached it already (it was required then): nobody loses.
    assert not affected.exists()


def _new_step_fields(**changes):
    fields = {
        "code": "palvelusafari",
        "order": 9,
        "required": True,
        "active": True,
        "name_fi": "Palvelusafari",
        "name_sv": "Servicesafari",
        "name_en": "Service safari",
    }
    return fields | changes


# --- the pages ---------------------------------------------------------------------------


def test_adding_a_required_step_asks_first_with_the_count(coordinator_client, eligible_three):
    response = coordinator_client.post(reverse("clients:milestone_create"), NEW_STEP)
    assert response.status_code == 200
    assert response.context["affected"] == 2
    content = response.content.decode()
    assert "Muutos koskee 2 asiakasta" in content
    assert 'name="confirm" value="2"' in content
    assert not Milestone.objects.filter(code="palvelusafari").exists()
    assert len(selectors.waiting_list()) == 2


def test_confirming_saves_and_empties_the_waiting_list(coordinator_client, eligible_three):
    response = coordinator_client.post(
        reverse("clients:milestone_create"), NEW_STEP | {"confirm": "2"}
    )
    assert response.status_code == 302
    assert Milestone.objects.filter(code="palvelusafari").exists()
    assert not selectors.waiting_list()


def test_a_stale_confirmation_asks_again(coordinator_client, eligible_three, coach, milestones):
    # Confirmed for 1, but 2 would now lose eligibility: the question comes again.
    response = coordinator_client.post(
        reverse("clients:milestone_create"), NEW_STEP | {"confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["affected"] == 2
    assert not Milestone.objects.filter(code="palvelusafari").exists()


def test_making_an_optional_step_required_asks_first(
    coordinator_client, coordinator, eligible_three, milestones
):
    step = _optional(milestones[-1], coordinator)
    services.milestone_create(actor=coordinator, **_new_step_fields(required=False))
    url = reverse("clients:milestone_edit", kwargs={"pk": step.pk})
    # Everyone eligible reached this step while it was required: nobody is affected, no question.
    response = coordinator_client.post(url, _edit_data(step, required=True))
    assert response.status_code == 302
    extra = Milestone.objects.get(code="palvelusafari")
    url = reverse("clients:milestone_edit", kwargs={"pk": extra.pk})
    response = coordinator_client.post(url, _edit_data(extra, required=True))
    assert response.status_code == 200
    assert response.context["affected"] == 2
    extra.refresh_from_db()
    assert not extra.required
    assert response.context["milestone"].required is False


def test_a_change_that_affects_nobody_saves_at_once(coordinator_client, eligible_three, milestones):
    url = reverse("clients:milestone_edit", kwargs={"pk": milestones[0].pk})
    response = coordinator_client.post(url, _edit_data(milestones[0], name_fi="Kartoitus"))
    assert response.status_code == 302
    milestones[0].refresh_from_db()
    assert milestones[0].name_fi == "Kartoitus"
