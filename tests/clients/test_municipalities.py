"""Municipalities from Statistics Finland's list: the data file, the migration that maps
the free text typed before the list, and the receipt, forms and reports using it."""

import datetime
import importlib
import re
from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone, translation

from clients import selectors, services
from clients.documents import handover_receipt_pdf
from clients.forms import ClientForm, SupportPointForm
from clients.models import Client, Handover, Municipality, SupportPoint
from clients.municipalities import (
    collation_key,
    match_municipalities,
    read_municipalities,
    unmatched_report,
)
from reports import selectors as reports
from tests import factories
from tests.support import one_line, pdf_text

MUNICIPALITIES = read_municipalities()

# --- the data file ----------------------------------------------------------------------

# Statistics Finland's classification lists 309 municipalities since Honkajoki joined
# Kankaanpää on 1 January 2021: 293 on the mainland and 16 on Åland.
MUNICIPALITY_COUNT = 309
ALAND = {
    "035": "Brändö",
    "043": "Eckerö",
    "060": "Finström",
    "062": "Föglö",
    "065": "Geta",
    "076": "Hammarland",
    "170": "Jomala",
    "295": "Kumlinge",
    "318": "Kökar",
    "417": "Lemland",
    "438": "Lumparland",
    "478": "Mariehamn",
    "736": "Saltvik",
    "766": "Sottunga",
    "771": "Sund",
    "941": "Vårdö",
}


def test_the_file_lists_every_municipality_once():
    codes = [code for code, _, _ in MUNICIPALITIES]
    assert len(MUNICIPALITIES) == MUNICIPALITY_COUNT
    assert all(re.fullmatch(r"\d{3}", code) for code in codes)
    assert codes == sorted(set(codes))
    assert len({fi for _, fi, _ in MUNICIPALITIES}) == MUNICIPALITY_COUNT
    assert len({sv for _, _, sv in MUNICIPALITIES}) == MUNICIPALITY_COUNT
    # No name, in either language, names two municipalities: matching by name is safe.
    owners = {}
    for code, fi, sv in MUNICIPALITIES:
        for name in {fi.casefold(), sv.casefold()}:
            assert owners.setdefault(name, code) == code, name


@pytest.mark.parametrize(
    ("code", "name_fi", "name_sv"),
    [
        ("091", "Helsinki", "Helsingfors"),
        ("049", "Espoo", "Esbo"),
        ("092", "Vantaa", "Vanda"),
        ("853", "Turku", "Åbo"),
        ("837", "Tampere", "Tammerfors"),
        ("109", "Hämeenlinna", "Tavastehus"),
        ("564", "Oulu", "Uleåborg"),
        ("905", "Vaasa", "Vasa"),
        ("638", "Porvoo", "Borgå"),
        ("287", "Kristiinankaupunki", "Kristinestad"),
        ("478", "Maarianhamina", "Mariehamn"),
        ("698", "Rovaniemi", "Rovaniemi"),
        ("992", "Äänekoski", "Äänekoski"),
    ],
)
def test_known_municipalities(code, name_fi, name_sv):
    assert (code, name_fi, name_sv) in MUNICIPALITIES


def test_aland_municipalities_have_their_swedish_names():
    rows = {code: (fi, sv) for code, fi, sv in MUNICIPALITIES}
    assert {code: rows[code][1] for code in ALAND} == ALAND
    assert all(rows[code][0] == name for code, name in ALAND.items() if code != "478")


@pytest.mark.django_db
def test_the_migration_loaded_the_file():
    assert Municipality.objects.count() == MUNICIPALITY_COUNT
    tavastehus = Municipality.objects.get(name_sv="Tavastehus")
    assert tavastehus.code == "109"
    assert str(tavastehus) == "Hämeenlinna"
    with translation.override("sv"):
        assert str(tavastehus) == "Tavastehus"
    with translation.override("en"):
        assert tavastehus.name == "Hämeenlinna"


# --- the migration's mapping ------------------------------------------------------------

SAMPLE = ["Hämeenlinna", "tavastehus", "HELSINGFORS", " Espoo ", "Tampereen kaupunki", ""]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Hämeenlinna", "109"),
        ("tavastehus", "109"),
        ("HELSINGFORS", "091"),
        (" Espoo ", "049"),
        ("ÅBO", "853"),
        ("hämeenlinna", "109"),
        ("Koski  Tl", "284"),
        ("Tampereen kaupunki", None),
        ("Hämeenlinnan kaupunki", None),
        ("Tampere, keskusta", None),
        ("", None),
    ],
)
def test_a_typed_value_matches_by_either_name_in_any_case(typed, code):
    codes, unmatched = match_municipalities([typed], MUNICIPALITIES)
    assert codes.get(typed) == code
    assert (typed in unmatched) == (code is None)


