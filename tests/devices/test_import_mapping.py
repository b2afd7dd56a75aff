"""Which column is which field and which words are which category, as other systems and
people write them (fi, sv, en)."""

from decimal import Decimal

import pytest

from devices.import_mapping import (
    DONOR_LIST_FIELDS,
    IMPORT_FIELDS,
    NOT_A_DEVICE,
    category_is_generic,
    guess_mapping,
    parse_category,
    parse_inches,
    parse_size,
    parse_storage_type,
    suggest_category,
    yes_or_no,
)


def mapped(headers, fields=IMPORT_FIELDS):
    return {
        field: headers[index]
        for field, index in guess_mapping(headers, fields).items()
        if index is not None
    }


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["laji", "valmistaja", "malli", "sarjanumero", "imei", "inventaariotunnus"],
            {
                "category": "laji",
                "manufacturer": "valmistaja",
                "model": "malli",
                "serial_number": "sarjanumero",
                "imei": "imei",
                "asset_tag": "inventaariotunnus",
            },
        ),
        (
            ["Kategori", "Tillverkare", "Modell", "Serienummer"],
            {
                "category": "Kategori",
                "manufacturer": "Tillverkare",
                "model": "Modell",
                "serial_number": "Serienummer",
            },
        ),
        (
            ["Merkki", "Placeholder Model", "Device Serial Number", "Asset Tag"],
            {
                "manufacturer": "Merkki",
                "model": "Placeholder Model",
                "serial_number": "Device Serial Number",
                "asset_tag": "Asset Tag",
            },
        ),
        (
            ["Make", "Product Name", "S/N"],
            {"manufacturer": "Make", "model": "Product Name", "serial_number": "S/N"},
        ),
        (
            ["Brand", "Model", "Serial No."],
            {"manufacturer": "Brand", "model": "Model", "serial_number": "Serial No."},
        ),
        (
            ["DeviceType", "SerialNumber", "Muisti (Gt)"],
            {"category": "DeviceType", "serial_number": "SerialNumber", "ram_gb": "Muisti (Gt)"},
        ),
    ],
)
def test_headers_are_matched_in_three_languages_and_as_exported(headers, expected):
    assert mapped(headers) == expected


def test_common_export_names_are_found_inside_longer_headers():
    result = mapped(
        [
            "Device Serial Number",
            "Screen Size (inches)",
            "Storage Type",
            "RAM (GB)",
            "Serial Number (Manufacturer)",
            "Service Tag",
        ]
    )
    assert result["serial_number"] in {"Device Serial Number", "Serial Number (Manufacturer)"}
    assert result["screen_inches"] == "Screen Size (inches)"
    assert result["storage_type"] == "Storage Type"
    assert result["ram_gb"] == "RAM (GB)"
    assert "category" not in result  # "Storage Type" is not a category column


@pytest.mark.parametrize(
    "header",
    ["Model Number", "Asset EOL Date", "Order Number", "Memory Type", "Screen Resolution", "Name"],
)
def test_headers_that_only_contain_a_field_name_are_not_that_field(header):
    assert mapped([header]) == {}


def test_the_devicehub_style_header_maps_without_a_category():
    headers = "Model;Manufacturer;Serial Number;Part Number;Id device Supplier;Pallet;Info"
    result = mapped(headers.split(";"))
    assert result == {
        "model": "Model",
        "manufacturer": "Manufacturer",
        "serial_number": "Serial Number",
        "notes": "Info",
    }


