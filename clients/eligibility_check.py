"""The stored waiting-list facts against their rules: what `manage.py check_figures`
reports as drift."""

from django.db.models import F, Q

from clients.models import Client
from clients.selectors import live_eligible_since, live_has_open_handover


def eligibility_drift():
    """Keys of the clients whose stored eligible_since or has_open_handover differs from
    the live rule (none: [])."""
    stored = Q(eligible_since__isnull=False)
    live = Q(live__isnull=False)
    differs = (stored & ~live) | (~stored & live) | (stored & live & ~Q(eligible_since=F("live")))
    differs |= ~Q(has_open_handover=F("live_open"))
    return list(
        Client.objects.annotate(live=live_eligible_since(), live_open=live_has_open_handover())
        .filter(differs)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
