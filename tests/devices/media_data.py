"""What the storage-media tests share: the erasure values they record (the two-drive
`laptop` and its `batch` are fixtures in tests/devices/conftest.py)."""

from devices.models import Device, Erasure

S = Device.Status
HDD_ERASE = {
    "method": Erasure.Method.CLEAR,
    "technique": Erasure.Technique.OVERWRITE,
}
DESTROY = {
    "method": Erasure.Method.DESTROY,
    "technique": Erasure.Technique.PHYSICAL_DESTRUCTION,
}
LOCAL = "%Y-%m-%dT%H:%M"  # a datetime-local field's value


def medium_of(device, kind):
    return device.media.get(kind=kind)
