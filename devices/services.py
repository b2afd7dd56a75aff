"""Device services: donation batches, intake, erasure attempts and refurbishment checks.

Every write that carries a rule runs here, in a transaction on the locked row;
status changes go through devices.lifecycle."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices import inventory_codes, lifecycle
from devices.models import BatchListItem, Device, DonationBatch, Erasure, RefurbishmentCheck
from kierratys.sequences import next_number

BATCH_NOT_RECEIVABLE = _("Erä %(reference)s on jo vastaanotettu.")
BATCH_NOT_OPEN_FOR_INTAKE = _(
    "Erään %(reference)s voi kirjata laitteita vasta, kun erä on vastaanotettu, "
    "eikä enää, kun se on käsitelty."
)


class IntakeError(ValidationError):
    """An intake step the rules refuse; the message is shown to the user."""


def batch_register(
    *,
    donor,
    actor,
    declared_count,
    declared_kinds="",
    delivery=DonationBatch.Delivery.DELIVERY,
    pickup_address="",
    pickup_window="",
    wants_certificate=True,
    notes="",
    list_rows=(),
):
    """Register a donation batch with a gap-free yearly reference (ER-2026-0042)."""
    now = timezone.now()
    with transaction.atomic():
        number = next_number(name="batch", year=now.year)
        batch = DonationBatch(
            donor=donor,
            reference=f"ER-{now.year}-{number:04d}",
            registered_by=actor,
            registered_at=now,
            declared_count=declared_count,
            declared_kinds=declared_kinds,
            delivery=delivery,
            pickup_address=pickup_address,
            pickup_window=pickup_window,
            wants_certificate=wants_certificate,
            notes=notes,
        )
        batch._history_user = actor
        batch.save()
        for row_number, row in enumerate(list_rows, start=1):
            item = BatchListItem(batch=batch, row_number=row_number, **row)
            item._history_user = actor
            item.save()
    return batch


def batch_receive(*, batch, actor):
    """registered -> received; raises IntakeError when the batch was already received."""
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != DonationBatch.Status.REGISTERED:
            raise IntakeError(BATCH_NOT_RECEIVABLE, params={"reference": locked.reference})
        locked.status = DonationBatch.Status.RECEIVED
        locked.received_at = timezone.now()
        locked.received_by = actor
        locked._history_user = actor
        locked._change_reason = "batch received"
        locked.save(update_fields=["status", "received_at", "received_by"])
    return locked


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
        _full_clean(device, IntakeError, exclude=["inventory_code", "batch", "logged_by"])
        device._history_user = actor
        device._change_reason = "intake"
        try:
            with transaction.atomic():
                device.save()
        except IntegrityError:
            # A concurrent intake of the same serial got there first: say which device.
            _full_clean(device, IntakeError, exclude=["inventory_code", "batch", "logged_by"])
            raise
        if list_item is not None:
            list_item.device = device
            list_item._history_user = actor
            list_item.save(update_fields=["device"])
    return device


def _full_clean(instance, error_class, *, exclude):
    """The model's own validation, its refusal raised as `error_class` with the field names kept."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise error_class(error.error_dict) from None


BATCH_NOT_PROCESSABLE = _(
    "Erää %(reference)s ei voi merkitä käsitellyksi: se ei ole vastaanotettu-tilassa."
)
BATCH_HAS_UNPROCESSED_DEVICES = _(
    "Erää %(reference)s ei voi merkitä käsitellyksi: %(count)s laitetta odottaa vielä "
    "tyhjennystä tai kunnostusta."
)
BATCH_HAS_NO_DEVICES = _("Erään %(reference)s ei ole kirjattu yhtään laitetta.")


def batch_mark_processed(*, batch, actor):
    """received -> processed once every logged device is erased and checked or disposed."""
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        params = {"reference": locked.reference}
        if locked.status != DonationBatch.Status.RECEIVED:
            raise IntakeError(BATCH_NOT_PROCESSABLE, params=params)
        devices = Device.objects.filter(batch=locked)
        if not devices.exists():
            raise IntakeError(BATCH_HAS_NO_DEVICES, params=params)
        waiting = devices.filter(status__in=[Device.Status.RECEIVED, Device.Status.ERASED]).count()
        if waiting:
            raise IntakeError(BATCH_HAS_UNPROCESSED_DEVICES, params={**params, "count": waiting})
        locked.status = DonationBatch.Status.PROCESSED
        locked._history_user = actor
        locked._change_reason = "batch processed"
        locked.save(update_fields=["status"])
    return locked


ERASURE_NOT_EXPECTED = _(
    "Laitteen tila on ”%(status)s”: tyhjennyksen voi kirjata vain vastaanotetulle laitteelle."
)
REFURBISHMENT_NOT_EXPECTED = _(
    "Laitteen tila on ”%(status)s”: kunnostuksen voi kirjata vain tyhjennetylle laitteelle."
)
DESTRUCTION_NEEDS_REASON = _("Kerro, mitä tuhotulle laitteelle tehtiin.")
DISPOSAL_ONLY_WHEN_DESTROYED = _(
    "Poiston syyn voi valita vain, kun laite tuhottiin (menetelmä ”Destroy” ja tulos onnistui)."
)


class ProcessingError(ValidationError):
    """A processing step the rules refuse; the message is shown to the user."""


def erasure_record(
    *,
    device,
    actor,
    started_at,
    ended_at,
    method,
    technique,
    tool_name,
    tool_version,
    verification,
    result,
    notes="",
    disposal_reason="",
):
    """Log an erasure attempt (passed: erased, destroyed: disposed); raises ProcessingError."""
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        if lifecycle.ERASURE not in lifecycle.allowed_actions(locked):
            raise ProcessingError(
                ERASURE_NOT_EXPECTED, params={"status": locked.get_status_display()}
            )
        destroyed = method == Erasure.Method.DESTROY and result == Erasure.Result.PASSED
        erasure = Erasure(
            device=locked,
            technician=actor,
            started_at=started_at,
            ended_at=ended_at,
            method=method,
            technique=technique,
            tool_name=tool_name,
            tool_version=tool_version,
            verification=verification,
            result=result,
            notes=notes,
        )
        # Erasure.clean() holds the rules of times, category, technique and device.
        errors = {}
        try:
            erasure.full_clean(exclude=["device", "technician"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if destroyed and not disposal_reason:
            errors["disposal_reason"] = [
                ValidationError(DESTRUCTION_NEEDS_REASON, code="disposal_reason")
            ]
        elif disposal_reason and not destroyed:
            errors["disposal_reason"] = [
                ValidationError(DISPOSAL_ONLY_WHEN_DESTROYED, code="disposal_reason")
            ]
        if errors:
            raise ProcessingError(errors)
        erasure._history_user = actor
        erasure.save()
        if destroyed:
            lifecycle.device_dispose(device=locked, actor=actor, disposal_reason=disposal_reason)
        elif result == Erasure.Result.PASSED:
            lifecycle.device_mark_erased(device=locked, actor=actor)
    return erasure


def refurbishment_record(*, device, actor, checked_at, notes="", **checks):
    """Log the refurbishment checklist; a complete one moves erased -> ready."""
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        if lifecycle.REFURBISHMENT not in lifecycle.allowed_actions(locked):
            raise ProcessingError(
                REFURBISHMENT_NOT_EXPECTED, params={"status": locked.get_status_display()}
            )
        check = RefurbishmentCheck(
            device=locked, checked_by=actor, checked_at=checked_at, notes=notes, **checks
        )
        check._history_user = actor
        check.save()
        if check.is_complete:
            lifecycle.device_mark_ready(device=locked, actor=actor)
    return check
