"""Retention: served clients are closed, closed clients are anonymised, on schedule.

A client's path ends in two steps, both run by the daily `anonymise_clients` job:
a served client (a gift handed over) is closed settings.SERVED_CLIENT_CLOSE_MONTHS
after the gift, and every closed client, whatever path led there, is anonymised
settings.CLIENT_RETENTION_MONTHS after closing.

What goes: the personal fields of the client (Client.PERSONAL_FIELDS: the name
becomes "Anonymisoitu", phone and free texts are blanked), the coach's notes on
the client's milestones and the notes written when a loan came back. What
stays: the client code, municipality (a place, not a person; also the text typed
before the municipality list where it named none), service and device need, the
dates, and the whole device trail, so every figure and every device's path still
adds up.

Why the history tables are written with queryset.update(): elsewhere a change
must leave a history row, because the history is the audit trail. Here the
history rows themselves hold the personal data that the law says must go, so
rewriting them in place IS the anonymisation; saving through the model would
only add one more row and leave every old copy of the name behind. The live
rows are still saved through the model (bulk_update_with_history and save())
so the history shows when the anonymisation happened and who ran it.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from clients import services
from clients.models import Client, ClientMilestone, Handover, HandoverReadiness

ANONYMISED_NAME = "Anonymisoitu"
CHANGE_REASON = "retention: personal data anonymised"
SERVED_CLOSE_REASON = "retention: closed after the gift"

# What each personal field becomes.
BLANKED = {name: "" for name in Client.PERSONAL_FIELDS} | {"name": ANONYMISED_NAME}


def months_before(today, months):
    """The same day `months` months before `today` (31 March minus one month: 28/29 February)."""
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    # 31 March minus one month is the last day of February.
    return datetime.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(today=None, months=None):
    """The closing date before which a client's personal data is anonymised."""
    today = today or timezone.localdate()
    months = settings.CLIENT_RETENTION_MONTHS if months is None else months
    return months_before(today, months)


def served_close_cutoff(today=None):
    """The gift date before which a served client's record is closed."""
    return months_before(today or timezone.localdate(), settings.SERVED_CLIENT_CLOSE_MONTHS)


def served_clients_due(today=None):
    """Served clients whose last gift was handed over before the closing cutoff."""
    last_gift = (
        Handover.objects.filter(
            client=OuterRef("pk"),
            kind=Handover.Kind.GIFT,
            status=Handover.Status.HANDED_OVER,
        )
        .order_by("-handed_over_at")
        .values("handed_over_at")[:1]
    )
    cutoff = served_close_cutoff(today)
    return (
        Client.objects.filter(status=Client.Status.SERVED)
        .annotate(last_gift_at=Subquery(last_gift))
        .filter(last_gift_at__date__lt=cutoff)
        .order_by("last_gift_at", "code")
    )


def close_served_clients(*, today=None, dry_run=False, actor=None):
    """Close every served client due (closing date: today); returns the clients' codes."""
    today = today or timezone.localdate()
    due = list(served_clients_due(today))
    if not dry_run:
        for client in due:
            services.client_close(
                client=client, actor=actor, closed_on=today, reason=SERVED_CLOSE_REASON
            )
    return [client.code for client in due]


def clients_due(today=None):
    """Closed clients not yet anonymised whose closing is older than the retention period."""
    return Client.objects.filter(
        status=Client.Status.CLOSED,
        closed_on__lt=retention_cutoff(today),
        anonymised_at__isnull=True,
    ).order_by("closed_on", "code")


@dataclass
class ClientChanges:
    """What anonymising one client changes (or would change, on a dry run)."""

    code: str
    closed_on: datetime.date
    client_history_rows: int = 0
    milestone_notes: int = 0
    milestone_history_rows: int = 0
    handover_notes: int = 0
    handover_history_rows: int = 0


@dataclass
class RetentionResult:
    dry_run: bool
    cutoff: datetime.date
    clients: list = field(default_factory=list)

    def total(self, name):
        return sum(getattr(changes, name) for changes in self.clients)


def _has_personal_data():
    q = ~Q(name=ANONYMISED_NAME)
    for name in Client.PERSONAL_FIELDS:
        if name != "name":
            q |= ~Q(**{name: ""})
    return q


def _changes(client):
    """Count the rows that still hold the client's personal data."""
    return ClientChanges(
        code=client.code,
        closed_on=client.closed_on,
        client_history_rows=Client.history.filter(id=client.pk)
        .filter(_has_personal_data())
        .count(),
        milestone_notes=ClientMilestone.objects.filter(client=client).exclude(note="").count(),
        milestone_history_rows=ClientMilestone.history.filter(client_id=client.pk)
        .exclude(note="")
        .count(),
        handover_notes=Handover.objects.filter(client=client).exclude(return_note="").count(),
        handover_history_rows=Handover.history.filter(client_id=client.pk)
        .exclude(return_note="")
        .count(),
    )


def client_anonymise(*, client, actor=None):
    """Blank a client's personal data in the live and history tables; code and device trail stay."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        changes = _changes(client)

        milestones = list(ClientMilestone.objects.filter(client=client).exclude(note=""))
        for record in milestones:
            record.note = ""
            # An instance's own _history_user would win over default_user.
            record._history_user = actor
        bulk_update_with_history(
            milestones,
            ClientMilestone,
            ["note"],
            default_user=actor,
            default_change_reason=CHANGE_REASON,
        )
        # The reason for recording a handover afterwards is free text about the client too.
        handovers = list(
            Handover.objects.filter(client=client).exclude(return_note="", backdating_reason="")
        )
        for handover in handovers:
            handover.return_note = ""
            handover.backdating_reason = ""
            handover._history_user = actor
        bulk_update_with_history(
            handovers,
            Handover,
            ["return_note", "backdating_reason"],
            default_user=actor,
            default_change_reason=CHANGE_REASON,
        )
        # The readiness checklist's note is free text about the client, like the return note.
        checklists = list(
            HandoverReadiness.objects.filter(handover__client=client).exclude(note="")
        )
        for checklist in checklists:
            checklist.note = ""
            checklist._history_user = actor
        bulk_update_with_history(
            checklists,
            HandoverReadiness,
            ["note"],
            default_user=actor,
            default_change_reason=CHANGE_REASON,
        )

        for name, value in BLANKED.items():
            setattr(client, name, value)
        client.anonymised_at = timezone.now()
        client._history_user = actor
        client._change_reason = CHANGE_REASON
        client.save(update_fields=[*BLANKED, "anonymised_at"])

        # The history rows are the copies of the personal data: rewrite them (see above).
        Client.history.filter(id=client.pk).update(**BLANKED)
        ClientMilestone.history.filter(client_id=client.pk).update(note="")
        Handover.history.filter(client_id=client.pk).update(return_note="", backdating_reason="")
        HandoverReadiness.history.filter(
            handover_id__in=Handover.objects.filter(client=client).values("pk")
        ).update(note="")
    return changes


def anonymise_closed_clients(*, today=None, dry_run=False, actor=None):
    """Anonymise every client due; with dry_run, only report what would change."""
    result = RetentionResult(dry_run=dry_run, cutoff=retention_cutoff(today))
    for client in clients_due(today):
        if dry_run:
            result.clients.append(_changes(client))
        else:
            result.clients.append(client_anonymise(client=client, actor=actor))
    return result
