"""A technician's device list through the web, each list taken the way a user would: upload,
then confirm the preview as shown (tests/devices/test_import_views.py tests the preview)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from devices.imports import Outcome
from devices.models import Device
from devices.spreadsheets import RowError
from tests.factories import make_batch, make_device

HEADER = "laji,valmistaja,malli,sarjanumero,imei,inventaariotunnus\n"
GOOD_ROWS = (
    "Kannettava,Lenovo,ThinkPad T480,PF0IMP01,,HAMK-1\n"
    "laptop,HP,EliteBook 840 G5,5CG80IMP02,,HAMK-2\n"
    "PUHELIN,Samsung,Galaxy A52,R58IMP03,352099001761481,HAMK-3\n"
    "tabletti,Apple,iPad (7. sukupolvi),DMPIMP04,,\n"
)


def _post(client, batch, content, name="laitteet.csv", grade="B"):
    """Upload, then confirm the preview if it can be: the preview (200) if it cannot, the
    upload page (200) if the file was refused, the batch page (302) if it was imported."""
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    url = reverse("devices:batch_import", kwargs={"reference": batch.reference})
    response = client.post(url, {"file": upload, "condition_grade": grade})
    if response.status_code != 302 or "/import/" not in response["Location"]:
        return response
    preview = client.get(response["Location"])
    if not preview.context["plan"].can_confirm:
        return preview
    form = preview.context["form"]
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data["accept_suggestions"] = "on"
    data["confirm"] = "1"
    return client.post(response["Location"], data)


def _row_errors(preview):
    """What the preview says must be fixed, one "Rivi N: ..." per reason."""
    return [
        RowError(row.number, reason)
        for row in preview.context["plan"].rows
        if row.outcome == Outcome.ATTENTION
        for reason in row.reasons
    ]


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician)


def test_a_valid_list_logs_every_row_with_history(technician_client, batch, technician):
    response = _post(technician_client, batch, (HEADER + GOOD_ROWS).encode())
    assert response.status_code == 302
    devices = {d.serial_number: d for d in Device.objects.filter(batch=batch)}
    assert set(devices) == {"PF0IMP01", "5CG80IMP02", "R58IMP03", "DMPIMP04"}
    assert devices["R58IMP03"].category == "phone"
    assert devices["R58IMP03"].imei == "352099001761481"
    assert devices["DMPIMP04"].category == "tablet"
    assert {d.condition_grade for d in devices.values()} == {"B"}
    for device in devices.values():
        assert device.inventory_code.startswith("DK")
        assert device.history.get().history_user == technician


def test_a_semicolon_separated_file_with_bom_is_read(technician_client, batch):
    content = "\ufeff" + (HEADER + GOOD_ROWS).replace(",", ";")
    _post(technician_client, batch, content.encode("utf-8"))
    assert Device.objects.filter(batch=batch).count() == 4


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("kannettava,,ThinkPad X1,PFX1,,", "”valmistaja” puuttuu"),
        ("puhelin,Nokia,G21,NOK1,352099001761482,", "IMEI ei ole kelvollinen"),
        ("puhelin,Nokia,G21,NOK1,,", "IMEI on pakollinen"),
        ("televisio,Philips,55PUS,TV1,,", "tuntematon laji ”televisio”"),
        (
            "kannettava,Dell,Latitude 5490,PF0IMP01,,",
            "sarjanumero PF0IMP01 on tiedostossa jo rivillä 2",
        ),
        ("kannettava,Dell,Latitude 5490,KNOWN123,,", "Sarjanumero KNOWN123 on jo inventaariossa"),
    ],
)
def test_one_bad_row_writes_nothing_and_is_reported_with_its_number(
    technician_client, batch, technician, bad_row, reason
):
    make_device(batch, technician, serial_number="KNOWN123")
    content = HEADER + GOOD_ROWS + bad_row + "\n"
    response = _post(technician_client, batch, content.encode())
    assert response.status_code == 200
    errors = [str(error) for error in _row_errors(response)]
    assert len(errors) == 1, errors
    assert errors[0].startswith("Rivi 6: ")
    assert reason in errors[0]
    assert reason in response.content.decode().replace("&quot;", '"')
    assert "1 rivi vaatii korjausta" in response.content.decode()
    assert Device.objects.filter(batch=batch).count() == 1  # only KNOWN123


def test_every_bad_row_is_listed(technician_client, batch):
    content = (
        HEADER
        + "kannettava,Lenovo,T480,A1,,\n"
        + "sohva,Ikea,Klippan,A2,,\n"
        + "\n"
        + "puhelin,Nokia,G21,A3,123,\n"
        + "kannettava,Lenovo,,A1,,\n"
    )
    response = _post(technician_client, batch, content.encode())
    errors = [(error.row, error.message) for error in _row_errors(response)]
    rows = sorted({row for row, _message in errors})
    assert rows == [3, 5, 6]
    assert Device.objects.count() == 0


def test_a_file_saved_by_excel_in_cp1252_is_read_and_its_encoding_shown(technician_client, batch):
    content = HEADER + "kannettava,Lenovo,ThinkPad,PF1,,\nmuu,Hämeen Tekniikka,Näyttö,PF2,,\n"
    upload = SimpleUploadedFile("laitteet.csv", content.encode("cp1252"))
    url = reverse("devices:batch_import", kwargs={"reference": batch.reference})
    response = technician_client.post(url, {"file": upload, "condition_grade": "B"})
    preview = technician_client.get(response["Location"])
    assert preview.context["table"].encoding == "cp1252"
    assert "Hämeen Tekniikka" in preview.content.decode()
    assert Device.objects.count() == 0


def test_missing_columns_are_named(technician_client, batch):
    response = _post(technician_client, batch, b"laji,malli\nkannettava,T480\n")
    assert response.context["plan"].missing_columns == ["valmistaja"]
    assert "Valitse sarake, josta luetaan: ”valmistaja”." in response.content.decode()
    assert Device.objects.count() == 0


def test_an_xlsx_list_with_numeric_cells_is_imported(technician_client, batch):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Category", "Manufacturer", "Model", "Serial", "IMEI", "Asset tag", "Kuntoluokka"]
    )
    sheet.append(["puhelin", "Apple", "iPhone SE", "F17XLS01", 352099001761481, 1001, "A"])
    sheet.append(["Pöytäkone", "Dell", "OptiPlex 7060", "XLS02", None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _post(technician_client, batch, buffer.getvalue(), name="laitteet.xlsx", grade="C")
    assert response.status_code == 302
    phone = Device.objects.get(serial_number="F17XLS01")
    assert (phone.imei, phone.asset_tag, phone.condition_grade) == ("352099001761481", "1001", "A")
    assert Device.objects.get(serial_number="XLS02").condition_grade == "C"


def test_a_broken_xlsx_is_refused(technician_client, batch):
    response = _post(technician_client, batch, b"PK\x03\x04not really a zip", name="x.xlsx")
    assert "Tiedostoa ei voitu lukea" in response.content.decode()
    assert Device.objects.count() == 0


def test_import_needs_a_received_batch(technician_client, donor, technician):
    registered = make_batch(donor, technician, received=False)
    response = _post(technician_client, registered, (HEADER + GOOD_ROWS).encode())
    assert response.status_code == 302
    assert Device.objects.count() == 0
