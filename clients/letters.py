"""Loan letters for the client: the reminder to return a loan and the return receipt.

Both are in the client's language, in plain words; the reminder is printed in large
type when the client's accessibility needs mention weak sight (needs_large_screen).
"""

from django.utils import timezone, translation

from clients.selectors import needs_large_screen
from kierratys.pdf import render_pdf

# The history reason handover_return saves with the returned loan.
LOAN_RETURNED_REASON = "loan returned"


def loan_reminder_letter_context(handover, *, today=None):
    today = today or timezone.localdate()
    days_late = (today - handover.due_date).days
    return {
        "handover": handover,
        "client": handover.client,
        "device": handover.device,
        "today": today,
        "overdue": days_late > 0,
        "large_print": needs_large_screen(handover.client),
        "coach": handover.client.coach,
    }


def loan_reminder_letter_pdf(handover, *, today=None):
    """The reminder letter of an open loan, in the client's language."""
    with translation.override(handover.client.language or "fi"):
        return render_pdf(
            "clients/loan_reminder_letter_pdf.html",
            loan_reminder_letter_context(handover, today=today),
        )


def _received_by(handover):
    """Who recorded the return (from the history), else the client's coach."""
    record = (
        handover.history.filter(history_change_reason=LOAN_RETURNED_REASON)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    if record is not None and record.history_user is not None:
        return record.history_user
    return handover.client.coach


def return_receipt_context(handover):
    return {
        "handover": handover,
        "client": handover.client,
        "device": handover.device,
        "received_by": _received_by(handover),
    }


def return_receipt_pdf(handover):
    """The receipt of a returned loan, in the client's language."""
    with translation.override(handover.client.language or "fi"):
        return render_pdf("clients/return_receipt_pdf.html", return_receipt_context(handover))
