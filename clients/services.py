"""Client services: the client record and coaching milestones."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ClientMilestone
from kierratys.sequences import next_number

MILESTONE_ALREADY_RECORDED = _("Välitavoite ”%(milestone)s” on jo kirjattu tälle asiakkaalle.")


class ClientError(ValidationError):
    """A client-record change the rules refuse; the message is shown to the user."""


def client_create(*, actor, coach, **fields):
    """Create a client with a pseudonymous code (AS-2026-0001) shown on documents."""
    with transaction.atomic():
        year = timezone.localdate().year
        client = Client(
            code=f"AS-{year}-{next_number(name='client', year=year):04d}", coach=coach, **fields
        )
        client.full_clean(exclude=["code", "coach"])
        client._history_user = actor
        client.save()
    return client


def client_milestone_record(*, client, milestone, actor, completed_on, note=""):
    """Record a milestone the client has reached; each milestone once per client."""
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        if ClientMilestone.objects.filter(client=client, milestone=milestone).exists():
            raise ClientError(MILESTONE_ALREADY_RECORDED, params={"milestone": milestone.name})
        record = ClientMilestone(
            client=client,
            milestone=milestone,
            completed_on=completed_on,
            recorded_by=actor,
            note=note,
        )
        record._history_user = actor
        record.save()
    return record


def client_milestone_remove(*, record, actor):
    """Remove a milestone recorded by mistake; the history keeps who removed it."""
    with transaction.atomic():
        record._history_user = actor
        record._change_reason = "milestone removed"
        record.delete()
