"""`manage.py import_devices`: the web import's plan and confirmation from the command line."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from devices.models import Device
from tests.factories import make_batch, make_device

SHARED_TESTDATA = Path(settings.BASE_DIR).parent / "shared" / "testdata" / "spreadsheets"
DEVICEHUB = SHARED_TESTDATA / "devicehub-placeholder.csv"

HEADER = "laji;valmistaja;malli;sarjanumero;IMEI;lahjoittajan inventaariotunnus\r\n"
GOOD_ROWS = (
    "kannettava;Lenovo;ThinkPad T480;PFCMD001;;HAMK-1\r\n"
    "puhelin;Samsung;Galaxy A52;R58CMD002;352099001761481;HAMK-2\r\n"
    "tabletti;Apple;iPad 7;DMPCMD003;;\r\n"
)


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician)


def _csv(tmp_path, text, name="laitteet.csv"):
    path = tmp_path / name
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    return path


def _run(batch, path, *options, username="teknikko"):
    out = io.StringIO()
    call_command("import_devices", batch.reference, str(path), "--as", username, *options,
                 stdout=out)  # fmt: skip
    return out.getvalue()


def _refusal(batch, path, *options, username="teknikko"):
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_devices", batch.reference, str(path), "--as", username, *options,
                     stdout=out)  # fmt: skip
    return str(refused.value), out.getvalue()


def test_a_csv_list_is_logged_with_the_acting_user_and_the_preview_printed(
    tmp_path, batch, technician
):
    output = _run(batch, _csv(tmp_path, HEADER + GOOD_ROWS))

    devices = {d.serial_number: d for d in Device.objects.filter(batch=batch)}
    assert set(devices) == {"PFCMD001", "R58CMD002", "DMPCMD003"}
    assert devices["R58CMD002"].category == Device.Category.PHONE
    assert devices["R58CMD002"].imei == "352099001761481"
    assert devices["PFCMD001"].asset_tag == "HAMK-1"
    for device in devices.values():
        assert device.history.get().history_user == technician
    assert "Merkistö: utf-8" in output  # utf-8 or utf-8-sig: the BOM is visible
    assert "erotin: puolipiste (;)" in output
    assert "Otsikkorivi: 1" in output
    assert "valmistaja <- valmistaja" in output
    assert "sarjanumero <- sarjanumero" in output
    assert "tuodaan 3" in output
    assert f"Kirjattu 3 laitetta erään {batch.reference}" in output


def test_an_xlsx_list_takes_the_category_option_for_rows_without_one(tmp_path, batch, coordinator):
    book = Workbook()
    sheet = book.active
    sheet.title = "Inventaario"
    sheet.append(["Manufacturer", "Model", "Serial", "Notes"])
    sheet.append(["Dell", "Latitude 7490", "XLSCMD01", "akku heikko"])
    sheet.append(["HP", "EliteBook 840 G5", "XLSCMD02", None])
    path = tmp_path / "inventaario.xlsx"
    book.save(path)

    output = _run(batch, path, "--category", "laptop", "--grade", "A", username="koordinaattori")

    devices = Device.objects.filter(batch=batch).order_by("serial_number")
    assert [(d.serial_number, d.category, d.condition_grade) for d in devices] == [
        ("XLSCMD01", "laptop", "A"),
        ("XLSCMD02", "laptop", "A"),
    ]
    assert devices[0].notes == "akku heikko"
    assert devices[0].history.get().history_user == coordinator
    assert "Taulukko: Inventaario" in output
    assert "Merkistö" not in output  # an XLSX file has no encoding to guess


def test_a_dry_run_prints_the_preview_and_writes_nothing(tmp_path, batch):
    output = _run(batch, _csv(tmp_path, HEADER + GOOD_ROWS), "--dry-run")

    assert "tuodaan 3" in output
    assert "Kuivaharjoitus: 3 laitetta voitaisiin kirjata" in output
    assert not Device.objects.exists()


def test_a_row_needing_attention_refuses_the_whole_file_naming_the_row(tmp_path, batch, technician):
    make_device(batch, technician, serial_number="KNOWNCMD1")
    content = HEADER + GOOD_ROWS + "kannettava;Dell;Latitude 5490;knowncmd1;;\r\n"

    message, output = _refusal(batch, _csv(tmp_path, content))

    assert message.startswith("1 rivi vaatii korjausta")
    assert "mitään ei kirjattu" in message
    assert "Rivi 5 (vaatii korjausta)" in output
    assert Device.objects.filter(batch=batch).count() == 1  # only KNOWNCMD1


def test_the_dry_run_too_fails_when_the_plan_cannot_be_confirmed(tmp_path, batch):
    content = HEADER + "kannettava;Lenovo;T480;DUP1;;\r\nkannettava;Lenovo;T480;DUP1;;\r\n"

    message, output = _refusal(batch, _csv(tmp_path, content), "--dry-run")

    assert "vaatii korjausta" in message
    assert "Rivi 3 (vaatii korjausta)" in output


def test_rows_that_are_not_devices_are_left_out_only_when_asked(tmp_path, batch):
    path = _csv(tmp_path, HEADER + GOOD_ROWS + "laturi;Lenovo;65W USB-C;;;\r\n")

    message, output = _refusal(batch, path)

    assert "--skip-non-devices" in message
    assert "Rivi 5 (jätetään pois)" in output
    assert not Device.objects.exists()

    output = _run(batch, path, "--skip-non-devices")

    assert "jätetään pois 1" in output
    assert Device.objects.filter(batch=batch).count() == 3


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "Käyttäjää ”nobody” ei ole"),
        ("lahjoittaja", "ei ole teknikko eikä koordinaattori"),
        ("valmentaja", "ei ole teknikko eikä koordinaattori"),
    ],
)
def test_the_acting_user_must_be_a_technician_or_coordinator(
    tmp_path, batch, donor_user, coach, username, message
):
    refused, _output = _refusal(batch, _csv(tmp_path, HEADER + GOOD_ROWS), username=username)

    assert message in refused
    assert not Device.objects.exists()


def test_the_acting_user_is_required(tmp_path, batch):
    with pytest.raises(CommandError, match="--as"):
        call_command("import_devices", batch.reference, str(_csv(tmp_path, HEADER + GOOD_ROWS)))


def test_an_unknown_batch_file_or_category_is_refused(tmp_path, batch, technician):
    path = _csv(tmp_path, HEADER + GOOD_ROWS)
    with pytest.raises(CommandError, match="Erää ER-1999-0001 ei ole"):
        call_command("import_devices", "ER-1999-0001", str(path), "--as", "teknikko")
    with pytest.raises(CommandError, match="Tiedostoa .* ei voi avata"):
        _run(batch, tmp_path / "puuttuu.csv")
    with pytest.raises(CommandError, match="Tuntematon laji ”sohva”"):
        _run(batch, path, "--category", "sohva")
    assert not Device.objects.exists()


def test_a_batch_not_yet_received_is_refused(tmp_path, donor, technician):
    registered = make_batch(donor, technician, received=False)

    message, _output = _refusal(registered, _csv(tmp_path, HEADER + GOOD_ROWS))

    assert registered.reference in message
    assert not Device.objects.exists()


@pytest.mark.skipif(
    not DEVICEHUB.exists(),
    reason=f"{DEVICEHUB} (shared test data outside the repository) is not present",
)
def test_a_devicehub_export_is_imported_with_the_category_given(batch, technician):
    output = _run(batch, DEVICEHUB, "--category", "laptop")

    devices = Device.objects.filter(batch=batch)
    assert devices.count() == 3
    assert {(d.category, d.manufacturer, d.model) for d in devices} == {("laptop", "Sony", "Vaio")}
    assert set(devices.values_list("serial_number", flat=True)) == {
        "12345678",
        "12345679",
        "12345680",
    }
    assert "Käyttämättä jäävät sarakkeet" in output


def test_a_category_taken_from_the_model_is_noted_once_for_all_its_rows(tmp_path, batch):
    content = "valmistaja;malli;sarjanumero\r\n" + "".join(
        f"Lenovo;ThinkPad T480;PFNOTE{n}\r\n" for n in range(12)
    )

    output = _run(batch, _csv(tmp_path, content))

    notes = [line for line in output.splitlines() if line.startswith("Tuodaan, huomautus")]
    assert notes == [
        "Tuodaan, huomautus: laji ”kannettava tietokone” päätelty mallista. "
        "(12 riviä: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 …)"
    ]
    assert "Ei saraketta: laji, IMEI" in output
    assert Device.objects.filter(batch=batch, category="laptop").count() == 12


def test_without_suggestions_a_row_without_a_category_needs_the_category_option(tmp_path, batch):
    path = _csv(tmp_path, "valmistaja;malli;sarjanumero\r\nLenovo;ThinkPad T480;PFNOSUG1\r\n")

    message, output = _refusal(batch, path, "--no-suggestions")

    assert "vaatii korjausta" in message
    assert "Rivi 2 (vaatii korjausta): laji puuttuu" in output

    _run(batch, path, "--no-suggestions", "--category", "kannettava")

    assert Device.objects.get(serial_number="PFNOSUG1").category == "laptop"


def test_a_list_without_a_model_column_is_refused_naming_it(tmp_path, batch):
    message, _output = _refusal(batch, _csv(tmp_path, "laji;valmistaja\r\nkannettava;Dell\r\n"))

    assert message == "Tiedostosta puuttuu sarake: ”malli”."


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(tmp_path, batch):
    path = tmp_path / "valtava.csv"
    with path.open("wb") as file:
        file.truncate(5 * 1024 * 1024 + 1)

    message, _output = _refusal(batch, path)

    assert message.startswith("Tiedosto on yli 5 Mt.")
