"""The device page's own reads: the device by its code, its erasure attempts and its
refurbishment checks, each a query compiled once (kierratys.compiled_queries) since the
page asks them of every device with only the device changed."""

from django.http import Http404

from devices.models import Device, Erasure, RefurbishmentCheck
from kierratys.compiled_queries import CompiledQuery

_DEVICE_BY_CODE = CompiledQuery(
    lambda code: Device.objects.select_related("batch__donor").filter(inventory_code=code), str
)
_ERASURES_OF = CompiledQuery(
    lambda pk: (
        Erasure.objects.filter(device_id=pk).select_related("evidence").order_by("-ended_at")
    ),
    int,
)
_CHECKS_OF = CompiledQuery(
    lambda pk: RefurbishmentCheck.objects.filter(device_id=pk).order_by("-checked_at"), int
)


def device_by_code(code):
    """The device with its batch and donor; 404 for a code no device has."""
    found = _DEVICE_BY_CODE(code)
    if not found:
        raise Http404("No device has this code.")
    return found[0]


def erasures_of(device):
    """The device's erasure attempts with their evidence files, newest first."""
    return _of(device, _ERASURES_OF(device.pk), Erasure)


def checks_of(device):
    """The device's refurbishment checks, newest first."""
    return _of(device, _CHECKS_OF(device.pk), RefurbishmentCheck)


def _of(device, objects, model):
    # Each knows its device, as objects read through device.erasures would.
    for obj in objects:
        model.device.field.set_cached_value(obj, device)
    return objects
