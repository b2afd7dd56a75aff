"""The handover receipt (luovutuskuitti): A4, plain language, in the client's language."""

from django.utils import timezone, translation

from clients.models import HandoverReadiness
from clients.selectors import needs_large_screen, support_points_for
from devices.lifecycle import current_passed_erasure
from kierratys.barcodes import code128_svg
from kierratys.pdf import render_pdf


def receipt_large_print(client, *, chosen=False):
    """Large print (16 pt) when chosen, or always for weak sight: the loan letter's rule."""
    return chosen or needs_large_screen(client)


def handover_receipt_context(handover, *, large_print=False):
    device = handover.device
    client = handover.client
    # The barcode carries the inventory code, like the device's own label: scanning
    # the receipt when a loan comes back opens the device at once.
    barcode_value = device.inventory_code
    return {
        "handover": handover,
        "client": client,
        "device": device,
        "barcode": code128_svg(barcode_value, height=12),
        "barcode_value": barcode_value,
        # The erasure that counted when the device was reserved for this handover,
        # also on a reprint after a loan has come back.
        "erasure": current_passed_erasure(device, as_of=handover.reserved_at),
        "support_points": list(support_points_for(client.municipality)),
        "handed_over_on": timezone.localdate(handover.handed_over_at),
        "coach": handover.handed_over_by,
        "coach_phone": handover.coach_phone,
        "large_print": receipt_large_print(client, chosen=large_print),
        # The checklist done before the handover (none on receipts of earlier handovers).
        "readiness": HandoverReadiness.objects.filter(handover=handover)
        .select_related("checked_by")
        .first(),
    }


def handover_receipt_pdf(handover, *, large_print=False):
    """Render the receipt of a handed-over device in the client's language (large print: 16 pt)."""
    with translation.override(handover.client.language or "fi"):
        return render_pdf(
            "clients/receipt_pdf.html", handover_receipt_context(handover, large_print=large_print)
        )
