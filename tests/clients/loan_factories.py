"""Loans handed over through the real services, for the loan follow-up tests."""

import datetime

from django.utils import timezone

from clients import services
from clients.models import Handover
from tests.factories import make_eligible_client, prepare_for_handover


def make_loan(coach, device, *, due_in, **client_fields):
    """A loan of `device` to a new eligible client of `coach`, due `due_in` days from today."""
    client = make_eligible_client(coach, **client_fields)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(reserved, coach)
    return services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=due_in),
    )


def move_calendar(monkeypatch, days):
    """Make timezone.localdate() answer `days` days later than today; returns that day."""
    later = timezone.localdate() + datetime.timedelta(days=days)
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, **kw: later if value is None else real_localdate(value, **kw),
    )
    return later


__all__ = ["make_loan", "move_calendar"]
