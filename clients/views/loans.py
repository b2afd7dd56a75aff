"""Loan follow-up documents: the reminder letter and the return receipt (PDF)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from clients import selectors
from clients.access_log import access_log_record
from clients.letters import loan_reminder_letter_pdf, return_receipt_pdf
from clients.models import AccessLog, Handover
from kierratys.pdf import pdf_response
from kierratys.roles import COACH, role_required

NOT_AN_OPEN_LOAN = _("Muistutuskirje tehdään vain lainasta, jota ei ole vielä palautettu.")
NOT_RETURNED = _("Palautuskuitti syntyy, kun laina palautetaan.")


def _visible_handover(request, pk):
    return get_object_or_404(
        selectors.handovers_visible_to(request.user).select_related(
            "client", "client__coach", "device"
        ),
        pk=pk,
    )


@role_required(COACH)
@require_GET
def loan_reminder_letter(request, pk):
    """The client's reminder letter of an open loan; opening it is logged as a read."""
    handover = _visible_handover(request, pk)
    if handover.status != Handover.Status.HANDED_OVER or handover.kind != Handover.Kind.LOAN:
        messages.error(request, NOT_AN_OPEN_LOAN)
        return redirect(handover.client)
    access_log_record(
        client=handover.client, user=request.user, action=AccessLog.Action.REMINDER_LETTER
    )
    return pdf_response(
        loan_reminder_letter_pdf(handover), f"{handover.receipt_number}-muistutus.pdf"
    )


@role_required(COACH)
@require_GET
def return_receipt(request, pk):
    """The receipt of a returned loan; opening it is logged as a read."""
    handover = _visible_handover(request, pk)
    if handover.status != Handover.Status.RETURNED:
        messages.error(request, NOT_RETURNED)
        return redirect(handover.client)
    access_log_record(
        client=handover.client, user=request.user, action=AccessLog.Action.RETURN_RECEIPT
    )
    return pdf_response(return_receipt_pdf(handover), f"{handover.receipt_number}-palautus.pdf")