def test_each_column_fills_one_field_and_only_the_asked_fields():
    mapping = guess_mapping(["Malli", "Malli 2", "IMEI", "Huomiot"], DONOR_LIST_FIELDS)
    assert set(mapping) == set(DONOR_LIST_FIELDS)
    assert mapping["model"] == 0
    assert list(mapping.values()).count(0) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("laptop", "laptop"),
        ("Laptops", "laptop"),
        ("Notebook", "laptop"),
        ("netbook", "laptop"),
        ("Chromebook", "laptop"),
        ("MacBook", "laptop"),
        ("kannettavat", "laptop"),
        ("KANNETTAVA TIETOKONE", "laptop"),
        ("Bärbar dator", "laptop"),
        ("Desktop Computers", "desktop"),
        ("pöytäkoneet", "desktop"),
        ("Stationär dator", "desktop"),
        ("Tablet PC", "tablet"),
        ("iPad", "tablet"),
        ("surfplatta", "tablet"),
        ("tabletit", "tablet"),
        ("smartphone", "phone"),
        ("Mobile Phones", "phone"),
        ("puhelimet", "phone"),
        ("Älypuhelin", "phone"),
        ("mobiltelefon", "phone"),
        ("muu", "other"),
        ("  tabletti ", "tablet"),
        ("Monitor", NOT_A_DEVICE),
        ("ComputerMonitor", NOT_A_DEVICE),
        ("näyttö", NOT_A_DEVICE),
        ("bildskärm", NOT_A_DEVICE),
        ("Keyboard", NOT_A_DEVICE),
        ("näppäimistö", NOT_A_DEVICE),
        ("tangentbord", NOT_A_DEVICE),
        ("Mouse", NOT_A_DEVICE),
        ("hiiri", NOT_A_DEVICE),
        ("Printer", NOT_A_DEVICE),
        ("tulostin", NOT_A_DEVICE),
        ("Cables", NOT_A_DEVICE),
        ("Laptop Docking Station", NOT_A_DEVICE),
        ("Headset", NOT_A_DEVICE),
        ("Ornamental Railings", None),
        ("televisio", None),
        ("Computer", None),
        ("", None),
    ],
)
def test_categories_in_three_languages_singular_and_plural(text, expected):
    assert parse_category(text) == expected


@pytest.mark.parametrize(
    ("text", "generic"),
    [("Computer", True), ("IT-laitteet", True), ("Enheter", True), ("Laptop", False), ("x", False)],
)
def test_words_that_say_only_a_device_leave_the_category_to_the_model(text, generic):
    assert category_is_generic(text) is generic


@pytest.mark.parametrize(
    ("manufacturer", "model", "expected"),
    [
        ("Sony", "Vaio", "laptop"),
        ("Lenovo", "ThinkPad T480", "laptop"),
        ("HP", "EliteBook 840 G5", "laptop"),
        ("HP", "ProBook 450", "laptop"),
        ("Dell", "Latitude 5490", "laptop"),
        ("Dell", "XPS 13 9380", "laptop"),
        ("Apple", 'Macbook Pro 13"', "laptop"),
        ("Lenovo", "IdeaPad 5", "laptop"),
        ("Google", "Chromebook Pixel", "laptop"),
        ("Dell", "OptiPlex 7060", "desktop"),
        ("Lenovo", "ThinkCentre M720q", "desktop"),
        ("HP", "EliteDesk 800 G4", "desktop"),
        ("Apple", "iMac 24", "desktop"),
        ("Apple", "Mac mini", "desktop"),
        ("Apple", "iPad (7. sukupolvi)", "tablet"),
        ("Samsung", "Galaxy Tab S7", "tablet"),
        ("Microsoft", "Surface Pro 7", "tablet"),
        ("Apple", "iPad Pro with Magic Keyboard", "tablet"),
        ("Apple", "iPhone SE", "phone"),
        ("Samsung", "Galaxy S21", "phone"),
        ("Samsung", "Galaxy A52", "phone"),
        ("Samsung", "Galaxy Note 10", "phone"),
        ("Google", "Pixel 7", "phone"),
        ("Nokia", "G21", "phone"),
        ("Motorola", "Moto g54", "phone"),
        ("Dell", "P2419H Monitor", NOT_A_DEVICE),
        ("Lenovo", "ThinkPad USB-C Dock", NOT_A_DEVICE),
        ("HP", "EliteBook 840 G5 + telakka", "laptop"),
        ("Acme", "Widget 3000", None),
        ("", "", None),
    ],
)
def test_well_known_model_families_suggest_a_category(manufacturer, model, expected):
    assert suggest_category(manufacturer, model) == expected


@pytest.mark.parametrize(
    ("function", "text", "expected"),
    [
        (parse_size, "8", 8),
        (parse_size, "8 GB", 8),
        (parse_size, "16Gt", 16),
        (parse_size, "", None),
        (parse_inches, "15,6", Decimal("15.6")),
        (parse_inches, '13.3"', Decimal("13.3")),
        (parse_storage_type, "SSD", "ssd"),
        (parse_storage_type, "NVMe SSD", "nvme"),
        (parse_storage_type, "eMMC", "emmc"),
        (yes_or_no, "kyllä", True),
        (yes_or_no, "X", True),
        (yes_or_no, "ei", False),
        (yes_or_no, "", False),
        (yes_or_no, "ehkä", None),
    ],
)
def test_cell_texts_become_field_values(function, text, expected):
    assert function(text) == expected


def test_storage_in_terabytes_is_gigabytes():
    assert parse_size("1 TB", tera=True) == 1000
    with pytest.raises(ValueError):
        parse_size("paljon")
