"""Timelines of a donation batch and of a client, built with kierratys.timeline.

The device page has its own (devices/views/inventory.py); these tell the story
of the things around it: a batch from registration through the intake of each
device to processed, and a client from the first record through milestones and
handovers to closing (and anonymisation).
"""

from devices.models import Device, DonationBatch
from kierratys.timeline import timeline_for

BATCH_HIDDEN = {"batch", "status_changed_at", "logged_at", "logged_by"}
CLIENT_HIDDEN = {"client", "created_at"}


def batch_timeline(batch):
    """The batch's own changes and each device's intake, oldest first (a few queries)."""
    return timeline_for(
        DonationBatch.history.filter(id=batch.pk),
        Device.history.filter(batch_id=batch.pk, history_type="+"),
        hidden_fields=BATCH_HIDDEN,
    )


def client_timeline(client):
    """The client's record, milestones and handovers, with field-level diffs, oldest first."""
    # Imported here: devices' views use batch_timeline, and devices never imports clients.
    from clients.models import Client, ClientMilestone, Handover

    return timeline_for(
        Client.history.filter(id=client.pk),
        ClientMilestone.history.filter(client_id=client.pk),
        Handover.history.filter(client_id=client.pk),
        hidden_fields=CLIENT_HIDDEN,
    )
