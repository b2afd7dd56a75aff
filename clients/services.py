"""Client services: the client record and coaching milestones."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ClientMilestone, Milestone
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


CLIENT_SERVED_STATUS_LOCKED = _(
    "Asiakkaalle on luovutettu laite; tila muuttuu luovutuksen ja palautuksen kautta."
)


def client_update(*, client, actor, **fields):
    """Change a client's record; closing sets the closing date, reopening clears it."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        status = fields.get("status", client.status)
        if status != client.status and Client.Status.SERVED in (status, client.status):
            raise ClientError(CLIENT_SERVED_STATUS_LOCKED)
        for name, value in fields.items():
            setattr(client, name, value)
        if client.status == Client.Status.CLOSED and client.closed_on is None:
            client.closed_on = timezone.localdate()
        elif client.status != Client.Status.CLOSED:
            client.closed_on = None
        client.full_clean(exclude=["code"])
        client._history_user = actor
        client.save()
    return client


def milestone_create(*, actor, **fields):
    """Add a step to the coaching catalogue; required active steps decide eligibility."""
    milestone = Milestone(**fields)
    milestone.full_clean()
    milestone._history_user = actor
    milestone.save()
    return milestone


def milestone_update(*, milestone, actor, **fields):
    """Change a catalogue step; eligibility of every client follows at once (it is computed)."""
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        for name, value in fields.items():
            setattr(milestone, name, value)
        milestone.full_clean()
        milestone._history_user = actor
        milestone.save()
    return milestone
