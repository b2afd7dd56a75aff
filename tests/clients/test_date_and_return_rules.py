"""Rules a form used to hold now live in the models and services, so every path meets them.

A milestone date and a consent date may not be in the future (the models' clean(), run
by the services' full_clean()); a returned loan needs its condition (handover_return).
Each rule is checked by calling the service directly, as an import or a command would;
the forms only show the same message, and the views show a service's refusal on the form.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.forms import ClientForm, HandoverReturnForm
from clients.milestone_records import MilestoneRefused, client_milestones_record
from clients.models import (
    CONSENT_DATE_IN_FUTURE,
    MILESTONE_DATE_IN_FUTURE,
    Client,
    ClientMilestone,
    Handover,
)
from devices.models import Device
from tests import factories

pytestmark = pytest.mark.django_db


def _tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


CLIENT_FIELDS = {
    "name": "Matti Meikäläinen",
    "phone": "040 123 4567",
    "municipality_id": "109",  # Hämeenlinna, by its code in the classification
    "service": Client.Service.EMPLOYMENT,
    "device_need": Device.Category.LAPTOP,
}


# --- milestone date ---------------------------------------------------------------------


def test_client_milestone_record_refuses_a_future_date(coach):
    client = factories.make_client(coach)
    milestone = factories.make_milestones()[0]
    with pytest.raises(ValidationError) as refusal:
        services.client_milestone_record(
            client=client, milestone=milestone, actor=coach, completed_on=_tomorrow()
        )
    assert refusal.value.message_dict["completed_on"] == [str(MILESTONE_DATE_IN_FUTURE)]
    assert not ClientMilestone.objects.exists()
    assert not ClientMilestone.history.exists()


def test_client_milestone_record_accepts_today(coach):
    client = factories.make_client(coach)
    milestone = factories.make_milestones()[0]
    record = services.client_milestone_record(
        client=client, milestone=milestone, actor=coach, completed_on=timezone.localdate()
    )
    assert record.completed_on == timezone.localdate()


def test_several_milestones_refuse_a_future_date_naming_the_milestone(coach):
    client = factories.make_client(coach)
    first, second = factories.make_milestones()[:2]
    with pytest.raises(MilestoneRefused) as refusal:
        client_milestones_record(
            client=client,
            records=[(first, timezone.localdate(), ""), (second, _tomorrow(), "")],
            actor=coach,
        )
    assert (refusal.value.milestone, refusal.value.field) == (second, "completed_on")
    assert refusal.value.messages == [f"Välitavoite ”{second.name}”: {MILESTONE_DATE_IN_FUTURE}"]
    assert not ClientMilestone.objects.exists()


# --- consent date -----------------------------------------------------------------------


def test_client_create_refuses_a_future_consent_date(coach):
    with pytest.raises(ValidationError) as refusal:
        services.client_create(actor=coach, coach=coach, consent_date=_tomorrow(), **CLIENT_FIELDS)
    assert refusal.value.message_dict["consent_date"] == [str(CONSENT_DATE_IN_FUTURE)]
    assert not Client.objects.exists()
    assert not Client.history.exists()


def test_client_create_accepts_consent_given_today(coach):
    client = services.client_create(
        actor=coach, coach=coach, consent_date=timezone.localdate(), **CLIENT_FIELDS
    )
    assert client.consent_date == timezone.localdate()


def test_client_update_refuses_a_future_consent_date(coach):
    client = factories.make_client(coach)
    with pytest.raises(ValidationError) as refusal:
        services.client_update(client=client, actor=coach, consent_date=_tomorrow())
    assert refusal.value.message_dict["consent_date"] == [str(CONSENT_DATE_IN_FUTURE)]
    client.refresh_from_db()
    assert client.consent_date == timezone.localdate()
    assert client.history.count() == 1


def test_the_client_form_shows_the_models_message(coach):
    form = ClientForm(
        data={
            **CLIENT_FIELDS,
            "municipality": "109",
            "language": "fi",
            "consent_date": _tomorrow().isoformat(),
        },
        user=coach,
    )
    assert not form.is_valid()
    assert form.errors["consent_date"] == [str(CONSENT_DATE_IN_FUTURE)]


# --- return condition -------------------------------------------------------------------


@pytest.fixture
def loan(coach, donor, technician):
    client = factories.make_eligible_client(coach)
    device = factories.make_ready_device(factories.make_batch(donor, technician), technician)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    factories.prepare_for_handover(handover, coach)
    return services.handover_complete(
        handover=handover,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=14),
    )


def test_handover_return_refuses_an_empty_condition(coach, loan):
    history_rows = loan.history.count()
    with pytest.raises(services.HandoverError) as refusal:
        services.handover_return(
            handover=loan, actor=coach, returned_on=timezone.localdate(), condition=""
        )
    assert refusal.value.messages == [str(services.RETURN_CONDITION_MISSING)]
    loan.refresh_from_db()
    assert (loan.status, loan.returned_on, loan.return_condition) == (
        Handover.Status.HANDED_OVER,
        None,
        "",
    )
    assert loan.history.count() == history_rows
    loan.device.refresh_from_db()
    assert loan.device.status == Device.Status.ON_LOAN


def test_the_return_form_shows_the_services_message():
    form = HandoverReturnForm(data={"returned_on": timezone.localdate().isoformat()})
    assert not form.is_valid()
    assert form.errors["condition"] == [str(services.RETURN_CONDITION_MISSING)]


# --- views show a service's refusal on the form -----------------------------------------

# A refusal the form did not foresee (a rule only the service knows, a race): a plain
# ValidationError, not a ClientError, which the views used to let through as a 500.
SERVICE_REFUSAL = "Palvelu kieltäytyi."


def _refuse(field):
    def service(**kwargs):
        raise ValidationError({field: [SERVICE_REFUSAL]})

    return service


def test_client_create_page_shows_a_service_refusal(coach_client, monkeypatch):
    monkeypatch.setattr(services, "client_create", _refuse("notes"))
    response = coach_client.post(
        reverse("clients:client_create"),
        {
            **CLIENT_FIELDS,
            "municipality": "109",
            "language": "fi",
            "consent_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["notes"] == [SERVICE_REFUSAL]
    assert not Client.objects.exists()


def test_client_edit_page_shows_a_service_refusal(coach_client, coach, monkeypatch):
    client = factories.make_client(coach)
    monkeypatch.setattr(services, "client_update", _refuse("consent_date"))
    response = coach_client.post(
        reverse("clients:client_edit", kwargs={"code": client.code}),
        {
            **CLIENT_FIELDS,
            "municipality": "109",
            "language": "fi",
            "consent_date": timezone.localdate().isoformat(),
            "status": Client.Status.COACHING,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["consent_date"] == [SERVICE_REFUSAL]


def test_milestone_record_page_shows_a_service_refusal_on_its_field(coach_client, coach):
    client = factories.make_client(coach)
    milestone = factories.make_milestones()[0]
    response = coach_client.post(
        reverse("clients:milestone_record", kwargs={"code": client.code}),
        factories.milestone_form_data(milestone, on=_tomorrow()),
    )
    assert response.status_code == 400
    expected = f"Välitavoite ”{milestone.name}”: {MILESTONE_DATE_IN_FUTURE}"
    assert response.context["record_form"].errors[f"completed_on_{milestone.pk}"] == [expected]
    assert expected in response.content.decode()
    assert not ClientMilestone.objects.exists()
