"""The downloadable device-list templates: read back through the import, every column maps
and the example row is importable, so the template and the mapping cannot drift apart."""

import pytest
from django.urls import reverse

from devices import imports, spreadsheets
from devices.import_mapping import DONOR_LIST_FIELDS, IMPORT_FIELDS, guess_mapping
from devices.imports import Outcome
from tests.factories import make_batch

URL = reverse("devices:import_template")


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("user_client", "query", "fields", "filename"),
    [
        ("technician_client", "", IMPORT_FIELDS, "laitelista-pohja"),
        ("coordinator_client", "", IMPORT_FIELDS, "laitelista-pohja"),
        ("technician_client", "&list=donor", DONOR_LIST_FIELDS, "lahjoituslista-pohja"),
        ("donor_client", "", DONOR_LIST_FIELDS, "lahjoituslista-pohja"),
    ],
)
def test_each_template_maps_every_column_and_its_example_row_imports(
    request, donor, technician, user_client, query, fields, filename, file_format
):
    response = request.getfixturevalue(user_client).get(f"{URL}?format={file_format}{query}")

    assert response.status_code == 200
    name = f"{filename}.{file_format}"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    table = spreadsheets.read_table(name, response.content)
    mapping = guess_mapping(table.headers)
    assert {field: mapping.get(field) for field in fields} == {
        field: index for index, field in enumerate(fields)
    }
    plan = imports.plan_batch_import(batch=make_batch(donor, technician), table=table)
    assert [row.outcome for row in plan.rows] == [Outcome.IMPORT], plan.rows
    assert plan.can_confirm
    device = plan.rows[0].fields
    assert (device["category"], device["manufacturer"], device["model"]) == (
        "laptop",
        "Lenovo",
        "ThinkPad T480",
    )
    assert device["serial_number"] == "PF1A2B3C"


def test_the_csv_template_is_as_finnish_excel_saves_it(technician_client):
    content = technician_client.get(f"{URL}?format=csv").content

    assert content.startswith("\ufeff".encode())
    header = content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("laji;valmistaja;malli;sarjanumero;IMEI;")


def test_xlsx_is_the_default_format(donor_client):
    response = donor_client.get(URL)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert spreadsheets.read_table("pohja.xlsx", response.content).file_format == "xlsx"


def test_a_coach_may_not_download_a_template_and_a_visitor_must_log_in(coach_client, client):
    assert coach_client.get(URL).status_code == 403
    coach_client.logout()
    assert client.get(URL).status_code == 302
