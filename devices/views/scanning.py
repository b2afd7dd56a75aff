"""The header scan field: an inventory code, a serial number or an IMEI opens the device.

A scan that finds nothing (or several devices) shows a page that says so, with the
scanned code in the header field, focused and selected, so the scanner's next code
replaces it instead of going nowhere.
"""

import re

from django.db.models import Q, Value
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from devices import inventory_codes
from devices.models import Device
from devices.models.device import serial_key, serial_key_text
from kierratys.roles import COACH, TECHNICIAN, role_required

SCAN_INVALID = _("”%(code)s” ei ole kelvollinen laitekoodi. Tarkista koodi ja skannaa uudelleen.")
SCAN_UNKNOWN = _(
    "Koodilla ”%(code)s” ei löydy laitetta (inventaariokoodi, sarjanumero tai IMEI). "
    "Tarkista koodi ja skannaa uudelleen."
)
SCAN_AMBIGUOUS = _("Koodilla ”%(code)s” löytyi useita laitteita. Valitse oikea.")
SHOWN_CODE_LENGTH = 40
# "DK" and digits: meant as an inventory code, so a wrong check digit is a typo.
_LOOKS_LIKE_INVENTORY_CODE = re.compile(rf"^{inventory_codes.PREFIX}\d+$")


def devices_for_code(raw):
    """The devices a scanned code names: its inventory code, else its serial or IMEI."""
    code = inventory_codes.normalise(raw)
    if inventory_codes.is_valid(code):
        found = list(Device.objects.filter(inventory_code=code))
        if found:
            return found
    typed = raw.strip()
    matches = Q()
    if typed:
        # As the unique_device_serial index compares serials: case and spaces ignored.
        matches |= Q(serial_key=serial_key(Value(serial_key_text(typed))))
    digits = re.sub(r"[\s\-]", "", typed)
    if digits.isdigit():
        matches |= Q(imei=digits)
    if not matches:
        return []
    return list(
        Device.objects.alias(serial_key=serial_key("serial_number"))
        .filter(matches)
        .order_by("inventory_code")
    )


@role_required(TECHNICIAN, COACH)
def scan(request):
    """Open the device a scanner (or a person) typed into the header field."""
    raw = request.GET.get("code", "")
    devices = devices_for_code(raw)
    if len(devices) == 1:
        return redirect(devices[0].get_absolute_url())
    shown = raw.strip()[:SHOWN_CODE_LENGTH]
    code = inventory_codes.normalise(raw)
    if devices:
        message = SCAN_AMBIGUOUS % {"code": shown}
    elif _LOOKS_LIKE_INVENTORY_CODE.match(code) and not inventory_codes.is_valid(code):
        message = SCAN_INVALID % {"code": shown}
    else:
        message = SCAN_UNKNOWN % {"code": shown}
    return render(
        request,
        "devices/scan_result.html",
        {"message": message, "devices": devices, "scan_failed": True, "scan_code": shown},
        status=200 if devices else 404,
    )
