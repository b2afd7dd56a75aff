"""Intake services: log a device of a received batch, and correct what was typed at intake.

A correction changes only what the device is (a mistyped model or serial), never where it
is in its lifecycle, and keeps the reason typed for it in the device's history."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices import inventory_codes
from devices.models import INTAKE_FIELDS, Device, DonationBatch
from devices.services.errors import IntakeError, full_clean_or_refuse, reason_or_refuse
from devices.services.media import device_media_ensure
from kierratys import figures
from kierratys.sequences import next_number

BATCH_NOT_OPEN_FOR_INTAKE = _(
    "Erään %(reference)s voi kirjata laitteita vasta, kun erä on vastaanotettu, "
    "eikä enää, kun se on käsitelty."
)
CORRECTION_NEEDS_REASON = _("Kerro korjauksen syy, esimerkiksi ”sarjanumerossa kirjoitusvirhe”.")
CORRECTION_CHANGES_NOTHING = _("Korjaus ei muuta mitään: tiedot ovat jo samat.")
FIELD_NOT_CORRECTABLE = _(
    "Korjauksella voi muuttaa vain vastaanotossa kirjattuja tietoja, ei kenttää %(fields)s: "
    "laitteen tila muuttuu vain käsittelyn kirjauksilla."
)

# What the technician typed at intake, and so what a correction may change: never the
# status and its companions (Device's LIFECYCLE_FIELDS), the code, batch or who logged it.
CORRECTABLE_FIELDS = INTAKE_FIELDS
# Validated by the model but never changed here: skip their queries.
_NOT_VALIDATED = ["inventory_code", "batch", "logged_by"]


class CorrectionError(ValidationError):
    """A correction the rules refuse; the message is shown to the user."""


def device_intake(*, batch, actor, list_item=None, **fields):
    """Log one device of a received batch with an inventory code; IntakeError on a known serial."""
    with transaction.atomic():
        locked_batch = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        if locked_batch.status != DonationBatch.Status.RECEIVED:
            raise IntakeError(BATCH_NOT_OPEN_FOR_INTAKE, params={"reference": batch.reference})
        now = timezone.now()
        device = Device(
            batch=locked_batch,
            inventory_code=inventory_codes.make_code(next_number(name="device", year=0)),
            logged_by=actor,
            logged_at=now,
            status_changed_at=now,
            received_at=now,
            **fields,
        )
        # Device.clean() refuses a known serial (in any case) or IMEI and a phone without IMEI.
        full_clean_or_refuse(device, IntakeError, exclude=_NOT_VALIDATED)
        device._history_user = actor
        device._change_reason = "intake"
        try:
            with transaction.atomic():
                device.save()
        except IntegrityError:
            # A concurrent intake of the same serial got there first: say which device.
            full_clean_or_refuse(device, IntakeError, exclude=_NOT_VALIDATED)
            raise
        # The medium intake describes; the technician adds others on the device page.
        device_media_ensure(device=device, actor=actor)
        if list_item is not None:
            list_item.device = device
            list_item._history_user = actor
            list_item.save(update_fields=["device"])
        figures.figures_refresh(devices=[device.pk])
    return device


def device_correct(*, device, actor, reason, **fields):
    """Correct a device's intake data with a reason kept in its history; never its status."""
    refused = set(fields) - set(CORRECTABLE_FIELDS)
    if refused:
        raise CorrectionError(
            FIELD_NOT_CORRECTABLE, code="field", params={"fields": ", ".join(sorted(refused))}
        )
    reason = reason_or_refuse(
        reason, error_class=CorrectionError, missing_message=CORRECTION_NEEDS_REASON
    )
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        if not changed:
            raise CorrectionError(CORRECTION_CHANGES_NOTHING, code="unchanged")
        for name in changed:
            setattr(locked, name, fields[name])
        # Device.clean() refuses a serial or IMEI another device has, and a phone without IMEI.
        full_clean_or_refuse(locked, CorrectionError, exclude=_NOT_VALIDATED)
        locked._history_user = actor
        locked._change_reason = f"correction: {reason}"
        try:
            with transaction.atomic():
                locked.save(update_fields=changed)
        except IntegrityError:
            full_clean_or_refuse(locked, CorrectionError, exclude=_NOT_VALIDATED)
            raise
        figures.figures_refresh(devices=[locked.pk])
    return locked