def test_the_mapping_lists_what_it_could_not_map():
    codes, unmatched = match_municipalities(
        [*SAMPLE, "Tampereen kaupunki", "tavastehus"], MUNICIPALITIES
    )
    assert codes == {
        "Hämeenlinna": "109",
        "tavastehus": "109",
        "HELSINGFORS": "091",
        " Espoo ": "049",
    }
    assert unmatched == Counter({"Tampereen kaupunki": 2, "": 1})
    assert unmatched_report("Client", unmatched) == [
        "Client: 'Tampereen kaupunki' matched no municipality (2 rows); kept as municipality_text",
        "Client: '' matched no municipality (1 rows); kept as municipality_text",
    ]


BEFORE = [("clients", "0007_accesslog_loan_letters")]
AFTER = [("clients", "0009_municipality_foreign_keys")]
_migration = importlib.import_module("clients.migrations.0009_municipality_foreign_keys")


def test_the_migration_is_the_one_tested_here():
    # The mapping the migration runs is the function tested above.
    assert _migration.match_municipalities is match_municipalities
    assert _migration.Migration.dependencies == [("clients", "0008_municipality")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_maps_live_and_history_rows_and_prints_what_it_could_not(coach, capsys):
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        OldClient = old.get_model("clients", "Client")
        OldHistoricalClient = old.get_model("clients", "HistoricalClient")
        OldSupportPoint = old.get_model("clients", "SupportPoint")
        for number, typed in enumerate(SAMPLE, start=1):
            client = OldClient.objects.create(
                code=f"AS-2025-{number:04d}",
                name="Asiakas",
                municipality=typed,
                coach_id=coach.pk,
                service="social",
                device_need="laptop",
                consent_date=datetime.date(2025, 1, 1),
                status="coaching",
            )
            OldHistoricalClient.objects.create(
                id=client.pk,
                code=client.code,
                name="Asiakas",
                municipality=typed,
                coach_id=coach.pk,
                service="social",
                device_need="laptop",
                consent_date=datetime.date(2025, 1, 1),
                status="coaching",
                created_at=timezone.now(),
                history_date=timezone.now(),
                history_type="+",
                history_user_id=coach.pk,
            )
        OldSupportPoint.objects.create(
            name="Kirjaston digitori",
            municipality="TAVASTEHUS",
            address="Katu 1",
            opening_hours="ma",
        )
        capsys.readouterr()

        executor.loader.build_graph()
        executor.migrate(AFTER)
        printed = capsys.readouterr().out

        new = executor.loader.project_state(AFTER).apps
        NewClient = new.get_model("clients", "Client")
        NewHistoricalClient = new.get_model("clients", "HistoricalClient")
        NewSupportPoint = new.get_model("clients", "SupportPoint")
        expected = [
            ("109", ""),
            ("109", ""),
            ("091", ""),
            ("049", ""),
            (None, "Tampereen kaupunki"),
            (None, ""),
        ]
        for model in (NewClient, NewHistoricalClient):
            rows = model.objects.order_by("code").values_list(
                "municipality_id", "municipality_text"
            )
            assert list(rows) == expected
        assert NewSupportPoint.objects.get().municipality_id == "109"
        assert "Client: 4 of 6 rows matched a municipality" in printed
        assert "Client: 'Tampereen kaupunki' matched no municipality (1 rows)" in printed
        assert "Client: '' matched no municipality (1 rows)" in printed
        assert "HistoricalClient: 'Tampereen kaupunki' matched no municipality" in printed
        assert "SupportPoint: 1 of 1 rows matched a municipality" in printed

        # Reversible: the matched rows get their Finnish name back as text.
        executor.loader.build_graph()
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        texts = old.get_model("clients", "Client").objects.order_by("code")
        assert list(texts.values_list("municipality", flat=True)) == [
            "Hämeenlinna",
            "Hämeenlinna",
            "Helsinki",
            "Espoo",
            "Tampereen kaupunki",
            "",
        ]
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


# --- choosing from the list -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "first", "last"),
    [
        ("fi", ["Akaa", "Alajärvi"], ["Ypäjä", "Ähtäri", "Äänekoski"]),
        ("sv", ["Akas", "Alajärvi"], ["Åbo", "Äänekoski", "Östermark", "Övertorneå"]),
    ],
)
def test_the_forms_list_municipalities_in_the_languages_alphabetical_order(
    coordinator, language, first, last
):
    with translation.override(language):
        for form in (ClientForm(user=coordinator), SupportPointForm()):
            labels = [str(label) for value, label in form.fields["municipality"].choices if value]
            assert len(labels) == MUNICIPALITY_COUNT
            assert labels[: len(first)] == first
            assert labels[-len(last) :] == last
            assert labels == sorted(labels, key=collation_key)


def _choice_labelled(html, label):
    """The value of the municipality option labelled `label` in a rendered form."""
    match = re.search(rf'<option value="(\d{{3}})"[^>]*>{re.escape(label)}</option>', html)
    assert match, f"no option {label}"
    return match.group(1)


def _handed_over(client, coach, technician, donor):
    batch = factories.make_batch(donor, technician)
    device = factories.make_ready_device(batch, technician)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    factories.prepare_for_handover(reserved, coach)
    return services.handover_complete(handover=reserved, actor=coach, kind=Handover.Kind.GIFT)


