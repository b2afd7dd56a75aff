"""The donor's yearly report (PDF): its figures, and who may download it."""

import pytest
from django.urls import reverse

from tests.support import figure_after, pdf_response_text

pytestmark = pytest.mark.django_db


# The donor's 2025 in tests/kierratys/programme.py, as the report prints it.
YEARLY_FIGURES = {
    "Vastaanotettu ja kirjattu": 4,
    "Tiedot tyhjennetty": 3,
    "Luovutettu digituen asiakkaille": 2,
    "Poistettu käytöstä": 1,
    "Käytetty varaosiksi": 0,
    "Kierrätetty elektroniikkaromuna": 0,
    "Palautettu lahjoittajalle": 1,
}


def report_url(donor, year=2025):
    return reverse("reports:donor_report", kwargs={"pk": donor.pk}) + f"?year={year}"


def test_report_lists_received_erased_handed_over_disposed_and_how(
    known, coordinator_client, donor
):
    text = pdf_response_text(coordinator_client.get(report_url(donor)))
    assert "Lahjoitusraportti 2025" in text
    assert donor.name in text
    figures = {label: figure_after(text, label) for label in YEARLY_FIGURES}
    assert figures == YEARLY_FIGURES
    assert known["batches"][0].reference in text
    # Never a client: the donor learns how many, not who.
    for client in known["clients"]:
        assert client.name not in text and client.code not in text


def test_other_year_is_empty(known, coordinator_client, donor):
    text = pdf_response_text(coordinator_client.get(report_url(donor, 2024)))
    assert "Lahjoitusraportti 2024" in text
    assert figure_after(text, "Vastaanotettu ja kirjattu") == 0
    # A past year's report names its year; "this year" would be another year.
    assert "Ei lahjoituseriä vuonna 2024." in text
    assert "Lahjoituserät vuonna 2024" in text
    assert "tänä vuonna" not in text


def test_donor_user_downloads_own_report(known, donor_client, donor):
    text = pdf_response_text(donor_client.get(report_url(donor)))
    assert figure_after(text, "Vastaanotettu ja kirjattu") == 4


@pytest.mark.parametrize("user", ["other_donor_user", "technician", "coach"])
def test_others_get_404(known, client, request, donor, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(report_url(donor)).status_code == 404


def test_unknown_donor_is_404(coordinator_client, donor):
    url = reverse("reports:donor_report", kwargs={"pk": donor.pk + 1000})
    assert coordinator_client.get(url).status_code == 404


def test_anonymous_goes_to_login(client, donor):
    response = client.get(report_url(donor))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
