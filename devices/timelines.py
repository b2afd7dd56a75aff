"""Timelines of a device and of a donation batch, built with kierratys.timeline.

The device page tells the device's story from intake to handover; the batch
page tells the batch's from registration through each device's intake to
processed.
"""

from functools import cache

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from devices.models import Device, DonationBatch, Erasure, RefurbishmentCheck
from kierratys.compiled_queries import CompiledQuery
from kierratys.timeline import Records, timeline_for

# Change reasons the device services write (in English, as code) and how a person reads them.
REASON_LABELS = {
    "intake": _("vastaanottokirjaus"),
    "batch received": _("erä vastaanotettu"),
    "batch processed": _("erä käsitelty"),
    "batch updated": _("erän tiedot muutettu"),
    # Written with the reason typed for them: "correction: <reason>", shown as "korjaus: <reason>".
    "correction": _("korjaus"),
    "batch cancelled": _("erä peruttu"),
    "erasure passed": _("tietojen tyhjennys onnistui"),
    "refurbishment complete": _("kunnostus valmis"),
    "reserved": _("varattu asiakkaalle"),
    "reservation cancelled": _("varaus peruttu"),
    "gift": _("luovutettu lahjaksi"),
    "loan": _("luovutettu lainaksi"),
    "loan returned": _("laina palautettu"),
    "certificate issued": _("tyhjennystodistus myönnetty"),
    "evidence import": _("tyhjennysraportti tuotu"),
    # devices.lifecycle.device_dispose writes "disposed: <reason>".
    "disposed": _("poistettu"),
    **{
        f"disposed: {value}": format_lazy("{}: {}", _("poistettu"), label)
        for value, label in Device.DisposalReason.choices
    },
}
# New records that are events in the story get their essentials after the
# "... kirjattu" text: "Tietojen tyhjennys kirjattu: onnistui (NVMe Sanitize, nwipe 0.36)".
CREATED_SUMMARIES = {
    "devices.Erasure": "{result} ({technique}, {tool_name} {tool_version})",
}

# Columns that change together with the state and would only repeat it.
DEVICE_HIDDEN = {"status_changed_at", "received_at", "device", "recorded_at", "logged_at"}
# The cancellation's time, user and reason are the entry's own date, user and reason.
BATCH_HIDDEN = {
    "batch",
    "status_changed_at",
    "logged_at",
    "logged_by",
    "cancelled_at",
    "cancelled_by",
    "cancel_reason",
}


@cache
def _history_models():
    # `Model.history` builds a manager class on every access (simple-history's descriptor);
    # the historical models' own managers are plain.
    return tuple(model.history.model for model in (Device, Erasure, RefurbishmentCheck))


@cache
def _device_histories():
    """The device page's three history queries, compiled once (kierratys.compiled_queries)."""
    devices, erasures, checks = _history_models()
    return (
        (devices, CompiledQuery(lambda pk: devices._default_manager.filter(id=pk), int)),
        (erasures, CompiledQuery(lambda pk: erasures._default_manager.filter(device_id=pk), int)),
        (checks, CompiledQuery(lambda pk: checks._default_manager.filter(device_id=pk), int)),
    )


def device_timeline(device, *, known=None, also_name=()):
    """The device's record, erasure attempts and refurbishment checks, oldest first.

    The device page passes what it has read (`known`: the device's batch, media and
    evidence files, by model) and the objects whose people it shows (`also_name`): see
    timeline_for.
    """
    return timeline_for(
        *(Records(model, query(device.pk)) for model, query in _device_histories()),
        hidden_fields=DEVICE_HIDDEN,
        reason_labels=REASON_LABELS,
        created_summaries=CREATED_SUMMARIES,
        known=known,
        also_name=also_name,
    )


def batch_timeline(batch):
    """The batch's own changes and each device's intake, oldest first (a few queries)."""
    return timeline_for(
        DonationBatch.history.filter(id=batch.pk),
        Device.history.filter(batch_id=batch.pk, history_type="+"),
        hidden_fields=BATCH_HIDDEN,
        reason_labels=REASON_LABELS,
        created_summaries=CREATED_SUMMARIES,
    )
