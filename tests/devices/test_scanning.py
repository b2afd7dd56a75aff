import pytest
from django.urls import reverse

from devices import inventory_codes
from devices.views.scanning import SCAN_INVALID, SCAN_UNKNOWN
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


def test_a_mistyped_check_digit_is_refused_not_matched_to_another_device(
    technician_client, donor, technician
):
    batch = make_batch(donor, technician)
    devices = [make_device(batch, technician) for _ in range(12)]
    target = devices[0].inventory_code
    wrong = target[:-1] + str((int(target[-1]) + 1) % 10)
    assert not inventory_codes.is_valid(wrong)
    response = technician_client.get(SCAN, {"code": wrong}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert str(SCAN_INVALID % {"code": wrong}) in [str(m) for m in response.context["messages"]]
    assert all(d.get_absolute_url() not in dict(response.redirect_chain) for d in devices)


def test_an_unknown_valid_code_says_so_and_returns_to_the_page(technician_client, device):
    unknown = inventory_codes.make_code(999999)
    referer = reverse("devices:device_list")
    response = technician_client.get(SCAN, {"code": unknown}, HTTP_REFERER=referer)
    assert response["Location"] == referer
    page = technician_client.get(referer)
    assert str(SCAN_UNKNOWN % {"code": unknown}) in page.content.decode()


def test_a_foreign_referer_is_not_followed(technician_client):
    response = technician_client.get(SCAN, {"code": "x"}, HTTP_REFERER="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_the_scan_field_is_in_the_header_of_staff_pages_only(technician_client, client, donor_user):
    page = technician_client.get(reverse("devices:device_list")).content.decode()
    assert 'id="scan-code"' in page
    client.force_login(donor_user)
    assert 'id="scan-code"' not in client.get(reverse("home")).content.decode()
    assert client.get(SCAN, {"code": "DK0000013"}).status_code == 403
