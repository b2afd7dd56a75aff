"""The import plan (what happens to each row and why) and its confirmation (every importable
row or none, one history record per device, codes as the keyboard intake makes them)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from devices import import_rows, imports, inventory_codes, services
from devices.imports import Outcome
from devices.models import BatchListItem, Device
from devices.models.device import IMEI_ALREADY_IN_INVENTORY, SERIAL_ALREADY_IN_INVENTORY
from devices.spreadsheets import ImportRejected, read_table
from tests.factories import make_batch, make_device

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "spreadsheets"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"the real sample exports are not here ({SAMPLES})"
)
IMEI = "352099001761481"
OTHER_IMEI = "490154203237518"


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician)


def table(text, name="laitteet.csv"):
    return read_table(name, text.encode())


def plan(batch, text, **choices):
    return imports.plan_batch_import(batch=batch, table=table(text), **choices)


def outcomes(planned):
    return [(row.number, row.outcome) for row in planned.rows]


# Categories: from the column, the model, the default; rows that are not devices


def test_rows_without_a_category_take_the_model_familys_then_the_default(batch):
    planned = plan(
        batch,
        "Model;Manufacturer;Serial Number\n"
        "Vaio;Sony;SN1\nGalaxy A52;Samsung;SN2\nWidget;Acme;SN3\n",
        default_category="other",
    )
    assert [row.fields["category"] for row in planned.rows] == ["laptop", "phone", "other"]
    assert [row.suggested_category for row in planned.rows] == ["laptop", "phone", None]
    assert planned.rows[0].reasons == [
        str(imports.CATEGORY_FROM_MODEL % {"category": "kannettava tietokone"})
    ]
    assert planned.rows[2].reasons == [str(imports.CATEGORY_FROM_DEFAULT % {"category": "muu"})]
    # The phone has no IMEI column: it needs attention, the others are imported.
    assert outcomes(planned) == [(2, "import"), (3, "attention"), (4, "import")]


def test_without_category_default_or_suggestion_a_row_needs_attention(batch):
    planned = plan(batch, "malli;valmistaja\nVaio;Sony\nWidget;Acme\n", accept_suggestions=False)
    assert outcomes(planned) == [(2, "attention"), (3, "attention")]
    assert planned.rows[0].reasons == [str(imports.NO_CATEGORY)]
    assert planned.rows[0].suggested_category == "laptop"
    assert not planned.can_confirm


def test_suggestions_refused_leave_the_default(batch):
    planned = plan(
        batch, "malli;valmistaja\nVaio;Sony\n", default_category="desktop", accept_suggestions=False
    )
    assert planned.rows[0].fields["category"] == "desktop"


def test_rows_that_are_not_devices_are_left_out_with_the_reason(batch, technician):
    planned = plan(
        batch,
        "Category;Manufacturer;Model;Serial\n"
        "Laptops;Lenovo;ThinkPad T480;A1\n"
        "ComputerMonitor;Dell;P2419H;A2\n"
        "Keyboard;Logitech;K120;A3\n"
        ";Dell;P2719H Monitor;A4\n"
        "Notebook;HP;EliteBook 840;A5\n",
    )
    assert outcomes(planned) == [
        (2, "import"),
        (3, "left_out"),
        (4, "left_out"),
        (5, "left_out"),
        (6, "import"),
    ]
    assert planned.rows[1].reasons == [
        str(imports.NOT_A_DEVICE_CATEGORY % {"value": "ComputerMonitor"})
    ]
    assert planned.rows[3].reasons == [
        str(imports.NOT_A_DEVICE_MODEL % {"value": "P2719H Monitor"})
    ]
    assert planned.counts == {"import": 2, "attention": 0, "left_out": 3}
    assert planned.can_confirm
    devices = imports.batch_import_confirm(batch=batch, actor=technician, plan=planned)
    assert sorted(device.serial_number for device in devices) == ["A1", "A5"]
    assert Device.objects.count() == 2


def test_an_unknown_category_needs_attention_and_names_the_suggestion(batch):
    planned = plan(batch, "Category,Manufacturer,Model\nOrnamental Railings,Apple,MacBook Air\n")
    [row] = planned.rows
    assert row.outcome == Outcome.ATTENTION
    assert row.reasons == [
        str(imports.UNKNOWN_CATEGORY % {"value": "Ornamental Railings"}),
        str(imports.UNKNOWN_CATEGORY_SUGGESTION % {"category": "kannettava tietokone"}),
    ]
    # Not reading the category column lets the suggestion stand.
    without = imports.plan_batch_import(
        batch=batch, table=planned.table, mapping={**planned.mapping, "category": None}
    )
    assert without.rows[0].outcome == Outcome.IMPORT
    assert without.rows[0].fields["category"] == "laptop"


# Serials and IMEIs: duplicates and Excel's damage


@pytest.mark.parametrize("second", ["abc123", "ABC 123", " a b c 1 2 3 ", "AbC\u00a0123"])
def test_serials_differing_in_case_or_spaces_are_one_serial_in_a_file(batch, second):
    planned = plan(
        batch,
        f"laji;valmistaja;malli;sarjanumero\nkannettava;HP;840;ABC123\nkannettava;HP;840;{second}\n",
    )
    assert outcomes(planned) == [(2, "import"), (3, "attention")]
    serial = " ".join(second.split())
    assert planned.rows[1].reasons == [
        str(import_rows.DUPLICATE_IN_FILE % {"serial": serial, "row": 2})
    ]


def test_a_serial_in_the_inventory_in_another_spelling_is_named_with_its_device(batch, technician):
    known = make_device(batch, technician, serial_number="PF-0001 X")
    planned = plan(batch, "laji;valmistaja;malli;sarjanumero\nkannettava;HP;840;pf-0001x\n")
    [row] = planned.rows
    assert row.outcome == Outcome.ATTENTION
    assert row.reasons == [
        str(SERIAL_ALREADY_IN_INVENTORY % {"serial": "pf-0001x", "code": known.inventory_code})
    ]


def test_imeis_are_checked_in_the_file_and_the_inventory(batch, technician):
    known = make_device(batch, technician, category="phone", imei=IMEI)
    planned = plan(
        batch,
        "laji;valmistaja;malli;imei\n"
        f"puhelin;Apple;iPhone SE;{IMEI}\n"
        f"puhelin;Apple;iPhone SE;{OTHER_IMEI}\n"
        f"puhelin;Apple;iPhone SE;{OTHER_IMEI[:3]} {OTHER_IMEI[3:]}\n",
    )
    assert outcomes(planned) == [(2, "attention"), (3, "import"), (4, "attention")]
    assert planned.rows[0].reasons == [
        str(IMEI_ALREADY_IN_INVENTORY % {"imei": IMEI, "code": known.inventory_code})
    ]
    assert planned.rows[2].reasons == [
        str(import_rows.DUPLICATE_IMEI_IN_FILE % {"imei": OTHER_IMEI, "row": 3})
    ]


@pytest.mark.parametrize(
    ("column", "value"),
    [("sarjanumero", "6.37702E+15"), ("sarjanumero", "6,37702E+15"), ("imei", "3.52099E+14")],
)
def test_serials_and_imeis_in_scientific_notation_say_how_to_fix_them(batch, column, value):
    planned = plan(batch, f"laji;valmistaja;malli;{column}\npuhelin;Nokia;G21;{value}\n")
    [row] = planned.rows
    assert row.outcome == Outcome.ATTENTION
    label = "sarjanumero" if column == "sarjanumero" else "IMEI"
    assert str(import_rows.SCIENTIFIC_NOTATION % {"field": label, "value": value}) in row.reasons
    assert "tekstiksi" in row.reasons[0]


# Field values and the model's rules


def test_cells_become_typed_values_checked_by_the_models_fields(batch):
    planned = plan(
        batch,
        "laji;valmistaja;malli;muisti (gt);tallennustila;levyn tyyppi;näyttö;laturi;kunto\n"
        "kannettava;Lenovo;T480;8 GB;1 TB;SSD;14,0;kyllä;a\n"
        "kannettava;Lenovo;T480;;;;;;\n",
        condition_grade="C",
    )
    first, second = planned.rows
    assert first.outcome == second.outcome == Outcome.IMPORT
    assert (first.fields["ram_gb"], first.fields["storage_gb"]) == (8, 1000)
    assert (first.fields["storage_type"], first.fields["screen_inches"]) == ("ssd", Decimal("14.0"))
    assert (first.fields["has_charger"], first.fields["condition_grade"]) == (True, "A")
    assert (second.fields["ram_gb"], second.fields["condition_grade"]) == (None, "C")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("kannettava;;T480;;", "”valmistaja” puuttuu"),
        ("kannettava;Lenovo;T480;paljon;", "muisti (Gt): ”paljon” ei ole luku"),
        ("kannettava;Lenovo;T480;;ehkä", "laturi mukana: ”ehkä” ei ole kyllä tai ei"),
        ("puhelin;Nokia;G21;;", "IMEI on pakollinen"),
        ("kannettava;Lenovo;" + "x" * 101 + ";;", "malli: "),
    ],
)
def test_a_bad_value_needs_attention_with_the_field_named(batch, row, reason):
    planned = plan(batch, f"laji;valmistaja;malli;muisti;laturi\n{row}\n")
    [planned_row] = planned.rows
    assert planned_row.outcome == Outcome.ATTENTION
    assert any(reason in message for message in planned_row.reasons), planned_row.reasons


def test_an_explicit_mapping_replaces_the_guess(batch):
    text = "A;B;C\nLenovo;T480;PF1\n"
    mapping = {"manufacturer": 0, "model": 1, "serial_number": 2}
    planned = plan(batch, text, mapping=mapping, default_category="laptop")
    assert planned.rows[0].fields["serial_number"] == "PF1"
    assert planned.mapping["category"] is None


# Confirmation


def test_confirm_logs_every_row_with_codes_in_order_and_one_history_record_each(batch, technician):
    before = make_device(batch, technician)
    planned = plan(
        batch,
        "laji;valmistaja;malli;sarjanumero\n"
        + "".join(f"kannettava;Lenovo;T480;IMP{n}\n" for n in range(5)),
    )
    devices = imports.batch_import_confirm(batch=batch, actor=technician, plan=planned)
    after = make_device(batch, technician)
    numbers = [int(code[2:-1]) for code in (before.inventory_code, after.inventory_code)]
    assert [device.inventory_code for device in devices] == [
        inventory_codes.make_code(number) for number in range(numbers[0] + 1, numbers[1])
    ]
    assert all(inventory_codes.is_valid(device.inventory_code) for device in devices)
    for device in Device.objects.filter(serial_number__startswith="IMP"):
        [record] = device.history.all()
        assert (record.history_user, record.history_change_reason) == (technician, "intake")
        assert (device.status, device.batch, device.logged_by) == ("received", batch, technician)


def test_confirm_checks_and_writes_in_set_based_queries_not_one_per_row(batch, technician):
    planned = plan(
        batch,
        "laji;valmistaja;malli;sarjanumero\n"
        + "".join(f"kannettava;Lenovo;T480;Q{n}\n" for n in range(300)),
    )
    with CaptureQueriesContext(connection) as queries:
        imports.batch_import_confirm(batch=batch, actor=technician, plan=planned)
    statements = [query["sql"] for query in queries.captured_queries]
    # Inserts come in the chunks the database's parameter limit allows (SQLite: ~40 rows).
    checks = [sql for sql in statements if not sql.startswith(("INSERT", "SAVEPOINT", "RELEASE"))]
    # 8, and 5 for the stored dashboard figures (kierratys.figures: their own, set-based).
    assert len(checks) <= 8 + 5, checks
    assert len(statements) < 300 / 5
    assert Device.objects.count() == 300


def test_a_plan_with_rows_needing_attention_writes_nothing(batch, technician):
    planned = plan(batch, "laji;valmistaja;malli\nkannettava;Lenovo;T480\nsohva;Ikea;Klippan\n")
    with pytest.raises(ImportRejected) as refusal:
        imports.batch_import_confirm(batch=batch, actor=technician, plan=planned)
    assert [error.row for error in refusal.value.row_errors] == [3]
    assert not Device.objects.exists()


def test_a_serial_logged_after_the_plan_refuses_the_whole_confirmation(batch, technician):
    planned = plan(
        batch, "laji;valmistaja;malli;sarjanumero\nkannettava;HP;840;R1\nkannettava;HP;840;R2\n"
    )
    logged = make_device(batch, technician, serial_number="r 2")
    with pytest.raises(ImportRejected) as refusal:
        imports.batch_import_confirm(batch=batch, actor=technician, plan=planned)
    [error] = refusal.value.row_errors
    assert error.row == 3
    assert logged.inventory_code in error.message
    assert list(Device.objects.values_list("serial_number", flat=True)) == ["r 2"]


def test_confirm_needs_a_received_batch(donor, technician):
    registered = make_batch(donor, technician, received=False)
    planned = plan(registered, "laji;valmistaja;malli\nkannettava;Lenovo;T480\n")
    with pytest.raises(ImportRejected) as refusal:
        imports.batch_import_confirm(batch=registered, actor=technician, plan=planned)
    assert registered.reference in refusal.value.messages[0]
    assert not Device.objects.exists()


def test_a_donor_list_is_added_to_the_batch_with_history(donor, donor_user):
    batch = make_batch(donor, donor_user, received=False)
    planned = imports.plan_donor_list(
        table=table(
            "Model;Manufacturer;Serial Number;Asset Tag\n"
            "Vaio;Sony;S1;T1\n"
            "K120 Keyboard;Logitech;S2;\n"
        )
    )
    assert outcomes(planned) == [(2, "import"), (3, "left_out")]
    items = imports.donor_list_confirm(batch=batch, actor=donor_user, plan=planned)
    assert [(item.row_number, item.category, item.serial_number) for item in items] == [
        (1, "laptop", "S1")
    ]
    assert BatchListItem.history.get().history_user == donor_user


# The database and the keyboard intake compare serials the same way


def test_the_database_refuses_a_serial_differing_only_in_case_and_spaces(batch, technician):
    device = make_device(batch, technician, serial_number="5CG8123XYZ")
    copy = Device(
        batch=batch,
        inventory_code="DK9999999",
        category="laptop",
        manufacturer="HP",
        model="840",
        serial_number="5cg 8123 xyz",
        condition_grade="B",
        logged_by=technician,
        logged_at=device.logged_at,
        status_changed_at=device.logged_at,
        received_at=device.logged_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_the_keyboard_intake_refuses_the_same_serial_with_spaces(batch, technician):
    known = make_device(batch, technician, serial_number="5CG8123XYZ")
    with pytest.raises(ValidationError) as refusal:
        make_device(batch, technician, serial_number="5cg 8123xyz")
    assert refusal.value.message_dict["serial_number"] == [
        str(SERIAL_ALREADY_IN_INVENTORY % {"serial": "5cg 8123xyz", "code": known.inventory_code})
    ]
    assert isinstance(refusal.value, services.IntakeError)


# The one-step functions kept for their callers


def test_the_one_step_import_still_logs_all_rows_or_names_the_bad_ones(batch, technician):
    good = b"laji,valmistaja,malli,sarjanumero\nkannettava,Lenovo,T480,OLD1\n"
    devices = imports.batch_import_devices(
        batch=batch,
        actor=technician,
        uploaded_file=SimpleUploadedFile("x.csv", good),
        condition_grade="B",
    )
    assert [device.serial_number for device in devices] == ["OLD1"]
    with pytest.raises(ImportRejected) as refusal:
        imports.batch_import_devices(
            batch=batch,
            actor=technician,
            uploaded_file=SimpleUploadedFile("x.csv", b"laji,malli\nkannettava,T480\n"),
            condition_grade="B",
        )
    assert refusal.value.messages == ["Tiedostosta puuttuu sarake: ”valmistaja”."]


def test_the_one_step_donor_list_gives_the_list_items_fields():
    upload = SimpleUploadedFile("x.csv", b"laji;valmistaja;malli\nPuhelin;Samsung;Galaxy A52\n")
    assert imports.parse_donor_list(upload) == [
        {
            "category": "phone",
            "manufacturer": "Samsung",
            "model": "Galaxy A52",
            "serial_number": "",
            "asset_tag": "",
        }
    ]


# The real exports


@needs_samples
def test_the_devicehub_list_without_categories_is_importable_from_the_model(batch, technician):
    content = (SAMPLES / "devicehub-placeholder.csv").read_bytes()
    sample = read_table("devicehub-placeholder.csv", content)
    planned = imports.plan_batch_import(batch=batch, table=sample)
    headers = {field: sample.headers[i] for field, i in planned.mapping.items() if i is not None}
    assert headers == {
        "manufacturer": "Manufacturer",
        "model": "Model",
        "serial_number": "Serial Number",
        "notes": "Info",
    }
    assert planned.counts == {"import": 3, "attention": 0, "left_out": 0}
    assert {row.fields["category"] for row in planned.rows} == {"laptop"}  # Sony Vaio
    refused = imports.plan_batch_import(batch=batch, table=sample, accept_suggestions=False)
    assert refused.counts == {"import": 0, "attention": 3, "left_out": 0}
    defaulted = imports.plan_batch_import(
        batch=batch, table=sample, accept_suggestions=False, default_category="laptop"
    )
    assert defaulted.can_confirm
    devices = imports.batch_import_confirm(batch=batch, actor=technician, plan=planned)
    assert sorted(device.serial_number for device in devices) == [
        "12345678",
        "12345679",
        "12345680",
    ]


@needs_samples
def test_the_snipeit_export_shows_its_categories_are_not_device_kinds(batch):
    content = (SAMPLES / "snipeit-assets-sample.csv").read_bytes()
    sample = read_table("snipeit-assets-sample.csv", content)
    planned = imports.plan_batch_import(batch=batch, table=sample)
    headers = {field: sample.headers[i] for field, i in planned.mapping.items() if i is not None}
    assert headers["category"] == "Category"
    assert headers["model"] == "Model"
    assert headers["asset_tag"] == "Asset Tag"
    assert "serial_number" not in headers
    assert planned.counts == {"import": 0, "attention": 22, "left_out": 0}
    assert all(row.reasons[0].startswith("tuntematon laji") for row in planned.rows)
    # The models are MacBooks: without the category column they are laptops.
    without = imports.plan_batch_import(
        batch=batch, table=sample, mapping={**planned.mapping, "category": None}
    )
    assert without.counts == {"import": 21, "attention": 1, "left_out": 0}
    assert {row.fields["category"] for row in without.importable} == {"laptop"}
    # The one that is not (model "Robby") takes the default category.
    defaulted = imports.plan_batch_import(
        batch=batch,
        table=sample,
        mapping={**planned.mapping, "category": None},
        default_category="other",
    )
    assert defaulted.counts == {"import": 22, "attention": 0, "left_out": 0}
