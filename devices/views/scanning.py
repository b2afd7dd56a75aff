from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from devices import inventory_codes
from devices.models import Device
from kierratys.roles import COACH, TECHNICIAN, role_required

SCAN_INVALID = _("”%(code)s” ei ole kelvollinen laitekoodi. Tarkista koodi ja skannaa uudelleen.")
SCAN_UNKNOWN = _("Laitetta koodilla %(code)s ei löydy.")


@role_required(TECHNICIAN, COACH)
def scan(request):
    """Open the device a scanner (or a person) typed into the header field."""
    raw = request.GET.get("code", "")
    code = inventory_codes.normalise(raw)
    if not inventory_codes.is_valid(code):
        messages.error(request, SCAN_INVALID % {"code": raw.strip()[:40]})
        return _back(request)
    device = Device.objects.filter(inventory_code=code).only("inventory_code").first()
    if device is None:
        messages.error(request, SCAN_UNKNOWN % {"code": code})
        return _back(request)
    return redirect(device.get_absolute_url())


def _back(request):
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect("home")
