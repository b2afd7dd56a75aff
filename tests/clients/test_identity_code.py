"""A Finnish personal identity code is refused in every free-text field of the client register."""

import pytest
from django.urls import reverse

from clients.models import Client, ClientMilestone, Milestone
from clients.validators import IDENTITY_CODE_REFUSED, contains_identity_code
from tests.factories import make_client, make_milestones, milestone_form_data

MESSAGE = str(IDENTITY_CODE_REFUSED)


@pytest.mark.parametrize(
    "text",
    [
        "131052-308T",  # 1900s, classic hyphen
        "010594Y9021",  # newer 1900s separator Y
        "010594X9021",
        "010594W9021",
        "010594V9021",
        "010594U9021",
        "020502A902X",  # 2000s
        "020502B902X",
        "020502C902X",
        "020502D902X",
        "020502E902X",
        "020502F902X",
        "010150+123J",  # 1800s
        "Asiakkaan hetu 131052-308t, kysy lisää",  # inside a sentence, lower case
    ],
)
def test_identity_code_is_recognised(text):
    assert contains_identity_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "040 123 4567",
        "+358 40 123 4567",
        "AS-2026-0001",
        "Tapaaminen 13.10.2052 klo 10",
        "131052308T",  # no century sign
        "321052-308T",  # no 32nd day
        "131352-308T",  # no 13th month
        "131052-308TX",  # part of a longer token
    ],
)
def test_ordinary_text_is_accepted(text):
    assert not contains_identity_code(text)


def _client_form_data(**overrides):
    data = {
        "name": "Maija Mäkinen",
        "phone": "040 765 4321",
        "municipality": "082",  # Hattula, by its code in the classification
        "language": "fi",
        "service": Client.Service.SOCIAL,
        "device_need": "tablet",
        "accessibility_needs": "",
        "notes": "",
        "consent_date": "2026-01-15",
    }
    data.update(overrides)
    return data


# The municipality is chosen from the list (clients.Municipality), so it is not typed.
@pytest.mark.parametrize("field", ["name", "phone", "accessibility_needs", "notes"])
@pytest.mark.parametrize("code", ["131052-308T", "020502A902X", "010594Y9021"])
def test_client_create_refuses_identity_code(coach_client, field, code):
    response = coach_client.post(
        reverse("clients:client_create"), _client_form_data(**{field: f"tieto {code}"})
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Client.objects.exists()


@pytest.mark.parametrize("field", ["name", "phone", "accessibility_needs", "notes"])
def test_client_edit_refuses_identity_code(coach_client, coach, field):
    client = make_client(coach)
    data = _client_form_data(status="coaching", **{field: "131052-308T"})
    response = coach_client.post(reverse("clients:client_edit", kwargs={"code": client.code}), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    client.refresh_from_db()
    assert "131052-308T" not in (getattr(client, field) or "")
    assert not client.history.filter(**{f"{field}__contains": "131052"}).exists()


def test_milestone_note_refuses_identity_code(coach_client, coach):
    milestone = make_milestones()[0]
    client = make_client(coach)
    response = coach_client.post(
        reverse("clients:milestone_record", kwargs={"code": client.code}),
        milestone_form_data(milestone, note="hetu 131052-308T"),
    )
    assert MESSAGE in response.content.decode()
    assert not ClientMilestone.objects.exists()


def test_milestone_catalogue_description_refuses_identity_code(coordinator_client):
    response = coordinator_client.post(
        reverse("clients:milestone_create"),
        {
            "code": "testi",
            "order": 9,
            "required": "on",
            "active": "on",
            "name_fi": "Testi",
            "name_sv": "Test",
            "name_en": "Test",
            "description_fi": "Esimerkki 131052-308T",
        },
    )
    assert MESSAGE in response.content.decode()
    assert not Milestone.objects.filter(code="testi").exists()
