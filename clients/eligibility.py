"""Keeping Client.eligible_since equal to the rule (clients.selectors.live_eligible_since).

The milestone and catalogue services call these inside their own transaction, after the
change, so the stored day and the milestones are committed together. Each is one UPDATE
that writes the rule's own SQL expression, so the stored value cannot be computed
differently from the live one.

Why queryset.update() here, where the conventions ask for history on every change:
eligible_since is derived data, left out of the client's history (HistoricalRecords
excluded_fields); the history of the milestones and of the catalogue that move it is the
audit trail. A catalogue change would otherwise add a history row for every client.
"""

from clients.models import Client
from clients.selectors import live_eligible_since


def eligibility_refresh(*, clients):
    """Recompute eligible_since of these clients (instances or keys); the caller's transaction."""
    keys = [getattr(client, "pk", client) for client in clients]
    return Client.objects.filter(pk__in=keys).update(eligible_since=live_eligible_since())


def eligibility_refresh_all():
    """Recompute eligible_since of every client, after a catalogue change; one UPDATE.

    The clients are locked first (key order, as every service locks a client first): on
    PostgreSQL the UPDATE then reads, in a snapshot taken after the locks, every milestone
    a coach recorded in a transaction that held a client's lock, and a coach recording one
    now waits for the new catalogue. SQLite writers queue anyway (IMMEDIATE transactions)."""
    list(Client.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    return Client.objects.update(eligible_since=live_eligible_since())
