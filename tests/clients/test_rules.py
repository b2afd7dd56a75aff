"""The identity-code refusal is the model's rule: the services, the forms and the admin all meet it.

Each case calls the service directly, as an import, a command or a future view would,
and checks that the refusal carries the validator's message on the field and that
nothing was saved (no row, no history row). The same text without the code is saved.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients import retention, services
from clients.forms import ClientForm
from clients.models import Client, ClientMilestone, Handover, Milestone, SupportPoint
from clients.validators import IDENTITY_CODE_REFUSED
from devices.models import Device
from tests import factories
from tests.support import messages_of

pytestmark = pytest.mark.django_db

MESSAGE = str(IDENTITY_CODE_REFUSED)

IDENTITY_CODES = [
    "131052-308T",  # 1900s, hyphen
    "010101A123N",  # 2000s, A
    "010594Y9021",  # 1900s, one of the century signs of 2023 (Y X W V U)
    "020502E902X",  # 2000s, one of the signs of 2023 (B C D E F)
    "010150+123J",  # 1800s
]

# field: an ordinary value; the refused value is the same text with an identity code in it.
CLIENT_TEXT = {
    "name": "Maija Mäkinen",
    "phone": "040 765 4321",
    "accessibility_needs": "Iso näyttö ja suurennettu teksti",
    "notes": "Soita aamupäivällä",
}

CLIENT_FIELDS = {
    "name": "Matti Meikäläinen",
    "phone": "040 123 4567",
    "municipality_id": "109",  # Hämeenlinna, by its code in the classification
    "service": Client.Service.EMPLOYMENT,
    "device_need": Device.Category.LAPTOP,
}


def with_code(text, code):
    return f"{text}, hetu {code}"


def assert_refused(refusal, field):
    assert MESSAGE in refusal.value.message_dict[field]


@pytest.fixture
def client_record(coach):
    return factories.make_client(coach)


@pytest.mark.parametrize("code", IDENTITY_CODES)
@pytest.mark.parametrize("field", CLIENT_TEXT)
def test_client_create_refuses_identity_code(coach, field, code):
    values = {**CLIENT_FIELDS, field: with_code(CLIENT_TEXT[field], code)}
    with pytest.raises(ValidationError) as refusal:
        services.client_create(
            actor=coach, coach=coach, consent_date=timezone.localdate(), **values
        )
    assert_refused(refusal, field)
    assert not Client.objects.exists()
    assert not Client.history.exists()


@pytest.mark.parametrize("field", CLIENT_TEXT)
def test_client_create_saves_the_text_without_a_code(coach, field):
    values = {**CLIENT_FIELDS, field: CLIENT_TEXT[field]}
    client = services.client_create(
        actor=coach, coach=coach, consent_date=timezone.localdate(), **values
    )
    client.refresh_from_db()
    assert getattr(client, field) == CLIENT_TEXT[field]


@pytest.mark.parametrize("code", IDENTITY_CODES)
@pytest.mark.parametrize("field", CLIENT_TEXT)
def test_client_update_refuses_identity_code(coach, client_record, field, code):
    before = getattr(client_record, field)
    with pytest.raises(ValidationError) as refusal:
        services.client_update(
            client=client_record, actor=coach, **{field: with_code(CLIENT_TEXT[field], code)}
        )
    assert_refused(refusal, field)
    client_record.refresh_from_db()
    assert getattr(client_record, field) == before
    assert client_record.history.count() == 1
    assert not Client.history.filter(**{f"{field}__contains": code}).exists()


@pytest.mark.parametrize("field", CLIENT_TEXT)
def test_client_update_saves_the_text_without_a_code(coach, client_record, field):
    services.client_update(client=client_record, actor=coach, **{field: CLIENT_TEXT[field]})
    client_record.refresh_from_db()
    assert getattr(client_record, field) == CLIENT_TEXT[field]


@pytest.mark.parametrize("code", IDENTITY_CODES)
def test_milestone_note_refuses_identity_code(coach, client_record, code):
    milestone = factories.make_milestones()[0]
    with pytest.raises(ValidationError) as refusal:
        services.client_milestone_record(
            client=client_record,
            milestone=milestone,
            actor=coach,
            completed_on=timezone.localdate(),
            note=with_code("Harjoiteltiin kahdesti", code),
        )
    assert_refused(refusal, "note")
    assert not ClientMilestone.objects.exists()
    assert not ClientMilestone.history.exists()


def test_milestone_note_without_a_code_is_saved(coach, client_record):
    milestone = factories.make_milestones()[0]
    record = services.client_milestone_record(
        client=client_record,
        milestone=milestone,
        actor=coach,
        completed_on=timezone.localdate(),
        note="Harjoiteltiin kahdesti",
    )
    record.refresh_from_db()
    assert record.note == "Harjoiteltiin kahdesti"


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


def _return(loan, coach, note):
    return services.handover_return(
        handover=loan,
        actor=coach,
        returned_on=timezone.localdate(),
        condition=Device.Grade.B,
        note=note,
    )


@pytest.mark.parametrize("code", IDENTITY_CODES)
def test_return_note_refuses_identity_code(coach, loan, code):
    history_rows = loan.history.count()
    with pytest.raises(ValidationError) as refusal:
        _return(loan, coach, with_code("Laturi puuttui", code))
    assert_refused(refusal, "return_note")
    loan.refresh_from_db()
    assert (loan.status, loan.return_note, loan.returned_on) == (
        Handover.Status.HANDED_OVER,
        "",
        None,
    )
    assert loan.history.count() == history_rows
    loan.device.refresh_from_db()
    assert loan.device.status == Device.Status.ON_LOAN


def test_return_page_shows_the_refusal(coach_client, loan):
    response = coach_client.post(
        reverse("clients:handover_return", kwargs={"pk": loan.pk}),
        {
            "returned_on": timezone.localdate().isoformat(),
            "condition": Device.Grade.B,
            "note": with_code("Laturi puuttui", "131052-308T"),
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == [MESSAGE]
    loan.refresh_from_db()
    assert loan.status == Handover.Status.HANDED_OVER


def test_return_note_without_a_code_is_saved(coach, loan):
    _return(loan, coach, "Laturi puuttui")
    loan.refresh_from_db()
    assert (loan.status, loan.return_note) == (Handover.Status.RETURNED, "Laturi puuttui")


MILESTONE_FIELDS = {
    "code": "testi",
    "name_fi": "Testi",
    "name_sv": "Test",
    "name_en": "Test",
    "description_fi": "Kuvaus",
    "description_sv": "Beskrivning",
    "description_en": "Description",
}


def _milestone_value(field, code):
    if field == "code":
        # A slug such as testi-131052-308t passes the slug validator.
        return f"testi-{code.lower()}"
    return with_code(MILESTONE_FIELDS[field], code)


@pytest.mark.parametrize("code", ["131052-308T", "010594Y9021"])
@pytest.mark.parametrize("field", MILESTONE_FIELDS)
def test_milestone_catalogue_refuses_identity_code(coordinator, field, code):
    values = {**MILESTONE_FIELDS, field: _milestone_value(field, code)}
    with pytest.raises(ValidationError) as refusal:
        services.milestone_create(actor=coordinator, **values)
    assert_refused(refusal, field)
    assert not Milestone.objects.exists()

    milestone = services.milestone_create(actor=coordinator, **MILESTONE_FIELDS)
    with pytest.raises(ValidationError) as refusal:
        services.milestone_update(
            milestone=milestone, actor=coordinator, **{field: _milestone_value(field, code)}
        )
    assert_refused(refusal, field)
    milestone.refresh_from_db()
    assert getattr(milestone, field) == MILESTONE_FIELDS[field]


# The typed fields (the municipality is chosen from the list).
SUPPORT_POINT = {
    "name": "Kirjaston digitori",
    "address": "Lukiokatu 2",
    "opening_hours": "ti 10–14",
    "contact": "Outi Ohjaaja, 03 621 2000",
}


@pytest.mark.parametrize("code", ["131052-308T", "020502E902X"])
@pytest.mark.parametrize("field", SUPPORT_POINT)
def test_support_point_refuses_identity_code(coordinator_client, field, code):
    # Support points have no service: the coordinator's form (and the admin's) saves them
    # after the model's full_clean(), so the model's validators are what refuses.
    point = SupportPoint(**{**SUPPORT_POINT, field: with_code(SUPPORT_POINT[field], code)})
    with pytest.raises(ValidationError) as refusal:
        point.full_clean()
    assert_refused(refusal, field)

    data = {**SUPPORT_POINT, field: with_code(SUPPORT_POINT[field], code), "active": "on"}
    response = coordinator_client.post(reverse("clients:supportpoint_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [MESSAGE]
    assert not SupportPoint.objects.exists()


def test_support_point_without_a_code_is_saved(coordinator_client):
    response = coordinator_client.post(
        reverse("clients:supportpoint_create"),
        {**SUPPORT_POINT, "municipality": "109", "active": "on"},  # 109 Hämeenlinna
    )
    assert response.status_code == 302
    assert SupportPoint.objects.get().contact == SUPPORT_POINT["contact"]


def test_the_admin_meets_the_rule_too(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:clients_milestone_add"),
        {**MILESTONE_FIELDS, "order": 1, "required": "on", "active": "on"}
        | {"description_fi": with_code("Kuvaus", "131052-308T")},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Milestone.objects.exists()


def test_the_form_shows_the_model_message_on_the_field(coach):
    form = ClientForm(
        data={
            **CLIENT_FIELDS,
            "municipality": "109",
            "language": "fi",
            "notes": with_code("Soita", "131052-308T"),
            "consent_date": timezone.localdate().isoformat(),
        },
        user=coach,
    )
    assert not form.is_valid()
    assert form.errors["notes"] == [MESSAGE]


def test_an_anonymised_record_still_passes_its_validators(coach, coordinator, client_record):
    client = services.client_update(
        client=client_record, actor=coach, notes="Soita aamulla", status=Client.Status.CLOSED
    )
    retention.client_anonymise(client=client, actor=coordinator)
    client.refresh_from_db()
    assert client.name == retention.ANONYMISED_NAME
    client.full_clean()
