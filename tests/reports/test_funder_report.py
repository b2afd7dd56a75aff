"""The funder report: the dashboard's figures, charts and impact for a period as a PDF in
Finnish, Swedish or English; coordinators only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.models import Handover
from clients.municipality_models import Municipality
from devices.models import Device
from tests import factories
from tests.support import figure_after, pdf_response_text, shown_date

pytestmark = pytest.mark.django_db

TAMPERE = "837"  # Statistics Finland's code, the report filter's value


def municipality(name):
    """A municipality of the list (loaded by a migration), by its Finnish name."""
    return Municipality.objects.get(name_fi=name)


@pytest.fixture
def programme(donor, technician, coach):
    batch = factories.make_batch(donor, technician)
    for name, category in (
        ("Hämeenlinna", Device.Category.LAPTOP),
        ("Tampere", Device.Category.LAPTOP),
        ("Tampere", Device.Category.PHONE),
    ):
        device = factories.make_ready_device(batch, technician, category=category)
        client = factories.make_eligible_client(coach, municipality=municipality(name))
        handover = services.handover_reserve(client=client, device=device, actor=coach)
        factories.prepare_for_handover(handover, coach)
        services.handover_complete(handover=handover, actor=coach, kind=Handover.Kind.GIFT)
    factories.make_ready_device(batch, technician)  # in stock, not reused


def report_url(**query):
    url = reverse("reports:funder_report")
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def this_year():
    today = timezone.localdate()
    return {"date_from": today.replace(month=1, day=1).isoformat(), "date_to": today.isoformat()}


def test_finnish_report_has_figures_impact_and_method(programme, coordinator_client, donor):
    text = pdf_response_text(coordinator_client.get(report_url(lang="fi", **this_year())))
    assert "Rahoittajaraportti" in text
    assert figure_after(text, "Luovutuksia") == 3
    assert figure_after(text, "Laitteita uudelleenkäyttöön") == 3
    assert "Sähköromua vältetty 3,8 kg" in text  # 2 x 1.83 + 0.15
    assert "Päästöjä vältetty 290,6 kg CO2e" in text  # (2 x 265.32 + 50.51) x 0.5
    assert "Restart Projectin Fixometer-menetelmä" in text
    assert "Tampere" in text and "Hämeenlinna" in text and donor.name in text
    # The dashboard's charts are drawn in the PDF too (their SVG text is extracted).
    assert "Laitteet tiloittain" in text and "Luovutukset kunnittain" in text
    today = timezone.localdate()
    assert f"1.1.{today.year}–{shown_date(today)}" in text


def test_swedish_report(programme, coordinator_client):
    text = pdf_response_text(coordinator_client.get(report_url(lang="sv")))
    assert "Rapport till finansiärer" in text
    assert "Miljöpåverkan per kommun" in text
    assert "Tammerfors" in text  # the municipality's Swedish name
    assert "Undvikna utsläpp 290,6 kg CO2e" in text
    assert "Restart Projects Fixometer-metod" in text
    assert "hela verksamhetstiden" in text
    assert "Rahoittajaraportti" not in text


def test_english_report(programme, coordinator_client):
    text = pdf_response_text(coordinator_client.get(report_url(lang="en")))
    assert "Funder report" in text
    assert "Emissions avoided 290.6 kg CO2e" in text
    assert "The Restart Project's Fixometer method" in text


def test_municipality_filter_narrows_the_figures(programme, coordinator_client):
    text = pdf_response_text(coordinator_client.get(report_url(lang="fi", municipality=TAMPERE)))
    assert figure_after(text, "Laitteita uudelleenkäyttöön") == 2
    assert "Kunta: Tampere" in text


def test_period_without_handovers(programme, coordinator_client):
    last_year = timezone.localdate().year - 1
    period = {"date_from": f"{last_year}-01-01", "date_to": f"{last_year}-12-31"}
    text = pdf_response_text(coordinator_client.get(report_url(lang="fi", **period)))
    assert figure_after(text, "Laitteita uudelleenkäyttöön") == 0
    assert shown_date(datetime.date(last_year, 12, 31)) in text


def test_unknown_language_falls_back_to_finnish(programme, coordinator_client):
    text = pdf_response_text(coordinator_client.get(report_url(lang="xx")))
    assert "Rahoittajaraportti" in text


@pytest.mark.parametrize("user", ["coach", "technician", "donor_user"])
def test_coordinators_only(programme, client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(report_url(lang="fi")).status_code == 403


def test_dashboard_links_the_report_in_each_language(programme, coordinator_client):
    page = coordinator_client.get(reverse("reports:dashboard") + f"?municipality={TAMPERE}")
    html = page.content.decode()
    for code in ("fi", "sv", "en"):
        assert f"{reverse('reports:funder_report')}?municipality={TAMPERE}&amp;lang={code}" in html
