from devices.models import Device
from tests.factories import make_batch, make_ready_device


def test_a_device_goes_from_intake_to_ready_through_the_services(donor, technician):
    batch = make_batch(donor, technician)
    device = make_ready_device(batch, technician)
    assert device.status == Device.Status.READY
    assert device.inventory_code.startswith("DK")
    users = set(device.history.values_list("history_user__username", flat=True))
    assert users == {"teknikko"}
