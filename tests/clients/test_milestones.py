"""Recording milestones for a client and keeping the catalogue (coordinators), with history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import MILESTONE_DATE_IN_FUTURE, ClientMilestone, Milestone
from clients.services import MILESTONE_ALREADY_RECORDED, ClientError
from tests.factories import (
    complete_milestones,
    make_client,
    make_milestones,
    milestone_form_data,
)

CATALOGUE_FORM = {
    "code": "suomifi-viestit",
    "order": 5,
    "required": "on",
    "active": "on",
    "name_fi": "Suomi.fi-viestit",
    "description_fi": "Asiakas ottaa Suomi.fi-viestit käyttöön.",
    "name_sv": "Suomi.fi-meddelanden",
    "description_sv": "Kunden tar i bruk Suomi.fi-meddelanden.",
    "name_en": "Suomi.fi Messages",
    "description_en": "The client starts using Suomi.fi Messages.",
}


def _record_url(client):
    return reverse("clients:milestone_record", kwargs={"code": client.code})


def test_coach_records_milestone_with_date_and_note(coach_client, coach):
    milestone = make_milestones()[0]
    client = make_client(coach)
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = coach_client.post(
        _record_url(client), milestone_form_data(milestone, on=day, note="Hyvä alku")
    )
    assert response.status_code == 302
    assert response.url == f"{client.get_absolute_url()}#valitavoitteet"
    record = ClientMilestone.objects.get()
    assert (record.completed_on, record.note, record.recorded_by) == (day, "Hyvä alku", coach)
    assert record.history.get().history_user == coach


def test_milestone_cannot_be_recorded_twice(coach, coordinator_client):
    milestone = make_milestones()[0]
    client = make_client(coach)
    complete_milestones(client, coach, [milestone])
    response = coordinator_client.post(_record_url(client), milestone_form_data(milestone))
    # Already-recorded milestones are not offered: a forged post records nothing.
    assert response.status_code == 400
    assert ClientMilestone.objects.count() == 1


def test_service_refuses_second_record_with_message(coach):
    milestone = make_milestones()[0]
    client = make_client(coach)
    complete_milestones(client, coach, [milestone])
    with pytest.raises(ClientError) as refused:
        complete_milestones(client, coach, [milestone])
    expected = str(MILESTONE_ALREADY_RECORDED) % {"milestone": milestone.name}
    assert refused.value.messages == [expected]


def test_future_date_is_refused(coach_client, coach):
    milestone = make_milestones()[0]
    client = make_client(coach)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = coach_client.post(_record_url(client), milestone_form_data(milestone, on=tomorrow))
    assert str(MILESTONE_DATE_IN_FUTURE) in response.content.decode()
    assert not ClientMilestone.objects.exists()


def test_inactive_milestone_is_not_offered(coach_client, coach, coordinator):
    milestones = make_milestones()
    retired = milestones[-1]
    retired.active = False
    retired._history_user = coordinator
    retired.save()
    client = make_client(coach)
    form = coach_client.get(client.get_absolute_url()).context["record_form"]
    assert retired not in form.milestones
    assert milestones[0] in form.milestones


def test_remove_milestone_keeps_history_with_remover(coach_client, coach, other_coach):
    milestone = make_milestones()[0]
    client = make_client(coach)
    complete_milestones(client, coach, [milestone])
    record = client.milestones.get()
    response = coach_client.post(
        reverse("clients:milestone_remove", kwargs={"code": client.code, "pk": record.pk})
    )
    assert response.status_code == 302
    assert not client.milestones.exists()
    deleted = ClientMilestone.history.get(id=record.pk, history_type="-")
    assert deleted.history_user == coach


def test_remove_is_post_only(coach_client, coach):
    milestone = make_milestones()[0]
    client = make_client(coach)
    complete_milestones(client, coach, [milestone])
    record = client.milestones.get()
    url = reverse("clients:milestone_remove", kwargs={"code": client.code, "pk": record.pk})
    assert coach_client.get(url).status_code == 405
    assert client.milestones.exists()


def test_coordinator_adds_and_edits_catalogue_milestone(coordinator_client, coordinator):
    response = coordinator_client.post(reverse("clients:milestone_create"), CATALOGUE_FORM)
    assert response.status_code == 302
    milestone = Milestone.objects.get(code="suomifi-viestit")
    assert (milestone.name_sv, milestone.required, milestone.active) == (
        "Suomi.fi-meddelanden",
        True,
        True,
    )
    assert milestone.history.get().history_user == coordinator

    edited = dict(CATALOGUE_FORM, name_en="Suomi.fi messages", order=6)
    del edited["active"]
    response = coordinator_client.post(
        reverse("clients:milestone_edit", kwargs={"pk": milestone.pk}), edited
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.name_en, milestone.order, milestone.active) == ("Suomi.fi messages", 6, False)
    latest = milestone.history.latest()
    assert latest.history_user == coordinator and latest.active is False

    listing = coordinator_client.get(reverse("clients:milestone_list")).content.decode()
    assert "Suomi.fi-viestit" in listing and "Suomi.fi-meddelanden" in listing


def test_milestone_name_follows_language(coach_client, coach):
    make_milestones()
    client = make_client(coach)
    coach_client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    content = coach_client.get(client.get_absolute_url())
    assert "E-post" in content.content.decode()
    assert "Sähköposti" not in content.content.decode()


@pytest.mark.parametrize("name", ["milestone_list", "milestone_create"])
def test_catalogue_is_for_coordinators_only(coach_client, name):
    assert coach_client.get(reverse(f"clients:{name}")).status_code == 403


def test_catalogue_edit_is_for_coordinators_only(coach_client):
    milestone = make_milestones()[0]
    url = reverse("clients:milestone_edit", kwargs={"pk": milestone.pk})
    assert coach_client.get(url).status_code == 403
    assert coach_client.post(url, dict(CATALOGUE_FORM, code=milestone.code)).status_code == 403
    unchanged = Milestone.objects.get(pk=milestone.pk)
    assert (unchanged.name_fi, unchanged.order) == (milestone.name_fi, milestone.order)
