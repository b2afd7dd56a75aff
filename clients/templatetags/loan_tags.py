"""The loans to follow up on the coach's start page (templates/home/_coach.html)."""

from django import template
from django.utils import timezone

from clients.loans import DUE_SOON_DAYS, loans_to_follow_up

register = template.Library()

# The start page lists the first few; the overdue list has them all.
FOLLOW_UP_SHOWN = 10


@register.simple_tag
def loan_follow_up(user):
    """Overdue and due-soon loans (earliest first) with the client's phone, and their total."""
    today = timezone.localdate()
    loans = loans_to_follow_up(user, today=today)
    rows = list(loans[: FOLLOW_UP_SHOWN + 1])
    total = len(rows) if len(rows) <= FOLLOW_UP_SHOWN else loans.count()
    rows = rows[:FOLLOW_UP_SHOWN]
    for handover in rows:
        handover.days_overdue = (today - handover.due_date).days
    return {"rows": rows, "total": total, "days": DUE_SOON_DAYS}
