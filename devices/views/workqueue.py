"""The technician's work queue and its scan box: what waits for erasure or refurbishment."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from devices import erasure_coverage, inventory_codes, lifecycle, selectors
from devices.models import Device
from devices.views.scanning import SCAN_INVALID, SCAN_UNKNOWN
from kierratys.roles import TECHNICIAN, role_required

QUEUE_SCAN_NOTHING_TO_DO = _(
    "Laite %(code)s on tilassa ”%(status)s”: sillä ei ole tyhjennettävää eikä kunnostettavaa."
)


QUEUE_LENGTH = 50


@role_required(TECHNICIAN)
def workqueue_page(request):
    """Devices waiting for erasure, failed attempts and devices waiting for refurbishment."""
    counts = selectors.workqueue_counts()
    sections = [
        {
            "key": "erasure",
            "title": _("Odottaa tyhjennystä"),
            "devices": selectors.waiting_for_erasure()[:QUEUE_LENGTH],
            "count": counts["erasure"],
            "action": "devices:erasure_create",
        },
        {
            "key": "failed",
            "title": _("Tyhjennys epäonnistui"),
            "devices": selectors.failed_erasures()[:QUEUE_LENGTH],
            "count": counts["failed"],
            "action": "devices:erasure_create",
        },
        {
            "key": "refurbishment",
            "title": _("Odottaa kunnostusta"),
            "devices": selectors.waiting_for_refurbishment()[:QUEUE_LENGTH],
            "count": counts["refurbishment"],
            "action": "devices:refurbishment_create",
        },
    ]
    return render(
        request,
        "devices/workqueue.html",
        {
            "sections": sections,
            "counts": counts,
            "queue_length": QUEUE_LENGTH,
            # Erasures a second technician must validate (settings.ERASURE_VALIDATION_REQUIRED).
            "validation_required": erasure_coverage.validation_required(),
            "awaiting_validation": selectors.awaiting_validation()[:QUEUE_LENGTH],
        },
    )


@role_required(TECHNICIAN)
def workqueue_scan(request):
    """A scanned code opens the device's next step: erasure or refurbishment form."""
    raw = request.GET.get("code", "")
    code = inventory_codes.normalise(raw)
    if not inventory_codes.is_valid(code):
        messages.error(request, SCAN_INVALID % {"code": raw.strip()[:40]})
        return redirect("devices:workqueue")
    device = Device.objects.filter(inventory_code=code).only("inventory_code", "status").first()
    if device is None:
        messages.error(request, SCAN_UNKNOWN % {"code": code})
        return redirect("devices:workqueue")
    actions = lifecycle.allowed_actions(device)
    if lifecycle.ERASURE in actions:
        return redirect("devices:erasure_create", code=code)
    if lifecycle.REFURBISHMENT in actions:
        return redirect("devices:refurbishment_create", code=code)
    messages.warning(
        request,
        QUEUE_SCAN_NOTHING_TO_DO % {"code": code, "status": device.get_status_display()},
    )
    return redirect("devices:workqueue")
