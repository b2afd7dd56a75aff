"""Several milestones at once (each with its day), consent never given by default."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.forms import ClientForm
from clients.milestone_records import (
    MILESTONES_NONE_CHOSEN,
    MilestoneRefused,
    client_milestones_record,
)
from clients.models import Client, ClientMilestone
from clients.services import MILESTONE_ALREADY_RECORDED, ClientError
from tests.factories import (
    complete_milestones,
    make_client,
    make_milestones,
    milestone_form_data,
    municipality,
)


@pytest.fixture
def milestones(db):
    return make_milestones()


def _record_url(client):
    return reverse("clients:milestone_record", kwargs={"code": client.code})


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_service_records_several_each_with_its_day(coach, milestones):
    client = make_client(coach)
    first, second = milestones[:2]
    records = client_milestones_record(
        client=client,
        records=[(first, _days_ago(10), "Kartoitus tehty"), (second, _days_ago(3), "")],
        actor=coach,
    )
    assert [record.milestone for record in records] == [first, second]
    saved = {r.milestone: (r.completed_on, r.note) for r in ClientMilestone.objects.all()}
    assert saved == {first: (_days_ago(10), "Kartoitus tehty"), second: (_days_ago(3), "")}
    assert all(r.history.get().history_user == coach for r in ClientMilestone.objects.all())


def test_service_saves_none_when_one_is_refused_and_names_it(coach, milestones):
    client = make_client(coach)
    first, second, third = milestones[:3]
    complete_milestones(client, coach, [third])
    with pytest.raises(MilestoneRefused) as refusal:
        client_milestones_record(
            client=client,
            records=[
                (first, _days_ago(1), ""),
                (second, _days_ago(1), ""),
                (third, _days_ago(1), ""),
            ],
            actor=coach,
        )
    assert refusal.value.milestone == third
    assert refusal.value.messages == [str(MILESTONE_ALREADY_RECORDED) % {"milestone": third.name}]
    # All or none: the first two, though fine, were not kept.
    assert list(ClientMilestone.objects.values_list("milestone", flat=True)) == [third.pk]


def test_service_refuses_an_empty_choice(coach, milestones):
    with pytest.raises(ClientError) as refusal:
        client_milestones_record(client=make_client(coach), records=[], actor=coach)
    assert refusal.value.messages == [str(MILESTONES_NONE_CHOSEN)]


def test_coach_ticks_several_and_returns_to_the_milestone_section(coach_client, coach, milestones):
    client = make_client(coach)
    first, second = milestones[:2]
    data = milestone_form_data(first, on=_days_ago(5)) | milestone_form_data(second)
    response = coach_client.post(_record_url(client), data)
    assert response.status_code == 302
    assert response.url == f"{client.get_absolute_url()}#valitavoitteet"
    saved = dict(ClientMilestone.objects.values_list("milestone", "completed_on"))
    assert saved == {first.pk: _days_ago(5), second.pk: timezone.localdate()}
    page = coach_client.get(response.url).content.decode()
    assert first.name in page and second.name in page
    assert 'id="valitavoitteet"' in page


def test_unticked_milestones_are_not_recorded(coach_client, coach, milestones):
    client = make_client(coach)
    data = milestone_form_data(*milestones[:2])
    data.pop(f"done_{milestones[1].pk}")
    coach_client.post(_record_url(client), data)
    assert list(ClientMilestone.objects.values_list("milestone", flat=True)) == [milestones[0].pk]


def test_nothing_ticked_is_refused_on_the_page(coach_client, coach, milestones):
    client = make_client(coach)
    response = coach_client.post(_record_url(client), {})
    assert response.status_code == 400
    assert str(MILESTONES_NONE_CHOSEN) in response.content.decode()
    assert not ClientMilestone.objects.exists()


def test_a_refusal_on_the_page_names_the_milestone_and_keeps_the_others(
    coach_client, coach, milestones
):
    client = make_client(coach)
    first, second = milestones[:2]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = milestone_form_data(first, note="Hyvin meni") | milestone_form_data(second, on=tomorrow)
    response = coach_client.post(_record_url(client), data)
    assert response.status_code == 400
    form = response.context["record_form"]
    (message,) = form.errors[f"completed_on_{second.pk}"]
    assert second.name in message
    assert not ClientMilestone.objects.exists()
    # What the coach typed is still there to correct.
    assert 'value="Hyvin meni"' in response.content.decode()


def test_the_form_offers_each_open_milestone_with_today_as_its_day(coach_client, coach, milestones):
    client = make_client(coach)
    complete_milestones(client, coach, milestones[:1])
    form = coach_client.get(client.get_absolute_url()).context["record_form"]
    assert form.milestones == list(milestones[1:])
    assert all(
        form[f"completed_on_{m.pk}"].initial == timezone.localdate() for m in form.milestones
    )


# --- consent --------------------------------------------------------------------------------


def test_new_client_form_has_no_consent_date(coach):
    form = ClientForm(user=coach)
    assert form["consent_date"].value() is None
    assert form.fields["consent_date"].required


def test_client_without_consent_date_is_refused(coach_client):
    data = {
        "name": "Maija Mäkinen",
        "municipality": municipality("Hattula").pk,
        "language": "fi",
        "service": Client.Service.SOCIAL,
        "device_need": "tablet",
    }
    response = coach_client.post(reverse("clients:client_create"), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["consent_date"]
    assert not Client.objects.exists()
    response = coach_client.post(
        reverse("clients:client_create"), data | {"consent_date": "2026-01-15"}
    )
    assert response.status_code == 302
    assert Client.objects.get().consent_date == datetime.date(2026, 1, 15)


def test_consent_date_has_no_default_in_the_model():
    field = Client._meta.get_field("consent_date")
    assert not field.has_default() and not field.null and not field.auto_now_add
