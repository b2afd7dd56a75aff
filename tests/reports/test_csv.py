"""CSV exports: UTF-8 with BOM and ";" for Finnish Excel, formulas neutralised."""

import csv
import io

import pytest
from django.urls import reverse

from kierratys.csv_export import cell, neutralise
from tests import factories
from tests.kierratys import programme

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+358401234567", "'+358401234567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Hämeenlinna", "Hämeenlinna"),
        ("T480 = hyvä", "T480 = hyvä"),
        ("", ""),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_numbers_dates_and_decimals_are_written_the_finnish_way():
    assert cell(25.0) == "25,0"
    assert cell(-3) == "-3"  # a number, not text: never prefixed
    assert cell(None) == ""
    assert cell(programme.moment(3, 3)) == "3.3.2025 10:00"
    assert cell(programme.moment(3, 3).date()) == "3.3.2025"


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_device_list_csv_neutralises_formulas_and_keeps_finnish_letters(
    coordinator_client, donor, technician
):
    batch = factories.make_batch(donor, technician)
    factories.make_device(batch, technician, manufacturer="Äänekosken Öljy", model="=1+1")
    factories.make_device(batch, technician, model="@SUM(1,2)", notes="x")
    response = coordinator_client.get(reverse("reports:devices_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header, *devices = rows
    assert header[:5] == ["Inventaariokoodi", "Tila", "Laji", "Valmistaja", "Malli"]
    assert len(devices) == 2
    models = {row[4] for row in devices}
    assert models == {"'=1+1", "'@SUM(1,2)"}
    assert devices[0][3] == "Äänekosken Öljy"
    assert devices[0][9] == "Hämeen ammattikorkeakoulu"
    assert devices[0][1] == "vastaanotettu"


def test_device_list_csv_query_count_is_constant(coordinator_client, donor, technician):
    batch = factories.make_batch(donor, technician)
    factories.make_device(batch, technician)

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            rows = read_csv(coordinator_client.get(reverse("reports:devices_csv")))
        return len(context.captured_queries), len(rows)

    few, few_rows = queries()
    for _ in range(30):
        factories.make_device(batch, technician)
    many, many_rows = queries()
    assert (few_rows, many_rows) == (2, 32)
    assert few == many


def test_handover_csv_has_client_codes_not_names(known, coordinator_client):
    rows = read_csv(coordinator_client.get(reverse("reports:handovers_csv")))
    header, *handovers = rows
    assert header[0] == "Kuitin numero"
    assert len(handovers) == 2
    c1, c2 = known["clients"][:2]
    assert {row[3] for row in handovers} == {c1.code, c2.code}
    assert {row[4] for row in handovers} == {"Hämeenlinna", "Tampere"}
    text = "\n".join(";".join(row) for row in rows)
    assert c1.name not in text and c2.name not in text
    loan = next(row for row in handovers if row[3] == c2.code)
    assert loan[6] == "laina" and loan[10] == "3.6.2025"


TAMPERE = "837"  # the filter takes the municipality's code in the classification


def test_handover_csv_municipality_filter(known, coordinator_client):
    rows = read_csv(
        coordinator_client.get(reverse("reports:handovers_csv"), {"municipality": TAMPERE})
    )
    assert [row[4] for row in rows[1:]] == ["Tampere"]


def test_figures_csv(known, coordinator_client):
    # The fixture lies in 2025; without a range the months are the last twelve.
    url = reverse("reports:figures_csv") + "?date_to=2025-03-31"
    rows = read_csv(coordinator_client.get(url))
    assert rows[0] == ["Luku", "Kohde", "Arvo"]
    assert ["Laitteet tiloittain", "lainassa", "1"] in rows
    assert ["Vastaanotettu kuukaudessa", "1/2025", "4"] in rows
    assert ["Luovutukset kunnittain", "Hämeenlinna", "1"] in rows
    assert ["Mediaani, päivää vastaanotosta luovutukseen", "", "31,5"] in rows
    assert ["Tyhjennysten epäonnistumisosuus (%)", "", "25,0"] in rows
    assert ["Jonossa laitetta odottavat", "", "2"] in rows
