import pytest
from django.urls import reverse

from devices import inventory_codes
from devices.views.scanning import SCAN_AMBIGUOUS, SCAN_INVALID, SCAN_UNKNOWN
from tests.factories import make_batch, make_device

SCAN = reverse("devices:scan")


@pytest.fixture
def device(donor, technician):
    return make_device(make_batch(donor, technician), technician)


def test_a_scanned_code_opens_the_device_page(technician_client, device):
    response = technician_client.get(SCAN, {"code": device.inventory_code})
    assert response.status_code == 302
    assert response["Location"] == device.get_absolute_url()
    assert technician_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("typed", ["{code} ", "{lower}", "{spaced}"])
def test_codes_typed_by_people_are_normalised(coach_client, device, typed):
    code = device.inventory_code
    raw = typed.format(code=code, lower=code.lower(), spaced=f"{code[:2]} {code[2:5]}-{code[5:]}")
    response = coach_client.get(SCAN, {"code": raw})
    assert response["Location"] == device.get_absolute_url()


def _scan_field(content):
    return content.split('id="scan-code"', 1)[1].split(">", 1)[0]


def test_a_mistyped_check_digit_is_refused_not_matched_to_another_device(
    technician_client, donor, technician
):
    batch = make_batch(donor, technician)
    devices = [make_device(batch, technician) for _ in range(12)]
    target = devices[0].inventory_code
    wrong = target[:-1] + str((int(target[-1]) + 1) % 10)
    assert not inventory_codes.is_valid(wrong)
    response = technician_client.get(SCAN, {"code": wrong})
    assert response.status_code == 404
    assert str(SCAN_INVALID % {"code": wrong}) in response.content.decode()
    assert all(d.get_absolute_url() not in response.content.decode() for d in devices)


def test_an_unknown_code_says_so_and_keeps_the_code_focused_in_the_scan_field(
    technician_client, device
):
    unknown = inventory_codes.make_code(999999)
    response = technician_client.get(SCAN, {"code": unknown})
    content = response.content.decode()
    assert response.status_code == 404
    assert str(SCAN_UNKNOWN % {"code": unknown}) in content
    field = _scan_field(content)
    assert f'value="{unknown}"' in field and "autofocus" in field
    assert "data-select-on-load" in field
    # Only the failure page takes the focus; other pages leave it where the user is.
    assert "autofocus" not in _scan_field(
        technician_client.get(device.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("typed", ["{serial}", "{lower}", " {spaced} "])
def test_a_scanned_serial_number_opens_the_device(technician_client, device, typed):
    serial = device.serial_number
    raw = typed.format(serial=serial, lower=serial.lower(), spaced=f"{serial[:3]} {serial[3:]}")
    response = technician_client.get(SCAN, {"code": raw})
    assert response.status_code == 302
    assert response["Location"] == device.get_absolute_url()


def test_a_scanned_imei_opens_the_phone(coach_client, donor, technician):
    phone = make_device(make_batch(donor, technician), technician, category="phone")
    spaced = f"{phone.imei[:2]} {phone.imei[2:8]} {phone.imei[8:]}"
    for raw in (phone.imei, spaced):
        response = coach_client.get(SCAN, {"code": raw})
        assert response["Location"] == phone.get_absolute_url()


def test_a_code_naming_two_devices_lists_both(technician_client, donor, technician):
    batch = make_batch(donor, technician)
    phone = make_device(batch, technician, category="phone")
    # A serial number typed as the digits of another device's IMEI.
    laptop = make_device(batch, technician, serial_number=phone.imei)
    response = technician_client.get(SCAN, {"code": phone.imei})
    content = response.content.decode()
    assert response.status_code == 200
    assert str(SCAN_AMBIGUOUS % {"code": phone.imei}) in content
    assert phone.get_absolute_url() in content and laptop.get_absolute_url() in content
    assert "autofocus" in _scan_field(content)


def test_an_unknown_serial_says_which_code_was_scanned(technician_client, device):
    response = technician_client.get(SCAN, {"code": "EI-OLE-123"})
    assert response.status_code == 404
    assert str(SCAN_UNKNOWN % {"code": "EI-OLE-123"}) in response.content.decode()


def test_the_scan_field_is_in_the_header_of_staff_pages_only(technician_client, client, donor_user):
    page = technician_client.get(reverse("devices:device_list")).content.decode()
    assert 'id="scan-code"' in page
    client.force_login(donor_user)
    assert 'id="scan-code"' not in client.get(reverse("home")).content.decode()
    assert client.get(SCAN, {"code": "DK0000013"}).status_code == 403
