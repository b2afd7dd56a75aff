"""Impact figures (devices reused, e-waste and CO2e avoided) against a hand calculation."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clients import services
from clients.models import Handover
from clients.municipality_models import Municipality
from devices.models import Device
from reports import selectors as reports
from reports.selectors import ReportFilter
from tests import factories
from tests.support import pdf_response_text

pytestmark = pytest.mark.django_db

# reports/data/impact_factors.csv, written out: (weight kg, manufacturing footprint kg CO2e).
LAPTOP = (Decimal("1.830"), Decimal("265.320"))  # Restart "Laptop medium"
PHONE = (Decimal("0.150"), Decimal("50.510"))  # Restart "Mobile"
HALF = Decimal("0.5")  # displacement

# Two laptops (a gift in Hämeenlinna, a loan in Tampere) from the donor, one phone (a gift
# in Tampere) from the other donor.
TOTAL_KG = 2 * LAPTOP[0] + PHONE[0]  # 3.81
TOTAL_CO2E = (2 * LAPTOP[1] + PHONE[1]) * HALF  # 290.575
METHOD_START = "Restart Projectin Fixometer-menetelmä"
TAMPERE = "837"  # Statistics Finland's code, the report filter's value


def municipality(name):
    """A municipality of the list (loaded by a migration), by its Finnish name."""
    return Municipality.objects.get(name_fi=name)


def hand_over(coach, device, name, kind):
    client = factories.make_eligible_client(coach, municipality=municipality(name))
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    factories.prepare_for_handover(handover, coach)
    due = timezone.localdate() + datetime.timedelta(days=30) if kind == Handover.Kind.LOAN else None
    return services.handover_complete(handover=handover, actor=coach, kind=kind, due_date=due)


@pytest.fixture
def reused(donor, other_donor, technician, coach):
    batch = factories.make_batch(donor, technician)
    other_batch = factories.make_batch(other_donor, technician)
    gift = factories.make_ready_device(batch, technician)
    loan = factories.make_ready_device(batch, technician)
    phone = factories.make_ready_device(other_batch, technician, category=Device.Category.PHONE)
    hand_over(coach, gift, "Hämeenlinna", Handover.Kind.GIFT)
    loaned = hand_over(coach, loan, "Tampere", Handover.Kind.LOAN)
    hand_over(coach, phone, "Tampere", Handover.Kind.GIFT)
    # Neither a device only reserved nor one still in stock was reused.
    reserved = factories.make_ready_device(batch, technician, category=Device.Category.DESKTOP)
    waiting = factories.make_eligible_client(coach, municipality=municipality("Tampere"))
    services.handover_reserve(client=waiting, device=reserved, actor=coach)
    factories.make_ready_device(batch, technician, category=Device.Category.TABLET)
    return loaned


def impact_of(row):
    return (row.label, row.devices, row.ewaste_kg, row.co2e_kg)


def test_factors_cover_every_category():
    factors = reports.impact_factors()
    assert set(factors) == set(Device.Category.values)
    assert (factors["laptop"].weight_kg, factors["laptop"].footprint_kgco2e) == LAPTOP
    assert (factors["phone"].weight_kg, factors["phone"].footprint_kgco2e) == PHONE
    assert factors["laptop"].source_category == "Laptop medium"


def test_total_equals_hand_calculation(reused):
    total = reports.impact_figures(ReportFilter()).total
    assert (total.devices, total.ewaste_kg, total.co2e_kg) == (3, TOTAL_KG, TOTAL_CO2E)
    assert (TOTAL_KG, TOTAL_CO2E) == (Decimal("3.81"), Decimal("290.575"))


def test_per_municipality_and_donor(reused, donor, other_donor):
    impact = reports.impact_figures(ReportFilter())
    assert [impact_of(row) for row in impact.by_municipality] == [
        ("Tampere", 2, LAPTOP[0] + PHONE[0], (LAPTOP[1] + PHONE[1]) * HALF),
        ("Hämeenlinna", 1, LAPTOP[0], LAPTOP[1] * HALF),
    ]
    assert [impact_of(row) for row in impact.by_donor] == [
        (donor.name, 2, 2 * LAPTOP[0], 2 * LAPTOP[1] * HALF),
        (other_donor.name, 1, PHONE[0], PHONE[1] * HALF),
    ]


def test_municipality_filter_and_period(reused):
    tampere = reports.impact_figures(ReportFilter(municipality=TAMPERE)).total
    assert (tampere.devices, tampere.co2e_kg) == (2, (LAPTOP[1] + PHONE[1]) * HALF)
    last_year = timezone.localdate().replace(month=1, day=1) - datetime.timedelta(days=1)
    before = reports.impact_figures(ReportFilter(date_to=last_year)).total
    assert (before.devices, before.ewaste_kg, before.co2e_kg) == (0, 0, 0)


def test_a_loan_back_and_out_again_counts_once(reused, technician, coach):
    loaned = reused
    services.handover_return(
        handover=loaned,
        actor=coach,
        returned_on=timezone.localdate(),
        condition=Device.Grade.B,
    )
    device = Device.objects.get(pk=loaned.device_id)
    factories.erase(device, technician)
    factories.refurbish(device, technician)
    hand_over(coach, device, "Tampere", Handover.Kind.GIFT)
    total = reports.impact_figures(ReportFilter()).total
    assert (total.devices, total.co2e_kg) == (3, TOTAL_CO2E)


def test_dashboard_shows_impact_and_method(reused, coordinator_client, donor):
    page = coordinator_client.get(reverse("reports:dashboard")).content.decode()
    assert escape(str(reports.IMPACT_METHOD)) in page
    assert "290,6 kg CO2e" in page  # 290.575 to one decimal
    assert "3,8 kg" in page
    assert "Ympäristövaikutus kunnittain" in page
    assert "Ympäristövaikutus lahjoittajittain" in page


def test_donor_report_shows_own_impact_and_method(reused, coordinator_client, donor):
    url = reverse("reports:donor_report", kwargs={"pk": donor.pk})
    text = pdf_response_text(coordinator_client.get(f"{url}?year={timezone.localdate().year}"))
    assert "Laitteita uudelleenkäyttöön 2" in text
    assert "Sähköromua vältetty 3,7 kg" in text  # 3.66
    assert "Päästöjä vältetty 265,3 kg CO2e" in text  # 265.32
    assert METHOD_START in text
    assert " ".join(str(reports.IMPACT_METHOD).split()) in text
