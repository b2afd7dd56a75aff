"""Subject access as a readable PDF: in the client's language, what is stored, who looked,
how long it is kept; the reading is access-logged; coaches (own clients) and coordinators."""

import pytest
from django.urls import reverse

from clients import services
from clients.access_log import access_log_record
from clients.models import AccessLog, Handover
from clients.municipality_models import Municipality
from tests import factories
from tests.support import pdf_response_text, shown_date

pytestmark = pytest.mark.django_db


def municipality(name):
    """A municipality of the list (loaded by a migration), by its Finnish name."""
    return Municipality.objects.get(name_fi=name)


@pytest.fixture
def resident(coach, technician, donor):
    client = factories.make_eligible_client(
        coach,
        name="Saara Selvitys",
        phone="040 222 3333",
        municipality=municipality("Hämeenlinna"),
        accessibility_needs="iso näyttö",
        language="sv",
    )
    batch = factories.make_batch(donor, technician)
    device = factories.make_ready_device(batch, technician)
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    factories.prepare_for_handover(handover, coach)
    handover = services.handover_complete(handover=handover, actor=coach, kind=Handover.Kind.GIFT)
    access_log_record(client=client, user=coach, action=AccessLog.Action.VIEW)
    client.refresh_from_db()
    return client, handover


def pdf_url(client):
    return reverse("clients:subject_access_pdf", kwargs={"code": client.code})


def test_pdf_in_clients_language_lists_fields_log_and_retention(
    resident, coordinator_client, coordinator, settings
):
    client, handover = resident
    text = pdf_response_text(coordinator_client.get(pdf_url(client)))
    # Swedish, the client's language, plain words.
    assert "Uppgifter som sparats om dig" in text
    assert "Vad som har sparats om dig" in text
    # The stored fields with their values.
    # Swedish: the municipality by its Swedish name.
    for value in (client.code, "Saara Selvitys", "040 222 3333", "Tavastehus", "iso näyttö"):
        assert value in text
    assert handover.receipt_number in text
    # Why: consent in plain words.
    assert shown_date(client.consent_date) in text
    # Who looked: the coach's view and this very reading.
    assert "Vem som har tittat på dina uppgifter" in text
    assert coach_name(client) in text
    assert coordinator.get_username() in text or coordinator.get_full_name() in text
    # How long it is kept: the configured months.
    assert f"{settings.CLIENT_RETENTION_MONTHS} månader" in text
    assert f"{settings.SERVED_CLIENT_CLOSE_MONTHS} månader" in text
    assert "Sinusta tallennetut tiedot" not in text


def coach_name(client):
    return client.coach.get_full_name() or client.coach.get_username()


def test_finnish_client_gets_finnish(coach, coach_client):
    client = factories.make_client(coach, language="fi", municipality=municipality("Tampere"))
    text = pdf_response_text(coach_client.get(pdf_url(client)))
    assert "Sinusta tallennetut tiedot" in text
    assert "Kuinka kauan tietoja säilytetään" in text
    assert "Et ole vielä saanut laitetta." in text


def test_reading_is_logged(resident, coach_client, coach):
    client, _handover = resident
    before = AccessLog.objects.filter(client=client, action=AccessLog.Action.EXPORT).count()
    text = pdf_response_text(coach_client.get(pdf_url(client)))
    exports = AccessLog.objects.filter(client=client, action=AccessLog.Action.EXPORT)
    assert exports.count() == before + 1
    assert exports.latest("at").user == coach
    # The document lists its own reading, in Swedish ("tietojen vienti").
    assert "Export av uppgifter" in text


@pytest.mark.parametrize(
    ("user", "status"),
    [("technician", 403), ("donor_user", 403), ("other_coach", 404)],
)
def test_others_may_not_read(resident, client, request, user, status):
    resident_client = resident[0]
    client.force_login(request.getfixturevalue(user))
    assert client.get(pdf_url(resident_client)).status_code == status
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_client_page_links_the_pdf_for_the_coach(resident, coach_client):
    client = resident[0]
    page = coach_client.get(client.get_absolute_url()).content.decode()
    assert pdf_url(client) in page