@pytest.mark.django_db
def test_a_point_chosen_as_tavastehus_prints_on_the_receipt_of_a_client_in_hameenlinna(
    coordinator_client, coach, technician, donor
):
    # The coordinator works in Swedish and picks the point's municipality as "Tavastehus".
    coordinator_client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    page = coordinator_client.get(reverse("clients:supportpoint_create"))
    tavastehus = _choice_labelled(page.content.decode(), "Tavastehus")
    response = coordinator_client.post(
        reverse("clients:supportpoint_create"),
        {
            "name": "Stadsbiblioteket, digistöd",
            "municipality": tavastehus,
            "address": "Lukiokatu 2",
            "opening_hours": "ti 10–13",
            "active": "on",
        },
    )
    assert response.status_code == 302
    # The coach enters the client in Finnish as "Hämeenlinna"; the client reads Swedish.
    client = factories.make_eligible_client(
        coach, municipality=factories.municipality("Hämeenlinna"), language="sv"
    )
    point = SupportPoint.objects.get()
    assert point.municipality == client.municipality
    assert list(selectors.support_points_for(client.municipality)) == [point]

    handover = _handed_over(client, coach, technician, donor)
    with translation.override("sv"):
        text = one_line(pdf_text(handover_receipt_pdf(handover)))
    assert "Stadsbiblioteket, digistöd" in text


@pytest.mark.django_db
def test_reports_count_a_municipality_entered_in_finnish_and_in_swedish_together(
    coach, technician, donor
):
    # One client chosen as "Hämeenlinna", one as "Tavastehus": the same municipality.
    for chosen in ("Hämeenlinna", "Tavastehus"):
        client = factories.make_eligible_client(coach, municipality=factories.municipality(chosen))
        _handed_over(client, coach, technician, donor)
    espoo = factories.make_eligible_client(coach, municipality=factories.municipality("Esbo"))
    _handed_over(espoo, coach, technician, donor)

    def rows(language):
        with translation.override(language):
            figures = reports.dashboard_figures()
            return [(row.key, row.label, row.count) for row in figures.by_municipality]

    assert rows("fi") == [("109", "Hämeenlinna", 2), ("049", "Espoo", 1)]
    assert rows("sv") == [("109", "Tavastehus", 2), ("049", "Esbo", 1)]
    with translation.override("sv"):
        assert [m.name for m in reports.municipalities()] == ["Esbo", "Tavastehus"]
    only = reports.dashboard_figures(reports.ReportFilter(municipality="109"))
    assert [(row.key, row.count) for row in only.by_municipality] == [("109", 2)]


# --- a record whose typed municipality named none ---------------------------------------


def _legacy(client, text):
    # The state the migration leaves an unmatched record in; no service makes it any more.
    Client.objects.filter(pk=client.pk).update(municipality=None, municipality_text=text)
    client.refresh_from_db()
    return client


@pytest.mark.django_db
def test_an_unmatched_record_says_check_the_municipality_until_one_is_chosen(
    coach_client, coach, technician, donor
):
    client = _legacy(factories.make_client(coach), "Tampereen kaupunki")
    assert client.municipality_label == "tarkista kunta (kirjattu: Tampereen kaupunki)"
    assert list(selectors.support_points_for(client.municipality)) == []
    detail = coach_client.get(client.get_absolute_url()).content.decode()
    assert "tarkista kunta (kirjattu: Tampereen kaupunki)" in detail

    edit_url = reverse("clients:client_edit", kwargs={"code": client.code})
    form_page = coach_client.get(edit_url).content.decode()
    assert "Aiemmin kirjattu kunta ”Tampereen kaupunki” ei ole kuntaluettelossa" in form_page
    data = {
        "name": client.name,
        "phone": client.phone,
        "language": "fi",
        "service": client.service,
        "device_need": client.device_need,
        "consent_date": client.consent_date.isoformat(),
        "status": client.status,
    }
    refused = coach_client.post(edit_url, data)
    assert refused.status_code == 200
    assert "municipality" in refused.context["form"].errors

    tampere = factories.municipality("Tampere")
    assert coach_client.post(edit_url, {**data, "municipality": tampere.pk}).status_code == 302
    client.refresh_from_db()
    assert (client.municipality, client.municipality_text) == (tampere, "")
    assert client.history.latest().municipality_text == ""


@pytest.mark.django_db
def test_reports_show_unmatched_clients_as_one_row_to_check(coach, technician, donor):
    client = _legacy(factories.make_eligible_client(coach), "Tampereen kaupunki")
    _handed_over(client, coach, technician, donor)
    figures = reports.dashboard_figures()
    assert [(row.key, row.label, row.count) for row in figures.by_municipality] == [
        ("", "tarkista kunta", 1)
    ]


@pytest.mark.django_db
def test_a_municipality_in_use_cannot_be_deleted(coach):
    client = factories.make_client(coach)
    with pytest.raises(ProtectedError):
        client.municipality.delete()
